# Lab: nslab-ipvlan-l3
# Reproduces: no seed section; written for the "link kinds" issue (12) to check ipvlan in L3
#   mode against the kernel (recorded in the oracle VM: the host kernel has no ipvlan). h's eth0
#   (a veth to the router r) carries two L3 ipvlans moved to c1 and c2, addressed in a subnet of
#   their own (10.1.0.0/24) with a default route out of the slave (L3 slaves are NOARP); r
#   routes that subnet via h. The veth ends have fixed MAC addresses (the ipvlans share h's).
# Traffic: c1 -> c2 (delivered by destination IP without leaving the parent), c1 -> r (routed
#   in h's namespace and sent out of h's eth0), r -> c1 (h's eth0 hands it to c1 by destination
#   IP, no forwarding in h).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add h
ip netns add c1
ip netns add c2
ip netns add r
ip -n h link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:02 netns r
ip -n h link add ipv1 link eth0 type ipvlan mode l3
ip -n h link add ipv2 link eth0 type ipvlan mode l3
ip -n h link set ipv1 netns c1
ip -n h link set ipv2 netns c2
ip -n h addr add 10.0.0.1/24 dev eth0
ip -n r addr add 10.0.0.254/24 dev eth0
ip -n c1 addr add 10.1.0.11/24 dev ipv1
ip -n c2 addr add 10.1.0.12/24 dev ipv2
ip -n h link set eth0 up
ip -n r link set eth0 up
ip -n c1 link set ipv1 up
ip -n c2 link set ipv2 up
ip -n c1 route add default dev ipv1
ip -n c2 route add default dev ipv2
ip -n r route add 10.1.0.0/24 via 10.0.0.1
# --- traffic ---
ip netns exec c1 ping -c 2 -i 0.2 10.1.0.12
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.254
ip netns exec r ping -c 2 -i 0.2 10.1.0.11
sleep 1
