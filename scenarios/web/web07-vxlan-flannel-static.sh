# Lab: web07-vxlan-flannel-static — flannel's VXLAN backend by hand: each node's flannel.1
# has a /32 of its pod subnet, and for every other node the route, the permanent neighbour
# (the remote VTEP's MAC) and the fdb entry (that MAC behind the remote node's address) are
# written statically, so nothing is flooded or learned.
declare -A NODE_IP=([1]=192.168.56.11 [2]=192.168.56.12)
declare -A VTEP_MAC=([1]=0e:00:00:00:00:01 [2]=0e:00:00:00:00:02)
sudo ip netns add node1
sudo ip netns add node2
sudo ip link add eth0 netns node1 type veth peer name eth0 netns node2
for n in 1 2; do
    sudo ip -n node$n addr add ${NODE_IP[$n]}/24 dev eth0
    sudo ip -n node$n link set eth0 up
    sudo ip -n node$n link add flannel.1 address ${VTEP_MAC[$n]} type vxlan id 1 local ${NODE_IP[$n]} dev eth0 dstport 8472 nolearning
    sudo ip -n node$n addr add 10.244.$n.0/32 dev flannel.1
    sudo ip -n node$n link set flannel.1 up
    sudo ip -n node$n link add cni0 type bridge
    sudo ip -n node$n addr add 10.244.$n.1/24 dev cni0
    sudo ip -n node$n link set cni0 up
    sudo ip netns exec node$n sysctl -qw net.ipv4.ip_forward=1
done
for n in 1 2; do
    m=$((3 - n))
    sudo ip -n node$n route add 10.244.$m.0/24 via 10.244.$m.0 dev flannel.1 onlink
    sudo ip -n node$n neigh add 10.244.$m.0 lladdr ${VTEP_MAC[$m]} dev flannel.1 nud permanent
    sudo bridge -n node$n fdb add ${VTEP_MAC[$m]} dev flannel.1 dst ${NODE_IP[$m]}
done
# --- traffic ---
sudo ip netns exec node1 ping -c 3 -i 0.2 -I 10.244.1.1 10.244.2.1 | grep -E 'bytes from|transmitted' | sed 's/time=.*//'
sudo ip -n node1 route show | grep flannel
sudo ip -n node1 neigh show dev flannel.1
sudo bridge -n node1 fdb show dev flannel.1 | grep dst
