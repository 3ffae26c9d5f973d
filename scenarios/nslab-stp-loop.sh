# Lab: nslab-stp-loop
# Reproduces: no seed section; written for the "link kinds" issue (12): three bridges with the
#   kernel's STP (forward_delay 2.5 s, hello_time 2 s, max_age 7 s) in namespaces b1, b2, b3,
#   wired in a loop. b1 has priority 4096: it is the root. b2's bridge id (its fixed address)
#   is lower than b3's. All MACs are fixed, so the ids and the election are reproducible.
#   The b3-b1 link is up from the start but b3 enslaves its end (p31) only later, so b2 and b3
#   first agree on the root through b2 alone (the first BPDUs are not a race between them).
# Traffic: b1's bridge comes up, then b2's and b3's; b1's first hello BPDU (2 s later) is
#   relayed by b2 to b3; every port walks listening, learning, forwarding (b2's TCN is acked by
#   the root, whose BPDUs then carry the topology change flag). b3 enslaves p31: at the root's
#   next hello p31 becomes b3's root port and p32 (to b2) blocks (a topology change: b3 sends a
#   TCN). A ping from b2 to b3 broadcasts an ARP request: it reaches b3 once, through b1, and
#   stops at the blocked p32. Then b1's link to b3 goes down: p31 is disabled, p32 becomes b3's
#   root port and forwards after 2 x forward_delay; b3's ping to b2 takes the b3-b2 link.
ip netns add b1
ip netns add b2
ip netns add b3
ip -n b1 link add br0 type bridge stp_state 1 forward_delay 250 max_age 700 priority 4096
ip -n b2 link add br0 address 02:00:00:00:02:00 type bridge stp_state 1 forward_delay 250 max_age 700
ip -n b3 link add br0 address 02:00:00:00:03:00 type bridge stp_state 1 forward_delay 250 max_age 700
ip -n b1 link add p12 address 02:00:00:00:01:02 type veth peer name p21 address 02:00:00:00:02:01 netns b2
ip -n b2 link add p23 address 02:00:00:00:02:03 type veth peer name p32 address 02:00:00:00:03:02 netns b3
ip -n b3 link add p31 address 02:00:00:00:03:01 type veth peer name p13 address 02:00:00:00:01:03 netns b1
ip -n b1 link set p12 master br0
ip -n b1 link set p13 master br0
ip -n b2 link set p21 master br0
ip -n b2 link set p23 master br0
ip -n b3 link set p32 master br0
ip -n b1 addr add 10.0.0.1/24 dev br0
ip -n b2 addr add 10.0.0.2/24 dev br0
ip -n b3 addr add 10.0.0.3/24 dev br0
ip -n b3 neigh add 10.0.0.2 lladdr 02:00:00:00:02:00 dev br0 nud permanent
ip -n b1 link set p12 up
ip -n b1 link set p13 up
ip -n b2 link set p21 up
ip -n b2 link set p23 up
ip -n b3 link set p31 up
ip -n b3 link set p32 up
# --- traffic ---
ip -n b1 link set br0 up
sleep 0.4
ip -n b2 link set br0 up
ip -n b3 link set br0 up
sleep 1.2
bridge -n b3 link show
sleep 2
bridge -n b1 link show
bridge -n b3 link show
sleep 2.8
bridge -n b2 link show
bridge -n b3 link show
sleep 0.8
ip -n b3 link set p31 master br0
bridge -n b3 link show
sleep 2
bridge -n b3 link show
sleep 3.7
bridge -n b3 link show
ip netns exec b2 ping -c 1 10.0.0.3
sleep 0.5
ip -n b1 link set p13 down
bridge -n b3 link show
sleep 2.9
bridge -n b3 link show
sleep 2.8
bridge -n b3 link show
ip netns exec b3 ping -c 1 10.0.0.2
sleep 1
