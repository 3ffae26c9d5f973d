# Lab: nslab-bridge-fdb-sticky
# Reproduces: no seed section; written for the "link kinds" issue (12) to check user-added
#   bridge fdb entries (`bridge fdb add MAC dev PORT master [static|sticky|dynamic]`) against
#   the kernel. b's bridge br0 has ports p1, p2, p3 to h1, h2, h3. Two entries are added on p1:
#   02:00:00:00:00:aa static and 02:00:00:00:00:bb static sticky (sticky alone is
#   permanent, which the kernel refuses with sticky); p3 gets a dynamic sticky cc.
# Traffic: h2 takes address aa and pings h3: the static entry moves to p2 (learning moves
#   every entry that is not local or sticky), the ping is answered. h2 takes address bb and
#   pings h3: the sticky entry stays on p1, so h3's answers go to h1 and the ping fails.
#   `bridge fdb show` texts and the errors of the add/del commands.
ip netns add b
ip netns add h1
ip netns add h2
ip netns add h3
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n b link add p1 address 02:00:00:00:0b:01 type veth peer name eth0 netns h1 address 02:00:00:00:00:01
ip -n b link add p2 address 02:00:00:00:0b:02 type veth peer name eth0 netns h2 address 02:00:00:00:00:02
ip -n b link add p3 address 02:00:00:00:0b:03 type veth peer name eth0 netns h3 address 02:00:00:00:00:03
ip -n b link set p1 master br0
ip -n b link set p2 master br0
ip -n b link set p3 master br0
ip -n h1 addr add 10.0.0.1/24 dev eth0
ip -n h2 addr add 10.0.0.2/24 dev eth0
ip -n h3 addr add 10.0.0.3/24 dev eth0
ip -n b link set br0 up
ip -n b link set p1 up
ip -n b link set p2 up
ip -n b link set p3 up
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
bridge -n b fdb add 02:00:00:00:00:aa dev p1 master static
bridge -n b fdb add 02:00:00:00:00:bb dev p1 master static sticky
bridge -n b fdb add 02:00:00:00:00:cc dev p3 master dynamic sticky
sleep 1
# --- traffic ---
bridge -n b fdb show br br0
ip -n h2 link set eth0 address 02:00:00:00:00:aa
ip netns exec h2 ping -c 2 -i 0.2 10.0.0.3
bridge -n b fdb show dev p2
bridge -n b fdb show dev p1
ip -n h2 link set eth0 address 02:00:00:00:00:bb
ip netns exec h2 ping -c 2 -i 0.2 -W 1 10.0.0.3
bridge -n b fdb show dev p1
bridge -n b fdb show dev p2
bridge -n b fdb add 02:00:00:00:00:aa dev p1 master static
bridge -n b fdb add 02:00:00:00:00:dd dev p1 master sticky
bridge -n b fdb add 02:00:00:00:00:dd dev p1 master
bridge -n b fdb replace 02:00:00:00:00:bb dev p3 master static
bridge -n b fdb del 02:00:00:00:00:aa dev p2 master
bridge -n b fdb del 02:00:00:00:00:ee dev p2 master
bridge -n b fdb show br br0
sleep 1
