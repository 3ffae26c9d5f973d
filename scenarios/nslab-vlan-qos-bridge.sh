# Lab: nslab-vlan-qos-bridge
# Reproduces: no seed section; written for the "link kinds" issue (12) to check that a
#   VLAN-filtering bridge keeps the priority (PCP) bits of the tags it forwards, against the
#   kernel (recorded in the oracle VM: the host has no 8021q and its bridge no VLAN filtering).
#   Switch sw has br0 with vlan_filtering 1: t1 and t2 are trunk ports carrying VLAN 10 tagged,
#   a1 an access port of VLAN 10 (pvid untagged). h1 and h2 reach VLAN 10 through VLAN devices
#   with egress maps (h1 0:5, h2 0:3 6:1), h3 is untagged; br0.10 on the bridge (egress map 0:6)
#   answers too. Every veth end and the bridge have fixed addresses.
# Traffic: h1 -> h2 (PCP 5 kept across the bridge), h2 -> h1 with -Q 0x10 (priority 6: PCP 1),
#   h3 -> h2 (untagged: the PVID's tag has PCP 0), h1 -> br0.10 (the bridge's own VLAN device),
#   h2 -> h3. Neighbour entries keep their state for the lab's length (the VM is slow).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add sw
ip netns add h1
ip netns add h2
ip netns add h3
ip -n sw link add br0 address 02:00:00:00:00:fe type bridge vlan_filtering 1
ip -n sw link add t1 address 02:00:00:00:00:01 type veth peer name eth0 address 02:00:00:00:01:01 netns h1
ip -n sw link add t2 address 02:00:00:00:00:02 type veth peer name eth0 address 02:00:00:00:02:01 netns h2
ip -n sw link add a1 address 02:00:00:00:00:03 type veth peer name eth0 address 02:00:00:00:03:01 netns h3
ip -n sw link set t1 master br0
ip -n sw link set t2 master br0
ip -n sw link set a1 master br0
bridge -n sw vlan add dev t1 vid 10
bridge -n sw vlan add dev t2 vid 10
bridge -n sw vlan add dev a1 vid 10 pvid untagged
bridge -n sw vlan del dev a1 vid 1
bridge -n sw vlan add dev br0 vid 10 self
ip -n sw link add link br0 name br0.10 type vlan id 10 egress-qos-map 0:6
ip -n h1 link add link eth0 name eth0.10 type vlan id 10 egress-qos-map 0:5
ip -n h2 link add link eth0 name eth0.10 type vlan id 10 egress-qos-map 0:3 6:1
ip -n sw addr add 10.0.10.254/24 dev br0.10
ip -n h1 addr add 10.0.10.1/24 dev eth0.10
ip -n h2 addr add 10.0.10.2/24 dev eth0.10
ip -n h3 addr add 10.0.10.3/24 dev eth0
ip -n sw link set br0 up
ip -n sw link set t1 up
ip -n sw link set t2 up
ip -n sw link set a1 up
ip -n sw link set br0.10 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h1 link set eth0.10 up
ip -n h2 link set eth0.10 up
ip netns exec sw sysctl -q -w net.ipv4.neigh.br0/10.delay_first_probe_time=600
ip netns exec sw sysctl -q -w net.ipv4.neigh.br0/10.base_reachable_time_ms=3600000
ip netns exec h1 sysctl -q -w net.ipv4.neigh.eth0/10.delay_first_probe_time=600
ip netns exec h1 sysctl -q -w net.ipv4.neigh.eth0/10.base_reachable_time_ms=3600000
ip netns exec h2 sysctl -q -w net.ipv4.neigh.eth0/10.delay_first_probe_time=600
ip netns exec h2 sysctl -q -w net.ipv4.neigh.eth0/10.base_reachable_time_ms=3600000
ip netns exec h3 sysctl -q -w net.ipv4.neigh.eth0.delay_first_probe_time=600
ip netns exec h3 sysctl -q -w net.ipv4.neigh.eth0.base_reachable_time_ms=3600000
# --- traffic ---
ip netns exec h1 ping -c 1 10.0.10.2
ip netns exec h2 ping -c 1 -Q 0x10 10.0.10.1
ip netns exec h3 ping -c 1 10.0.10.2
ip netns exec h1 ping -c 1 10.0.10.254
ip netns exec h2 ping -c 1 10.0.10.3
sleep 2
