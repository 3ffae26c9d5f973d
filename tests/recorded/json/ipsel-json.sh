# `ip -j` with selectors (`show dev X`, `show up`, `-br`, `-4`, `table N`, `type`, `master`)
# and the jq pipelines tutorials use on them (iproute2 6.1).
A=user17-sa; B=user17-sb
ip netns add $A
ip netns add $B
ip -n $A link add br0 type bridge
ip -n $A link set br0 address 02:00:00:00:00:01
ip -n $A link add v0 type veth peer name v1 netns $B
ip -n $A link set v0 address 02:00:00:00:00:10
ip -n $B link set v1 address 02:00:00:00:00:11
ip -n $A link add d0 type veth peer name d1
ip -n $A link set d0 address 02:00:00:00:00:20
ip -n $A link set d1 address 02:00:00:00:00:21
ip -n $A link set v0 master br0
ip -n $A link set br0 up
ip -n $A link set v0 up
ip -n $A addr add 10.4.0.1/24 dev br0
ip -n $A addr add 10.4.1.1/24 dev d0
ip -n $A route add 10.9.0.0/16 via 10.4.0.2 table 100
ip -n $A route add 10.8.0.0/16 dev br0 table 100 metric 5
ip -n $A -j link show up
ip -n $A -j addr show up
ip -n $A -j link show type veth
ip -n $A -j link show master br0
ip -n $A -j addr show dev br0
ip -n $A -j -4 addr show dev d0
ip -n $A -j route show table 100
ip -n $A -j route show table 100 10.9.0.0/16
ip -n $A -j route show dev br0
ip -n $A -j -br link
ip -n $A -j -br addr
ip -n $A -j -br link show up
ip -n $A -o link show type veth
ip -n $A -br link show type bridge_slave
ip -n $A -br addr show up
ip -n $A -j link show dev nosuch; echo "status $?"
ip -n $A -j link show up | jq -r '.[].ifname'
ip -n $A -j addr show up | jq -r '.[] | select(.addr_info | length > 0) | .ifname'
ip netns del $A; ip netns del $B
