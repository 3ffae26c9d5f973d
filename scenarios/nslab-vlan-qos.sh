# Lab: nslab-vlan-qos
# Reproduces: no seed section; written for the "link kinds" issue (12) to check the VLAN
#   devices' egress and ingress QoS maps against the kernel (recorded in the oracle VM: the host
#   kernel has no 8021q), with the skb priority they read and write.
# Topology: a and b joined by a veth with VLAN 10 (802.1Q) and VLAN 20 (802.1ad; b's with
#   reorder_hdr off) on both sides; c behind b (b forwards c's traffic into VLAN 10); a bridge
#   in s joins h1's VLAN 100, h2's VLAN 200 and h3's untagged veth. Every veth end has a fixed
#   address (a VLAN device takes its lower device's).
# Traffic: bad maps (iproute2's errors); pings with -Q (IP_TOS sets the socket's priority,
#   rt_tos2priority) whose tags carry the PCP the egress map gives; a map changed with
#   `ip link set ... type vlan` (a mapping to 0 removes the entry); c's pings forwarded by b
#   (ip_forward sets the priority from the TOS); h1's frames whose PCP s's ingress map turns
#   into a priority that the bridge keeps and eth2.200's egress map turns into a PCP again;
#   h3's -Q ping crossing a veth into the bridge; `ip -d link show`;
#   the default qdiscs (`tc qdisc show`, `tc -s qdisc show`) of veth, bridge, VLAN, dummy,
#   loopback and gretap devices.
# The lab is slow in the VM (TCG: minutes): neighbour entries keep their state for its length
#   (delay_first_probe_time 600 s, base_reachable_time 1 h), so no probe depends on its speed.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip netns add c
ip netns add s
ip netns add h1
ip netns add h2
ip netns add h3
ip -n a link add eth0 address 02:00:00:00:0a:01 type veth peer name eth0 address 02:00:00:00:0b:01 netns b
ip -n c link add eth0 address 02:00:00:00:0c:01 type veth peer name eth1 address 02:00:00:00:0b:02 netns b
ip -n a link add link eth0 name eth0.10 type vlan id 10 egress-qos-map 0:1 6:5 2:3 1:2 17:3 5:9
ip -n b link add link eth0 name eth0.10 type vlan id 10 egress-qos-map 0:4 6:6 ingress-qos-map 1:2 9:7 5:3
ip -n a link add link eth0 name eth0.20 type vlan protocol 802.1ad id 20 egress-qos-map 0:5
ip -n b link add link eth0 name vlan20 type vlan proto 802.1ad id 20 reorder_hdr off egress-qos-map 0:2
ip -n a addr add 10.10.0.1/24 dev eth0.10
ip -n b addr add 10.10.0.2/24 dev eth0.10
ip -n a addr add 10.20.0.1/24 dev eth0.20
ip -n b addr add 10.20.0.2/24 dev vlan20
ip -n b addr add 10.50.0.1/24 dev eth1
ip -n c addr add 10.50.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n b link set eth1 up
ip -n c link set eth0 up
ip -n a link set eth0.10 up
ip -n b link set eth0.10 up
ip -n a link set eth0.20 up
ip -n b link set vlan20 up
ip -n a route add 10.50.0.0/24 via 10.10.0.2
ip -n c route add default via 10.50.0.1
ip netns exec b sysctl -q -w net.ipv4.ip_forward=1
ip -n h1 link add eth0 address 02:00:00:00:01:01 type veth peer name eth1 address 02:00:00:00:05:01 netns s
ip -n h2 link add eth0 address 02:00:00:00:02:01 type veth peer name eth2 address 02:00:00:00:05:02 netns s
ip -n h3 link add eth0 address 02:00:00:00:03:01 type veth peer name eth3 address 02:00:00:00:05:03 netns s
ip -n h1 link add link eth0 name eth0.100 type vlan id 100 egress-qos-map 0:3
ip -n h2 link add link eth0 name eth0.200 type vlan id 200
ip -n s link add link eth1 name eth1.100 type vlan id 100 ingress-qos-map 3:5
ip -n s link add link eth2 name eth2.200 type vlan id 200 egress-qos-map 5:7 6:2
ip -n s link add br0 address 02:00:00:00:05:fe type bridge
ip -n s link set eth1.100 master br0
ip -n s link set eth2.200 master br0
ip -n s link set eth3 master br0
ip -n h1 addr add 10.60.0.1/24 dev eth0.100
ip -n h2 addr add 10.60.0.2/24 dev eth0.200
ip -n h3 addr add 10.60.0.3/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h1 link set eth0.100 up
ip -n h2 link set eth0.200 up
ip -n s link set eth1 up
ip -n s link set eth2 up
ip -n s link set eth3 up
ip -n s link set eth1.100 up
ip -n s link set eth2.200 up
ip -n s link set br0 up
ip -n s link add d0 address 02:00:00:00:05:d0 type dummy
ip -n s link set d0 up
ip -n s link set lo up
ip -n s link add g0 address 02:00:00:00:05:9e type gretap local 10.70.0.1 remote 10.70.0.2
ip -n s link set g0 up
ip netns exec a sysctl -q -w net.ipv4.neigh.eth0/10.delay_first_probe_time=600
ip netns exec a sysctl -q -w net.ipv4.neigh.eth0/10.base_reachable_time_ms=3600000
ip netns exec a sysctl -q -w net.ipv4.neigh.eth0/20.delay_first_probe_time=600
ip netns exec a sysctl -q -w net.ipv4.neigh.eth0/20.base_reachable_time_ms=3600000
ip netns exec b sysctl -q -w net.ipv4.neigh.eth0/10.delay_first_probe_time=600
ip netns exec b sysctl -q -w net.ipv4.neigh.eth0/10.base_reachable_time_ms=3600000
ip netns exec b sysctl -q -w net.ipv4.neigh.vlan20.delay_first_probe_time=600
ip netns exec b sysctl -q -w net.ipv4.neigh.vlan20.base_reachable_time_ms=3600000
ip netns exec b sysctl -q -w net.ipv4.neigh.eth1.delay_first_probe_time=600
ip netns exec b sysctl -q -w net.ipv4.neigh.eth1.base_reachable_time_ms=3600000
ip netns exec c sysctl -q -w net.ipv4.neigh.eth0.delay_first_probe_time=600
ip netns exec c sysctl -q -w net.ipv4.neigh.eth0.base_reachable_time_ms=3600000
ip netns exec h1 sysctl -q -w net.ipv4.neigh.eth0/100.delay_first_probe_time=600
ip netns exec h1 sysctl -q -w net.ipv4.neigh.eth0/100.base_reachable_time_ms=3600000
ip netns exec h2 sysctl -q -w net.ipv4.neigh.eth0/200.delay_first_probe_time=600
ip netns exec h2 sysctl -q -w net.ipv4.neigh.eth0/200.base_reachable_time_ms=3600000
ip netns exec h3 sysctl -q -w net.ipv4.neigh.eth0.delay_first_probe_time=600
ip netns exec h3 sysctl -q -w net.ipv4.neigh.eth0.base_reachable_time_ms=3600000
# --- traffic ---
ip -n a link add link eth0 name bad1 type vlan id 30 egress-qos-map 1:x
ip -n a link add link eth0 name bad2 type vlan id 30 ingress-qos-map x:1
ip -n a link add link eth0 name bad3 type vlan id 30 egress-qos-map 1:2 3
ip -n a link add link eth0 name bad4 type vlan id 30 egress-qos-map
ip -n a link add link eth0 name bad5 type vlan id 30 ingress-qos-map 1:4294967296
ip -n a link add link eth0 name bad6 type vlan id 30 egress-qos-map -1:2
ip -n a link set eth0 type vlan egress-qos-map 1:1
ip -n a link set eth0.10 type vlan ingress-qos-map 1:
ip -n a -d link show dev eth0.10
ip -n b -d link show dev eth0.10
ip -n b -d link show dev vlan20
ip netns exec a ping -c 1 10.10.0.2
ip netns exec a ping -c 1 -Q 0x10 10.10.0.2
ip netns exec a ping -c 1 -Q 0x08 10.10.0.2
ip netns exec a ping -c 1 -Q 0xb8 10.10.0.2
ip -n a link set eth0.10 type vlan egress-qos-map 6:0 0:0 17:0
ip -n a -d link show dev eth0.10
ip netns exec a ping -c 1 -Q 0x10 10.10.0.2
ip -n a link set eth0.10 type vlan egress-qos-map 2:0 1:0 5:0
ip -n a -d link show dev eth0.10
ip -n a link set eth0.10 type vlan egress-qos-map 6:7 ingress-qos-map 2:0
ip -n a -d link show dev eth0.10
ip netns exec a ping -c 1 -Q 0x10 10.10.0.2
ip netns exec a ping -c 1 10.20.0.2
ip netns exec c ping -c 1 10.10.0.1
ip netns exec c ping -c 1 -Q 0x10 10.10.0.1
ip netns exec h1 ping -c 2 -i 0.2 10.60.0.2
ip netns exec h3 ping -c 1 -Q 0x10 10.60.0.2
ip netns exec h3 ping -c 1 -Q 0x14 10.60.0.1
ip -n s -d link show dev eth1.100
ip -n s -d link show dev eth2.200
ip netns exec s tc qdisc show
ip netns exec s tc -s qdisc show dev eth1
ip netns exec s tc -s qdisc show dev eth1.100
ip netns exec s tc -s qdisc show dev br0
ip netns exec s tc -s qdisc show dev d0
ip netns exec s tc -s qdisc show dev lo
ip netns exec s tc -s qdisc show dev g0
ip netns exec a tc qdisc show
sleep 2
