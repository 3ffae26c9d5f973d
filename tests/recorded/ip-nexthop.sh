#!/bin/bash
# Records `ip nexthop` and routes with `nhid` on the real `ip` (issue 11):
#   bash tests/recorded/ip-nexthop.sh > tests/recorded/ip-nexthop.txt
# Every command runs in one namespace (lo down until said); the transcript is "--- ip ARGS",
# the combined stdout+stderr, then "[STATUS]". tests/nexthop.rs runs the same lines in nslab.
set -u
NS=nh11-nhtexts
R() {
    printf '%s\n' "--- ip $*"
    ip -n $NS "$@" 2>&1
    echo "[$?]"
}
ip netns add $NS
R link add eth0 type veth peer name eth1
R addr add 10.0.1.1/24 dev eth0
R link set eth0 up
R link set eth1 up
R addr add 10.0.3.1/24 dev eth1
R nexthop ls
R nexthop add id 1 via 10.0.1.2 dev eth0
R nexthop add id 1 via 10.0.1.3 dev eth0
R nexthop add id 2 via 10.0.9.2 dev eth0
R nexthop add id 2 via 10.0.9.2
R nexthop add id 3 dev eth0
R nexthop add id 4 blackhole
R nexthop add id 5 via 10.0.9.9 dev eth1 onlink
R nexthop add id 6 group 1/3
R nexthop add id 7 group 1,3/5,2
R nexthop add id 8 group 1/99
R nexthop add id 10 via 10.0.3.2 dev eth1
R nexthop add id 11 group 1,5/10
R nexthop add via 10.0.1.9 dev eth0
R nexthop add id 0 via 10.0.1.9 dev eth0
R nexthop add id 12 via 10.0.1.9
R nexthop add id 13 dev nosuch
R nexthop add id 14 fdb via 10.0.1.5
R nexthop add id 15 bogus
R nexthop add id 16 group 1,0
R nexthop add id 16 group 1,257
R nexthop add id 16 group 1/1
R nexthop add id 16 group x
R nexthop add id x via 10.0.1.3 dev eth0
R nexthop add id 16 group 7/1
R nexthop add id 16 dev eth0 onlink
R nexthop add id 16 group 1/14
R nexthop
R nexthop show id 1
R nexthop get id 1
R nexthop get id 77
R nexthop get
R nexthop del id 0
R nexthop del
R nexthop ls dev eth0
R nexthop ls dev eth1
R nexthop ls groups
R route add 10.0.2.0/24 nhid 1
R route add 10.0.5.0/24 nhid 11
R route add 10.0.6.0/24 nhid 3 metric 7
R route add 10.0.7.0/24 nhid 77
R route add 10.0.8.0/24 nhid 1 via 10.0.1.2
R route add 10.0.8.0/24 nhid 1 dev eth0
R route add 10.0.9.0/24 nhid 14
R route add 10.0.10.0/24 nhid x
R route add 10.0.2.0/24 nhid 1
R route
R route get 10.0.2.5
R route get 10.0.5.5
R route get 10.0.6.5
R nexthop replace id 1 via 10.0.1.7 dev eth0
R nexthop replace id 20 via 10.0.1.8 dev eth0
R nexthop replace id 3 group 1/10
R nexthop replace id 7 via 10.0.1.8 dev eth0
R nexthop replace via 10.0.1.4 dev eth0
R route
R nexthop del id 10
R route
R nexthop
R nexthop del id 10
R route del 10.0.2.0/24
R route
R nexthop flush
R nexthop
R route
R nexthop flush
R link set lo up
R nexthop add id 4 blackhole
R nexthop add id 5 blackhole proto static
R nexthop add id 6 group 4/5
R nexthop add id 1 via 10.0.1.2 dev eth0 proto 99
R nexthop add id 9 group 1,256
R route add 10.0.6.0/24 nhid 4
R route add 10.0.7.0/24 nhid 9 metric 5
R nexthop
R route
R route get 10.0.6.1
R nexthop foo
R link set eth0 down
R nexthop
R route
ip netns del $NS
