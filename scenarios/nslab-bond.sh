# Lab: nslab-bond
# Reproduces: no seed section; written for the "link kinds" issue (12) to check bonding against
#   the kernel (recorded in the oracle VM: the host kernel has no bonding module). a's bond0
#   (active-backup, miimon 100) and c's bond1 (balance-rr) each have two veth slaves into b's
#   bridge br0. Slaves take their bond's MAC, which the capture comparison cannot name, so the
#   slaves have fixed addresses (a bond takes its first slave's). Long reachable times keep
#   the neighbour entries REACHABLE however slowly the VM runs the lab. c sends nothing: the
#   kernel's round-robin counter is per CPU, so which slave a frame takes depends on the CPU
#   (two recordings differed), and the model has one.
# Traffic: a -> b over the active slave e1 (the bridge floods a's broadcasts back to the backup
#   e2, where bond0 drops them, and to both of c's slaves, where bond1 takes both copies); the
#   bonds' /proc/net/bonding files; e1 goes down: the MII monitor fails over to e2 and bond0
#   announces its address with a gratuitous ARP; a -> b again over e2; option errors; a
#   balance-xor bond with xmit_hash_policy layer3+4; e1 back up and released (it stays down).
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip netns add c
ip -n a link add bond0 type bond mode active-backup miimon 100
ip -n a link add e1 address 02:00:00:00:0a:01 type veth peer name p1 netns b
ip -n a link add e2 address 02:00:00:00:0a:02 type veth peer name p2 netns b
ip -n a link set e1 master bond0
ip -n a link set e2 master bond0
ip -n c link add bond1 type bond mode balance-rr
ip -n c link add e1 address 02:00:00:00:0c:01 type veth peer name q1 netns b
ip -n c link add e2 address 02:00:00:00:0c:02 type veth peer name q2 netns b
ip -n c link set e1 master bond1
ip -n c link set e2 master bond1
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n b link set q1 master br0
ip -n b link set q2 master br0
ip -n a addr add 10.0.0.1/24 dev bond0
ip -n c addr add 10.0.0.3/24 dev bond1
ip -n b addr add 10.0.0.2/24 dev br0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n b link set q1 up
ip -n b link set q2 up
ip -n a link set bond0 up
ip -n c link set bond1 up
ip netns exec a sysctl -w net.ipv4.neigh.bond0.base_reachable_time_ms=120000
ip netns exec b sysctl -w net.ipv4.neigh.br0.base_reachable_time_ms=120000
ip netns exec c sysctl -w net.ipv4.neigh.bond1.base_reachable_time_ms=120000
sleep 1
# --- traffic ---
ip netns exec a ping -c 2 -i 0.2 10.0.0.2
sleep 6
ip netns exec a cat /proc/net/bonding/bond0
ip netns exec c cat /proc/net/bonding/bond1
ip -n a link set e1 down
sleep 1
ip netns exec a cat /proc/net/bonding/bond0
ip netns exec a ping -c 2 -i 0.2 10.0.0.2
sleep 6
ip -n a link add bond6 address 02:00:00:00:0a:06 type bond mode balance-xor xmit_hash_policy layer3+4
ip -n a link add bond7 type bond mode foo
ip -n a link add bond8 type bond miimon abc
ip -n a link set e1 up
ip -n a link set e1 nomaster
ip -n a -d link show bond6
ip -n a -d link show e2
sleep 2
