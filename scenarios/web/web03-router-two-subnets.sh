# Lab: web03-router-two-subnets — a namespace as a router between two subnets: ip_forward
# through sysctl, default routes, and a TTL check that shows the hop.
sudo ip netns add left
sudo ip netns add router
sudo ip netns add right
sudo ip link add l0 netns left type veth peer name r-left netns router
sudo ip link add r0 netns right type veth peer name r-right netns router
sudo ip -n left addr add 192.168.1.10/24 dev l0
sudo ip -n right addr add 192.168.2.10/24 dev r0
sudo ip -n router addr add 192.168.1.1/24 dev r-left
sudo ip -n router addr add 192.168.2.1/24 dev r-right
for ns in left router right; do
    for dev in $(sudo ip -n $ns -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
        sudo ip -n $ns link set $dev up
    done
done
sudo ip -n left route add default via 192.168.1.1
sudo ip -n right route add default via 192.168.2.1
# --- traffic ---
echo "before forwarding:"
sudo ip netns exec left ping -c 1 -W 1 192.168.2.10 | grep -c 'bytes from' || true
sudo ip netns exec router sysctl -w net.ipv4.ip_forward=1
echo "after forwarding:"
sudo ip netns exec left ping -c 2 -i 0.2 192.168.2.10 | grep 'bytes from' | awk '{print $4, $6}'
sudo ip -n router route show | sort
sudo ip netns exec router cat /proc/sys/net/ipv4/ip_forward
