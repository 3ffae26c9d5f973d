# Lab: nslab-dummy-carrier
# `ip link set DEV carrier on|off` on dummy devices and the FIB's view of it (issue 11, as
# fib_tests.sh's carrier and down tests check it; recorded in the VM oracle, whose kernel has
# dummy): carrier loss marks routes and nexthops linkdown (not the local routes), a device going
# down marks its multipath nexthop dead, `ip route get fibmatch` through the remaining one, an
# address metric moved by `ip addr change`, and the same carrier change run inside a namespace
# (ip netns exec).
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add n1
ip link add dummy0 address 02:00:00:00:d0:00 type dummy
ip link add dummy1 address 02:00:00:00:d1:00 type dummy
ip link set dummy0 up
ip link set dummy1 up
ip addr add 198.51.100.1/24 dev dummy0
ip addr add 192.0.2.1/24 dev dummy1 metric 20
ip route add 203.0.113.0/24 nexthop via 198.51.100.2 dev dummy0 nexthop via 192.0.2.2 dev dummy1 weight 4
ip -n n1 link add d0 address 02:00:00:00:d2:00 type dummy
ip -n n1 addr add 192.0.2.1/24 dev d0
ip -n n1 link set d0 up
ip -n n1 route add 198.51.100.0/24 via 192.0.2.2
# --- traffic ---
ip link set dummy0 carrier off
ip -br link show dummy0
ip route
ip route get fibmatch 198.51.100.1
ip route get fibmatch 198.51.100.2
ip link set dummy0 carrier on
ip link set dummy1 down
ip route
ip route get fibmatch 203.0.113.1 oif dummy0
ip route get fibmatch 203.0.113.1 oif dummy1 2>/dev/null || echo "failed: $?"
ip link set dummy1 up
ip addr change 192.0.2.1/24 dev dummy1 metric 30
ip route
ip link del dummy0
ip route
ip netns exec n1 ip link set d0 carrier off
ip netns exec n1 ip -br link show d0
ip netns exec n1 ip route
ip netns exec n1 ip route get 198.51.100.9
ip netns exec n1 ip link set d0 carrier on
ip netns exec n1 ip route
