# Lab: nslab-bridge-ports
# Reproduces: no seed section; written for the "link kinds" issue (12) to check bridge port
#   options against the kernel. A switch namespace sw has bridge br0 with four ports: p1 to
#   host, whose eth0 carries two VEPA macvlans (moved to c1 and c2), and p2, p3, p4 to h2, h3,
#   h4. p1 has hairpin on (so the macvlans reach each other through the switch), p3 and p4 are
#   isolated, p2 does not learn, p4 gets no unknown unicast (flood off).
# Traffic: c1 -> c2 (VEPA, back through the hairpin port); h3 -> h4 (isolated from each other:
#   fails); h3 -> h2 (isolated to a normal port); h2 -> c1 (the bridge never learns h2, so the
#   replies to h2 are flooded, except to p4); bridge link show; option errors. br0 itself gets
#   forward_delay, mcast_snooping and ageing_time (ip -d link shows them).
ip netns add sw
ip netns add host
ip netns add c1
ip netns add c2
ip netns add h2
ip netns add h3
ip netns add h4
ip -n sw link add br0 type bridge forward_delay 500 mcast_snooping 0
ip -n sw link set br0 type bridge ageing_time 6000
ip -n sw link add p1 type veth peer name eth0 netns host
ip -n sw link add p2 type veth peer name eth0 netns h2
ip -n sw link add p3 type veth peer name eth0 netns h3
ip -n sw link add p4 type veth peer name eth0 netns h4
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
ip -n sw link set p4 master br0
bridge -n sw link set dev p1 hairpin on
bridge -n sw link set dev p3 isolated on
ip -n sw link set p4 type bridge_slave isolated on flood off
bridge -n sw link set dev p2 learning off
ip -n host link add m1 link eth0 type macvlan mode vepa
ip -n host link add m2 link eth0 type macvlan mode vepa
ip -n host link set m1 netns c1
ip -n host link set m2 netns c2
ip -n c1 addr add 10.0.0.11/24 dev m1
ip -n c2 addr add 10.0.0.12/24 dev m2
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip -n h4 addr add 10.0.0.4/24 dev eth0
ip -n sw link set br0 up
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n sw link set p4 up
ip -n host link set eth0 up
ip -n c1 link set m1 up
ip -n c2 link set m2 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h4 link set eth0 up
# --- traffic ---
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.12
ip netns exec h3 ping -c 2 -i 0.2 10.0.0.2
ip netns exec h2 ping -c 2 -i 0.2 10.0.0.11
bridge -n sw link show
bridge -n sw link set dev p1 hairpin maybe
bridge -n sw link set dev br0 hairpin on
bridge -n sw link set dev nosuch hairpin on
ip netns exec sw brctl hairpin br0 p2 maybe
ip netns exec sw brctl hairpin br0 br0 on
ip -n sw link add br1 type bridge forward_delay abc
ip -n sw link add br1 type bridge foo 1
ip netns exec h3 ping -c 1 -W 1 10.0.0.4
sleep 6
