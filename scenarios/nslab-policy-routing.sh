# Lab: nslab-policy-routing
# Policy routing on a router (issue 11): two uplinks reach the same address 10.99.0.1; the main
# table leaves by uplink a, table 100 by uplink b. Rules send h2's subnet (`from`), h1's
# packets with TOS 0x10 (`iif` + `tos`) and UDP to port 5001 (`ipproto` + `dport`) to table
# 100; a `goto` skips a rule, a `suppress_prefixlength 0` rule ignores table 200's default
# route. `ip rule show` and `ip route get` with selectors print what the kernel decided.
ip netns add h1
ip netns add h2
ip netns add r
ip netns add ua
ip netns add ub
ip link add r-h1 netns r type veth peer name eth0 netns h1
ip link add r-h2 netns r type veth peer name eth0 netns h2
ip link add r-a netns r type veth peer name eth0 netns ua
ip link add r-b netns r type veth peer name eth0 netns ub
ip -n h1 addr add 10.1.0.2/24 dev eth0
ip -n h1 link set eth0 up
ip -n h1 route add default via 10.1.0.1
ip -n h2 addr add 10.2.0.2/24 dev eth0
ip -n h2 link set eth0 up
ip -n h2 route add default via 10.2.0.1
ip -n r addr add 10.1.0.1/24 dev r-h1
ip -n r addr add 10.2.0.1/24 dev r-h2
ip -n r addr add 10.10.0.1/24 dev r-a
ip -n r addr add 10.20.0.1/24 dev r-b
ip -n r link set r-h1 up
ip -n r link set r-h2 up
ip -n r link set r-a up
ip -n r link set r-b up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip -n ua addr add 10.10.0.2/24 dev eth0
ip -n ua addr add 10.99.0.1/32 dev lo
ip -n ua link set lo up
ip -n ua link set eth0 up
ip -n ua route add 10.0.0.0/8 via 10.10.0.1
ip -n ub addr add 10.20.0.2/24 dev eth0
ip -n ub addr add 10.99.0.1/32 dev lo
ip -n ub link set lo up
ip -n ub link set eth0 up
ip -n ub route add 10.0.0.0/8 via 10.20.0.1
ip -n r route add default via 10.10.0.2
ip -n r route add default via 10.20.0.2 table 100
ip -n r route add default via 10.20.0.2 table 200
ip -n r rule add from 10.2.0.0/24 lookup 100
ip -n r rule add iif r-h1 tos 0x10 lookup 100
ip -n r rule add ipproto udp dport 5001 lookup 100
ip -n r rule add pref 1000 from 10.1.0.3 goto 1002
ip -n r rule add pref 1001 from 10.1.0.3 lookup 100
ip -n r rule add pref 1002 lookup 200 suppress_prefixlength 0
ip -n r rule add pref 1003 fwmark 0x7/0xff lookup 100
# --- traffic ---
ip -n r rule show
ip -n r rule show table 100
ip -n r route get 10.99.0.1
ip -n r route get 10.99.0.1 from 10.2.0.2 iif r-h2
ip -n r route get 10.99.0.1 from 10.1.0.2 iif r-h1
ip -n r route get 10.99.0.1 from 10.1.0.2 iif r-h1 tos 0x10
ip -n r route get 10.99.0.1 ipproto udp dport 5001
ip -n r route get 10.99.0.1 ipproto udp dport 5002
ip -n r route get 10.99.0.1 mark 0x107
ip -n r route get 10.99.0.1 from 10.1.0.3 iif r-h1
ip netns exec h1 ping -c 2 -i 0.2 10.99.0.1
ip netns exec h1 ping -c 2 -i 0.2 -Q 0x10 10.99.0.1
ip netns exec h2 ping -c 2 -i 0.2 10.99.0.1
ip -n r rule del from 10.2.0.0/24 lookup 100
ip -n r rule del pref 1003
ip -n r rule show
ip netns exec h2 ping -c 2 -i 0.2 10.99.0.1
