A=pingf17-a; B=pingf17-b
ip netns add $A
ip netns add $B
ip link add va netns $A type veth peer name vb netns $B
ip -n $A addr add 10.9.0.1/24 dev va
ip -n $B addr add 10.9.0.2/24 dev vb
ip -n $A link set va up
ip -n $B link set vb up
ip -n $A link set lo up
m() { sed -E -e 's/time [0-9]+ms/time Tms/' -e 's#[0-9]+\.[0-9]{3}#N#g'; }
ip netns exec $A ping -f -c 5 10.9.0.2 | m; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A ping -f -c 3 10.9.0.9 | m; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A ping -f -q -c 4 10.9.0.2 | m; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A ping -f -i 0.2 -c 3 10.9.0.2 | m; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A ping -f -c 2 127.0.0.1 | m; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A ping -f -c 2 10.9.1.1; echo "rc=$?"
ip netns del $A
ip netns del $B
