# Lab: nslab-ipvlan-l3s
# Reproduces: no seed section; written for the "link kinds" issue (12) to check ipvlan in L3S
#   mode against the kernel (recorded in the oracle VM: the host kernel has no ipvlan), with
#   nslab-ipvlan-l3's topology: h's eth0 (a veth to the router r) carries two L3S ipvlans moved
#   to c1 and c2 (10.1.0.0/24, default route out of the slave); r routes that subnet via h.
# L3S (ipvlan_l3s.c): the parent's rx handler lets every frame pass, so a packet for a slave
#   meets the parent's namespace (PREROUTING, the l3mdev hook ipvlan_l3_rcv routes it in the
#   slave's namespace, INPUT, then ipvlan_nf_input hands it to the slave): h's INPUT rules and
#   conntrack see the slaves' inbound traffic (the ESTABLISHED counter: the replies to the
#   connections c1's pings opened through h's OUTPUT), c1's INPUT sees only what c2 sends it
#   (slave to slave, straight across the port), and h's DROP stops r's ping to c2.
# h and r know each other's MAC (permanent neighbours): the VM runs slowly enough that their
#   entries would go stale and be probed at other points of the traffic than in the model.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add h
ip netns add c1
ip netns add c2
ip netns add r
ip -n h link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:02 netns r
ip -n h link add ipv1 link eth0 type ipvlan mode l3s
ip -n h link add ipv2 link eth0 type ipvlan mode l3s bridge
ip -n h link set ipv1 netns c1
ip -n h link set ipv2 netns c2
ip -n h addr add 10.0.0.1/24 dev eth0
ip -n r addr add 10.0.0.254/24 dev eth0
ip -n c1 addr add 10.1.0.11/24 dev ipv1
ip -n c2 addr add 10.1.0.12/24 dev ipv2
ip -n h link set eth0 up
ip -n r link set eth0 up
ip -n c1 link set ipv1 up
ip -n c2 link set ipv2 up
ip -n c1 route add default dev ipv1
ip -n c2 route add default dev ipv2
ip -n r route add 10.1.0.0/24 via 10.0.0.1
ip -n h neigh add 10.0.0.254 lladdr 02:00:00:00:02:02 dev eth0
ip -n r neigh add 10.0.0.1 lladdr 02:00:00:00:01:01 dev eth0
# --- traffic ---
ip netns exec h iptables -A INPUT -d 10.1.0.11 -p icmp -m conntrack --ctstate ESTABLISHED
ip netns exec h iptables -A INPUT -d 10.1.0.11 -p icmp
ip netns exec h iptables -A INPUT -d 10.1.0.12 -p icmp -j DROP
ip netns exec c1 iptables -A INPUT -p icmp
ip -n c1 -d link show ipv1
ip netns exec c1 ping -c 2 -i 0.2 10.1.0.12
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.254
ip netns exec r ping -c 2 -i 0.2 10.1.0.11
ip netns exec r ping -c 1 -W 1 10.1.0.12
ip netns exec h iptables -L INPUT -v -n -x
ip netns exec c1 iptables -L INPUT -v -n -x
ip netns exec h conntrack -F 2> /dev/null
sleep 1
