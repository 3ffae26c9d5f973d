# Lab: web07-vxlan-bridge-flood — Docker-overlay style: on each VTEP a bridge joins the
# container's veth and a VXLAN device without learning; the all-zeros fdb entry floods
# broadcast (ARP) to the other VTEP, a static entry sends the container's unicast.
sudo ip netns add vtep1
sudo ip netns add vtep2
sudo ip link add eth0 netns vtep1 type veth peer name eth0 netns vtep2
for n in 1 2; do
    sudo ip netns add c$n
    sudo ip -n vtep$n addr add 10.0.0.$n/24 dev eth0
    sudo ip -n vtep$n link set eth0 up
    sudo ip -n vtep$n link add br0 type bridge
    sudo ip -n vtep$n link set br0 up
    sudo ip -n vtep$n link add vxlan42 type vxlan id 42 local 10.0.0.$n dstport 4789 nolearning
    sudo ip -n vtep$n link set vxlan42 master br0
    sudo ip -n vtep$n link set vxlan42 up
    sudo ip -n vtep$n link add veth0 type veth peer name eth0 netns c$n
    sudo ip -n vtep$n link set veth0 master br0
    sudo ip -n vtep$n link set veth0 up
    sudo ip -n c$n link set eth0 address 02:42:ac:10:00:0$n
    sudo ip -n c$n addr add 172.16.0.$n/24 dev eth0
    sudo ip -n c$n link set eth0 up
done
sudo bridge -n vtep1 fdb append 00:00:00:00:00:00 dev vxlan42 dst 10.0.0.2
sudo bridge -n vtep2 fdb append 00:00:00:00:00:00 dev vxlan42 dst 10.0.0.1
sudo bridge -n vtep1 fdb append 02:42:ac:10:00:02 dev vxlan42 dst 10.0.0.2
sudo bridge -n vtep2 fdb append 02:42:ac:10:00:01 dev vxlan42 dst 10.0.0.1
# --- traffic ---
sudo ip netns exec c1 ping -c 2 -i 0.2 172.16.0.2 | grep -c 'bytes from'
sudo ip netns exec c2 ping -c 1 172.16.0.1 | grep -o 'ttl=[0-9]*'
for n in 1 2; do
    echo "vtep$n: $(sudo bridge -n vtep$n fdb show dev vxlan42 | grep -c dst) remote entries"
done
sudo bridge -n vtep1 fdb show dev vxlan42 | awk '/dst/ {print $1, $3}' | sort
