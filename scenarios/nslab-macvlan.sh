# Lab: nslab-macvlan
# Reproduces: no seed section; written for the "link kinds" issue (12) to check macvlan against
#   the kernel: three macvlans on host's eth0 (a veth whose peer is ext's eth0), moved into
#   containers c1, c2 (mode bridge) and c3 (mode private).
# Traffic: c1 -> c2 (bridge mode: straight across the parent, which sees the frames as received);
#   c1 -> ext (out through the parent); ext -> c3 (a private macvlan is reachable from the wire);
#   ip link add errors (passthru beside other macvlans, no parent, a loopback parent, a bad mode);
#   c3 -> c1 (private: its ARP broadcast only goes out to the wire, so no answer); host -> c1 (the
#   parent cannot reach its own macvlans).
ip netns add host
ip netns add c1
ip netns add c2
ip netns add c3
ip netns add ext
ip -n host link add eth0 type veth peer name eth0 netns ext
ip -n host link add mv1 link eth0 type macvlan mode bridge
ip -n host link add mv2 link eth0 type macvlan mode bridge
ip -n host link add mv3 link eth0 type macvlan mode private
ip -n host link set mv1 netns c1
ip -n host link set mv2 netns c2
ip -n host link set mv3 netns c3
ip -n host addr add 10.0.0.1/24 dev eth0
ip -n ext addr add 10.0.0.254/24 dev eth0
ip -n c1 addr add 10.0.0.11/24 dev mv1
ip -n c2 addr add 10.0.0.12/24 dev mv2
ip -n c3 addr add 10.0.0.13/24 dev mv3
ip -n host link set eth0 up
ip -n ext link set eth0 up
ip -n c1 link set mv1 up
ip -n c2 link set mv2 up
ip -n c3 link set mv3 up
# --- traffic ---
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.12
sleep 0.5
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.254
sleep 0.5
ip netns exec ext ping -c 2 -i 0.2 10.0.0.13
ip -n host link add mv4 link eth0 type macvlan mode passthru
ip -n host link add mv5 type macvlan mode bridge
ip -n host link add mv6 link lo type macvlan
ip -n host link add mv7 link eth0 type macvlan mode trunk
ip -n host link add mv8 link nosuch type macvlan
ip netns exec c3 ping -c 1 -W 1 10.0.0.11
sleep 6
ip netns exec host ping -c 1 -W 1 10.0.0.11
sleep 3
