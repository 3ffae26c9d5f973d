# Lab: nslab-ipvlan-xmit
# Reproduces: no seed section; written for the "link kinds" issue (12): what an ipvlan's
#   transmit answers and where it sends (recorded in the oracle VM: the host kernel has no
#   ipvlan). h's eth0 (a veth to r) carries an L3 ipvlan moved to c1 (10.1.0.0/24, r routes it
#   via h); h's eth1 (a second veth to r, whose end has MTU 1400) carries two private L2
#   ipvlans moved to d1 and d2.
# Traffic: c1 -> 10.9.9.9, for which h has no route: ipvlan_process_v4_outbound's lookup has
#   the parent as oif, and ip_route_output_key_hash_rcu then assumes the destination is on the
#   parent's link (h ARPs for it on eth0; r owns it). d1 -> d2 with a static neighbour (the
#   shared MAC): private mode answers NET_XMIT_DROP, ping's ENOBUFS. d1 -> r with 1450-byte
#   pings, after a small one went through: veth_xmit drops what r's end cannot take, and the
#   ipvlan hands that NET_XMIT_DROP back (ENOBUFS).
# The neighbours other than h's 10.9.9.9 are permanent: the VM runs slowly enough that their
#   entries would go stale and be probed at other points of the traffic than in the model; the
#   final sleep lets h's entry go STALE on both (45 s after its confirmation).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add h
ip netns add r
ip netns add c1
ip netns add d1
ip netns add d2
ip -n h link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:02 netns r
ip -n h link add eth1 address 02:00:00:00:03:03 type veth peer name eth1 address 02:00:00:00:04:04 netns r
ip -n h link add ipv1 link eth0 type ipvlan mode l3
ip -n h link add ipd1 link eth1 type ipvlan mode l2 private
ip -n h link add ipd2 link eth1 type ipvlan mode l2 private
ip -n h link set ipv1 netns c1
ip -n h link set ipd1 netns d1
ip -n h link set ipd2 netns d2
ip -n h addr add 10.0.0.1/24 dev eth0
ip -n h addr add 10.0.1.1/24 dev eth1
ip -n r addr add 10.0.0.254/24 dev eth0
ip -n r addr add 10.9.9.9/32 dev eth0
ip -n r addr add 10.0.1.254/24 dev eth1
ip -n r link set eth1 mtu 1400
ip -n c1 addr add 10.1.0.11/24 dev ipv1
ip -n d1 addr add 10.0.1.11/24 dev ipd1
ip -n d2 addr add 10.0.1.12/24 dev ipd2
ip -n h link set eth0 up
ip -n h link set eth1 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n c1 link set ipv1 up
ip -n d1 link set ipd1 up
ip -n d2 link set ipd2 up
ip -n c1 route add default dev ipv1
ip -n r route add 10.1.0.0/24 via 10.0.0.1
ip -n d1 neigh add 10.0.1.12 lladdr 02:00:00:00:03:03 dev ipd1
ip -n d1 neigh add 10.0.1.254 lladdr 02:00:00:00:04:04 dev ipd1
ip -n r neigh add 10.0.1.11 lladdr 02:00:00:00:03:03 dev eth1
ip -n r neigh add 10.0.0.1 lladdr 02:00:00:00:01:01 dev eth0
# --- traffic ---
ip netns exec c1 ping -c 2 -i 0.2 10.9.9.9
ip netns exec d1 ping -c 2 -i 0.2 10.0.1.12
ip netns exec d1 ping -c 1 10.0.1.254
ip netns exec d1 ping -c 2 -i 0.2 -s 1450 10.0.1.254
sleep 5
