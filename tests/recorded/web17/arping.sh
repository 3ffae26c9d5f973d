A=web17x; B=web17y
ip netns add $A
ip netns add $B
ip link add va netns $A type veth peer name vb netns $B
ip -n $A addr add 10.9.0.1/24 dev va
ip -n $B addr add 10.9.0.2/24 dev vb
ip -n $A link set va up
ip -n $B link set vb up
ip netns exec $A arping -c 2 -I va 10.9.0.2 | sed -e 's/\[.*\]/[MAC]/' -e 's/ [0-9.]*ms$/ Tms/'; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A arping -c 1 -I va 10.9.0.3; echo rc=$?
ip netns exec $A arping -A -I va -U 10.9.0.1 -c1; echo rc=$?
ip netns exec $A arping -U -c 1 -I va 10.9.0.1; echo rc=$?
ip netns exec $A arping -c 1 10.9.0.2 | sed -e 's/\[.*\]/[MAC]/' -e 's/ [0-9.]*ms$/ Tms/'
ip netns exec $A arping -c1 -I nosuch 10.9.0.2; echo rc=$?
ip netns exec $A arping -D -c 1 -I va 10.9.0.2 | sed -e 's/\[.*\]/[MAC]/' -e 's/ [0-9.]*ms$/ Tms/'; echo "rc=${PIPESTATUS[0]}"
ip netns exec $A arping -D -c 1 -I va 10.9.0.7; echo rc=$?
ip netns exec $A arping; echo rc=$?
ip netns exec $A arping -q -c 1 -I va 10.9.0.2; echo rc=$?
ip netns exec $A arping -c 1 -s 10.9.0.1 -I va 10.9.0.2 | sed -e 's/\[.*\]/[MAC]/' -e 's/ [0-9.]*ms$/ Tms/'
ip netns exec $A arping -c 1 -s 10.9.0.9 -I va 10.9.0.2; echo rc=$?
ip netns exec $B ip neigh show | sed 's/lladdr [0-9a-f:]*/lladdr MAC/' | sort
ip netns del $A
ip netns del $B
