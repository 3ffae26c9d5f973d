# Lab: nslab-route-exceptions
# Reproduces: no seed section; issue 11 (pmtu.sh's exception cases): a learnt path MTU is a
#   route exception of its nexthop: `ip route list cache` lists it, a change of the local
#   device's MTU updates it (fib_sync_mtu: lowered below it, or raised from the old device
#   MTU), an MTU below min_pmtu is locked at 552, deleting the route frees it and an
#   identical route replacing it keeps it.
# (The expiry seconds are masked with sed: on the kernel they depend on how long the
#   commands take.)
# Traffic: pings with DF (-M want) bigger than the far link, `ip route get`, `ip route list
#   cache`, MTU changes, route delete/replace, `ip route flush cache`.
ip netns add a
ip netns add r
ip netns add b
ip -n a link add eth0 type veth peer name eth0 netns r
ip -n b link add eth0 type veth peer name eth1 netns r
ip -n a addr add 10.0.1.1/24 dev eth0
ip -n r addr add 10.0.1.2/24 dev eth0
ip -n r addr add 10.0.2.2/24 dev eth1
ip -n b addr add 10.0.2.1/24 dev eth0
ip -n b addr add 10.0.2.100/24 dev eth0
ip -n a link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n b link set eth0 up
ip -n b route add default via 10.0.2.2
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip -n a route add 10.0.2.0/24 via 10.0.1.2
ip -n a link set eth0 mtu 2000
ip -n r link set eth0 mtu 2000
ip -n r link set eth1 mtu 1400
ip -n b link set eth0 mtu 1400
# --- traffic ---
ip netns exec a ping -q -M want -c 2 -i 0.2 -s 1800 10.0.2.1
ip netns exec a ping -q -M want -c 2 -i 0.2 -s 1800 10.0.2.100
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route list cache 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a -o route list cache 10.0.2.100 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a link set eth0 mtu 1300
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a link set eth0 mtu 1700
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route get 10.0.2.100 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n r link set eth1 mtu 400
ip -n b link set eth0 mtu 400
ip netns exec a ping -q -M want -c 2 -i 0.2 -s 1400 10.0.2.1
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route list cache 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a link set eth0 mtu 500
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a link set eth0 mtu 1500
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route replace 10.0.2.0/24 via 10.0.1.2
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route del 10.0.2.0/24
ip -n a route add 10.0.2.0/24 via 10.0.1.2
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route list cache | sed 's/expires [0-9]*sec/expires Nsec/'
ip netns exec a ping -q -M want -c 2 -i 0.2 -s 1400 10.0.2.1
ip -n a route get 10.0.2.1 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route flush cache
ip -n a route list cache | sed 's/expires [0-9]*sec/expires Nsec/'
