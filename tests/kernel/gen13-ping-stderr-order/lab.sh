# iputils ping flushes stdout after every line: with stdout and stderr in one file (the
# recorder's capture of the lab's output, `2>&1` into a pipe or a file) its `sendmsg` errors
# come right after the PING line, before the statistics. Apart: each stream keeps its order.
# h2's end has MTU 1000, so veth drops h1's 1200-byte echoes (ENOBUFS).
ip netns add h1
ip netns add h2
ip -n h1 link add eth0 address 02:00:00:00:13:01 type veth peer name eth0 netns h2 address 02:00:00:00:13:02
ip -n h1 addr add 10.13.1.1/24 dev eth0
ip -n h2 addr add 10.13.1.2/24 dev eth0
# Permanent neighbours: no ARP, so no neighbour timer decides what the capture shows.
ip -n h1 neigh add 10.13.1.2 lladdr 02:00:00:00:13:02 dev eth0 nud permanent
ip -n h2 neigh add 10.13.1.1 lladdr 02:00:00:00:13:01 dev eth0 nud permanent
ip -n h2 link set eth0 mtu 1000
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
# --- traffic ---
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 1200 10.13.1.2
echo "status $?"
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 1200 10.13.1.2 2>&1 | cat
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 1200 10.13.1.2 > both.txt 2>&1
cat both.txt
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 1200 10.13.1.2 &> amp.txt
cat amp.txt
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 1200 10.13.1.2 2> err.txt > out.txt
cat out.txt err.txt
ip netns exec h1 ping -c 1 -W 1 10.13.1.2 2>&1 | cat
