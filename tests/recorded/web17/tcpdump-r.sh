A=web17x; B=web17y
ip netns add $A
ip netns add $B
ip link add va netns $A address 02:00:00:00:00:0a type veth peer name vb netns $B address 02:00:00:00:00:0b
ip -n $A addr add 10.9.0.1/24 dev va
ip -n $B addr add 10.9.0.2/24 dev vb
ip -n $A link set va up
ip -n $B link set vb up
ip netns exec $A tcpdump -i va -c 3 -w cap.pcap 2>/dev/null &
sleep 1
ip netns exec $A ping -c 2 -i 0.2 10.9.0.2 > /dev/null
wait
tcpdump -r cap.pcap -tnne 2>err.txt | sed 's/id [0-9]*/id N/'; cat err.txt
tcpdump -r cap.pcap -tnn -c 1 icmp 2>/dev/null | sed 's/id [0-9]*/id N/'
tcpdump -r cap.pcap -tnnv 'src 10.9.0.2' 2>/dev/null | sed 's/id [0-9]*/id N/g'
tcpdump -r nosuch.pcap; echo rc=$?
echo garbage > bad.pcap
tcpdump -r bad.pcap; echo rc=$?
rm -f cap.pcap bad.pcap err.txt
ip netns del $A
ip netns del $B
