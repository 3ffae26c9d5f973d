# Same-tick timer order (issue 13, class I): a drops every SYN-ACK, so a's SYN retransmit
# (armed at the SYN) and b's SYN-ACK retransmit (armed at the SYN-ACK, microseconds later)
# expire 1 s on in the same timer-wheel bucket; the wheel runs a bucket newest first.
ip netns add a
ip netns add b
ip link add va netns a address 02:00:00:00:13:01 type veth peer name vb netns b address 02:00:00:00:13:02
ip -n a neigh add 10.13.0.2 lladdr 02:00:00:00:13:02 dev va nud permanent
ip -n b neigh add 10.13.0.1 lladdr 02:00:00:00:13:01 dev vb nud permanent
ip -n a addr add 10.13.0.1/24 dev va
ip -n b addr add 10.13.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b nc -l 10.13.0.2 80 &
ip netns exec a iptables -A INPUT -p tcp --sport 80 -j DROP
# --- traffic ---
ip netns exec a nc -z -w 2 10.13.0.2 80
echo "nc: $?"
sleep 2
