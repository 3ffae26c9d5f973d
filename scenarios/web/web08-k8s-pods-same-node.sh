# Lab: web08-k8s-pods-same-node — what a bridge CNI plugin does for two pods on one node:
# cni0 with the pod gateway, one veth per pod, default routes, then pod-to-pod and
# pod-to-node traffic.
set -euo pipefail
POD_CIDR=10.244.1
sudo ip link add cni0 type bridge
sudo ip addr add ${POD_CIDR}.1/24 dev cni0
sudo ip link set cni0 up
add_pod() {
    local name=$1 idx=$2
    sudo ip netns add "$name"
    sudo ip link add "veth$idx" type veth peer name eth0 netns "$name"
    sudo ip link set "veth$idx" master cni0 up
    sudo ip -n "$name" addr add "${POD_CIDR}.${idx}/24" dev eth0
    sudo ip -n "$name" link set eth0 up
    sudo ip -n "$name" link set lo up
    sudo ip -n "$name" route add default via "${POD_CIDR}.1"
}
pods=(nginx-7d4f busybox-2x9c)
i=10
for p in "${pods[@]}"; do
    add_pod "$p" $i
    i=$((i + 1))
done
# --- traffic ---
echo "pods: ${#pods[@]}"
sudo ip netns exec busybox-2x9c ping -c 2 -i 0.2 ${POD_CIDR}.10 | awk -F'[ =]' '/bytes from/ {print $4, $8}'
n=$(sudo ip netns exec nginx-7d4f ping -c 1 ${POD_CIDR}.1 | grep -c 'bytes from')
echo "node replies to nginx: $n"
for p in "${pods[@]}"; do
    printf '%-14s %s\n' "$p" "$(sudo ip -n "$p" -4 -o addr show dev eth0 | awk '{print $4}')"
done
sudo ip -n nginx-7d4f route show
