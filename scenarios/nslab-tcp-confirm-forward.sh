# Lab: nslab-tcp-confirm-forward
# Reproduces: no seed section; issue 13 class J: a TCP connection through a router. The
#   router learnt the client from its ARP request (STALE), so forwarding the server's first
#   segment to it starts DELAY; the server's later segments carry the socket's pending
#   confirmation (skb->dst_pending_confirm, set by tcp_ack's sk_dst_confirm, kept across the
#   veth by skb_scrub_packet), and forwarding them confirms the router's entry
#   (sock_confirm_neigh in ip_finish_output2): no unicast ARP probe 5 s later.
# Traffic: one curl h1 -> h2 through r, then 7 s of quiet.
# Recorded: the kernel still probes (r for h1, h2 for r) 5 s later: r's DELAY timer, due at
#   5.000 s, fired at 5.181 s (timer wheel slack, issue 13 class K), when the last
#   confirmation (h2's FIN at 0.017 s, forwarded with dst_pending_confirm) was 5.164 s old,
#   past delay_first_probe_time. nslab's exact timer finds it 4.98 s old and does not probe:
#   the two ARP exchanges are the only difference (not in KERNEL_IDENTICAL until K is done).
ip netns add h1
ip netns add r
ip netns add h2
ip -n h1 link add eth0 type veth peer name eth0 netns r
ip -n h2 link add eth0 type veth peer name eth1 netns r
ip -n h1 addr add 10.1.0.1/24 dev eth0
ip -n r addr add 10.1.0.254/24 dev eth0
ip -n r addr add 10.2.0.254/24 dev eth1
ip -n h2 addr add 10.2.0.1/24 dev eth0
ip -n h1 link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n h2 link set eth0 up
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec h2 python3 -m http.server --bind 10.2.0.1 80 --protocol HTTP/1.1 > /dev/null 2>&1 &
for i in $(seq 100); do ip netns exec h2 ss -tln | grep -q "10.2.0.1:80" && break; sleep 0.05; done
ip -n h1 route add default via 10.1.0.254
ip -n h2 route add default via 10.2.0.254
# --- traffic ---
ip netns exec h1 curl -sS -o /dev/null 10.2.0.1
sleep 7
