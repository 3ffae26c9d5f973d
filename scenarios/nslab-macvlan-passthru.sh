# Lab: nslab-macvlan-passthru
# Reproduces: no seed section; written for the "link kinds" issue (12) to check macvlan's
#   passthru mode against the kernel: host's eth0 (a veth to ext) carries one passthru macvlan
#   mv0, moved to c1; host's eth1 (a veth to ext's eth1) one with nopromisc, mv1.
# Traffic: a second macvlan on a passthru lower (any mode) is refused (EINVAL); mv0 took eth0's
#   address; up, it makes eth0 promiscuous (mv1's nopromisc does not); ext -> c1 and c1 -> ext;
#   eth0's address changed: mv0 follows; mv0's address changed: eth0's changes with it, and ext
#   still reaches c1 at the old address (a passthru macvlan receives every unicast frame);
#   nopromisc toggled by `ip link set ... type macvlan`; mv0 down: eth0 leaves promiscuous
#   mode; mv0 deleted: eth0 gets back the address it had when the macvlan last followed it.
ip netns add host
ip netns add c1
ip netns add ext
ip -n host link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:02 netns ext
ip -n host link add eth1 address 02:00:00:00:01:03 type veth peer name eth1 address 02:00:00:00:02:04 netns ext
ip -n host link add mv0 link eth0 type macvlan mode passthru
ip -n host link add mv1 link eth1 type macvlan mode passthru nopromisc
ip -n host link set mv0 netns c1
ip -n host addr add 10.0.1.1/24 dev mv1
ip -n c1 addr add 10.0.0.11/24 dev mv0
ip -n ext addr add 10.0.0.254/24 dev eth0
ip -n ext addr add 10.0.1.254/24 dev eth1
ip -n host link set eth0 up
ip -n host link set eth1 up
ip -n ext link set eth0 up
ip -n ext link set eth1 up
ip -n c1 link set mv0 up
ip -n host link set mv1 up
# --- traffic ---
ip -n host link add mv2 link eth0 type macvlan mode bridge
ip -n host link add mv2 link eth0 type macvlan mode passthru
ip -n host link add mv2 link eth1 type macvlan
ip -n host -d link show eth0
ip -n host -d link show eth1
ip -n c1 link show mv0
ip -n host -d link show mv1
ip netns exec ext ping -c 2 -i 0.2 10.0.0.11
ip netns exec c1 ping -c 1 10.0.0.254
ip netns exec host ping -c 1 10.0.1.254
ip -n host link set eth0 address 02:00:00:00:01:77
ip -n c1 link show mv0
ip -n c1 link set mv0 address 02:00:00:00:01:99
ip -n host -d link show eth0
ip -n c1 link show mv0
ip netns exec ext ping -c 1 10.0.0.11
ip -n host link set mv1 type macvlan mode passthru
ip -n host -d link show eth1
ip -n host link set mv1 type macvlan mode passthru nopromisc
ip -n host -d link show eth1
ip -n host link set mv1 type macvlan mode bridge
ip -n host link set mv1 type macvlan nopromisc
sleep 2
ip -n c1 link set mv0 down
ip -n host -d link show eth0
ip -n c1 link del mv0
ip -n host -d link show eth0
ip -n host link add mv3 link eth0 type macvlan mode bridge
ip -n host link del mv3
