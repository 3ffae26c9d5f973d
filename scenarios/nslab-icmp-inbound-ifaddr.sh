# Lab: nslab-icmp-inbound-ifaddr
# Reproduces: no seed section; issue 11 (traceroute.sh IPv4): net.ipv4.icmp_errors_use_inbound_ifaddr.
#   r's eth1 has 1.0.3.1/24 (first) and 1.0.1.1/24; h1 (1.0.1.3) sends through r to h2. With
#   the sysctl, r's time-exceeded comes from the inbound device's address that suits h1
#   (inet_select_addr: 1.0.1.1); h1's own 10.5.0.0/24 address, which no r subnet matches, gets
#   r's first address (1.0.3.1) instead of the one routing picks (the route's prefsrc).
# Traffic: pings with TTL 1 before and after the sysctl, from both of h1's addresses.
ip netns add h1
ip netns add h2
ip netns add r
ip -n h1 link add eth0 type veth peer name eth1 netns r
ip -n h2 link add eth0 type veth peer name eth2 netns r
ip -n h1 addr add 1.0.1.3/24 dev eth0
ip -n h1 addr add 10.5.0.3/24 dev eth0
ip -n r addr add 1.0.3.1/24 dev eth1
ip -n r addr add 1.0.1.1/24 dev eth1
ip -n r addr add 1.0.2.1/24 dev eth2
ip -n h2 addr add 1.0.2.4/24 dev eth0
ip -n h1 link set eth0 up
ip -n r link set eth1 up
ip -n r link set eth2 up
ip -n h2 link set eth0 up
ip -n h1 route add default via 1.0.1.1
ip -n h2 route add default via 1.0.2.1
ip -n r route add 10.5.0.0/24 dev eth1 src 1.0.1.1
ip netns exec r sysctl -w net.ipv4.ip_forward=1
# --- traffic ---
ip netns exec h1 ping -c 1 -W 1 -t 1 1.0.2.4
ip netns exec h1 ping -c 1 -W 1 -t 1 -I 10.5.0.3 1.0.2.4
ip netns exec r sysctl -w net.ipv4.icmp_errors_use_inbound_ifaddr=1
ip netns exec h1 ping -c 1 -W 1 -t 1 1.0.2.4
ip netns exec h1 ping -c 1 -W 1 -t 1 -I 10.5.0.3 1.0.2.4
ip netns exec h1 ping -c 1 -W 1 1.0.2.4
