# containerlab topology host-gw-lab (seed004-hostgw.clab.yaml), as `clab deploy` builds it:
#   node NAME = netns NAME (containerlab: container clab-LAB-NAME); linux nodes start with
#   the Docker host's IPv4 conf, which has ip_forward=1, and lo up; links: veth mtu 9500,
#   both ends up; `exec` lines run after all links, node by node.
#   switch: kind bridge = bridge switch in the host namespace (must pre-exist for clab)
#   host1: image nicolaka/netshoot (not run)
#   pod1: image nicolaka/netshoot (not run)
#   host2: image nicolaka/netshoot (not run)
#   pod2: image nicolaka/netshoot (not run)
ip link add name switch type bridge
ip link set switch up
ip netns add host1
ip netns exec host1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod1
ip netns exec pod1 sysctl -q -w net.ipv4.ip_forward=1
ip netns add host2
ip netns exec host2 sysctl -q -w net.ipv4.ip_forward=1
ip netns add pod2
ip netns exec pod2 sysctl -q -w net.ipv4.ip_forward=1
ip link add eth1 mtu 9500 type veth peer name eth1 mtu 9500 netns host1
ip link set eth1 master switch
ip netns exec host1 ip link set eth1 up
ip link set eth1 up
ip link add veth-pair2 mtu 9500 type veth peer name eth1 mtu 9500 netns host2
ip link set veth-pair2 master switch
ip netns exec host2 ip link set eth1 up
ip link set veth-pair2 up
ip netns exec host1 ip link add pod1-veth-pair mtu 9500 type veth peer name eth1 mtu 9500 netns pod1
ip netns exec host1 ip link set pod1-veth-pair up
ip netns exec pod1 ip link set eth1 up
ip netns exec host2 ip link add pod2-veth-pair mtu 9500 type veth peer name eth1 mtu 9500 netns pod2
ip netns exec host2 ip link set pod2-veth-pair up
ip netns exec pod2 ip link set eth1 up
ip netns exec host1 ip link set lo up
ip netns exec pod1 ip link set lo up
ip netns exec host2 ip link set lo up
ip netns exec pod2 ip link set lo up
# host1 exec
ip netns exec host1 sysctl -w net.ipv4.ip_forward=1
ip netns exec host1 ip addr add 192.168.0.100/24 dev eth1
ip netns exec host1 ip link set eth1 up
ip netns exec host1 brctl addbr cni0
ip netns exec host1 ip addr add 10.0.1.1/24 dev cni0
ip netns exec host1 ip link set cni0 up
ip netns exec host1 ip link set pod1-veth-pair master cni0
ip netns exec host1 ip link set pod1-veth-pair up
ip netns exec host1 ip route add 10.0.2.0/24 via 192.168.0.200
ip netns exec host1 iptables -t nat -A POSTROUTING -s 10.0.0.0/16 ! -d 10.0.0.0/16 -j MASQUERADE
# pod1 exec
ip netns exec pod1 ip addr add 10.0.1.2/24 dev eth1
ip netns exec pod1 ip link set eth1 up
ip netns exec pod1 ip route replace default via 10.0.1.1
# host2 exec
ip netns exec host2 sysctl -w net.ipv4.ip_forward=1
ip netns exec host2 ip addr add 192.168.0.200/24 dev eth1
ip netns exec host2 ip link set eth1 up
ip netns exec host2 brctl addbr cni0
ip netns exec host2 ip addr add 10.0.2.1/24 dev cni0
ip netns exec host2 ip link set cni0 up
ip netns exec host2 ip link set pod2-veth-pair master cni0
ip netns exec host2 ip link set pod2-veth-pair up
ip netns exec host2 ip route add 10.0.1.0/24 via 192.168.0.100
ip netns exec host2 iptables -t nat -A POSTROUTING -s 10.0.0.0/16 ! -d 10.0.0.0/16 -j MASQUERADE
# pod2 exec
ip netns exec pod2 ip addr add 10.0.2.2/24 dev eth1
ip netns exec pod2 ip link set eth1 up
ip netns exec pod2 ip route replace default via 10.0.2.1
# --- traffic ---
ip netns exec pod1 ping -c 3 -i 0.2 10.0.2.2
