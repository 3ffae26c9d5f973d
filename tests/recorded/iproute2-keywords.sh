#!/bin/bash
# Records iproute2's keyword matching (issue 13, class L) on the real `ip`:
#   bash tests/recorded/iproute2-keywords.sh > tests/recorded/iproute2-keywords.txt
# Each command runs in a fresh namespace holding a veth pair v1/v2 (lo down); the transcript
# is "--- ip ARGS", the combined stdout+stderr, then "[STATUS]". tests/iproute2_keywords.rs
# runs the same lines in nslab. (`ip neigh show` one address at a time: the kernel dumps in
# hash order.)
set -u
NS=gen13-kw
R() {
    printf '%s\n' "--- ip $*"
    ip -n $NS "$@" 2>&1
    echo "[$?]"
}
ip netns add $NS
ip -n $NS link add v1 type veth peer name v2
R link add br type bridge
R link set br up
R link set b up
R link set v1 d
R link set v1 t bridge
R link set v1 m nosuch
R link set v1 dynamic maybe
R link set v1 mt 1400
R link set v1 name v3 v2
R link add x t veth
R link add name x dev y type veth
R link add x type veth peer name y type veth
R link add x type veth peer name y br up
R link set v1 txqueuelen 1 qlen 2
R link set v1 n
R link set dev v1 mtu 1400 up
R link set v1 ad 02:00:00:00:00:01
R link add z ty veth peer na z2
R addr add 10.0.0.2/24 dev v1 pe 10.0.0.9
R addr add 10.0.0.1/24 b + dev v1
R route add 10.9.5.0/24 d v1
R route add 10.9.5.0/24 dev v1 blackhole
R route add t 5 10.9.1.0/24 dev v1
R route add 10.9.0.0/24 dev v1 p 5 pro static
R route add bl 10.9.7.0/24
R route add u 10.9.8.0/24
R route add pro 10.9.9.0/24
R route show table all
R neigh add 10.0.0.9 lladdr 02:00:00:00:00:07 dev v1 n perm
R neigh add 10.0.0.9 lladdr 02:00:00:00:00:07 dev v1 nud bogus
R neigh add 10.0.0.9 l 02:00:00:00:00:07 l 02:00:00:00:00:08 dev v1
R neigh add 10.0.0.11 lladdr 02:00:00:00:00:07 dev v1 pe
R neigh add 10.0.0.10 l 02:00:00:00:00:07 dev v1 nud r
R neigh add 10.0.0.12 l 02:00:00:00:00:07 dev v1 nud perm
R neigh show 10.0.0.10
R neigh show 10.0.0.12
R link show dev v1
ip netns del $NS
