# A pipeline in the background (`a | b &`) is one background job: the script goes on at once,
# the last command keeps running (a server waiting for its client), `$!` is its pid.
A=user17b-a; B=user17b-b
ip netns add $A
ip netns add $B
ip link add eth0 netns $A type veth peer name eth0 netns $B
ip -n $A addr add 10.0.0.1/24 dev eth0
ip -n $B addr add 10.0.0.2/24 dev eth0
ip -n $A link set eth0 up
ip -n $B link set eth0 up
printf 'hello from b\n' | ip netns exec $B nc -l -p 9000 &
echo "server started"
sleep 1
ip netns exec $A nc -w1 10.0.0.2 9000 </dev/null; echo "client st=$?"
wait; echo "server st=$?"
printf 'never read\n' | ip netns exec $B nc -l -p 9001 > out1 &
P=$!
sleep 1
kill $P; wait $P; echo "killed st=$?"
sleep 1 | cat & echo started; wait; echo "done st=$?"
printf 'b\na\n' | sort | ip netns exec $B nc -l -p 9002 &
sleep 1
ip netns exec $A nc -w1 10.0.0.2 9002 </dev/null
wait
ip netns del $A
ip netns del $B
