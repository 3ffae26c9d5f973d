# Lab: nslab-bridge-vlan
# Reproduces: no seed section; written for the "link kinds" issue (12) to check the VLAN-aware
#   bridge against the kernel (recorded in the oracle VM: the host kernel's bridge has no VLAN
#   filtering). Switch namespace sw has br0 with vlan_filtering 1: p1 and p2 are access ports of
#   VLAN 10 (pvid untagged), p3 an access port of VLAN 20, p4 a trunk to h4 carrying VLANs 10
#   and 20 tagged and VLAN 1 untagged (the default pvid). br0 itself is in VLAN 1 (untagged)
#   and VLAN 10 (tagged, `self`), with br0.10 on top. br1 has vlan_default_pvid 5. Bridge and
#   VLAN devices share their lower device's MAC, which the capture comparison cannot name, so
#   br0 and h4's eth0 have fixed addresses (and p4, whose fdb entries `bridge fdb show` prints).
# Traffic: h1 -> h2 (VLAN 10, untagged on both access ports), h1 -> h4 (tagged 10 on the trunk),
#   h4 -> h3 (tagged 20 on the trunk, untagged on p3), h4 -> br0 (untagged, pvid 1), h1 -> br0.10
#   (the bridge device's own VLAN 10), each followed by a sleep for the neighbour probes (the
#   VM runs commands slowly); bridge vlan/fdb texts and errors (iproute2 6.1 skips the unknown
#   word in `pvid maybe`: p2's PVID becomes 40); then h1 -> h3's VLAN 10 address (h3 is in
#   VLAN 20: no answer) and h4 over VLAN 30 (p4 does not carry it: dropped).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add sw
ip netns add h1
ip netns add h2
ip netns add h3
ip netns add h4
ip -n sw link add br0 address 02:00:00:00:00:fe type bridge vlan_filtering 1
ip -n sw link add br1 type bridge vlan_filtering 1 vlan_default_pvid 5
ip -n sw link add p1 type veth peer name eth0 netns h1
ip -n sw link add p2 type veth peer name eth0 netns h2
ip -n sw link add p3 type veth peer name eth0 netns h3
ip -n sw link add p4 address 02:00:00:00:00:04 type veth peer name eth0 address 02:00:00:00:04:01 netns h4
ip -n sw link add q1 type veth peer name q2
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
ip -n sw link set p4 master br0
ip -n sw link set q1 master br1
bridge -n sw vlan add dev p1 vid 10 pvid untagged
bridge -n sw vlan del dev p1 vid 1
bridge -n sw vlan add dev p2 vid 10 pvid untagged
bridge -n sw vlan del dev p2 vid 1
bridge -n sw vlan add dev p3 vid 20 pvid untagged
bridge -n sw vlan del dev p3 vid 1
bridge -n sw vlan add dev p4 vid 10
bridge -n sw vlan add dev p4 vid 20
bridge -n sw vlan add dev br0 vid 10 self
ip -n sw link add link br0 name br0.10 type vlan id 10
ip -n h4 link add link eth0 name eth0.10 type vlan id 10
ip -n h4 link add link eth0 name eth0.20 type vlan id 20
ip -n h4 link add link eth0 name eth0.30 type vlan id 30
ip -n sw addr add 10.0.1.254/24 dev br0
ip -n sw addr add 10.0.10.254/24 dev br0.10
ip -n h1 addr add 10.0.10.1/24 dev eth0
ip -n h2 addr add 10.0.10.2/24 dev eth0
ip -n h3 addr add 10.0.20.3/24 dev eth0
ip -n h3 addr add 10.0.10.3/24 dev eth0
ip -n h4 addr add 10.0.1.4/24 dev eth0
ip -n h4 addr add 10.0.10.4/24 dev eth0.10
ip -n h4 addr add 10.0.20.4/24 dev eth0.20
ip -n h4 addr add 10.0.30.4/24 dev eth0.30
ip -n sw link set br0 up
ip -n sw link set br0.10 up
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n sw link set p4 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h4 link set eth0 up
ip -n h4 link set eth0.10 up
ip -n h4 link set eth0.20 up
ip -n h4 link set eth0.30 up
# --- traffic ---
ip netns exec h1 ping -c 2 -i 0.2 10.0.10.2
sleep 6
ip netns exec h1 ping -c 2 -i 0.2 10.0.10.4
sleep 6
ip netns exec h4 ping -c 2 -i 0.2 10.0.20.3
sleep 6
ip netns exec h4 ping -c 1 10.0.1.254
sleep 6
ip netns exec h1 ping -c 1 10.0.10.254
sleep 6
bridge -n sw vlan show
bridge -n sw -d vlan show dev p4
bridge -n sw vlan show dev br0
bridge -n sw fdb show dev p4
bridge -n sw vlan add dev p2 vid 30-32
bridge -n sw vlan show dev p2
bridge -n sw vlan add dev p1 vid 4095
bridge -n sw vlan add dev p1 vid 0
bridge -n sw vlan add dev nosuch vid 10
bridge -n sw vlan add dev p1
bridge -n sw vlan add dev p1 vid 12-11
bridge -n sw vlan del dev p2 vid 99
bridge -n sw vlan add dev br0 vid 30
bridge -n sw vlan add dev p2 vid 40 pvid maybe
ip -n sw link add br2 type bridge vlan_filtering 1 vlan_default_pvid 4095
ip -n sw link add br2 type bridge vlan_protocol 802.1x
ip -n sw link add br2 type bridge vlan_filtering on
ip netns exec h1 ping -c 1 -W 1 10.0.10.3
sleep 3
ip netns exec h4 ping -c 1 -W 1 10.0.30.254
sleep 3
