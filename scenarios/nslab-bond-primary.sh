# Lab: nslab-bond-primary
# Reproduces: no seed section; written for the "link kinds" issue (12) to check an
#   active-backup bond's `primary`, `active_slave`, `primary_reselect` and `num_grat_arp`
#   against the kernel (recorded in the oracle VM: the host kernel has no bonding module).
#   a's bond0 (active-backup, miimon 100, `primary e2` given at creation before e2 is
#   enslaved, num_grat_arp 2) has three veth slaves into b's bridge br0.
# Traffic: the primary is active from its enslaving on; `active_slave e1` switches by hand
#   (two gratuitous ARPs, one per MII tick); the active e1 fails and the primary takes over;
#   under primary_reselect failure a returning primary stays backup, `better` keeps it so
#   (same speed), `always` brings it back; a new primary at runtime; num_grat_arp 0 (no
#   announcement); the errors of iproute2 and the kernel (non-slave, down slave, unknown
#   device, a mode without a primary, bad values); a bond created with `primary` before
#   `mode` on the command line; clear_active_slave. /proc/net/bonding and `ip -d link show`
#   after each step. The neighbour entries are permanent (fixed MACs), so that no ARP probe
#   depends on how long the recorder took (the VM runs each command slowly).
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip -n a link add e1 address 02:00:00:00:0a:01 type veth peer name p1 netns b
ip -n a link add e2 address 02:00:00:00:0a:02 type veth peer name p2 netns b
ip -n a link add e3 address 02:00:00:00:0a:03 type veth peer name p3 netns b
ip -n a link add e4 address 02:00:00:00:0a:04 type veth peer name p4 netns b
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n b link set p3 master br0
ip -n b addr add 10.0.0.2/24 dev br0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n b link set p3 up
ip -n a link add bond0 address 02:00:00:00:0a:10 type bond mode active-backup miimon 100 primary e2 num_grat_arp 2
ip -n a link set e1 master bond0
ip -n a link set e2 master bond0
ip -n a link set e3 master bond0
ip -n a addr add 10.0.0.1/24 dev bond0
ip -n a link set bond0 up
ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:0b:fe dev bond0 nud permanent
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:0a:10 dev br0 nud permanent
sleep 1
# --- traffic ---
ip netns exec a cat /proc/net/bonding/bond0
ip -n a -d link show bond0
ip netns exec a ping -c 1 10.0.0.2
ip -n a link set bond0 type bond active_slave e1
sleep 1
ip netns exec a ping -c 1 10.0.0.2
ip -n a link set e1 down
sleep 1
ip netns exec a cat /proc/net/bonding/bond0
ip netns exec a ping -c 1 10.0.0.2
ip -n a link set bond0 type bond primary_reselect failure
ip -n a link set bond0 type bond active_slave e3
sleep 1
ip -n a link set e1 up
sleep 1
ip -n a link set e2 down
sleep 1
ip -n a link set e2 up
sleep 1
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set bond0 type bond primary_reselect better
sleep 1
ip -n a -d link show bond0
ip -n a link set bond0 type bond primary_reselect always
sleep 1
ip netns exec a cat /proc/net/bonding/bond0
ip netns exec a ping -c 1 10.0.0.2
ip -n a link set bond0 type bond primary e1 num_grat_arp 0
sleep 1
ip netns exec a ping -c 1 10.0.0.2
ip -n a -d link show bond0
ip -n a -d link show e3
ip -n a link set bond0 type bond active_slave e1
ip -n a link set bond0 type bond active_slave e4
ip -n a link set bond0 type bond active_slave e9
ip -n a link set bond0 type bond active_slave lo
ip -n a link set e3 down
sleep 1
ip -n a link set bond0 type bond active_slave e3
ip -n a link set bond0 type bond primary e4
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set bond0 type bond primary nosuch
ip -n a link set bond0 type bond primary_reselect foo
ip -n a link set bond0 type bond num_grat_arp 300
ip -n a link set bond0 type bond primary_reselect 2
ip -n a link set bond0 type bond clear_active_slave
ip -n a -d link show bond0
ip -n a link add bond1 type bond primary e4
ip -n a link add bond2 type bond mode balance-xor
ip -n a link set bond2 type bond active_slave e4
ip -n a link set bond2 type bond primary e4
ip -n a link set bond2 type bond primary_reselect better
ip -n a link add bond3 address 02:00:00:00:0a:13 type bond primary e4 mode active-backup
ip netns exec a cat /proc/net/bonding/bond3
ip -n a link set e4 master bond3
ip netns exec a cat /proc/net/bonding/bond3
ip -n a link set bond0 type bond active_slave e4
ip -n a -d link show bond3
ip -n a link show bond1
sleep 1
