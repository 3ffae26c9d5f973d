# Lab: web01-netns-veth — two namespaces joined by a veth pair, the first thing every
# namespace tutorial builds: sudo on every line, a helper function, a check loop.
set -e
sudo ip netns add red
sudo ip netns add blue
sudo ip link add veth-red type veth peer name veth-blue
sudo ip link set veth-red netns red
sudo ip link set veth-blue netns blue
setup_ns() {
    local ns=$1 dev=$2 addr=$3
    sudo ip -n "$ns" addr add "$addr" dev "$dev"
    sudo ip -n "$ns" link set "$dev" up
    sudo ip -n "$ns" link set lo up
}
setup_ns red veth-red 10.11.0.1/24
setup_ns blue veth-blue 10.11.0.2/24
# --- traffic ---
sudo ip netns list | grep -oE '^(red|blue)' | sort
sudo ip netns exec red ip -4 -o addr show dev veth-red | awk '{print $2, $4}'
sudo ip netns exec red ping -c 3 -i 0.2 10.11.0.2 | tee ping-red.txt | grep -E 'packets|bytes from' | cut -d' ' -f1-5
loss=$(grep -o '[0-9]*% packet loss' ping-red.txt)
echo "red -> blue: $loss"
for ns in red blue; do
    n=$(sudo ip netns exec "$ns" ip -o link show | wc -l)
    echo "$ns has $n links"
done
sudo ip netns exec blue ip neigh show | awk '{print $1, $NF}'
