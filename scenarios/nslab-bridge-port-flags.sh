# Lab: nslab-bridge-port-flags
# Reproduces: no seed section; written for the "link kinds" issue (12) to check the bridge port
#   options nslab-bridge-ports leaves out, and fdb ageing, against the kernel. Switch namespace
#   sw has bridge br0 (address 10.0.0.254) with ports p1..p4 to h1..h4. p3 gets no broadcasts
#   (bcast_flood off); p4 has neigh_suppress on, so the bridge does ARP suppression: gratuitous
#   ARP and requests it can answer are not flooded to p4, and it answers for h4, whose address
#   its neighbour table has (permanent) and whose MAC its fdb has learnt on p4. The hosts'
#   neighbour entries for the ping are permanent (fixed MACs), so that no ARP probe depends on
#   how long the recorder took.
# Traffic: h4's gratuitous ARP (from the neigh_suppress port: flooded, except to p3); h1's
#   requests for h2 (flooded to p2 and p4), a gratuitous ARP of h1 (not to p4), a request for
#   br0's own address (answered by br0, not flooded to p4), one for h4 (answered by the bridge
#   from h4's MAC, h4 sees nothing), one for h3 (p3 gets no broadcasts: no answer); bridge -d
#   link show; then ageing_time 2 s: h2's entry (learnt from its ARP reply seconds before) has
#   aged out, so the ping's request is flooded as unknown unicast (p3 and p4 get it too); 4 s
#   later again; a third ping right after finds h2 learnt from the second one's reply.
ip netns add sw
ip netns add h1
ip netns add h2
ip netns add h3
ip netns add h4
ip -n sw link add br0 address 02:00:00:00:00:fe type bridge
ip -n h1 link add eth0 address 02:00:00:00:00:01 type veth peer name p1 netns sw
ip -n h2 link add eth0 address 02:00:00:00:00:02 type veth peer name p2 netns sw
ip -n h3 link add eth0 address 02:00:00:00:00:03 type veth peer name p3 netns sw
ip -n h4 link add eth0 address 02:00:00:00:00:04 type veth peer name p4 netns sw
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
ip -n sw link set p4 master br0
bridge -n sw link set dev p3 bcast_flood off
ip -n sw link set p4 type bridge_slave neigh_suppress on
ip -n sw addr add 10.0.0.254/24 dev br0
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip -n h4 addr add 10.0.0.4/24 dev eth0
ip -n sw link set br0 up
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n sw link set p4 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h4 link set eth0 up
ip -n sw neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev br0 nud permanent
ip -n h1 neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent
ip -n h2 neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent
# --- traffic ---
ip netns exec h4 arping -c 1 -U -I eth0 10.0.0.4
ip netns exec h1 arping -c 1 -I eth0 10.0.0.2
ip netns exec h1 arping -c 1 -U -I eth0 10.0.0.1
ip netns exec h1 arping -c 1 -I eth0 10.0.0.254
ip netns exec h1 arping -c 1 -I eth0 10.0.0.4
ip netns exec h1 arping -c 1 -I eth0 10.0.0.3
bridge -n sw -d link show
ip -n sw link set br0 type bridge ageing_time 200
ip netns exec h1 ping -c 1 10.0.0.2
sleep 4
ip netns exec h1 ping -c 1 10.0.0.2
ip netns exec h1 ping -c 1 10.0.0.2
