# Lab: nslab-tbf
# Reproduces: no seed section; written for the traffic control issue (12) to check the tbf,
#   pfifo and bfifo qdiscs against the kernel (recorded on the host kernel, which has
#   sch_tbf and sch_fifo). A token bucket of 40 kbit/s (5000 bytes a second) lets one
#   1042-byte frame leave at once and the next ones every 208.4 ms: tc's counters show it
#   (overlimits: each dequeue that found too few tokens), and tests/tc.rs compares the
#   departure times on the wire, which the bucket alone sets. Ping leaves (twice its longest
#   round trip, at least an interval, after its last request) before the queued requests are
#   sent, whose replies then find no socket; the lab waits for them before it shows the
#   counters. A queue limit of one frame drops the third echo request while the second waits:
#   sendmsg gets ENOBUFS and iputils tries again each interval until there is room; a frame
#   larger than the bucket (burst) is always dropped. pfifo/bfifo pass frames on at once (a
#   veth is never busy) and drop what exceeds their limit. The neighbour entries are
#   permanent (fixed MACs), so that no ARP frame queues.
# Traffic: ping runs with tc -s qdisc show after each; the qdisc is deleted at the end.
ip netns add a
ip netns add b
ip -n a link add eth0 address 02:00:00:00:0a:01 type veth peer name eth0 address 02:00:00:00:0b:01 netns b
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:01 dev eth0 nud permanent
ip -n b neigh replace 10.0.0.1 lladdr 02:00:00:00:0a:01 dev eth0 nud permanent
# --- traffic ---
ip netns exec a tc qdisc add dev eth0 root handle 1: tbf rate 40kbit burst 1100 limit 3200
ip netns exec a tc qdisc show dev eth0
ip -n a link show dev eth0 | head -1
ip netns exec a ping -c 3 -i 0.05 -s 1000 10.0.0.2 | grep transmitted
sleep 0.5
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc del dev eth0 root
ip netns exec a tc qdisc add dev eth0 root handle 2: tbf rate 8kbit burst 1150 limit 1100
ip netns exec a tc qdisc show dev eth0
ip netns exec a ping -c 3 -i 0.2 -s 1000 10.0.0.2 2>err.txt | awk -F'time=' '/time=/ { split($0, s, " "); print s[5], ($2 + 0 > 20 ? "queued" : "at once") } /transmitted/'
sort -u err.txt
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a ping -c 1 -W 1 -s 1200 10.0.0.2 2>err.txt | grep transmitted
sort -u err.txt
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc replace dev eth0 root handle 3: tbf rate 1mbit burst 32kbit latency 400ms peakrate 2mbit mtu 1514
ip netns exec a tc qdisc show dev eth0
ip netns exec a ping -c 3 -i 0.2 10.0.0.2 | grep transmitted
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc del dev eth0 root
ip netns exec a tc qdisc add dev eth0 root handle 4: pfifo limit 5
ip netns exec a ping -c 2 -i 0.2 10.0.0.2 | grep transmitted
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc replace dev eth0 root handle 5: bfifo limit 100
ip netns exec a ping -c 1 -W 1 -s 100 10.0.0.2 2>err.txt | grep transmitted
sort -u err.txt
ip netns exec a ping -c 1 -s 40 10.0.0.2 | grep transmitted
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc replace dev eth0 root handle 6: pfifo limit 0
ip netns exec a ping -c 1 -W 1 10.0.0.2 2>err.txt | grep transmitted
sort -u err.txt
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc del dev eth0 root
ip netns exec a tc -s qdisc show dev eth0
