# Lab: web14-routed-pod-proxyarp — Calico-style routed pods: the pod has a /32 and a default
# route to 169.254.1.1 that nobody owns; the host side of the veth answers ARP by proxy_arp,
# and the node routes each pod's /32 to its veth.
sudo ip netns add pod-a
sudo ip netns add pod-b
n=0
for pod in pod-a pod-b; do
    n=$((n + 1))
    ip4=10.65.0.$((n * 10))
    sudo ip link add cali$n type veth peer name eth0 netns $pod
    sudo ip link set cali$n up
    sudo sysctl -qw net.ipv4.conf.cali$n.proxy_arp=1
    sudo sysctl -qw net.ipv4.neigh.cali$n.proxy_delay=0
    sudo ip -n $pod addr add $ip4/32 dev eth0
    sudo ip -n $pod link set eth0 up
    sudo ip -n $pod route add 169.254.1.1 dev eth0 scope link
    sudo ip -n $pod route add default via 169.254.1.1 dev eth0
    sudo ip route add $ip4/32 dev cali$n scope link
done
sudo sysctl -qw net.ipv4.ip_forward=1
# the node's own uplink and default route (proxy_arp answers only for a routable target)
sudo ip link add uplink type veth peer name uplink-peer
sudo ip addr add 192.168.0.10/24 dev uplink
sudo ip link set uplink up
sudo ip link set uplink-peer up
sudo ip route add default via 192.168.0.1 dev uplink
# --- traffic ---
sudo ip netns exec pod-a ping -c 2 -i 0.2 10.65.0.20 | grep -E 'bytes from' | awk '{print $4, $6}'
sudo ip route show | grep cali
sudo ip netns exec pod-a ip neigh show | awk '{print $1, $2, $3}'
