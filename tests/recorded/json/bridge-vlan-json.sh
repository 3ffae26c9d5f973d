# `bridge -j [-p] [-d] vlan show` and `bridge -j fdb` of a VLAN-filtering bridge, recorded on the
# oracle VM (Linux 6.1, iproute2 6.1) with vm/run-kernel-vm: the .out file is its stdout.txt.
ip netns add a
ip -n a link add br0 type bridge vlan_filtering 1
ip -n a link add v0 type veth peer name v1
ip -n a link add v2 type veth peer name v3
ip -n a link set v0 master br0
ip -n a link set v2 master br0
ip -n a link set v0 address 02:00:00:00:00:10
ip -n a link set v2 address 02:00:00:00:00:12
ip -n a link set br0 address 02:00:00:00:00:01
ip -n a link set br0 up
ip -n a link set v0 up
ip -n a link set v2 up
# --- traffic ---
bridge -n a -j vlan
bridge -n a -j -p vlan show dev v0
bridge -n a vlan add vid 10 dev v0 pvid untagged
bridge -n a vlan add vid 20-22 dev v0
bridge -n a vlan add vid 30 dev v2
bridge -n a vlan del vid 1 dev v2
bridge -n a -j vlan show
bridge -n a -j -p vlan show dev v0
bridge -n a -j -d vlan show
bridge -n a -j vlan show dev v2
bridge -n a -j fdb show
bridge -n a -j fdb show dev v0
bridge -n a fdb show
bridge -n a -d vlan show
