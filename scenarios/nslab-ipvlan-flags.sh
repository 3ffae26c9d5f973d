# Lab: nslab-ipvlan-flags
# Reproduces: no seed section; written for the "link kinds" issue (12) to check ipvlan's
#   `private` and `vepa` port flags on the wire (recorded in the oracle VM: the host kernel has
#   no ipvlan). h has four veths into sw's bridge br0, each the parent of two ipvlans moved to
#   containers: eth0 l2 vepa (c1, c2), eth2 l3 vepa (c5, c6), eth3 l3 private (c7, c8), eth4 l2
#   private (c9, c10). The bridge ports of eth0, eth2 and eth4 are in hairpin mode (a frame may
#   leave by the port it came in on: the external hairpin a VEPA needs). Ipvlans share their
#   parent's MAC address, which the capture comparison cannot name, so the veths have fixed
#   ones.
# Traffic: c1 -> c2 (l2 vepa): the echoes leave by eth0 and come back through the hairpin; the
#   hairpin off: the echo request does not come back, no answer. (c1 and c2 have permanent
#   neighbours: an ARP request between them reaches the other straight across the port, but
#   the kernel sends it out of eth0 from the port's multicast work, after the answer it
#   caused has already been round the hairpin; the model sends it at once.)
#   c5 -> c6 (l3 vepa): routed in h's namespace (permanent neighbours: the L3 ipvlans answer no
#   ARP) out of eth2 and back through the hairpin. c7 -> c8 (l3 private): dropped at once
#   (ENOBUFS); c7 -> sw (out through h). c9 -> c10 (l2 private): c10 gets the ARP request, its
#   reply to the shared MAC is dropped: c9 gets no answer. `ip -d link show` of each flag.
# c9's and c10's reachable time is long (base_reachable_time_ms), so that their entries stay
#   REACHABLE however slowly the VM runs the lab.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add h
ip netns add sw
ip netns add c1
ip netns add c2
ip netns add c5
ip netns add c6
ip netns add c7
ip netns add c8
ip netns add c9
ip netns add c10
ip -n sw link add br0 address 02:00:00:00:0b:fe type bridge
ip -n h link add eth0 address 02:00:00:00:01:00 type veth peer name p0 address 02:00:00:00:02:00 netns sw
ip -n h link add eth2 address 02:00:00:00:01:02 type veth peer name p2 address 02:00:00:00:02:02 netns sw
ip -n h link add eth3 address 02:00:00:00:01:03 type veth peer name p3 address 02:00:00:00:02:03 netns sw
ip -n h link add eth4 address 02:00:00:00:01:04 type veth peer name p4 address 02:00:00:00:02:04 netns sw
ip -n sw link set p0 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
ip -n sw link set p4 master br0
bridge -n sw link set dev p0 hairpin on
bridge -n sw link set dev p2 hairpin on
bridge -n sw link set dev p4 hairpin on
ip -n h link add ipv1 link eth0 type ipvlan mode l2 vepa
ip -n h link add ipv2 link eth0 type ipvlan mode l2 vepa
ip -n h link add ipv5 link eth2 type ipvlan mode l3 vepa
ip -n h link add ipv6 link eth2 type ipvlan mode l3 vepa
ip -n h link add ipv7 link eth3 type ipvlan mode l3 private
ip -n h link add ipv8 link eth3 type ipvlan mode l3 private
ip -n h link add ipv9 link eth4 type ipvlan mode l2 private
ip -n h link add ipv10 link eth4 type ipvlan mode l2 private
ip -n h link set ipv1 netns c1
ip -n h link set ipv2 netns c2
ip -n h link set ipv5 netns c5
ip -n h link set ipv6 netns c6
ip -n h link set ipv7 netns c7
ip -n h link set ipv8 netns c8
ip -n h link set ipv9 netns c9
ip -n h link set ipv10 netns c10
ip -n sw addr add 10.0.3.254/24 dev br0
ip -n h addr add 10.0.2.1/24 dev eth2
ip -n h addr add 10.0.3.1/24 dev eth3
ip -n c1 addr add 10.0.0.11/24 dev ipv1
ip -n c2 addr add 10.0.0.12/24 dev ipv2
ip -n c5 addr add 10.0.2.15/24 dev ipv5
ip -n c6 addr add 10.0.2.16/24 dev ipv6
ip -n c7 addr add 10.0.3.17/24 dev ipv7
ip -n c8 addr add 10.0.3.18/24 dev ipv8
ip -n c9 addr add 10.0.4.19/24 dev ipv9
ip -n c10 addr add 10.0.4.20/24 dev ipv10
ip -n sw link set br0 up
ip -n sw link set p0 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n sw link set p4 up
ip -n h link set eth0 up
ip -n h link set eth2 up
ip -n h link set eth3 up
ip -n h link set eth4 up
ip -n c1 link set ipv1 up
ip -n c2 link set ipv2 up
ip -n c5 link set ipv5 up
ip -n c6 link set ipv6 up
ip -n c7 link set ipv7 up
ip -n c8 link set ipv8 up
ip -n c9 link set ipv9 up
ip -n c10 link set ipv10 up
ip -n h neigh add 10.0.2.15 lladdr 02:00:00:00:01:02 dev eth2
ip -n h neigh add 10.0.2.16 lladdr 02:00:00:00:01:02 dev eth2
ip -n h neigh add 10.0.3.254 lladdr 02:00:00:00:0b:fe dev eth3
ip -n sw neigh add 10.0.3.17 lladdr 02:00:00:00:01:03 dev br0
ip -n c5 route add default dev ipv5
ip -n c7 route add default dev ipv7
ip -n c1 neigh add 10.0.0.12 lladdr 02:00:00:00:01:00 dev ipv1
ip -n c2 neigh add 10.0.0.11 lladdr 02:00:00:00:01:00 dev ipv2
ip netns exec c9 sysctl -qw net.ipv4.neigh.ipv9.base_reachable_time_ms=600000
ip netns exec c10 sysctl -qw net.ipv4.neigh.ipv10.base_reachable_time_ms=600000
sleep 1
# --- traffic ---
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.12
bridge -n sw link set dev p0 hairpin off
ip netns exec c1 ping -c 1 -W 1 10.0.0.12
ip netns exec c5 ping -c 2 -i 0.2 10.0.2.16
ip netns exec c7 ping -c 1 10.0.3.18
ip netns exec c7 ping -c 1 10.0.3.254
ip netns exec c9 ping -c 1 -W 2 10.0.4.20
ip -n c1 -d link show ipv1
ip -n c5 -d link show ipv5
ip -n c7 -d link show ipv7
ip -n c9 -d link show ipv9
sleep 1
