# Lab: nslab-arp-filter-pvlan
# Reproduces: no seed section; written for two ARP sysctls the model stored but did not read
#   (net.ipv4.conf.*.arp_filter and proxy_arp_pvlan). One switch namespace sw with two bridges.
#   ARP flux (br0): host h has eth0 10.0.0.1/24 and eth1 10.0.0.2/24, both plugged into br0
#   with client c (10.0.0.100). Linux addresses belong to the host, not to an interface: a
#   broadcast request for either address reaches both of h's interfaces and both answer, each
#   with its own MAC. arp_filter=1 (conf.all is enough: the kernel ORs all and the device)
#   makes an interface answer only when the route back to the asker, looked up as from the
#   asked address, leaves by that interface: eth0, whose connected route came first, answers
#   for both addresses. A source rule (from 10.0.0.2 lookup table 2, which routes the subnet
#   via eth1) then makes each address answered by its own interface.
#   Private VLAN (br1): router r (10.1.0.1 on eth0, forwarding, proxy_delay 0, redirects off)
#   and hosts a (10.1.0.10) and b (10.1.0.20) on isolated bridge ports (a0, b0): a and b never
#   hear each other, only r. proxy_arp_pvlan (RFC 3069) lets r answer a's request for b on the
#   interface it came in by (hairpin proxy ARP), so a and b talk through r.
# Traffic: c asks for 10.0.0.1 and 10.0.0.2 with arp_filter 0 (two replies each), with
#   conf.all.arp_filter=1 (eth0's reply only), and with the source rule (one reply, from the
#   address's own interface). a asks for b with proxy_arp_pvlan 0 (no reply: b's port is
#   isolated, r keeps quiet); with proxy_arp_pvlan=1 on r's eth0 r answers with its own MAC;
#   a's gratuitous ARP for itself is not answered (no proxy reply when sender and target are
#   the same address); a pings b through r (r's request for b reaches b, b's request for a is
#   answered by r); with eth0's knob back at 0 and conf.all's at 1, r answers again.
ip netns add sw
ip netns add c
ip netns add h
ip netns add r
ip netns add a
ip netns add b
ip -n sw link add br0 address 02:00:00:00:00:f0 type bridge
ip -n sw link add br1 address 02:00:00:00:00:f1 type bridge
ip -n c link add eth0 address 02:00:00:00:00:64 type veth peer name c0 address 02:00:00:00:10:64 netns sw
ip -n h link add eth0 address 02:00:00:00:00:01 type veth peer name h0 address 02:00:00:00:10:01 netns sw
ip -n h link add eth1 address 02:00:00:00:00:02 type veth peer name h1 address 02:00:00:00:10:02 netns sw
ip -n r link add eth0 address 02:00:00:00:01:01 type veth peer name r0 address 02:00:00:00:11:01 netns sw
ip -n a link add eth0 address 02:00:00:00:01:0a type veth peer name a0 address 02:00:00:00:11:0a netns sw
ip -n b link add eth0 address 02:00:00:00:01:14 type veth peer name b0 address 02:00:00:00:11:14 netns sw
ip -n sw link set c0 master br0
ip -n sw link set h0 master br0
ip -n sw link set h1 master br0
ip -n sw link set r0 master br1
ip -n sw link set a0 master br1
ip -n sw link set b0 master br1
bridge -n sw link set dev a0 isolated on
bridge -n sw link set dev b0 isolated on
ip -n c addr add 10.0.0.100/24 dev eth0
ip -n h addr add 10.0.0.1/24 dev eth0
ip -n h addr add 10.0.0.2/24 dev eth1
ip -n r addr add 10.1.0.1/24 dev eth0
ip -n a addr add 10.1.0.10/24 dev eth0
ip -n b addr add 10.1.0.20/24 dev eth0
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec r sysctl -w net.ipv4.conf.all.send_redirects=0
ip netns exec r sysctl -w net.ipv4.conf.eth0.send_redirects=0
ip netns exec r sysctl -w net.ipv4.neigh.eth0.proxy_delay=0
ip -n sw link set br0 up
ip -n sw link set br1 up
ip -n sw link set c0 up
ip -n sw link set h0 up
ip -n sw link set h1 up
ip -n sw link set r0 up
ip -n sw link set a0 up
ip -n sw link set b0 up
ip -n c link set eth0 up
ip -n h link set eth0 up
ip -n h link set eth1 up
ip -n r link set eth0 up
ip -n a link set eth0 up
ip -n b link set eth0 up
# --- traffic ---
ip -n h route show
ip netns exec c arping -c 1 -I eth0 10.0.0.1
ip netns exec c arping -c 1 -I eth0 10.0.0.2
ip netns exec h sysctl -w net.ipv4.conf.all.arp_filter=1
ip netns exec c arping -c 1 -I eth0 10.0.0.1
ip netns exec c arping -c 1 -I eth0 10.0.0.2
ip -n h rule add from 10.0.0.2 lookup 2
ip -n h route add 10.0.0.0/24 dev eth1 table 2
ip netns exec c arping -c 1 -I eth0 10.0.0.1
ip netns exec c arping -c 1 -I eth0 10.0.0.2
ip -n h neigh show
ip netns exec a arping -c 1 -I eth0 10.1.0.20
ip netns exec r sysctl -w net.ipv4.conf.eth0.proxy_arp_pvlan=1
ip netns exec a arping -c 1 -I eth0 10.1.0.20
ip netns exec a arping -c 1 -U -I eth0 10.1.0.10
ip netns exec a ping -c 1 10.1.0.20
ip -n a neigh show
ip netns exec r sysctl -w net.ipv4.conf.eth0.proxy_arp_pvlan=0
ip netns exec r sysctl -w net.ipv4.conf.all.proxy_arp_pvlan=1
ip netns exec a arping -c 1 -I eth0 10.1.0.20
