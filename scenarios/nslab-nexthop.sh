# Lab: nslab-nexthop
# Reproduces: no seed section; issue 11: nexthop objects (`ip nexthop`) and routes naming one
#   (`nhid`). h1 reaches h2's loopback address 10.9.9.9 through r1 or r2; its route to it
#   uses nexthop object 1, which is replaced to go through r2, deleted (the route goes with
#   it), then a group of one path is used.
# Traffic: pings, `ip nexthop`, `ip route`, `ip route get` after each change.
ip netns add h1
ip netns add r1
ip netns add r2
ip netns add h2
ip -n h1 link add eth0 type veth peer name eth0 netns r1
ip -n h1 link add eth1 type veth peer name eth0 netns r2
ip -n r1 link add eth1 type veth peer name eth0 netns h2
ip -n r2 link add eth1 type veth peer name eth1 netns h2
ip -n h1 addr add 10.1.1.1/24 dev eth0
ip -n h1 addr add 10.1.2.1/24 dev eth1
ip -n r1 addr add 10.1.1.2/24 dev eth0
ip -n r1 addr add 10.2.1.2/24 dev eth1
ip -n r2 addr add 10.1.2.2/24 dev eth0
ip -n r2 addr add 10.2.2.2/24 dev eth1
ip -n h2 addr add 10.2.1.1/24 dev eth0
ip -n h2 addr add 10.2.2.1/24 dev eth1
ip -n h2 addr add 10.9.9.9/32 dev lo
ip -n h1 link set eth0 up
ip -n h1 link set eth1 up
ip -n r1 link set eth0 up
ip -n r1 link set eth1 up
ip -n r2 link set eth0 up
ip -n r2 link set eth1 up
ip -n h2 link set lo up
ip -n h2 link set eth0 up
ip -n h2 link set eth1 up
ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
ip netns exec r2 sysctl -w net.ipv4.ip_forward=1
ip -n r1 route add 10.9.9.9/32 via 10.2.1.1
ip -n r2 route add 10.9.9.9/32 via 10.2.2.1
ip -n h2 route add 10.1.1.0/24 via 10.2.1.2
ip -n h2 route add 10.1.2.0/24 via 10.2.2.2
# --- traffic ---
ip -n h1 nexthop add id 1 via 10.1.1.2 dev eth0
ip -n h1 nexthop add id 2 via 10.1.2.2 dev eth1
ip -n h1 route add 10.9.9.9/32 nhid 1
ip -n h1 nexthop
ip -n h1 route
ip -n h1 route get 10.9.9.9
ip netns exec h1 ping -c 2 -i 0.2 10.9.9.9
ip -n h1 nexthop replace id 1 via 10.1.2.2 dev eth1
ip -n h1 route
ip -n h1 route get 10.9.9.9
ip netns exec h1 ping -c 2 -i 0.2 10.9.9.9
ip -n h1 nexthop del id 1
ip -n h1 route
ip netns exec h1 ping -c 1 -W 1 10.9.9.9
echo rc=$?
ip -n h1 nexthop add id 3 group 2
ip -n h1 route add 10.9.9.0/24 nhid 3
ip -n h1 route
ip netns exec h1 ping -c 2 -i 0.2 10.9.9.9
ip -n h1 nexthop add id 4 group 2,3/1
ip -n h1 nexthop add id 4 group 2,3/3
ip -n h1 nexthop add id 5 via 10.1.1.2 dev eth0
ip -n h1 nexthop replace id 3 group 5/2,3
ip -n h1 route
ip -n h1 link set eth0 down
ip -n h1 nexthop
ip -n h1 route
ip netns exec h1 ping -c 2 -i 0.2 10.9.9.9
