# containerlab topology ipip-demo (seed004-ipip.clab.yaml), as `clab deploy` builds it:
#   node NAME = netns NAME (containerlab: container clab-LAB-NAME); linux nodes start with
#   the Docker host's IPv4 conf, which has ip_forward=1, and lo up; links: veth mtu 9500,
#   both ends up; `exec` lines run after all links, node by node.
#   gw: image nicolaka/netshoot (not run)
#   host1: image nicolaka/netshoot (not run)
#   pod1: image nicolaka/netshoot (not run)
#   host2: image nicolaka/netshoot (not run)
#   pod2: image nicolaka/netshoot (not run)
#   host3: image nicolaka/netshoot (not run)
#   pod3: image nicolaka/netshoot (not run)
ip netns add gw
ip netns exec gw sysctl -q -w net.ipv4.ip_forward=1
ip netns add host1
ip netns exec host1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod1
ip netns exec pod1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add host2
ip netns exec host2 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod2
ip netns exec pod2 sysctl -q -w net.ipv4.ip_forward=1
ip netns add host3
ip netns exec host3 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod3
ip netns exec pod3 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec gw ip link add eth1 mtu 9500 type veth peer name eth1 mtu 9500 netns host1
ip netns exec gw ip link set eth1 up
ip netns exec host1 ip link set eth1 up
ip netns exec gw ip link add eth2 mtu 9500 type veth peer name eth1 mtu 9500 netns host2
ip netns exec gw ip link set eth2 up
ip netns exec host2 ip link set eth1 up
ip netns exec gw ip link add eth3 mtu 9500 type veth peer name eth1 mtu 9500 netns host3
ip netns exec gw ip link set eth3 up
ip netns exec host3 ip link set eth1 up
ip netns exec host1 ip link add pod1_veth_piar mtu 9500 type veth peer name eth1 mtu 9500 netns pod1
ip netns exec host1 ip link set pod1_veth_piar up
ip netns exec pod1 ip link set eth1 up
ip netns exec host2 ip link add pod2_veth_piar mtu 9500 type veth peer name eth1 mtu 9500 netns pod2
ip netns exec host2 ip link set pod2_veth_piar up
ip netns exec pod2 ip link set eth1 up
ip netns exec host3 ip link add pod3_veth_piar mtu 9500 type veth peer name eth1 mtu 9500 netns pod3
ip netns exec host3 ip link set pod3_veth_piar up
ip netns exec pod3 ip link set eth1 up
ip netns exec gw ip link set lo up
ip netns exec host1 ip link set lo up
ip netns exec pod1 ip link set lo up
ip netns exec host2 ip link set lo up
ip netns exec pod2 ip link set lo up
ip netns exec host3 ip link set lo up
ip netns exec pod3 ip link set lo up
# gw exec
ip netns exec gw sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec gw sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec gw sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec gw sysctl -w net.ipv4.ip_forward=1
ip netns exec gw ip addr add 10.0.1.1/24 dev eth1
ip netns exec gw ip link set eth1 up
ip netns exec gw ip addr add 10.0.2.1/24 dev eth2
ip netns exec gw ip link set eth2 up
ip netns exec gw ip addr add 10.0.3.1/24 dev eth3
ip netns exec gw ip link set eth3 up
# host1 exec
ip netns exec host1 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec host1 sysctl -w net.ipv4.ip_forward=1
ip netns exec host1 ip addr add 10.0.1.2/24 dev eth1
ip netns exec host1 ip link set eth1 up
ip netns exec host1 ip route replace default via 10.0.1.1 dev eth1
ip netns exec host1 ip tunnel add tunl1 mode ipip local 10.0.1.2
ip netns exec host1 ip link set tunl1 up
ip netns exec host1 ip route add 172.16.1.0/24 via 10.0.2.2 dev tunl1 onlink
ip netns exec host1 ip route add 172.16.2.0/24 via 10.0.3.2 dev tunl1 onlink
ip netns exec host1 brctl addbr cni0
ip netns exec host1 ip addr add 172.16.0.1/24 dev cni0
ip netns exec host1 ip link set dev cni0 up
ip netns exec host1 brctl addif cni0 pod1_veth_piar
ip netns exec host1 ip link set dev pod1_veth_piar up
# pod1 exec
ip netns exec pod1 ip addr add 172.16.0.2/24 dev eth1
ip netns exec pod1 ip link set eth1 up
ip netns exec pod1 ip route replace default via 172.16.0.1 dev eth1
# host2 exec
ip netns exec host2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec host2 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec host2 sysctl -w net.ipv4.ip_forward=1
ip netns exec host2 ip addr add 10.0.2.2/24 dev eth1
ip netns exec host2 ip link set eth1 up
ip netns exec host2 ip route replace default via 10.0.2.1 dev eth1
ip netns exec host2 ip tunnel add tunl1 mode ipip local 10.0.2.2
ip netns exec host2 ip link set tunl1 up
ip netns exec host2 ip route add 172.16.0.0/24 via 10.0.1.2 dev tunl1 onlink
ip netns exec host2 ip route add 172.16.2.0/24 via 10.0.3.2 dev tunl1 onlink
ip netns exec host2 brctl addbr cni0
ip netns exec host2 ip addr add 172.16.1.1/24 dev cni0
ip netns exec host2 ip link set dev cni0 up
ip netns exec host2 brctl addif cni0 pod2_veth_piar
ip netns exec host2 ip link set dev pod2_veth_piar up
# pod2 exec
ip netns exec pod2 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec pod2 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec pod2 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec pod2 ip addr add 172.16.1.2/24 dev eth1
ip netns exec pod2 ip link set eth1 up
ip netns exec pod2 ip route replace default via 172.16.1.1 dev eth1
# host3 exec
ip netns exec host3 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec host3 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec host3 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec host3 ip addr add 10.0.3.2/24 dev eth1
ip netns exec host3 ip link set eth1 up
ip netns exec host3 ip route replace default via 10.0.3.1 dev eth1
ip netns exec host3 ip tunnel add tunl1 mode ipip local 10.0.3.2
ip netns exec host3 ip link set tunl1 up
ip netns exec host3 ip route add 172.16.0.0/24 via 10.0.1.2 dev tunl1 onlink
ip netns exec host3 ip route add 172.16.1.0/24 via 10.0.2.2 dev tunl1 onlink
ip netns exec host3 brctl addbr cni0
ip netns exec host3 ip addr add 172.16.2.1/24 dev cni0
ip netns exec host3 ip link set dev cni0 up
ip netns exec host3 brctl addif cni0 pod3_veth_piar
ip netns exec host3 ip link set dev pod3_veth_piar up
# pod3 exec
ip netns exec pod3 sysctl -w net.ipv6.conf.all.disable_ipv6=1
ip netns exec pod3 sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec pod3 sysctl -w net.ipv6.conf.lo.disable_ipv6=1
ip netns exec pod3 ip addr add 172.16.2.2/24 dev eth1
ip netns exec pod3 ip link set eth1 up
ip netns exec pod3 ip route replace default via 172.16.2.1 dev eth1
# --- traffic ---
ip netns exec pod1 ping -c 3 -i 0.2 172.16.1.2
ip netns exec pod1 ping -c 3 -i 0.2 -W 1 172.16.2.2
