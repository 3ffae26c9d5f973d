# Lab: nslab-netem
# Reproduces: no seed section; written for the traffic control issue (12) to check tc netem
#   against the kernel (recorded in the oracle VM: the host kernel has no sch_netem). Only the
#   settings whose effect is certain are used, so that the frames compare identical: a fixed
#   delay, 100% duplication, reordering every third frame (reorder 100% gap 3, with a delay of
#   1 s so that the order cannot depend on the recorder's speed), 100% loss,
#   a rate limit and transmission slots. netem's random settings (jitter, loss 10%) are
#   checked by statistics in tests/tc.rs instead.
# Traffic: one ping run per setting, with `tc -s qdisc` after each. Ping leaves after twice
#   its longest round trip once all is sent (iputils' schedule_exit): the reordered run ends
#   with the third and sixth replies, and the lab waits for the queue to drain. The neighbour entries are
#   permanent (fixed MACs), so that no ARP probe depends on how long the recorder took.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
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
ip netns exec a tc qdisc add dev eth0 root netem delay 100ms
ip netns exec a ping -c 3 -i 0.2 10.0.0.2 | grep -c 'time=1[0-9][0-9]'
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc change dev eth0 root netem delay 20ms duplicate 100%
ip netns exec a ping -c 2 -i 0.5 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
ip netns exec a tc qdisc change dev eth0 root netem delay 1s reorder 100% gap 3
ip netns exec a tc qdisc show dev eth0
ip netns exec a ping -c 6 -i 0.03 10.0.0.2 | grep -o 'icmp_seq=[0-9]*'
sleep 1.2
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc change dev eth0 root netem loss 100%
ip netns exec a ping -c 2 -i 0.2 -W 1 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
ip netns exec a tc -s qdisc show dev eth0
ip netns exec a tc qdisc replace dev eth0 root netem rate 1mbit
ip netns exec a ping -c 2 -s 1000 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
ip netns exec a tc qdisc replace dev eth0 root netem slot 100ms 100ms packets 1
ip netns exec a tc qdisc show dev eth0
ip netns exec a ping -c 3 -i 0.02 10.0.0.2 | grep -o 'icmp_seq=[0-9]*'
ip netns exec a tc qdisc del dev eth0 root
ip netns exec a tc -s qdisc show dev eth0
