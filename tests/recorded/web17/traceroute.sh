H1=web17h1; R=web17r; H2=web17h2
ip netns add $H1
ip netns add $R
ip netns add $H2
ip link add eth0 netns $H1 type veth peer name r1 netns $R
ip link add eth0 netns $H2 type veth peer name r2 netns $R
ip -n $H1 addr add 10.1.1.2/24 dev eth0
ip -n $R addr add 10.1.1.1/24 dev r1
ip -n $R addr add 10.1.2.1/24 dev r2
ip -n $H2 addr add 10.1.2.2/24 dev eth0
ip -n $H1 link set eth0 up
ip -n $H2 link set eth0 up
ip -n $R link set r1 up
ip -n $R link set r2 up
ip -n $H1 route add default via 10.1.1.1
ip -n $H2 route add default via 10.1.2.1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
# the kernel rate-limits ICMP errors per peer (6 at once, then 1/s): each run starts refilled
mask() { sed -E 's/[0-9]+\.[0-9]{3} ms/T ms/g'; }
ip netns exec $H1 traceroute 10.1.2.2 2>&1 | mask
sleep 7
ip netns exec $H1 traceroute -I -n -q 2 10.1.2.2 | mask
sleep 7
ip netns exec $H1 traceroute -n -q 1 -w 1 -m 3 10.1.9.9 2>&1 | mask
sleep 7
ip netns exec $R iptables -A FORWARD -d 10.1.2.2 -j REJECT --reject-with icmp-host-unreachable
ip netns exec $H1 traceroute -n -q 1 10.1.2.2 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $H1 traceroute 2>&1 | head -2; echo "st=${PIPESTATUS[0]}"
ip netns exec $H1 traceroute -n nosuch.invalid; echo "st=$?"
ip netns exec $H1 traceroute -q 11 10.1.2.2; echo "st=$?"
ip netns exec $H1 traceroute -x 10.1.2.2; echo "st=$?"
ip netns del $H1
ip netns del $R
ip netns del $H2
