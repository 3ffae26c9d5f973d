# `ip -j [-p] neigh` (REACHABLE, INCOMPLETE, PERMANENT entries) and jq on it; MACs masked.
A=usern-a; B=usern-b
mask() { sed -E 's/"([0-9a-f]{2}:){5}[0-9a-f]{2}"/"MAC"/g'; }
ip netns add $A
ip netns add $B
ip -n $A link add v0 type veth peer name v1 netns $B
ip -n $A addr add 10.3.0.1/24 dev v0
ip -n $B addr add 10.3.0.2/24 dev v1
ip -n $A link set v0 up
ip -n $B link set v1 up
ip -n $A -j neigh
ip netns exec $A ping -c 1 -W 1 10.3.0.2 > /dev/null
ip netns exec $A ping -c 1 -W 1 10.3.0.9 > /dev/null; echo rc=$?
ip -n $A neigh add 10.3.0.50 lladdr 02:00:00:00:00:50 dev v0
ip -n $A -j neigh | mask
ip -n $A -j -p neigh show dev v0 | mask
ip -n $A -j neigh | jq -r '.[] | select(.state[0] == "REACHABLE") | .dst'
ip netns del $A; ip netns del $B
