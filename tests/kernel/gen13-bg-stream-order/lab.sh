# A background job's stdout and stderr in one place keep the order the program wrote them in:
# iputils ping prints its warnings (a broadcast destination, a source address not on the -I
# device) on stderr before the PING line on stdout, and flushes stdout after every line.
ip netns add h1
ip netns add h2
ip -n h1 link add eth0 address 02:00:00:00:13:11 type veth peer name eth0 netns h2 address 02:00:00:00:13:12
ip -n h1 addr add 10.13.2.1/24 dev eth0
ip -n h2 addr add 10.13.2.2/24 dev eth0
ip -n h2 addr add 10.13.3.2/24 dev eth0
ip -n h1 addr add 10.13.9.1/32 dev lo
# Permanent neighbours: no ARP, so no neighbour timer decides what the capture shows.
ip -n h1 neigh add 10.13.2.2 lladdr 02:00:00:00:13:12 dev eth0 nud permanent
ip -n h1 neigh add 10.13.3.2 lladdr 02:00:00:00:13:12 dev eth0 nud permanent
ip -n h2 neigh add 10.13.2.1 lladdr 02:00:00:00:13:11 dev eth0 nud permanent
ip -n h2 neigh add 10.13.9.1 lladdr 02:00:00:00:13:11 dev eth0 nud permanent
ip -n h1 link set lo up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h1 route add 10.13.3.0/24 dev eth0 src 10.13.9.1
ip -n h2 route add 10.13.9.1/32 dev eth0
# --- traffic ---
ip netns exec h1 ping -b -c 1 -W 1 10.13.2.255 &
wait
echo "status $?"
ip netns exec h1 ping -b -c 1 -W 1 10.13.2.255 > bg.txt 2>&1 &
wait
cat bg.txt
ip netns exec h1 ping -b -c 1 -W 1 10.13.2.255 2> err.txt > out.txt &
wait
cat out.txt err.txt
ip netns exec h1 ping -I eth0 -c 1 -W 1 10.13.3.2 &> bg2.txt &
wait
cat bg2.txt
ip netns exec h1 ping -I eth0 -c 1 -W 1 10.13.3.2 &
wait
