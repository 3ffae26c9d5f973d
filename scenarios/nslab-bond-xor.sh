# Lab: nslab-bond-xor
# Reproduces: no seed section; written for the "link kinds" issue (12) to check balance-xor's
#   transmit choice against the kernel (recorded in the oracle VM: the host kernel has no
#   bonding module). a's bond0 (balance-xor, xmit_hash_policy layer2, miimon 100) has two veth
#   slaves into b's bridge br0, where hosts h2..h5 hang off with fixed MAC addresses: layer2
#   hashes the last bytes of both addresses and the ethertype, so with two slaves a frame to
#   an even address leaves by e1, one to an odd address (and a broadcast) by e2. The hosts'
#   entries for a are permanent, so that only a sends ARP requests.
# Traffic: a pings each host (its ARP request goes out of e2; the bridge floods it back to
#   e1, where bond0, all of whose slaves are active, takes it too); /proc/net/bonding; e1 goes
#   down: everything leaves by e2 (the hash modulo one slave); e1 comes back.
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip netns add h2
ip netns add h3
ip netns add h4
ip netns add h5
ip -n a link add bond0 address 02:00:00:00:0a:10 type bond mode balance-xor miimon 100
ip -n a link add e1 address 02:00:00:00:0a:01 type veth peer name p1 netns b
ip -n a link add e2 address 02:00:00:00:0a:02 type veth peer name p2 netns b
ip -n a link set e1 master bond0
ip -n a link set e2 master bond0
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n h2 link add eth0 address 02:00:00:00:0c:02 type veth peer name q2 netns b
ip -n h3 link add eth0 address 02:00:00:00:0c:03 type veth peer name q3 netns b
ip -n h4 link add eth0 address 02:00:00:00:0c:04 type veth peer name q4 netns b
ip -n h5 link add eth0 address 02:00:00:00:0c:05 type veth peer name q5 netns b
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n b link set q2 master br0
ip -n b link set q3 master br0
ip -n b link set q4 master br0
ip -n b link set q5 master br0
ip -n a addr add 10.0.0.1/24 dev bond0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip -n h4 addr add 10.0.0.4/24 dev eth0
ip -n h5 addr add 10.0.0.5/24 dev eth0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n b link set q2 up
ip -n b link set q3 up
ip -n b link set q4 up
ip -n b link set q5 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h4 link set eth0 up
ip -n h5 link set eth0 up
ip -n a link set bond0 up
ip -n h2 neigh add 10.0.0.1 lladdr 02:00:00:00:0a:10 dev eth0 nud permanent
ip -n h3 neigh add 10.0.0.1 lladdr 02:00:00:00:0a:10 dev eth0 nud permanent
ip -n h4 neigh add 10.0.0.1 lladdr 02:00:00:00:0a:10 dev eth0 nud permanent
ip -n h5 neigh add 10.0.0.1 lladdr 02:00:00:00:0a:10 dev eth0 nud permanent
ip netns exec a sysctl -w net.ipv4.neigh.bond0.base_reachable_time_ms=300000
sleep 1
# --- traffic ---
ip netns exec a ping -c 1 10.0.0.2
ip netns exec a ping -c 1 10.0.0.3
ip netns exec a ping -c 1 10.0.0.4
ip netns exec a ping -c 1 10.0.0.5
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set e1 down
sleep 1
ip netns exec a ping -c 1 10.0.0.2
ip netns exec a ping -c 1 10.0.0.3
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set e1 up
sleep 1
ip netns exec a ping -c 1 10.0.0.4
ip netns exec a ping -c 1 10.0.0.5
ip -n a -d link show bond0
sleep 1
