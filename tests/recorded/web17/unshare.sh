A=web17x
ip netns add $A
ip -n $A link add d0 type veth peer name d1
unshare --net ip -o link; echo "st=$?"
unshare -n sh -c 'ip link set lo up; ping -c 1 127.0.0.1 | grep -c "bytes from"'; echo "st=$?"
unshare --nslab-no-such-option; echo "st=$?"
unshare -n nosuchprog; echo "st=$?"
unshare -x true; echo "st=$?"
unshare -R; echo "st=$?"
unshare --m true; echo "st=$?"
unshare --fork=1 true; echo "st=$?"
unshare --map-user; echo "st=$?"
unshare -V
unshare -rnf ip -o link; echo "st=$?"
unshare --net -- ip -o link | cut -d: -f2
nsenter --net=/var/run/netns/$A ip -o link | cut -d: -f2 | sort
ip -n $A link set lo up
ip netns exec $A ping -c 4 -i 0.5 127.0.0.1 > /dev/null &
sleep 0.5
nsenter -t $! -n ip -o link | cut -d: -f2 | sort
nsenter --target $! --net ip netns identify
wait
nsenter --net=/var/run/netns/nope true; echo "st=$?"
ip netns exec $A ip netns identify
ip netns del $A
