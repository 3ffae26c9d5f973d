# Lab: nslab-vlan
# Reproduces: no seed section; written for the "link kinds" issue (12) to check 802.1Q and
#   802.1ad VLAN devices against the kernel (recorded in the oracle VM: the host kernel has no
#   8021q). a and b are joined by a veth; on it, VLAN 10 (802.1Q) and VLAN 20 (802.1ad) on both
#   sides, untagged traffic on the veth itself, and VLAN 30 only on a. A VLAN device takes its
#   lower device's address, which the capture comparison cannot name, so the veth ends have fixed
#   addresses.
# Traffic: ip link add errors; pings over VLAN 10, VLAN 20 and untagged; after the neighbour
#   probes (sleep 6), a ping over VLAN 30, which b drops (no VLAN 30 device: PACKET_OTHERHOST).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip -n a link add eth0 address 02:00:00:00:0a:01 type veth peer name eth0 address 02:00:00:00:0b:01 netns b
ip -n a link add link eth0 name eth0.10 type vlan id 10
ip -n b link add link eth0 name eth0.10 type vlan id 10
ip -n a link add link eth0 name eth0.20 type vlan protocol 802.1ad id 20
ip -n b link add link eth0 name vlan20 type vlan proto 802.1ad id 20 reorder_hdr off
ip -n a link add link eth0 name eth0.30 type vlan id 30
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a addr add 10.10.0.1/24 dev eth0.10
ip -n b addr add 10.10.0.2/24 dev eth0.10
ip -n a addr add 10.20.0.1/24 dev eth0.20
ip -n b addr add 10.20.0.2/24 dev vlan20
ip -n a addr add 10.30.0.1/24 dev eth0.30
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n a link set eth0.10 up
ip -n b link set eth0.10 up
ip -n a link set eth0.20 up
ip -n b link set vlan20 up
ip -n a link set eth0.30 up
# --- traffic ---
ip -n a link add link eth0 name bad type vlan id 4095
ip -n a link add link eth0 name dup type vlan id 10
ip -n a link add name nolink type vlan id 40
ip -n a link add link eth0 name p type vlan protocol 802.1x id 40
ip -n a link add link eth0 name q type vlan id 40 reorder_hdr maybe
ip -n a link add link lo name r type vlan id 40
ip -n a link add link eth0 name s type vlan
ip -n a link set eth0.10 mtu 1600
ip netns exec a ping -c 2 -i 0.2 10.10.0.2
ip netns exec a ping -c 2 -i 0.2 10.20.0.2
ip netns exec a ping -c 1 10.0.0.2
sleep 6
ip netns exec a ping -c 1 -W 1 10.30.0.2
sleep 3
