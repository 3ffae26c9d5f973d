ip link show tunl0 > /dev/null
ip link add d0 address 02:00:00:00:0d:00 type dummy
ip link add d1 address 02:00:00:00:0d:01 type dummy
ip addr add 198.51.100.1/24 dev d0
ip link set d0 up
# --- traffic ---
t() { echo "\$ ip $*"; ip "$@" 2>&1; echo "rc=$?"; }
t vrf
t link add vrf0 address 02:00:00:00:0f:00 type vrf table 100
t link add vrf1 type vrf
t link add vrf1 type vrf table 0
t link add vrf1 type vrf table foo
t link add vrf1 type vrf table
t link add vrf1 type vrf bogus
t link add vrf1 type vrf help
t link add vrf1 address 02:00:00:00:0f:01 type vrf table main
t -d link show vrf1
t link add vrf2 address 02:00:00:00:0f:02 mtu 1000 type vrf table 200
t link add vrf2 address 02:00:00:00:0f:02 mtu 9000 type vrf table 200
t link show vrf2
t link set vrf2 mtu 70000
t link set vrf2 mtu 1200
t link del vrf1
t link show vrf0
t link set vrf0 up
t link show vrf0
t rule
t link set d0 master vrf0
t -d link show d0
t link set lo master vrf0
t link set vrf0 master vrf0
t link set vrf2 master vrf0
t link set d1 master vrf0
t link set d1 master vrf2
t link set d1 nomaster
t link show master vrf0
t link show vrf vrf0
t link show vrf nosuch
t link show vrf d0
t addr show vrf vrf0
t addr show vrf d0
t -br link show type vrf
t vrf
t vrf show
t vrf show vrf0
t vrf show nosuch
t vrf show d0
t vrf show vrf0 vrf2
t vrf exec
t vrf exec vrf0
t vrf exec nosuch true
t vrf exec d0 true
t vrf identify
t vrf identify 1 2
t vrf identify abc
t vrf frob
t vrf help
t route show vrf vrf0
t route show table 100
t route show table local
t route show vrf nosuch
t route show vrf d0
t route add 192.0.2.0/24 dev d0 vrf vrf0
t route add 192.0.2.0/24 dev d0 vrf nosuch
t route add 203.0.113.0/24 via 198.51.100.2 vrf vrf0
t route show vrf vrf0
t route get 192.0.2.1 vrf vrf0
t route get 203.0.113.5 vrf vrf0
t route get 198.51.100.1 vrf vrf0
t route get 198.51.100.255 vrf vrf0
t route get 10.9.9.9 vrf vrf0
t route get 192.0.2.1
t route get 192.0.2.1 oif d0
t route get 192.0.2.1 vrf nosuch
t route get fibmatch 192.0.2.1 vrf vrf0
t neigh show vrf vrf0
t neigh show vrf nosuch
t rule add l3mdev pref 1000
t rule add l3mdev table 5
t rule add l3mdev pref 2000
t rule
t rule del l3mdev pref 2000
t rule del pref 1000
t rule
t link add vrf3 address 02:00:00:00:0f:03 type vrf table 300
t rule
t link set vrf0 netns 1
t link del vrf0
t -d link show d0
t route show table 100
t route
t link show type vrf
