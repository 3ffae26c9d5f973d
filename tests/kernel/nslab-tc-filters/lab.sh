ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip netns add r
ip -n r link add r1 address 02:00:00:00:01:01 type veth peer name v0 address 02:00:00:00:0a:01 netns a
ip -n r link add r2 address 02:00:00:00:01:02 type veth peer name v0 address 02:00:00:00:0b:01 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v0
ip -n a link set v0 up
ip -n b link set v0 up
ip -n r link set r1 up
ip -n r link set r2 up
ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:01 dev v0 nud permanent
ip -n b neigh replace 10.0.0.1 lladdr 02:00:00:00:0a:01 dev v0 nud permanent
# --- traffic ---
t() { echo "\$ tc $*"; ip netns exec r tc "$@" 2>&1; echo "rc=$?"; }
ip netns exec a ping -c 1 -W 1 10.0.0.2 | grep transmitted
t filter add dev r1 ingress protocol ip flower action drop
t qdisc add dev r1 ingress
t qdisc add dev r2 clsact
t qdisc add dev r2 ingress
t qdisc show
t filter add dev r1 ingress pref 1 protocol ip flower dst_ip 10.0.0.2 action mirred egress redirect dev r2
t filter add dev r2 ingress pref 1 protocol ip u32 match ip src 10.0.0.2/32 action mirred egress redirect dev r1
ip netns exec a ping -c 3 -i 0.2 10.0.0.2 | grep transmitted
t -s filter show dev r1 ingress
t -s filter show dev r2 ingress
t filter add dev r2 egress pref 3 protocol ip u32 match ip protocol 1 0xff match ip dst 10.0.0.2 action pass
t filter add dev r1 ingress pref 2 protocol ip flower ip_proto udp dst_port 7 action drop
t filter add dev r1 ingress pref 0 protocol ip flower ip_proto udp src_port 9 dst_port 7 action drop
t filter add dev r1 ingress protocol ip flower dst_mac 02:00:00:00:0b:01 action pass
t filter show dev r1 ingress
t filter add dev r1 ingress pref 1 protocol ip flower src_ip 10.9.0.0/16 action drop
t filter add dev r1 ingress pref 5 protocol ip flower ip_proto tcp src_port 80 action pass
t filter add dev r1 ingress pref 6 protocol ip flower vlan_id 5 action pass
t filter add dev r1 ingress pref 6 protocol 802.1q flower vlan_id 5 action pass
t filter add dev r1 ingress pref 7 protocol ip u32 match ip dport 7 0xffff match ip sport 9 0xffff action drop
t filter add dev r1 ingress pref 8 protocol ip u32 match ip tos 0x10 0xff action pass
t filter add dev r1 ingress pref 9 protocol ip u32 match ip src 10.0.0.0/8 action mirred egress mirror dev r2
t filter add dev r1 ingress pref 10 protocol ip u32 match ip foo 1 action drop
t filter add dev r1 ingress pref 10 protocol ip flower foo 1 action drop
t filter add dev r1 ingress pref 10 protocol ip flower action mirred egress redirect dev nope
t filter add dev r1 ingress pref 10 protocol ip flower action bogus
t filter add dev r1 ingress pref 10 protocol ip bogus action drop
t filter add dev nope ingress protocol ip flower action drop
t filter add dev r1 egress protocol ip flower action drop
ip netns exec a ping -c 2 -i 0.2 10.0.0.2 | grep transmitted
t -s filter show dev r1 ingress
t -s filter show dev r2 egress
t filter del dev r1 ingress pref 1
t filter show dev r1 ingress
t filter del dev r1 ingress pref 42
t filter del dev r1 ingress
t filter show dev r1 ingress
t qdisc del dev r1 ingress
t qdisc del dev r2 clsact
t qdisc show
