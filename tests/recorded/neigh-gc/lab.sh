# Neighbour gc (issue 14): periodic gc (gc_thresh1 counted over the one table of every
# namespace), forced gc (gc_thresh2 after 5 s, max_clean), table overflow (gc_thresh3).
ip link add a0 type veth peer name a1
ip link set a0 up
ip link set a1 up
ip addr add 10.1.0.1/16 dev a0
ip netns add gcb
ip -n gcb link add b0 type veth peer name b1
ip -n gcb link set b0 up
ip -n gcb link set b1 up
ip -n gcb addr add 10.2.0.1/16 dev b0
# --- traffic ---
echo "== gcb pings 100 unused addresses"
for i in $(seq 1 100); do ip netns exec gcb ping -c 1 -W 1 10.2.1.$i > /dev/null 2>&1 & done
wait
sleep 4
ip -n gcb neigh show dev b0 | grep -c FAILED
echo "== 40 s later: 100 entries < gc_thresh1, no gc"
sleep 40
ip -n gcb neigh show dev b0 | grep -c FAILED
echo "== root adds 30 permanent entries: 130 in the one table"
for i in $(seq 1 30); do ip neigh add 10.1.2.$i lladdr 02:00:00:00:00:02 dev a0 nud permanent; done
sleep 20
ip -n gcb neigh show dev b0 | wc -l
ip neigh show dev a0 | grep -c PERMANENT
ip neigh flush dev a0 nud permanent
ip neigh show dev a0 | wc -l
echo "== 600 stale entries at once, 6 s later one more: forced gc"
for i in $(seq 0 599); do echo "neigh add 10.1.$((100 + i / 200)).$((i % 200 + 1)) lladdr 02:00:00:00:00:01 dev a0 nud stale"; done > b1.txt
ip -batch b1.txt
ip neigh show dev a0 | wc -l
sleep 6
ip neigh add 10.1.99.1 lladdr 02:00:00:00:00:01 dev a0 nud stale
ip neigh show dev a0 | wc -l
ip neigh show dev a0 | grep -v 10.1.99.1 | sort -t . -k3,3n -k4,4n | head -1
ip neigh flush dev a0
ip neigh show dev a0 | wc -l
echo "== 1100 stale entries at once: overflow"
for i in $(seq 0 1099); do echo "neigh add 10.1.$((100 + i / 200)).$((i % 200 + 1)) lladdr 02:00:00:00:00:01 dev a0 nud stale"; done > b2.txt
ip -batch b2.txt; echo "ip status $?"; ping -c 1 -W 1 10.1.200.1; echo "ping status $?"
ip neigh show dev a0 | wc -l
ip neigh show dev a0 | sort -t . -k3,3n -k4,4n | tail -1
ip neigh show 10.1.200.1
dmesg | grep overflow | sed 's/^\[[^]]*\] //' | uniq -c
