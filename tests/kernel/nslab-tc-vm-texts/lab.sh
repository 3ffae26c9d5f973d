ip link show tunl0 > /dev/null
ip netns add tc12a
ip netns add tc12b
ip -n tc12a link add v0 address 02:00:00:00:0a:01 type veth peer name v1 address 02:00:00:00:0b:01 netns tc12b
ip -n tc12a link add d0 type dummy
ip -n tc12a link set lo up
ip -n tc12a link set v0 up
ip -n tc12b link set v1 up
ip -n tc12a addr add 10.0.0.1/24 dev v0
ip -n tc12b addr add 10.0.0.2/24 dev v1
ip -n tc12a neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:01 dev v0 nud permanent
ip -n tc12b neigh replace 10.0.0.1 lladdr 02:00:00:00:0a:01 dev v1 nud permanent
# --- traffic ---
t() { echo "\$ tc $*"; ip netns exec tc12a tc "$@" 2>&1; echo "rc=$?"; }
tb() { echo "\$ tc(b) $*"; ip netns exec tc12b tc "$@" 2>&1; echo "rc=$?"; }
t qdisc show dev d0
ip -n tc12a link set d0 up
t qdisc show dev d0
t -s qdisc show
t qdisc add dev d0 root tbf rate 1mbit burst 10k latency 50ms
t qdisc show dev d0
t qdisc add dev d0 root pfifo_fast
t qdisc replace dev d0 root pfifo_fast
t qdisc show dev d0
t qdisc add dev d0 root fq_codel
t qdisc replace dev d0 root fq_codel
t qdisc show dev d0
t qdisc del dev d0 root
t qdisc add dev v0 clsact
t qdisc add dev v0 clsact
t qdisc show dev v0
t qdisc show
tb qdisc add dev v1 ingress
tb qdisc show dev v1
t filter add dev v0 egress pref 10 protocol ip u32 match ip dst 10.0.0.2/32 match ip protocol 1 0xff action pass
t filter add dev v0 egress pref 20 protocol ip flower ip_proto udp dst_port 5000 action drop
tb filter add dev v1 ingress pref 5 protocol ip flower src_ip 10.0.0.1 ip_proto icmp action pass
tb filter add dev v1 ingress pref 7 protocol ip u32 match ip src 10.0.0.1/32 match ip dport 5001 0xffff action drop
ip netns exec tc12a ping -c 3 -i 0.2 10.0.0.2 | grep transmitted
t -s filter show dev v0 egress
tb -s filter show dev v1 ingress
t filter show dev v0 ingress
t filter del dev v0 egress pref 20
t filter show dev v0 egress
t qdisc del dev v0 clsact
t qdisc show dev v0
tb qdisc del dev v1 ingress
tb qdisc show dev v1
