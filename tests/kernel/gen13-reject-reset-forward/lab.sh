# REJECT --reject-with tcp-reset in FORWARD: nf_send_reset answers from the segment's
# destination, which is not the router's address; ip_route_me_harder keeps such a unicast
# source (FLOWI_FLAG_ANYSRC) and the reset goes back to the client.
ip netns add h1
ip netns add r
ip netns add h2
ip -n h1 link add eth0 address 02:00:00:00:13:01 type veth peer name eth0 netns r address 02:00:00:00:13:11
ip -n h2 link add eth0 address 02:00:00:00:13:02 type veth peer name eth1 netns r address 02:00:00:00:13:12
ip -n h1 addr add 10.13.3.1/24 dev eth0
ip -n r addr add 10.13.3.254/24 dev eth0
ip -n r addr add 10.13.4.254/24 dev eth1
ip -n h2 addr add 10.13.4.1/24 dev eth0
# Permanent neighbours: no ARP, so no neighbour timer decides what the captures show.
ip -n h1 neigh add 10.13.3.254 lladdr 02:00:00:00:13:11 dev eth0 nud permanent
ip -n r neigh add 10.13.3.1 lladdr 02:00:00:00:13:01 dev eth0 nud permanent
ip -n r neigh add 10.13.4.1 lladdr 02:00:00:00:13:02 dev eth1 nud permanent
ip -n h2 neigh add 10.13.4.254 lladdr 02:00:00:00:13:12 dev eth0 nud permanent
ip -n h1 link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n h2 link set eth0 up
ip -n h1 route add default via 10.13.3.254
ip -n h2 route add default via 10.13.4.254
ip netns exec r sysctl -w net.ipv4.ip_forward=1 > /dev/null
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -j REJECT --reject-with tcp-reset
ip netns exec r iptables -A INPUT -p tcp --dport 8001 -j REJECT --reject-with tcp-reset
# --- traffic ---
ip netns exec h1 nc -z -w 1 10.13.4.1 8000
echo "nc forward: $?"
ip netns exec h1 nc -zv -w 1 10.13.4.1 8000
echo "nc -v forward: $?"
ip netns exec h1 nc -z -w 1 10.13.3.254 8001
echo "nc input: $?"
