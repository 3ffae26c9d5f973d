# Lab: web09-k8s-hostgw-routes — pod networking across two nodes without an overlay (flannel's
# host-gw backend, Calico without IPIP): each node routes the other node's pod CIDR via the
# other node's address.
for n in 1 2; do
    sudo ip netns add node$n
    sudo ip netns add pod$n
    sudo ip -n node$n link add cni0 type bridge
    sudo ip -n node$n addr add 10.244.$n.1/24 dev cni0
    sudo ip -n node$n link set cni0 up
    sudo ip -n node$n link add veth0 type veth peer name eth0 netns pod$n
    sudo ip -n node$n link set veth0 master cni0
    sudo ip -n node$n link set veth0 up
    sudo ip -n pod$n addr add 10.244.$n.2/24 dev eth0
    sudo ip -n pod$n link set eth0 up
    sudo ip -n pod$n route add default via 10.244.$n.1
    sudo ip netns exec node$n sysctl -qw net.ipv4.ip_forward=1
done
sudo ip link add eth0 netns node1 type veth peer name eth0 netns node2
sudo ip -n node1 addr add 192.168.56.11/24 dev eth0
sudo ip -n node2 addr add 192.168.56.12/24 dev eth0
sudo ip -n node1 link set eth0 up
sudo ip -n node2 link set eth0 up
sudo ip -n node1 route add 10.244.2.0/24 via 192.168.56.12 dev eth0
sudo ip -n node2 route add 10.244.1.0/24 via 192.168.56.11 dev eth0
# --- traffic ---
sudo ip netns exec pod1 ping -c 3 -i 0.2 10.244.2.2 | tee ping.log | tail -2 | head -1 | cut -d, -f1-3
grep -o 'ttl=[0-9]*' ping.log | sort -u
for n in 1 2; do
    echo "node$n routes:"
    sudo ip -n node$n route show | grep via
done
