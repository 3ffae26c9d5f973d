# `ip -j route` (main, one table, table all with types) and jq selections on it.
A=userr-a
ip netns add $A
ip -n $A link add v0 type veth peer name v1
ip -n $A addr add 10.1.1.2/24 dev v0
ip -n $A link set v0 up
ip -n $A link set v1 up
ip -n $A link set lo up
ip -n $A route add default via 10.1.1.1
ip -n $A route add 10.9.0.0/16 via 10.1.1.5 metric 20
ip -n $A route add 10.8.0.0/16 via 10.7.7.7 dev v0 onlink
ip -n $A route add blackhole 10.6.0.0/16
ip -n $A route add 10.5.0.0/16 dev v0 table 100
ip -n $A -j route
ip -n $A -j -p route show 10.9.0.0/16
ip -n $A -j route show table 100
ip -n $A -j route | jq -r '.[] | select(.dst == "default") | .gateway'
ip netns exec $A ping -c1 -W1 10.1.1.2 > /dev/null
ip -n $A -j route show table all | jq -c '.[] | [.type, .dst, .table]'
ip netns del $A
