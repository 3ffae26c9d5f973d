# `bridge -j [-p] [-d]` of fdb (all, `dev`, `br`) and link, and the jq pipelines tutorials and
# selftests use on them (iproute2 6.1 on the host kernel; `bridge -j vlan` is in
# bridge-vlan-json.sh, recorded on the VM: the host kernel has no VLAN filtering).
A=user17-ba; B=user17-bb
ip netns add $A
ip netns add $B
ip -n $A link add br0 type bridge
ip -n $A link add v0 type veth peer name v1 netns $B
ip -n $A link add v2 type veth peer name v3
ip -n $A link set v0 address 02:00:00:00:00:10
ip -n $A link set v2 address 02:00:00:00:00:12
ip -n $A link set v3 address 02:00:00:00:00:13
ip -n $A link set br0 address 02:00:00:00:00:01
ip -n $A link set v0 master br0
ip -n $A link set v2 master br0
ip -n $A link set br0 up
ip -n $A link set v0 up
ip -n $A link set v3 up
ip -n $A link set v2 up
ip -n $A addr add 10.3.0.1/24 dev br0
ip -n $B addr add 10.3.0.2/24 dev v1
ip -n $B link set v1 address 02:00:00:00:00:02
ip -n $B link set v1 up
ip netns exec $B ping -c1 -W1 10.3.0.1 > /dev/null
ip -n $A link add vx0 type vxlan id 42 dstport 4789 local 10.3.0.1
ip -n $A link set vx0 up
bridge -n $A fdb append 00:00:00:00:00:00 dev vx0 dst 10.3.0.7
bridge -n $A fdb append 00:00:00:00:00:00 dev vx0 dst 10.3.0.8
bridge -n $A fdb add 02:00:00:00:00:09 dev vx0 dst 10.3.0.9 vni 43 port 4790
bridge -n $A -j fdb show
bridge -n $A -j fdb show dev v0
bridge -n $A -j fdb show br br0
bridge -n $A -j -p fdb show dev vx0
bridge -n $A -j fdb show | jq -r '.[] | select(.master == "br0" and .state != "permanent") | "\(.mac) \(.ifname)"'
bridge -n $A -j fdb show dev vx0 | jq -r '.[] | select(.mac == "00:00:00:00:00:00") | .dst'
bridge -n $A -j link
bridge -n $A -j -p link show dev v0
bridge -n $A -j -d link show dev v2
bridge -n $A link set dev v2 learning off hairpin on
bridge -n $A -j -d -p link show dev v2
bridge -n $A -j link | jq -r '.[] | "\(.ifname) \(.state)"'

bridge -n $A fdb show br br0
bridge -n $A fdb show br br0 dev v2
bridge -n $A -j fdb show br nosuch; echo "status $?"
bridge -n $A -j fdb show dev nosuch; echo "status $?"
bridge -n $A --json link show dev v0
bridge -n $A -js -pr link show dev v0
ip netns del $A; ip netns del $B
