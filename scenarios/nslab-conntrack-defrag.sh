# Lab: nslab-conntrack-defrag
# Reproduces: no seed section; issue 13 class C: a router with conntrack (a MASQUERADE rule)
#   reassembles IPv4 fragments before NAT (nf_defrag_ipv4 at PREROUTING) and fragments the
#   packet again on output to the size of its largest fragment (IPCB frag_max_size), so every
#   fragment leaves NATed.
# Traffic: a 2000-byte ping h1 -> h2 (h1 fragments it: 1500 + 548), NATed by r.
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
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE
# --- traffic ---
ip netns exec h1 ping -c 2 -i 0.2 -s 2000 10.2.0.1
