# Lab: netfilter-ping
# Reproduces: 002_e4d8ed13bff6529c.txt, sections "Hand CNI - 3/4" (MASQUERADE, DNAT), reduced to
#   ICMP: a router namespace r between a (10.0.1.0/24) and b (10.0.2.0/24) DNATs a virtual IP
#   10.9.9.9 to b and MASQUERADEs towards b; then REJECT and DROP in FORWARD, and a REJECT
#   --reject-with icmp-host-prohibited in INPUT; counters and conntrack at the end.
# Deviations: our own lab for the netfilter issue (no seed runs these exact commands).
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra netns r
ip link set va netns a
ip netns exec r ip link add rb type veth peer name vb netns b
ip netns exec a ip link set lo up
ip netns exec r ip link set lo up
ip netns exec b ip link set lo up
ip netns exec a ip addr add 10.0.1.2/24 dev va
ip netns exec a ip link set va up
ip netns exec a ip route add default via 10.0.1.1
ip netns exec r ip addr add 10.0.1.1/24 dev ra
ip netns exec r ip addr add 10.0.2.1/24 dev rb
ip netns exec r ip link set ra up
ip netns exec r ip link set rb up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec b ip addr add 10.0.2.2/24 dev vb
ip netns exec b ip link set vb up
ip netns exec b ip route add default via 10.0.2.1
ip netns exec r iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
ip netns exec r iptables -t nat -A PREROUTING -d 10.9.9.9 -j DNAT --to-destination 10.0.2.2
# --- traffic ---
ip netns exec a ping -c 2 -i 0.2 10.9.9.9
ip netns exec r iptables -A FORWARD -d 10.0.2.2 -p icmp -j REJECT
ip netns exec a ping -c 2 -i 0.2 10.9.9.9
ip netns exec r iptables -R FORWARD 1 -d 10.0.2.2 -j DROP
ip netns exec a ping -c 2 -i 0.2 -W 1 10.9.9.9
ip netns exec r iptables -vnL FORWARD
ip netns exec r iptables -t nat -vnL
ip netns exec r iptables -D FORWARD 1
ip netns exec r iptables -I INPUT -p icmp -j REJECT --reject-with icmp-host-prohibited
ip netns exec a ping -c 1 10.0.1.1
ip netns exec r iptables -S
