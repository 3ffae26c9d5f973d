A=web17x; B=web17y
ip netns add $A
ip netns add $B
ip link add va netns $A type veth peer name vb netns $B
ip netns exec $A ifconfig va 10.9.0.1/24 up
ip netns exec $B ifconfig vb 10.9.0.2 netmask 255.255.255.0 up
ip netns exec $B ifconfig vb 10.9.0.3 broadcast 10.9.0.99
ip -n $B -4 addr show dev vb
ip netns exec $B ifconfig vb 10.9.0.2 netmask 255.255.255.0
ip netns exec $A ifconfig lo 127.0.0.1 up
ip -n $A -4 -o addr
ip netns exec $A ping -c 2 -i 0.2 -I va 10.9.0.2 | sed 's/time=.*//'
ip netns exec $A ping -c 1 -I 10.9.0.1 10.9.0.2 | head -2
ip netns exec $A ping -c 1 -I nosuch 10.9.0.2; echo rc=$?
ip netns exec $A ping -c 1 -I 10.9.0.7 10.9.0.2; echo rc=$?
ip netns exec $A arp -s 10.9.0.9 00:11:22:33:44:55; echo rc=$?
ip netns exec $A arp -n | sed 's/[0-9a-f:]\{17\}/MAC/'; ip netns exec $A arp -a | sort | sed 's/[0-9a-f:]\{17\}/MAC/'
ip netns exec $A arp -s 192.0.2.1 00:11:22:33:44:55; echo rc=$?
ip netns exec $A arp -d 10.9.0.9; echo rc=$?
ip netns exec $A arp -d 10.9.0.99; echo rc=$?
ip netns exec $A arp -s 10.9.0.9 zz; echo rc=$?
ip netns exec $A arp -n 10.9.0.77; echo rc=$?
ip netns exec $A ip neigh get 10.9.0.2 dev va | sed 's/[0-9a-f:]\{17\}/MAC/'; echo rc=$?
ip netns exec $A ip neigh get 10.9.0.3 dev va; echo rc=$?
ip netns exec $A ip neigh get 10.9.0.2; echo rc=$?
ip netns exec $A ip neigh get 10.9.0.2 dev nope; echo rc=$?
ip netns exec $A ifconfig va | sed 's/[0-9a-f:]\{17\}/MAC/'
ip netns exec $A ifconfig nosuch; echo rc=$?
ip netns exec $B ifconfig -a | sed 's/[0-9a-f:]\{17\}/MAC/'
ip netns exec $B ifconfig vb 224.1.1.1; echo rc=$?
ip netns exec $B ifconfig nosuch up; echo rc=$?
ip netns exec $B ifconfig vb mtu 1400; ip -n $B link show vb | head -1
ip netns exec $B ifconfig vb down; ip netns exec $B ifconfig; ip netns exec $B ifconfig vb up
ip -n $A route add default via 10.9.0.2
ip netns exec $A ping -c1 -W0.1 255.255.255.255; echo rc=$?
ip netns exec $A ping -c1 -W0.1 -b 255.255.255.255 2>/dev/null; echo rc=$?
ip netns exec $A ping -c1 -W0.1 -b 10.9.0.255 2>&1 >/dev/null; echo rc=$?
ip -net $A link show va | head -1
ip netns del $A
ip netns del $B
