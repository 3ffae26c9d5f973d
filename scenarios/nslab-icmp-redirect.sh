# Lab: nslab-icmp-redirect
# Reproduces: no seed section; issue 13 class A: h1, r and g share one segment (a bridge in sw);
#   h1's default route is r, whose route to 10.2.0.0/24 is g on the same segment. r forwards
#   the first echo back out the device it came in on, to an on-link next hop, so it sends h1 an
#   ICMP redirect (ip_forward's IPSKB_DOREDIRECT, ip_rt_send_redirect); h1 records the new
#   gateway as a route exception (fib_nh_exception) and sends the next echoes to g.
# Traffic: ping h2 through r, `ip route get` with the exception, `ip route flush cache`,
#   `ip route get` again.
ip netns add sw
ip netns add h1
ip netns add r
ip netns add g
ip netns add h2
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
ip -n h1 link add eth0 type veth peer name p1 netns sw
ip -n r link add eth0 type veth peer name p2 netns sw
ip -n g link add eth0 type veth peer name p3 netns sw
ip -n h2 link add eth0 type veth peer name eth1 netns g
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n h1 addr add 10.1.0.1/24 dev eth0
ip -n r addr add 10.1.0.254/24 dev eth0
ip -n g addr add 10.1.0.253/24 dev eth0
ip -n g addr add 10.2.0.254/24 dev eth1
ip -n h2 addr add 10.2.0.1/24 dev eth0
ip -n h1 link set eth0 up
ip -n r link set eth0 up
ip -n g link set eth0 up
ip -n g link set eth1 up
ip -n h2 link set eth0 up
ip -n h1 route add default via 10.1.0.254
ip -n r route add 10.2.0.0/24 via 10.1.0.253
ip -n h2 route add default via 10.2.0.254
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec g sysctl -w net.ipv4.ip_forward=1
# --- traffic ---
ip netns exec h1 ping -c 3 -i 0.2 10.2.0.1
ip -n h1 route get 10.2.0.1
ip -n h1 route flush cache
ip -n h1 route get 10.2.0.1
