# socat with nc at the other end, and a request/response exchange between two socats whose
# stdin is a pipe: stdin's EOF is a half-close (shutdown), the peer's EOF ends socat.
A=socat17-c; B=socat17-d
ip netns add $A
ip netns add $B
ip link add eth0 netns $A type veth peer name eth0 netns $B
ip -n $A addr add 10.0.0.1/24 dev eth0
ip -n $B addr add 10.0.0.2/24 dev eth0
ip -n $A link set eth0 up
ip -n $B link set eth0 up
ip netns exec $B nc -l 8082 > out1 &
sleep 1
echo "to nc" | ip netns exec $A socat - TCP:10.0.0.2:8082; echo "st=$?"
wait; cat out1
ip netns exec $B socat -u TCP-LISTEN:8083 - > out2 &
sleep 1
echo "from nc" | ip netns exec $A nc -N 10.0.0.2 8083; echo "st=$?"
wait; cat out2
ip netns exec $B socat TCP-LISTEN:8084,reuseaddr - <<< reply > out3 &
sleep 1
echo request | ip netns exec $A socat - TCP:10.0.0.2:8084; echo "st=$?"
wait; echo "server st=$?"; cat out3
ip netns exec $B socat UDP-LISTEN:9002 - > out4 <<< "udp reply" &
sleep 1
echo "udp request" | ip netns exec $A socat - UDP:10.0.0.2:9002; echo "st=$?"
wait; echo "server st=$?"; cat out4
ip netns exec $B socat -u UDP-RECV:9003 - > out5 &
P=$!
sleep 1
echo x | ip netns exec $A socat - UDP:10.0.0.2:9004 2>&1 | sed -E "s#^.* socat\[[0-9]+\] E read\(5, 0x[0-9a-f]+#socat[PID] E read(5, ADDR#"; echo "st=${PIPESTATUS[1]}"
echo y | ip netns exec $A socat - UDP-SENDTO:10.0.0.2:9003; echo "st=$?"
ip netns exec $A socat -u - TCP:10.0.0.2:9 </dev/null 2>&1 | sed -E 's#^.* socat\[[0-9]+\]#socat[PID]#'
sleep 1
kill $P; wait $P; echo "st=$?"; cat out5
ip netns del $A
ip netns del $B
