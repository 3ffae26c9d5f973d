# Lab: nslab-frag-pmtu
# Reproduces: no seed section; written for the "Overlays and multi-host labs" issue to check IPv4
#   fragmentation, PMTU discovery and reassembly against the kernel: h1 -- r -- h2, where the
#   r--h2 link has MTU 1400.
# Traffic: a 2000-byte ping (fragmented by h1, reassembled by h2, the reply fragmented by h2);
#   a 1450-byte ping with DF (ICMP fragmentation needed from r, PMTU learned, then fragmented);
#   a 1450-byte ping with -M do (local error: message too long).
ip netns add h1
ip netns add r
ip netns add h2
ip -n h1 link add eth0 type veth peer name eth0 netns r
ip -n h2 link add eth0 type veth peer name eth1 netns r
ip -n h1 addr add 10.1.0.1/24 dev eth0
ip -n r addr add 10.1.0.254/24 dev eth0
ip -n r addr add 10.2.0.254/24 dev eth1
ip -n h2 addr add 10.2.0.1/24 dev eth0
ip -n r link set eth1 mtu 1400
ip -n h2 link set eth0 mtu 1400
ip -n h1 link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n h2 link set eth0 up
ip -n h1 route add default via 10.1.0.254
ip -n h2 route add default via 10.2.0.254
ip netns exec r sysctl -w net.ipv4.ip_forward=1
# --- traffic ---
ip netns exec h1 ping -c 2 -i 0.2 -s 2000 10.2.0.1
ip netns exec h1 ping -c 3 -i 0.2 -s 1450 10.2.0.1
ip netns exec h1 ping -c 1 -M do -s 1450 10.2.0.1
