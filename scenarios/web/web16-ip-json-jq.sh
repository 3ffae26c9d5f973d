# Lab: web16-ip-json-jq — a router namespace between two hosts, inspected the way newer
# tutorials do it: `ip -j ... | jq` instead of grep/awk on the text output.
set -e
sudo ip netns add h1
sudo ip netns add r1
sudo ip netns add h2
sudo ip link add h1-eth0 netns h1 type veth peer name r1-eth0 netns r1
sudo ip link add h2-eth0 netns h2 type veth peer name r1-eth1 netns r1
sudo ip -n r1 addr add 192.168.10.1/24 dev r1-eth0
sudo ip -n r1 addr add 192.168.20.1/24 dev r1-eth1
sudo ip -n h1 addr add 192.168.10.10/24 dev h1-eth0
sudo ip -n h2 addr add 192.168.20.10/24 dev h2-eth0
for ns in h1 r1 h2; do
    for dev in $(sudo ip -n "$ns" -j link show | jq -r '.[].ifname'); do
        sudo ip -n "$ns" link set "$dev" up
    done
done
sudo ip -n h1 route add default via 192.168.10.1
sudo ip -n h2 route add default via 192.168.20.1
sudo ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
# --- traffic ---
# every address of the router, as "dev address/len"
sudo ip -n r1 -j addr show | jq -r '.[] | .ifname as $d | .addr_info[] | "\($d) \(.local)/\(.prefixlen)"'
# which interfaces are up, and their MTU
sudo ip -n r1 -j link show | jq -r '.[] | select(.operstate == "UP") | "\(.ifname) mtu \(.mtu)"'
# the default gateway of each host
for h in h1 h2; do
    gw=$(sudo ip -n "$h" -j route show default | jq -r '.[0].gateway')
    echo "$h -> $gw"
    sudo ip netns exec "$h" ping -c 2 -i 0.2 "$gw" | grep -c 'bytes from'
done
sudo ip netns exec h1 ping -c 3 -i 0.2 192.168.20.10 | tail -2 | head -1 | cut -d, -f1-3
# the router's connected routes as one compact JSON line per route
sudo ip -n r1 -j route | jq -c '.[] | {dst, dev, src: .prefsrc}'
sudo ip -n h1 -j -p addr show dev h1-eth0 | jq '.[0].addr_info | length'
