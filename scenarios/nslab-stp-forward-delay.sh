# Lab: nslab-stp-forward-delay
# Reproduces: no seed section; written for the "link kinds" issue (12): the bridge's in-kernel
#   802.1D STP (stp_state 1) walking a port through listening and learning to forwarding.
#   Switch namespace sw has bridge br0 with STP on, forward_delay 2.5 s (hello_time 2 s,
#   max_age 20 s as created) and ports p1, p2 to hosts h1, h2; every MAC is fixed, so the
#   bridge id is 8000 and the lowest port MAC (p1's). The hosts' neighbour entries are
#   permanent, so no ARP depends on how long the recorder took.
# Traffic: br0 comes up: both ports listening (br0 has no carrier); a ping from h1 is dropped
#   at p1 (listening: not forwarded, not learnt); 2.5 s later learning: the next ping is
#   dropped too but h1's MAC is learnt; after the second forward delay both ports forward
#   (topology change: the bridge's ageing time drops to 2 x forward_delay) and the ping passes.
#   br0 sends a config BPDU (LLC 42 42 03 to 01:80:c2:00:00:00) out of each port every
#   hello_time (the first 2 s after coming up, later ones rounded to a whole second: the
#   forward delay of 2.5 s keeps the ports' change between two of them).
ip netns add sw
ip netns add h1
ip netns add h2
ip -n sw link add br0 type bridge stp_state 1 forward_delay 250
ip -n h1 link add eth0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:01:01 netns sw
ip -n h2 link add eth0 address 02:00:00:00:00:02 type veth peer name p2 address 02:00:00:00:01:02 netns sw
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h1 neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent
ip -n h2 neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent
bridge -n sw link show
# --- traffic ---
ip -n sw link set br0 up
bridge -n sw link show
ip -n sw link show br0
sleep 0.5
ip netns exec h1 ping -c 1 -W 1 10.0.0.2
bridge -n sw fdb show br br0
sleep 1.5
bridge -n sw link show
ip netns exec h1 ping -c 1 -W 1 10.0.0.2
bridge -n sw fdb show br br0
sleep 2
bridge -n sw link show
ip -n sw link show br0
ip netns exec h1 ping -c 1 10.0.0.2
bridge -n sw fdb show br br0
