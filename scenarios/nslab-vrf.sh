# Lab: nslab-vrf
# VRF (issue 11; recorded in the oracle VM: the host kernel has no vrf module). Two VRFs in the
#   root namespace: red (table 10) with v1 to h1, enslaved while up (the device is cycled and its
#   connected, local and broadcast routes move to table 10) and v2 to h2, enslaved while down;
#   blue (table 20) with v3 to h3, whose subnet overlaps red's. The first VRF adds the l3mdev rule.
# Traffic: ip link/rule/route/vrf views, route lookups in and out of the VRFs, pings bound to a
#   VRF (-I, ip vrf exec), h1 -> h2 forwarded inside red, a host's ping to its VRF address,
#   nomaster (routes back to main/local), routes added with `vrf NAME`, moving a device between
#   VRFs, a deleted VRF releasing its device, iproute2's errors.
# Devices whose addresses the output shows have fixed ones.
# Timing as the slow VM recording had it: the hosts' neighbour probes (5 s after a ping
#   through a STALE entry) come before the lab goes on (sleep 6), and every entry is STALE
#   when the state is dumped (sleep 50).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add h1
ip netns add h2
ip netns add h3
sysctl -qw net.ipv4.ip_forward=1
ip link add red address 02:00:00:00:0a:00 type vrf table 10
ip link add blue address 02:00:00:00:0b:00 type vrf table 20
ip link set red up
ip link set blue up
ip link add v1 address 02:00:00:00:00:01 type veth peer name eth0 address 02:00:00:00:01:01 netns h1
ip link add v2 address 02:00:00:00:00:02 type veth peer name eth0 address 02:00:00:00:02:02 netns h2
ip link add v3 address 02:00:00:00:00:03 type veth peer name eth0 address 02:00:00:00:03:03 netns h3
ip addr add 10.1.0.1/24 dev v1
ip addr add 10.2.0.1/24 dev v2
ip addr add 10.1.0.1/24 dev v3
ip link set v1 up
ip link set v1 master red
ip link set v2 master red
ip link set v2 up
ip link set v3 up
ip link set v3 master blue
ip -n h1 addr add 10.1.0.2/24 dev eth0
ip -n h2 addr add 10.2.0.2/24 dev eth0
ip -n h3 addr add 10.1.0.3/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h1 route add default via 10.1.0.1
ip -n h2 route add default via 10.2.0.1
ip -n h3 route add default via 10.1.0.1
# --- traffic ---
ip rule
ip -d link show red
ip link show master red
ip link show vrf blue
ip -br link show type vrf
ip route show vrf red
ip route show table 20
ip route show table local
ip route
ip vrf show
ip vrf
ip route get 10.1.0.2 vrf red
ip route get 10.1.0.3 vrf blue
ip route get 10.1.0.1 vrf red
ip route get 10.2.0.2 vrf blue || echo "failed: $?"
ip route get 10.1.0.2 || echo "failed: $?"
ip route get 10.1.0.2 oif v1
ping -c 1 10.1.0.2
ping -c 1 -I red 10.1.0.2
ping -c 1 -I blue 10.1.0.3
ip vrf exec red ping -c 1 10.2.0.2
ip vrf exec blue ip vrf identify
ip vrf identify
sleep 6
ip netns exec h1 ping -c 1 10.1.0.1
ip netns exec h1 ping -c 1 10.2.0.2
ip netns exec h3 ping -c 1 10.1.0.1
ip netns exec h3 ping -c 1 -W 1 10.2.0.2
ip neigh show vrf blue
sleep 6
ip link set v2 nomaster
ip route
ip route show vrf red
ip link set v1 master blue || echo "failed: $?"
ip link set v1 master red
ip route add 192.0.2.0/24 via 10.1.0.2 vrf red
ip route add unreachable default metric 4278198272 vrf red
ip route show vrf red
ip route get 192.0.2.9 vrf red
ip route get 10.3.0.1 vrf red || echo "failed: $?"
ip vrf show red
ip link add green type vrf
ip link add green type vrf table 0
ip link add green type vrf table foo
ip link add purple type vrf table 10
ip link del purple
ip link add green type vrf table 30
ip link set green up
ip link set v3 master green
ip route show vrf green
ip link set v2 master nosuch
ip route show vrf nosuch
ip route get 10.1.0.2 vrf nosuch
ip vrf exec nosuch true
ip vrf exec v1 true
ip link show vrf v1
ip -d link show v1
ip link del green
ip link show v3
ip route show table 30
ip route
ip rule
sleep 50
