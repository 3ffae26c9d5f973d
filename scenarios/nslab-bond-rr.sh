# Lab: nslab-bond-rr
# Reproduces: no seed section; written for the "link kinds" issue (12) to check balance-rr's
#   transmit choice against the kernel (recorded in the oracle VM: the host kernel has no
#   bonding module). a's bond0 (balance-rr, miimon 100) has three veth slaves into b's bridge
#   br0, where h hangs off. The kernel's round-robin counter (bond_rr_gen_slave_id) is per CPU:
#   unpinned, which slave a frame takes depends on the CPU that sends it (the VM has two), so
#   every command that makes bond0 send runs on CPU 0 (taskset -c 0; what it sends from
#   softirq, h's echo replies, is processed on the CPU that sent the request). Permanent
#   neighbours on both sides: no ARP, no timer-driven probe on another CPU.
# Traffic: a -> h (six echo requests: e2, e3, e1, e2, e3, e1, counting from 1 modulo the
#   three slaves); h -> a (a's three replies go on with the same counter); e2 goes down: the
#   slave the counter names is skipped for the next one that can send (bond_get_slave_by_id),
#   not counted modulo the two left; /proc/net/bonding and ip -d link.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip netns add h
ip -n a link add bond0 address 02:00:00:00:0a:10 type bond mode balance-rr miimon 100
ip -n a link add e1 address 02:00:00:00:0a:01 type veth peer name p1 netns b
ip -n a link add e2 address 02:00:00:00:0a:02 type veth peer name p2 netns b
ip -n a link add e3 address 02:00:00:00:0a:03 type veth peer name p3 netns b
ip -n a link set e1 master bond0
ip -n a link set e2 master bond0
ip -n a link set e3 master bond0
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n h link add eth0 address 02:00:00:00:0c:02 type veth peer name q2 netns b
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n b link set p3 master br0
ip -n b link set q2 master br0
ip -n a addr add 10.0.0.1/24 dev bond0
ip -n h addr add 10.0.0.2/24 dev eth0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n b link set p3 up
ip -n b link set q2 up
ip -n h link set eth0 up
ip -n a link set bond0 up
ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:0c:02 dev bond0 nud permanent
ip -n h neigh add 10.0.0.1 lladdr 02:00:00:00:0a:10 dev eth0 nud permanent
sleep 1
# --- traffic ---
ip netns exec a taskset -c 0 ping -c 6 -i 0.2 10.0.0.2
ip netns exec h taskset -c 0 ping -c 3 -i 0.2 10.0.0.1
ip -n a link set e2 down
sleep 1
ip netns exec a taskset -c 0 ping -c 4 -i 0.2 10.0.0.2
ip netns exec a cat /proc/net/bonding/bond0
ip -n a -d link show bond0
sleep 1
