# Lab: nslab-route-types-local
# Reproduces: no seed section; issue 13 class F (local output to unreachable, prohibit and
#   blackhole routes): h1 -- h2 on a veth, h1 with the three route types.
# Traffic: one ping to each route type (connect() fails: EHOSTUNREACH, EACCES, EINVAL), one to
#   the subnet's broadcast address without -b (EACCES too), then one ping that is answered.
ip netns add h1
ip netns add h2
ip -n h1 link add eth0 type veth peer name eth0 netns h2
ip -n h1 addr add 10.1.0.1/24 dev eth0
ip -n h2 addr add 10.1.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h1 route add unreachable 10.9.1.0/24
ip -n h1 route add prohibit 10.9.2.0/24
ip -n h1 route add blackhole 10.9.3.0/24
# --- traffic ---
ip netns exec h1 ping -c 1 -W 1 10.9.1.1
echo "status $?"
ip netns exec h1 ping -c 1 -W 1 10.9.2.1
echo "status $?"
ip netns exec h1 ping -c 1 -W 1 10.9.3.1
echo "status $?"
ip netns exec h1 ping -c 1 -W 1 10.1.0.255
echo "status $?"
ip netns exec h1 ping -c 1 -W 1 10.1.0.2
