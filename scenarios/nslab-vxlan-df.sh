# Lab: nslab-vxlan-df
# Reproduces: no seed section; issue 11 (pmtu.sh "IPv4 over vxlan4"): a VXLAN device with
#   `df set` over a routed underlay whose far link is smaller: the encapsulated packets carry
#   DF, the router answers fragmentation needed (mtu 4000) to the VTEP, and the next inner
#   packet too big for the underlay path less the VXLAN headroom (50) sets the inner route's
#   path MTU to 3950 (skb_tunnel_check_pmtu); the pings after it are fragmented to fit.
# (The expiry seconds are masked with sed: on the kernel they depend on how long the
#   commands take.)
# Traffic: ping -M want -s 4500 over the tunnel, `ip route get` of the inner and outer
#   destinations.
ip netns add a
ip netns add r
ip netns add b
ip -n a link add eth0 type veth peer name eth0 netns r
ip -n b link add eth0 type veth peer name eth1 netns r
ip -n a addr add 10.0.1.1/24 dev eth0
ip -n r addr add 10.0.1.2/24 dev eth0
ip -n r addr add 10.0.3.2/24 dev eth1
ip -n b addr add 10.0.3.1/24 dev eth0
ip -n a link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n b link set eth0 up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip -n a route add 10.0.3.0/24 via 10.0.1.2
ip -n b route add 10.0.1.0/24 via 10.0.3.2
ip -n a link set eth0 mtu 5000
ip -n r link set eth0 mtu 5000
ip -n r link set eth1 mtu 4000
ip -n b link set eth0 mtu 4000
ip -n a link add vxlan_a type vxlan id 1 local 10.0.1.1 remote 10.0.3.1 df set ttl 64 dstport 4789
ip -n b link add vxlan_b type vxlan id 1 local 10.0.3.1 remote 10.0.1.1 df set ttl 64 dstport 4789
ip -n a addr add 192.168.2.1/24 dev vxlan_a
ip -n b addr add 192.168.2.2/24 dev vxlan_b
ip -n a link set vxlan_a mtu 5000
ip -n b link set vxlan_b mtu 5000
ip -n a link set vxlan_a up
ip -n b link set vxlan_b up
# --- traffic ---
ip netns exec a ping -c 5 -i 0.2 -W 1 -M want -s 4500 192.168.2.2
ip -n a route get 192.168.2.2 | sed 's/expires [0-9]*sec/expires Nsec/'
ip -n a route get 10.0.3.1 | sed 's/expires [0-9]*sec/expires Nsec/'
