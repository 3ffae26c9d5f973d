# Lab: nslab-ping-errors
# Reproduces: no seed section; issue 13 class G (ping's `pipe N`): h1 -- r -- h2, r routes
#   10.9.1.0/24 unreachable and 10.9.2.0/24 prohibit.
# Traffic: pings whose every echo gets an ICMP error at once (host unreachable, packet filtered,
#   time exceeded: no `pipe` line), a forwarded blackhole (silence), and a ping to an absent
#   host behind r (the errors come after r's ARP fails: `pipe 3`).
ip netns add h1
ip netns add r
ip netns add h2
ip -n h1 link add eth0 type veth peer name eth0 netns r
ip -n h2 link add eth0 type veth peer name eth1 netns r
ip -n h1 addr add 10.1.0.1/24 dev eth0
ip -n r addr add 10.1.0.254/24 dev eth0
ip -n r addr add 10.2.0.254/24 dev eth1
ip -n h2 addr add 10.2.0.1/24 dev eth0
ip -n h1 link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n h2 link set eth0 up
ip -n h1 route add default via 10.1.0.254
ip -n h2 route add default via 10.2.0.254
ip -n r route add unreachable 10.9.1.0/24
ip -n r route add prohibit 10.9.2.0/24
ip -n r route add blackhole 10.9.3.0/24
ip netns exec r sysctl -w net.ipv4.ip_forward=1
# --- traffic ---
ip netns exec h1 ping -c 3 -i 0.2 10.9.1.1
ip netns exec h1 ping -c 3 -i 0.2 10.9.2.1
ip netns exec h1 ping -c 3 -i 0.2 -t 1 10.2.0.1
ip netns exec h1 ping -c 2 -i 0.2 -W 1 10.9.3.1
ip netns exec h1 ping -c 3 -i 0.2 10.2.0.99
ip netns exec h1 ping -c 2 -i 0.2 10.2.0.1
