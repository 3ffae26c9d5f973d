# socat 1.7.4 as tutorials use it: TCP and UDP listeners and clients, -u, fork, reuseaddr,
# and its error messages. socat's messages start with the date and `socat[PID]`: the date is
# masked, the PID is kept where it is the background job's ($!) and masked in the foreground.
A=socat17-a; B=socat17-b
ip netns add $A
ip netns add $B
ip link add eth0 netns $A type veth peer name eth0 netns $B
ip -n $A addr add 10.0.0.1/24 dev eth0
ip -n $B addr add 10.0.0.2/24 dev eth0
ip -n $A link set eth0 up
ip -n $B link set eth0 up
ip -n $A link set lo up
ip -n $B link set lo up
mask() { sed -E 's#^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} socat\[[0-9]+\]#socat[PID]#'; }
echo hello | ip netns exec $A socat - TCP:10.0.0.2:81 2>&1 | mask; echo "st=${PIPESTATUS[1]}"
ip netns exec $A socat - TCP4:10.9.9.9:80 </dev/null 2>&1 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $B socat -u TCP-LISTEN:8080,reuseaddr STDOUT > out1 &
sleep 1
ip netns exec $B ss -tln | grep -c 8080
echo "hello over tcp" | ip netns exec $A socat - TCP:10.0.0.2:8080; echo "st=$?"
wait $!; echo "server st=$?"
cat out1
ip netns exec $B socat -u TCP4-LISTEN:8081,fork,reuseaddr - > out2 &
P=$!
sleep 1
echo one | ip netns exec $A socat - TCP:10.0.0.2:8081; echo "st=$?"
echo two | ip netns exec $A socat -u - TCP4:10.0.0.2:8081; echo "st=$?"
sleep 1
ip netns exec $B ss -tln | grep -c 8081
kill $P; wait $P; echo "fork st=$?"
cat out2
ip netns exec $B socat -u UDP-LISTEN:9000 STDOUT > out3 &
P=$!
sleep 1
echo "udp one" | ip netns exec $A socat - UDP:10.0.0.2:9000; echo "st=$?"
# the listener is connected to the first peer now: this datagram comes from another port
echo "udp two" | ip netns exec $A socat -u - UDP-SENDTO:10.0.0.2:9000; echo "st=$?"
sleep 1
kill $P; wait $P; echo "udp st=$?"
cat out3
ip netns exec $B socat -u UDP4-RECV:9001 STDOUT > out4 &
P=$!
sleep 1
echo "recv one" | ip netns exec $A socat -u - UDP4-SENDTO:10.0.0.2:9001
echo "recv two" | ip netns exec $A socat -u STDIN UDP4:10.0.0.2:9001
sleep 1
kill $P; wait $P; echo "recv st=$?"
cat out4
ip netns exec $A socat 2>&1 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $A socat - 2>&1 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $A socat - FOO:1 2>&1 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $A socat - TCP:10.0.0.2 2>&1 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $A socat - tcp-connect:10.0.0.2:8080:9 2>&1 | mask; echo "st=${PIPESTATUS[0]}"
ip netns exec $B socat -u TCP-LISTEN:8090 STDOUT &
sleep 1
ip netns exec $B socat -u TCP-LISTEN:8090 STDOUT 2> err &
P=$!
wait $P; echo "st=$?"
sed -E "s#^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} socat\[$P\]#socat[\$!]#" err
echo bye | ip netns exec $A socat - TCP:10.0.0.2:8090; echo "st=$?"
wait
ip netns del $A
ip netns del $B
