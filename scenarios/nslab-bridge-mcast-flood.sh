# Lab: nslab-bridge-mcast-flood
# Reproduces: no seed section; written for the "link kinds" issue (12): IPv4 multicast
#   destinations on Ethernet (arp_constructor maps a group to its 01:00:5e MAC, NUD_NOARP, no
#   ARP request) and the bridge's mcast_flood port flag, against the kernel. Switch namespace
#   sw has bridge br0 (10.0.0.254, multicast snooping on as created, no querier) with ports
#   p1..p3 to h1..h3; p3 has mcast_flood off.
# Traffic: h1 pings 239.1.1.1 out of eth0 (no route covers it: on the device's link; TTL 1,
#   DF, to 01:00:5e:01:01:01; the bridge floods the unregistered group to p2 and up to br0,
#   not to p3; the hosts do not answer: icmp_echo_ignore_broadcasts); the same ping without
#   -I (no route: connect fails); h2 pings 224.0.0.1 out of eth0 (link-local group, not to
#   p3); the bridge itself pings 239.1.1.1 out of br0 (what the bridge sends is flooded to
#   every port, p3 too); h1 pings the subnet's broadcast with -b (bcast_flood is on for p3)
#   and h3 (its ARP request reaches p3); then p3's flags and the NOARP neighbours the
#   multicast and broadcast destinations left on h1, h2 and sw (one address at a time: the
#   kernel's dump order is its random hash's; sw also has 224.0.0.22 from its IGMP reports).
ip netns add sw
ip netns add h1
ip netns add h2
ip netns add h3
ip -n sw link add br0 address 02:00:00:00:00:fe type bridge
ip -n h1 link add eth0 address 02:00:00:00:00:01 type veth peer name p1 netns sw
ip -n h2 link add eth0 address 02:00:00:00:00:02 type veth peer name p2 netns sw
ip -n h3 link add eth0 address 02:00:00:00:00:03 type veth peer name p3 netns sw
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
bridge -n sw link set dev p3 mcast_flood off
ip -n sw addr add 10.0.0.254/24 dev br0
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip -n sw link set br0 up
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
# --- traffic ---
ip netns exec h1 ping -c 2 -I eth0 239.1.1.1
ip netns exec h1 ping -c 1 239.1.1.1
ip netns exec h2 ping -c 1 -I eth0 224.0.0.1
ip netns exec sw ping -c 1 -I br0 239.1.1.1
ip netns exec h1 ping -c 1 -b 10.0.0.255
ip netns exec h1 ping -c 1 10.0.0.3
bridge -n sw -d link show dev p3
ip -n h1 neigh show 239.1.1.1 nud all
ip -n h1 neigh show 10.0.0.255 nud all
ip -n h2 neigh show nud all
ip -n sw neigh show 239.1.1.1 nud all
