ip netns add a
ip netns add b
ip -n a link add v0 type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
ip netns exec a tc qdisc add dev v0 root netem delay 50ms 10ms loss 10% duplicate 5% reorder 25% 50%
# --- traffic ---
ip netns exec a ping -i 0.01 -c 10000 10.0.0.2
ip netns exec a tc -s qdisc show dev v0
