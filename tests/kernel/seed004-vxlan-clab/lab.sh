# containerlab topology flannel-vxlan (seed004-vxlan.clab.yaml), as `clab deploy` builds it:
#   node NAME = netns NAME (containerlab: container clab-LAB-NAME); linux nodes start with
#   the Docker host's IPv4 conf, which has ip_forward=1, and lo up; links: veth mtu 9500,
#   both ends up; `exec` lines run after all links, node by node.
#   management network (no `network-mode: none`): eth0 of gw1, gw2 on bridge br-clab 172.20.20.1/24
#   gw1: image nicolaka/netshoot (not run)
#   host1: image nicolaka/netshoot (not run)
#   pod1: image nicolaka/netshoot (not run)
#   gw2: image nicolaka/netshoot (not run)
#   host2: image nicolaka/netshoot (not run)
#   pod2: image nicolaka/netshoot (not run)
ip link add name br-clab type bridge
ip addr add 172.20.20.1/24 dev br-clab
ip link set br-clab up
ip netns add gw1
ip netns exec gw1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add host1
ip netns exec host1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod1
ip netns exec pod1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add gw2
ip netns exec gw2 sysctl -q -w net.ipv4.ip_forward=1
ip netns add host2
ip netns exec host2 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod2
ip netns exec pod2 sysctl -q -w net.ipv4.ip_forward=1
ip link add veth-gw1 type veth peer name eth0 netns gw1
ip link set veth-gw1 master br-clab
ip netns exec gw1 ip link set eth0 up
ip link set veth-gw1 up
ip link add veth-gw2 type veth peer name eth0 netns gw2
ip link set veth-gw2 master br-clab
ip netns exec gw2 ip link set eth0 up
ip link set veth-gw2 up
ip netns exec gw1 ip link add eth1 mtu 9500 type veth peer name eth1 mtu 9500 netns gw2
ip netns exec gw1 ip link set eth1 up
ip netns exec gw2 ip link set eth1 up
ip netns exec gw1 ip link add eth2 mtu 9500 type veth peer name eth1 mtu 9500 netns host1
ip netns exec gw1 ip link set eth2 up
ip netns exec host1 ip link set eth1 up
ip netns exec gw2 ip link add eth2 mtu 9500 type veth peer name eth1 mtu 9500 netns host2
ip netns exec gw2 ip link set eth2 up
ip netns exec host2 ip link set eth1 up
ip netns exec host1 ip link add pod1_veth_piar mtu 9500 type veth peer name eth1 mtu 9500 netns pod1
ip netns exec host1 ip link set pod1_veth_piar up
ip netns exec pod1 ip link set eth1 up
ip netns exec host2 ip link add pod2_veth_piar mtu 9500 type veth peer name eth1 mtu 9500 netns pod2
ip netns exec host2 ip link set pod2_veth_piar up
ip netns exec pod2 ip link set eth1 up
ip netns exec gw1 ip addr add 172.20.20.2/24 dev eth0
ip netns exec gw1 ip link set lo up
ip netns exec gw1 ip route add default via 172.20.20.1
ip netns exec host1 ip link set lo up
ip netns exec pod1 ip link set lo up
ip netns exec gw2 ip addr add 172.20.20.3/24 dev eth0
ip netns exec gw2 ip link set lo up
ip netns exec gw2 ip route add default via 172.20.20.1
ip netns exec host2 ip link set lo up
ip netns exec pod2 ip link set lo up
# gw1 exec
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
# host1 exec
ip netns exec host1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv4.conf.all.proxy_arp=1
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
# pod1 exec
ip netns exec pod1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec pod1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec pod1 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec pod1 ip addr add 172.16.0.2/24 dev eth1
ip netns exec pod1 ip link set eth1 up
ip netns exec pod1 ip route replace default via 172.16.0.1 dev eth1
# gw2 exec
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
# host2 exec
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
# pod2 exec
ip netns exec pod2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec pod2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec pod2 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec pod2 ip addr add 172.16.1.2/24 dev eth1
ip netns exec pod2 ip link set eth1 up
ip netns exec pod2 ip route replace default via 172.16.1.1 dev eth1
# --- traffic ---
ip netns exec pod1 ping -c 3 -i 0.2 -W 1 172.16.1.2
ip netns exec pod2 ping -c 3 -i 0.2 -W 1 172.16.0.2
