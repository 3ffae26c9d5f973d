# Lab: nslab-bond-options
# Reproduces: no seed section; written for the "link kinds" issue (12) to check changing a
#   bond's options at runtime (`ip link set BOND type bond ...`, bond_changelink) against the
#   kernel (recorded in the oracle VM: the host kernel has no bonding module). a's bond0
#   (active-backup, no MII monitor) has two veth slaves into b's bridge br0.
# Traffic: miimon switched on at runtime (the MII monitor then starts), the mode change a bond
#   refuses while it is up and while it has slaves, the hash policy, a bad value, and a second
#   bond without slaves whose mode and miimon change while it is down; /proc/net/bonding and
#   `ip -d link` after each.
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip -n a link add bond0 address 02:00:00:00:0a:10 type bond mode active-backup
ip -n a link add e1 address 02:00:00:00:0a:01 type veth peer name p1 netns b
ip -n a link add e2 address 02:00:00:00:0a:02 type veth peer name p2 netns b
ip -n a link set e1 master bond0
ip -n a link set e2 master bond0
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n a addr add 10.0.0.1/24 dev bond0
ip -n b addr add 10.0.0.2/24 dev br0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n a link set bond0 up
sleep 1
# --- traffic ---
ip -n a link set bond0 type bond miimon 100
ip netns exec a cat /proc/net/bonding/bond0
ip -n a link set bond0 type bond mode balance-rr
ip -n a link set bond0 down
ip -n a link set bond0 type bond mode balance-rr
ip -n a link set bond0 type bond xmit_hash_policy layer3+4
ip -n a link set bond0 type bond miimon abc
ip -n a -d link show bond0
ip -n a link add bond1 address 02:00:00:00:0a:11 type bond
ip -n a link set bond1 type bond mode balance-xor
ip -n a link set bond1 type bond mode active-backup miimon 50
ip -n a -d link show bond1
ip netns exec a cat /proc/net/bonding/bond1
ip -n a link set bond1 up
ip -n a link set bond1 type bond mode balance-rr
sleep 1
