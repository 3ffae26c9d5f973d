# Lab: nslab-ipvlan
# Reproduces: no seed section; written for the "link kinds" issue (12) to check ipvlan in L2
#   mode against the kernel (recorded in the oracle VM: the host kernel has no ipvlan). host's
#   eth0 (a veth to ext) carries two L2 ipvlans moved to c1 and c2; ipvlans share their parent's
#   MAC address, which the capture comparison cannot name, so the veth ends have fixed ones.
# Traffic: c1 -> c2 (straight across the parent), c1 -> ext (out through the parent),
#   ext -> c2 (delivered by destination IP); ip link add errors; after the neighbour probes
#   (sleep 6), c1 -> host, which fails: c1's ARP broadcast goes to the other ipvlans and out of
#   the parent, but the parent itself never receives it.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add host
ip netns add c1
ip netns add c2
ip netns add ext
ip -n host link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:02 netns ext
ip -n host link add ipv1 link eth0 type ipvlan mode l2
ip -n host link add ipv2 link eth0 type ipvlan mode l2 bridge
ip -n host link set ipv1 netns c1
ip -n host link set ipv2 netns c2
ip -n host addr add 10.0.0.1/24 dev eth0
ip -n ext addr add 10.0.0.254/24 dev eth0
ip -n c1 addr add 10.0.0.11/24 dev ipv1
ip -n c2 addr add 10.0.0.12/24 dev ipv2
ip -n host link set eth0 up
ip -n ext link set eth0 up
ip -n c1 link set ipv1 up
ip -n c2 link set ipv2 up
# --- traffic ---
ip -n host link add ipv3 link eth0 type ipvlan mode l4
ip -n host link add ipv3 type ipvlan mode l2
ip -n host link add ipv3 link lo type ipvlan mode l2
ip -n host link add ipv3 link eth0 type ipvlan mode l2 nosuch
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.12
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.254
ip netns exec ext ping -c 2 -i 0.2 10.0.0.12
sleep 6
ip netns exec c1 ping -c 1 -W 1 10.0.0.1
sleep 4
