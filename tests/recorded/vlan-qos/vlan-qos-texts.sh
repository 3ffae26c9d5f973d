# iproute2/tc texts around VLAN QoS maps and default qdiscs, recorded in the oracle VM
# (kernel 6.1, iproute2 6.1: the host has no 8021q, ip_gre or sch_fq_codel) with
# `oracle/vm/run-kernel-vm vlan-qos-texts.sh OUT`; OUT/stdout.txt is vlan-qos-texts.out.
ip link show tunl0 > /dev/null
ip netns add t
ip netns add u
ip -n t link add eth0 address 02:00:00:00:0a:01 type veth peer name eth0 address 02:00:00:00:0b:01 netns u
ip -n t addr add 10.0.0.1/24 dev eth0
ip -n u addr add 10.0.0.2/24 dev eth0
ip -n t link set eth0 up
ip -n u link set eth0 up
ip -n t link add link eth0 name eth0.10 type vlan id 10 egress-qos-map 0:1 6:5 ingress-qos-map 1:2
ip -n t link add link eth0 name eth0.11 type vlan id 11
ip -n t link add link eth0 name eth0.12 type vlan id 12 ingress-qos-map 3:0 egress-qos-map 4:0
ip -n t link add g0 address 02:00:00:00:0a:9e type gretap local 10.0.0.1 remote 10.0.0.2
ip -n u link add g0 address 02:00:00:00:0b:9e type gretap local 10.0.0.2 remote 10.0.0.1
ip -n t addr add 10.9.0.1/24 dev g0
ip -n u addr add 10.9.0.2/24 dev g0
ip -n t link set g0 up
ip -n u link set g0 up
# --- traffic ---
ip -n t -d link show dev eth0.10
ip -n t -d link show dev eth0.11
ip -n t -d link show dev eth0.12
ip -n t -d -j link show dev eth0.10
echo
ip -n t -d -j link show dev eth0.12
echo
ip -n t -d -j -p link show dev eth0.10
ip -n t -j link show dev eth0.10
echo
ip -n t link set eth0.11 type vlan id 99
echo "status $?"
ip -n t link set eth0.11 type vlan protocol 802.1ad
echo "status $?"
ip -n t link set eth0.11 type vlan reorder_hdr off egress-qos-map 7:7
echo "status $?"
ip -n t -d link show dev eth0.11
ip -n t link set eth0.11 type vlan egress-qos-map 4294967295:7 16:1 ingress-qos-map 7:4294967295
ip -n t -d link show dev eth0.11
ip -n t link add link eth0 name bad type vlan id 30 egress-qos-map 1:x
echo "status $?"
ip -n t link add link eth0 name bad type vlan id 30 egress-qos-map
echo "status $?"
ip -n t link add link eth0 name bad type vlan id 30 egress-qos-map 1:2 3
echo "status $?"
ip -n t link add link eth0 name bad type vlan id 30 egress-qos-map all:2
echo "status $?"
ip -n t link add link eth0 name bad type vlan id 30 egress-qos-map 0x10:010
echo "status $?"
ip -n t -d link show dev bad
ip -n t link set eth0 type vlan egress-qos-map 1:1
echo "status $?"
ip netns exec t tc qdisc show dev g0
ip netns exec t tc -s qdisc show dev g0
ip netns exec t ping -c 3 -i 0.2 10.9.0.2
ip netns exec t ping -c 1 -s 1000 10.9.0.2
ip netns exec t tc -s qdisc show dev g0
ip netns exec u tc -s qdisc show dev g0
ip netns exec t tc -s qdisc show dev eth0
ip netns exec t tc qdisc add dev eth0.10 root fq_codel
echo "status $?"
ip netns exec t tc qdisc add dev eth0.11 root fq_codel limit 100 flows 16 target 2ms interval 50ms quantum 300 noecn
echo "status $?"
ip netns exec t tc qdisc show dev eth0.10
ip netns exec t tc qdisc show dev eth0.11
ip netns exec t tc qdisc replace dev g0 root fq_codel limit 1000
echo "status $?"
ip netns exec t tc qdisc show dev g0
ip netns exec t tc qdisc del dev g0 root
echo "status $?"
ip netns exec t tc qdisc show dev g0
ip netns exec t tc qdisc add dev eth0.10 root fq_codel limit 0
echo "status $?"
ip netns exec t tc qdisc add dev eth0.12 root fq_codel bogus
echo "status $?"
ip netns exec t tc qdisc add dev eth0.12 root fq_codel limit x
echo "status $?"
ip netns exec t tc qdisc change dev eth0.11 root fq_codel flows 32
echo "status $?"
ip netns exec t tc qdisc change dev eth0.11 root fq_codel quantum 100 ce_threshold 1ms memory_limit 4Mb drop_batch 0 ecn
echo "status $?"
ip netns exec t tc qdisc show dev eth0.11
ip link set eth0.11 type vlan
echo "status $?"
ip -n t link set eth0.11 type vlan
echo "status $?"
ip -n t link set eth0.11 type vlan id 4095
echo "status $?"
