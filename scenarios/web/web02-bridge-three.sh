# Lab: web02-bridge-three — a Linux bridge as a virtual switch for three namespaces, built in
# a loop with arithmetic for the addresses, then a full mesh of pings counted with awk.
sudo ip link add br0 type bridge
sudo ip link set br0 up
for i in 1 2 3; do
    sudo ip netns add host$i
    sudo ip link add veth$i type veth peer name eth0 netns host$i
    sudo ip link set veth$i master br0
    sudo ip link set veth$i up
    sudo ip -n host$i addr add 172.20.0.$((10 + i))/24 dev eth0
    sudo ip -n host$i link set eth0 up
done
# --- traffic ---
ok=0
fail=0
for src in 1 2 3; do
    for dst in 1 2 3; do
        [ $src -eq $dst ] && continue
        if sudo ip netns exec host$src ping -c 1 -W 1 172.20.0.$((10 + dst)) > /dev/null; then
            ok=$((ok + 1))
        else
            fail=$((fail + 1))
        fi
    done
done
echo "pings ok=$ok failed=$fail"
sudo ip -o link show master br0 | awk -F': ' '{print $2}' | cut -d@ -f1 | sort
sudo bridge fdb show | grep 'master br0' | grep -vc permanent
sudo ip -n host1 neigh show | sort | awk '{print $1, $3, $NF}' | sed 's/lladdr/mac/'
