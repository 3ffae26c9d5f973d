# Lab: nslab-gre
# Reproduces: no seed section; written for the "link kinds" issue (12) to check GRE and GRETAP
#   against the kernel (recorded in the oracle VM: the host kernel has no ip_gre module). a and b
#   are joined by a veth underlay (10.0.0.0/24); h hangs off b's bridge br0. The first
#   `type gre` loads ip_gre, which puts DOWN fallback devices gre0, gretap0 and erspan0 in
#   every namespace. gre1: plain GRE, ttl 64. gre2: keys 5/6 each way, checksums and sequence
#   numbers, a's side ttl and tos inherit. gre3: made with `ip tunnel add ... mode gre key 9`.
#   gre4: key 99, which b has no tunnel for (b answers port unreachable, which a ignores).
#   gt1: GRETAP with key 7, addressed on a, a port of br0 on b.
#   The underlay's neighbours are permanent: on the kernel b's bridge sends IGMP reports over
#   gt1 during setup (which nslab does not model), which would leave ARP entries behind.
# Traffic: pings over each tunnel (gre2 with tos 0x10 and ttl 20, which the outer header
#   inherits), ARP and ping over GRETAP through the bridge to h, `ip -d link` and `ip tunnel`
#   texts, errors.
ip link show tunl0 > /dev/null
ip netns add a
ip netns add b
ip netns add h
ip -n a link add ua address 02:00:00:00:0a:01 type veth peer name ub netns b address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev ua
ip -n b addr add 10.0.0.2/24 dev ub
ip -n a link set ua up
ip -n b link set ub up
ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:0b:01 dev ua nud permanent
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:0a:01 dev ub nud permanent
ip -n a link add gre1 type gre local 10.0.0.1 remote 10.0.0.2 ttl 64
ip -n b link add gre1 type gre local 10.0.0.2 remote 10.0.0.1 ttl 64
ip -n a addr add 192.168.1.1/30 dev gre1
ip -n b addr add 192.168.1.2/30 dev gre1
ip -n a link set gre1 up
ip -n b link set gre1 up
ip -n a link add gre2 type gre local 10.0.0.1 remote 10.0.0.2 ikey 5 okey 6 csum seq ttl inherit tos inherit
ip -n b link add gre2 type gre local 10.0.0.2 remote 10.0.0.1 ikey 6 okey 5 csum seq ttl 30
ip -n a addr add 192.168.2.1/30 dev gre2
ip -n b addr add 192.168.2.2/30 dev gre2
ip -n a link set gre2 up
ip -n b link set gre2 up
ip -n a tunnel add gre3 mode gre remote 10.0.0.2 local 10.0.0.1 key 9 ttl 32
ip -n b tunnel add gre3 mode gre remote 10.0.0.1 local 10.0.0.2 key 9 ttl 32
ip -n a addr add 192.168.3.1/30 dev gre3
ip -n b addr add 192.168.3.2/30 dev gre3
ip -n a link set gre3 up
ip -n b link set gre3 up
ip -n a link add gre4 type gre local 10.0.0.1 remote 10.0.0.2 key 99 ttl 64
ip -n a addr add 192.168.4.1/30 dev gre4
ip -n a link set gre4 up
ip -n a link add gt1 address 02:00:00:00:0a:07 type gretap local 10.0.0.1 remote 10.0.0.2 key 7
ip -n b link add gt1 address 02:00:00:00:0b:07 type gretap local 10.0.0.2 remote 10.0.0.1 key 7
ip -n b link add br0 address 02:00:00:00:0b:fe type bridge
ip -n b link add vb type veth peer name eh netns h
ip -n b link set gt1 master br0
ip -n b link set vb master br0
ip -n a addr add 10.1.0.1/24 dev gt1
ip -n h addr add 10.1.0.3/24 dev eh
ip -n a link set gt1 up
ip -n b link set gt1 up
ip -n b link set vb up
ip -n b link set br0 up
ip -n h link set eh up
sleep 1
# --- traffic ---
ip netns exec a ping -c 2 -i 0.2 192.168.1.2
ip netns exec a ping -c 2 -i 0.2 -Q 0x10 -t 20 192.168.2.2
ip netns exec a ping -c 2 -i 0.2 192.168.3.2
ip netns exec a ping -c 1 -W 1 192.168.4.2
ip netns exec a ping -c 2 -i 0.2 10.1.0.3
sleep 6
ip -n a -d link show
ip -n b -d link show gt1
ip -n b -d link show gre2
ip -n a tunnel show
ip -n b tunnel show gre3
ip -n a -s link show gre2
ip -n b -s link show gre2
ip -n a link add gre9 type gre local 10.0.0.1 remote 10.0.0.2 ttl 64
ip -n a tunnel add gre9 mode gre local 10.0.0.1 remote 10.0.0.2 ttl 64
ip -n a link add gre9 type gre remote 10.0.0.2 key foo
ip -n a link add gre9 type gre remote 10.0.0.2 ttl 256
ip -n a link add gre9 type gre remote 10.0.0.2 tos 0x1ff
ip -n a link add gre9 type gre remote 10.0.0.2 local 10.0.0.300
ip -n a link add gre9 type gre remote 10.0.0.2 nopmtudisc ttl 64
ip -n a link add gre9 type gretap remote 10.0.0.2 bogus
ip -n a link add gre9 type gre remote 10.0.0.2 dev nosuch
ip -n a link add gre9 type gre remote 10.0.0.2 ikey 1.2.3.4 okey 7 iseq ocsum
ip -n a link add gre7 type gre remote 10.0.0.2 ikey 1.2.3.4 okey 7 iseq ocsum
ip -n a link add gre6 type gretap remote any
ip -n a -d link show gre7
ip -n a -d link show gre9
ip -n a tunnel add gre8 mode gre remote 10.0.0.2 iseq ocsum ikey 3
ip -n a tunnel show gre8
ip -n a link set gre9 mtu 1500
ip -n a link set gre9 mtu 1476
ip -n a tunnel del gre8
ip -n a link del gre0
ip -n a -d link show gre9
sleep 1
