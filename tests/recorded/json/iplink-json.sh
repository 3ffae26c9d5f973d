# `ip -j` / `ip -j -p` of links and addresses, and the jq pipelines tutorials use on them.
# MAC addresses are random: masked. The peer's nsid (link_netnsid) is masked too: the kernel
# numbers a peer namespace from 0 in each namespace, nslab by the namespace's index.
A=userj-a; B=userj-b; C=userj-c
mask() { sed -E 's/"([0-9a-f]{2}:){5}[0-9a-f]{2}"/"MAC"/g; s/"link_netnsid": ?[0-9]+/"link_netnsid":N/g'; }
ip netns add $A
ip netns add $B
ip -n $A link add veth0 type veth peer name veth1 netns $B
ip -n $A addr add 10.1.1.2/24 dev veth0
ip -n $A link set veth0 up
ip -n $A link set lo up
ip -n $B addr add 10.1.1.3/24 dev veth1
ip -n $B link set veth1 up
ip -n $A -j addr | mask
ip -n $A -j link | mask
ip -n $A -j -p addr show dev veth0 | mask
ip netns add $C
ip -n $C link add v0 type veth peer name v1
ip -n $C link add br0 type bridge
ip -n $C link set v0 master br0
ip -n $C link set v0 up
ip -n $C addr add 10.2.0.1/24 dev br0
ip -n $C addr add 10.2.0.9/24 dev br0
ip -n $C -j link | mask
ip -n $C -j addr | mask
ip -n $C -j addr show dev v0 | mask
ip -n $C -j -p link show dev lo
ip -n $C -j addr | jq -r '.[].addr_info[].local'
ip -n $C -j addr show dev br0 | jq -r '.[0].addr_info[] | select(.secondary != true) | "\(.local)/\(.prefixlen)"'
ip -n $A -j link show veth0 | jq -r '.[0].operstate'
ip -n $C -j link | jq -r '.[] | select(.master == "br0") | .ifname'
ip -n $A -j -p link show dev veth0 | jq -c '{name: .[0].ifname, mtu: .[0].mtu}'
ip netns del $A; ip netns del $B; ip netns del $C
