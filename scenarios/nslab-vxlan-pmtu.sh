# Lab: nslab-vxlan-pmtu
# Reproduces: seed004-vxlan-fwd (004_2a59ce2771023734.txt, "二、Vxlan") with bigger pings: -s 2000 (fragmented
#   by pod1, refragmented to flannel.1's MTU 1450 on host1, each fragment encapsulated) and -s 1430 with DF
#   (ICMP fragmentation needed, mtu 1450, from host1; PMTU learned; then fragmented).
#   gw1 -- gw2 routed underlay (192.168.0.100/200), host1 behind gw1 (10.0.1.2), host2 behind gw2
#   (10.0.2.2), flannel.1 VXLAN id 1 dstport 4789 (learning on, the default), cni0 bridges
#   172.16.0.1/24 and 172.16.1.1/24, flannel.1 addresses 172.16.0.0/32 and 172.16.1.0/32, routes
#   "172.16.x.0/24 via 172.16.x.0 dev flannel.1 onlink", all-zero FDB entries to the peer VTEP.
# Conversion: nodes -> netns, links -> veth pairs (endpoint names kept).
# Deviations:
#   * gw1/gw2 have no `network-mode: none` in the document, so clab would also give them a
#     management eth0 + default route; that management network is not modelled.
#   * the per-node `sysctl -w net.ipv6...disable_ipv6=1` lines are kept (run-kernel disables
#     IPv6 everywhere anyway).
#   * DOC ERROR: host1's comment says "1. 在宿主机上开启IP转发" (enable IP forwarding) but the command
#     is `sysctl -w net.ipv4.conf.all.proxy_arp=1`; host1 never enables ip_forward. Kept as
#     written: in a fresh netns ip_forward=0, so host1 does NOT forward pod1's packets
#     (the document's containers most likely inherited ip_forward=1 from the docker host,
#     because net.core.devconf_inherit_init_net=0 copies init_net's IPv4 conf into new netns).
#     THIS VARIANT adds `sysctl -w net.ipv4.ip_forward=1` on host1 (what the doc evidently had).
#   * Traffic: pod1 pings pod2, then pod2 pings pod1.
ip netns add gw1
ip netns add host1
ip netns add pod1
ip netns add gw2
ip netns add host2
ip netns add pod2
# links
ip netns exec gw1 ip link add eth1 type veth peer name eth1 netns gw2
ip netns exec gw1 ip link add eth2 type veth peer name eth1 netns host1
ip netns exec gw2 ip link add eth2 type veth peer name eth1 netns host2
ip netns exec host1 ip link add pod1_veth_piar type veth peer name eth1 netns pod1
ip netns exec host2 ip link add pod2_veth_piar type veth peer name eth1 netns pod2
# gw1
ip netns exec gw1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec gw1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec gw1 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec gw1 sysctl -w net.ipv4.ip_forward=1
ip netns exec gw1 ip addr add 192.168.0.100/24 dev eth1
ip netns exec gw1 ip link set eth1 up
ip netns exec gw1 ip addr add 10.0.1.1/24 dev eth2
ip netns exec gw1 ip link set eth2 up
ip netns exec gw1 ip route add 10.0.2.0/24 via 192.168.0.200
ip netns exec gw1 iptables -t nat -A POSTROUTING -s 10.0.0.0/16 ! -d 10.0.0.0/16 -j MASQUERADE
# host1
ip netns exec host1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv4.conf.all.proxy_arp=1
ip netns exec host1 sysctl -w net.ipv4.ip_forward=1
ip netns exec host1 ip addr add 10.0.1.2/24 dev eth1
ip netns exec host1 ip link set eth1 up
ip netns exec host1 ip route replace default via 10.0.1.1 dev eth1
ip netns exec host1 ip link add flannel.1 type vxlan id 1 dev eth1 local 10.0.1.2 dstport 4789
ip netns exec host1 ip link set dev flannel.1 up
ip netns exec host1 brctl addbr cni0
ip netns exec host1 ip addr add 172.16.0.1/24 dev cni0
ip netns exec host1 ip link set dev cni0 up
ip netns exec host1 brctl addif cni0 pod1_veth_piar
ip netns exec host1 ip link set dev pod1_veth_piar up
ip netns exec host1 ip addr add 172.16.0.0/32 dev flannel.1
ip netns exec host1 ip route add 172.16.1.0/24 via 172.16.1.0 dev flannel.1 onlink
ip netns exec host1 bridge fdb append to 00:00:00:00:00:00 dst 10.0.2.2 dev flannel.1
# pod1
ip netns exec pod1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec pod1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec pod1 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec pod1 ip addr add 172.16.0.2/24 dev eth1
ip netns exec pod1 ip link set eth1 up
ip netns exec pod1 ip route replace default via 172.16.0.1 dev eth1
# gw2
ip netns exec gw2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec gw2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec gw2 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec gw2 sysctl -w net.ipv4.ip_forward=1
ip netns exec gw2 ip addr add 192.168.0.200/24 dev eth1
ip netns exec gw2 ip link set eth1 up
ip netns exec gw2 ip addr add 10.0.2.1/24 dev eth2
ip netns exec gw2 ip link set eth2 up
ip netns exec gw2 ip route add 10.0.1.0/24 via 192.168.0.100
ip netns exec gw2 iptables -t nat -A POSTROUTING -s 10.0.0.0/16 ! -d 10.0.0.0/16 -j MASQUERADE
# host2
ip netns exec host2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec host2 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec host2 sysctl -w net.ipv4.ip_forward=1
ip netns exec host2 ip addr add 10.0.2.2/24 dev eth1
ip netns exec host2 ip link set eth1 up
ip netns exec host2 ip route replace default via 10.0.2.1 dev eth1
ip netns exec host2 ip link add flannel.1 type vxlan id 1 dev eth1 local 10.0.2.2 dstport 4789
ip netns exec host2 ip link set dev flannel.1 up
ip netns exec host2 brctl addbr cni0
ip netns exec host2 ip addr add 172.16.1.1/24 dev cni0
ip netns exec host2 ip link set dev cni0 up
ip netns exec host2 brctl addif cni0 pod2_veth_piar
ip netns exec host2 ip link set dev pod2_veth_piar up
ip netns exec host2 ip addr add 172.16.1.0/32 dev flannel.1
ip netns exec host2 ip route add 172.16.0.0/24 via 172.16.0.0 dev flannel.1 onlink
ip netns exec host2 bridge fdb append to 00:00:00:00:00:00 dst 10.0.1.2 dev flannel.1
# pod2
ip netns exec pod2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec pod2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec pod2 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec pod2 ip addr add 172.16.1.2/24 dev eth1
ip netns exec pod2 ip link set eth1 up
ip netns exec pod2 ip route replace default via 172.16.1.1 dev eth1
# --- traffic ---
ip netns exec pod1 ping -c 2 -i 0.2 -W 1 -s 2000 172.16.1.2
ip netns exec pod1 ping -c 3 -i 0.2 -W 1 -s 1430 172.16.1.2
ip netns exec pod2 ping -c 3 -i 0.2 -W 1 172.16.0.2
