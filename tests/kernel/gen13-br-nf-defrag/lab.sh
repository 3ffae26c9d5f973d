# br_netfilter with conntrack (issue 13 class C, bridge part): nf_defrag_ipv4 at the IPv4
# PREROUTING hook br_netfilter runs for a bridged frame reassembles fragments, so the bridge's
# own stack sees (and a capture on the bridge device shows) the whole packet, and a bridged
# packet leaves the other port in fragments again (br_nf_dev_queue_xmit, to its largest
# fragment's size). h1 and h2 hang on br0 in sw, which has an address and a conntrack rule.
ip netns add h1
ip netns add h2
ip netns add sw
ip -n sw link add br0 address 02:00:00:00:13:10 type bridge
ip -n h1 link add eth0 address 02:00:00:00:13:01 type veth peer name p1 netns sw address 02:00:00:00:13:11
ip -n h2 link add eth0 address 02:00:00:00:13:02 type veth peer name p2 netns sw address 02:00:00:00:13:12
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n h1 addr add 10.13.2.1/24 dev eth0
ip -n h2 addr add 10.13.2.2/24 dev eth0
ip -n sw addr add 10.13.2.254/24 dev br0
# Permanent neighbours: no ARP, so no neighbour timer decides what the captures show.
ip -n h1 neigh add 10.13.2.2 lladdr 02:00:00:00:13:02 dev eth0 nud permanent
ip -n h1 neigh add 10.13.2.254 lladdr 02:00:00:00:13:10 dev eth0 nud permanent
ip -n h2 neigh add 10.13.2.1 lladdr 02:00:00:00:13:01 dev eth0 nud permanent
ip -n sw neigh add 10.13.2.1 lladdr 02:00:00:00:13:01 dev br0 nud permanent
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set br0 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip netns exec sw iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP
ip netns exec sw iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
# --- traffic ---
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 2000 10.13.2.2
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 2000 10.13.2.254
ip netns exec h1 ping -c 1 -W 1 -s 3500 10.13.2.2
