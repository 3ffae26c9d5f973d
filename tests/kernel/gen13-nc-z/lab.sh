# nc -z without -v is silent on refusal, timeout and success (openbsd nc warns only with -v).
ip netns add a
ip netns add b
ip link add va netns a address 02:00:00:00:13:01 type veth peer name vb netns b address 02:00:00:00:13:02
# Permanent neighbours: no ARP, so no neighbour timer decides what the capture shows.
ip -n a neigh add 10.13.0.2 lladdr 02:00:00:00:13:02 dev va nud permanent
ip -n b neigh add 10.13.0.1 lladdr 02:00:00:00:13:01 dev vb nud permanent
ip -n a addr add 10.13.0.1/24 dev va
ip -n b addr add 10.13.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b iptables -A INPUT -p tcp --dport 81 -j DROP
ip netns exec b nc -l 10.13.0.2 8080 &
# --- traffic ---
ip netns exec a nc -z 10.13.0.2 9
echo "nc -z refused: $?"
ip netns exec a nc -zv 10.13.0.2 9
echo "nc -zv refused: $?"
ip netns exec a nc 10.13.0.2 9
echo "nc refused: $?"
ip netns exec a nc -z -w 2 10.13.0.2 81
echo "nc -z timeout: $?"
ip netns exec a nc -zv -w 2 10.13.0.2 81
echo "nc -zv timeout: $?"
ip netns exec a nc -z 10.13.0.2 8080
echo "nc -z open: $?"
