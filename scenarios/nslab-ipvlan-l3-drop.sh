# Lab: nslab-ipvlan-l3-drop
# Reproduces: no seed section; written for the "link kinds" issue (12) with nslab-ipvlan-l3's
#   topology (recorded in the oracle VM): what an L3 ipvlan's packets meet in the parent's
#   namespace, and ARP for an L3 ipvlan's address.
# Traffic: h's OUTPUT chain drops c1's echo requests to r (ipvlan_process_v4_outbound's
#   ip_local_out runs h's hooks): the ipvlan answers NET_XMIT_DROP, c1's ping sees ENOBUFS and
#   (iputils) keeps retrying the same sequence number; then r, told 10.1.0.12 is on its link,
#   ARPs for it: h's eth0 hands the requests to c2's ipvlan, which is NOARP and ignores them.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip netns add h
ip netns add c1
ip netns add c2
ip netns add r
ip -n h link add eth0 address 02:00:00:00:01:01 type veth peer name eth0 address 02:00:00:00:02:02 netns r
ip -n h link add ipv1 link eth0 type ipvlan mode l3
ip -n h link add ipv2 link eth0 type ipvlan mode l3
ip -n h link set ipv1 netns c1
ip -n h link set ipv2 netns c2
ip -n h addr add 10.0.0.1/24 dev eth0
ip -n r addr add 10.0.0.254/24 dev eth0
ip -n c1 addr add 10.1.0.11/24 dev ipv1
ip -n c2 addr add 10.1.0.12/24 dev ipv2
ip -n h link set eth0 up
ip -n r link set eth0 up
ip -n c1 link set ipv1 up
ip -n c2 link set ipv2 up
ip -n c1 route add default dev ipv1
ip -n c2 route add default dev ipv2
ip -n r route add 10.1.0.0/24 via 10.0.0.1
# --- traffic ---
ip netns exec h iptables -A OUTPUT -d 10.0.0.254 -j DROP
ip netns exec c1 ping -c 2 -i 0.2 10.0.0.254
ip netns exec h iptables -D OUTPUT -d 10.0.0.254 -j DROP
ip -n r route add 10.1.0.12/32 dev eth0
ip netns exec r ping -c 1 -W 1 10.1.0.12
sleep 3
