# Lab: nslab-multipath-carrier
# Multipath routes and the FIB's device events (issue 11, as fib_tests.sh checks them): a route
# with two weighted nexthops over two veth links, traffic bound to each nexthop's device, a
# device going down (its nexthop dead linkdown, back on up), a peer going down (carrier loss:
# linkdown), route metrics (mtu lock, advmss) and an address metric.
ip netns add p1
ip netns add p2
ip link add v1 type veth peer name v1p
ip link add v2 type veth peer name v2p
ip link set v1p netns p1
ip link set v2p netns p2
ip link set v1 up
ip link set v2 up
ip -n p1 link set lo up
ip -n p2 link set lo up
ip -n p1 link set v1p up
ip -n p2 link set v2p up
ip addr add 10.1.0.1/24 dev v1
ip addr add 10.2.0.1/24 dev v2 metric 50
ip -n p1 addr add 10.1.0.2/24 dev v1p
ip -n p2 addr add 10.2.0.2/24 dev v2p
ip -n p1 addr add 203.0.113.1/32 dev lo
ip -n p2 addr add 203.0.113.1/32 dev lo
ip -n p1 route add default via 10.1.0.1
ip -n p2 route add default via 10.2.0.1
ip route add 203.0.113.0/24 nexthop via 10.1.0.2 dev v1 weight 2 nexthop via 10.2.0.2 dev v2
ip route add 198.51.100.0/24 via 10.1.0.2 mtu lock 1300 advmss 1260
# --- traffic ---
ip route
ping -c1 -I v1 203.0.113.1 2>&1 | head -2
ping -c1 -I v2 203.0.113.1 2>&1 | head -2
ip link set v1 down
ip route
ip route get fibmatch 203.0.113.1
ip route get 203.0.113.1 oif v1 2>/dev/null || echo "failed: $?"
ip link set v1 up
ip -n p2 link set v2p down
ip route
ip route get fibmatch 203.0.113.1 oif v2
ip addr change 10.2.0.1/24 dev v2 metric 60
ip route show dev v2
ip route del 203.0.113.0/24
ip route
ip netns exec p1 ip route get 203.0.113.9
