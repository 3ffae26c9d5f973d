# Lab: nslab-arp-ignore-peer
# Reproduces: no seed section; issue 13 class D: arp_ignore 1 or 2 with a point-to-point
#   address (`ip addr add A peer P/32`). arp_ignore asks inet_confirm_addr, which matches the
#   target against ifa_address/mask, i.e. the peer, so the kernel never answers for A.
#   Pairs h1 (arp_ignore=1) -- h2 and h3 (arp_ignore=2) -- h4, and h5 (arp_ignore=2, a plain
#   /24) -- h6 asking from another subnet's address.
# Traffic: h1 pings h2 (h2 has arp_ignore=0: answered; h2 then forgets h1), h2 pings h1 and
#   h4 pings h3 (no ARP reply), h6 pings h5 (arp_ignore=2: the sender is not in the target's
#   subnet). An unanswered ping waits 2.5 s (-W), its three ARP probes inside (the host
#   unreachable error 3 s after the first would go to the pinger's own address, and lo is
#   down: ping never sees it).
ip netns add h1
ip netns add h2
ip netns add h3
ip netns add h4
ip netns add h5
ip netns add h6
ip -n h1 link add eth0 type veth peer name eth0 netns h2
ip -n h3 link add eth0 type veth peer name eth0 netns h4
ip -n h5 link add eth0 type veth peer name eth0 netns h6
ip -n h1 addr add 10.5.0.1 peer 10.5.0.2/32 dev eth0
ip -n h2 addr add 10.5.0.2 peer 10.5.0.1/32 dev eth0
ip -n h3 addr add 10.6.0.1 peer 10.6.0.2/32 dev eth0
ip -n h4 addr add 10.6.0.2 peer 10.6.0.1/32 dev eth0
ip -n h5 addr add 10.7.0.1/24 dev eth0
ip -n h6 addr add 10.8.0.1/24 dev eth0
ip netns exec h1 sysctl -w net.ipv4.conf.eth0.arp_ignore=1
ip netns exec h3 sysctl -w net.ipv4.conf.eth0.arp_ignore=2
ip netns exec h5 sysctl -w net.ipv4.conf.eth0.arp_ignore=2
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
ip -n h3 link set eth0 up
ip -n h4 link set eth0 up
ip -n h5 link set eth0 up
ip -n h6 link set eth0 up
ip -n h6 route add 10.7.0.0/24 dev eth0
# --- traffic ---
ip netns exec h1 ping -c 1 10.5.0.2
ip -n h2 neigh flush dev eth0
ip netns exec h2 ping -c 1 -W 2.5 10.5.0.1
ip netns exec h4 ping -c 1 -W 2.5 10.6.0.1
ip netns exec h6 ping -c 1 -W 2.5 10.7.0.1
