# Lab: web07-vxlan-bridge-flood — three VTEPs, each with a bridge and a container namespace;
# the all-zeros fdb entries make head-end replication (one unicast copy per remote).
sudo ip netns add underlay
sudo ip -n underlay link add br-u type bridge
sudo ip -n underlay link set br-u up
for n in 1 2 3; do
    sudo ip netns add vtep$n
    sudo ip netns add c$n
    sudo ip -n underlay link add u$n type veth peer name eth0 netns vtep$n
    sudo ip -n underlay link set u$n master br-u
    sudo ip -n underlay link set u$n up
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
for n in 1 2 3; do
    for m in 1 2 3; do
        if [ "$n" != "$m" ]; then
            sudo bridge -n vtep$n fdb append 00:00:00:00:00:00 dev vxlan42 dst 10.0.0.$m
        fi
    done
done
# --- traffic ---
sudo ip netns exec c1 ping -c 2 -i 0.2 172.16.0.3 | grep -c 'bytes from'
sudo ip netns exec c2 ping -c 1 172.16.0.1 | grep -o 'ttl=[0-9]*'
for n in 1 2 3; do
    echo "vtep$n: $(sudo bridge -n vtep$n fdb show dev vxlan42 | grep -c dst) remote entries"
done
sudo bridge -n vtep1 fdb show dev vxlan42 | grep 00:00:00:00:00:00 | awk '{print $3}' | sort
