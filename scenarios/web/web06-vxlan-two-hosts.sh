# Lab: web06-vxlan-two-hosts — a VXLAN overlay between two "hosts" (namespaces on one
# underlay link), point-to-point with `remote`, then a ping across the overlay.
sudo ip netns add host-a
sudo ip netns add host-b
sudo ip link add eth0 netns host-a type veth peer name eth0 netns host-b
sudo ip -n host-a addr add 192.0.2.1/24 dev eth0
sudo ip -n host-b addr add 192.0.2.2/24 dev eth0
sudo ip -n host-a link set eth0 up
sudo ip -n host-b link set eth0 up
mk_vxlan() {
    local ns=$1 local_ip=$2 remote_ip=$3 overlay=$4
    sudo ip -n "$ns" link add vxlan100 type vxlan id 100 local "$local_ip" remote "$remote_ip" dstport 4789 dev eth0
    sudo ip -n "$ns" addr add "$overlay" dev vxlan100
    sudo ip -n "$ns" link set vxlan100 address 02:00:00:00:01:0"${overlay:9:1}"
    sudo ip -n "$ns" link set vxlan100 up
}
mk_vxlan host-a 192.0.2.1 192.0.2.2 10.100.0.1/24
mk_vxlan host-b 192.0.2.2 192.0.2.1 10.100.0.2/24
# --- traffic ---
sudo ip netns exec host-a ping -c 3 -i 0.2 10.100.0.2 | grep -E 'bytes from|loss' | sed 's/time=.*//'
sudo ip -n host-a -d link show vxlan100 | grep -o 'vxlan id [0-9]* remote [0-9.]* local [0-9.]*'
sudo ip netns exec host-a bridge fdb show dev vxlan100
sudo ip -n host-b neigh show dev vxlan100
