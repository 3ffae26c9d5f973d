# Lab: nslab-tcp-tail-loss
# Reproduces: no seed section; issue 12 (TCP must cope with loss): the tail of an HTTP
#   response is lost and the server's tail loss probe (TLP, tcp_schedule_loss_probe /
#   tcp_send_loss_probe) finds out, where a lost tail would otherwise wait for the RTO.
#   The router drops server segments deterministically (iptables statistic nth; each rule
#   counts only the packets that reach it, so two rules with the same index drop two packets
#   in a row). TSO/GSO off on the server: each segment is its own packet. The file is 6393
#   bytes: five segments after the header.
# Traffic: curl c -> s through r, four times.
#   1. The last two body segments are lost. With two segments in flight the probe timeout is
#      2 RTT + 2 ms (one jiffy): the server sends the last segment again ~5 ms later, the
#      client SACKs it, RACK finds the one before it lost and it is resent; the client's ACK
#      then covers everything (without TLP: the RTO, 200 ms later, resends the first hole,
#      then the last segment).
#   2. The last body segment is lost, and so is the probe that resends it: with one segment
#      in flight the probe waits 2 RTT + 200 ms (tcp_rto_min), the RTO is armed again from
#      the probe and resends it 200 ms after that.
#   3. The segment before the last is lost: the last one arrives and is SACKed, and RACK
#      waits for its reordering window (min_rtt/4, plus TCP_TIMEOUT_MIN_US 2 ms, in jiffies:
#      4 to 8 ms) before it resends the hole.
#   4. The client's request is lost: the connection's only segment in flight. The handshake
#      gave both ends an RTT sample (the SYN's or SYN-ACK's), so the probe waits 2 RTT +
#      200 ms and resends the request, not the 1 s initial RTO.
# The neighbour entries are permanent (fixed MACs), so that no ARP depends on the run's timing.
ip netns add c
ip netns add r
ip netns add s
ip -n c link add eth0 address 02:00:00:00:0c:01 type veth peer name eth0 address 02:00:00:00:0c:02 netns r
ip -n s link add eth0 address 02:00:00:00:0d:01 type veth peer name eth1 address 02:00:00:00:0d:02 netns r
ip -n c addr add 10.0.1.2/24 dev eth0
ip -n r addr add 10.0.1.1/24 dev eth0
ip -n r addr add 10.0.2.1/24 dev eth1
ip -n s addr add 10.0.2.2/24 dev eth0
ip -n c link set eth0 up
ip -n r link set eth0 up
ip -n r link set eth1 up
ip -n s link set eth0 up
ip -n c neigh replace 10.0.1.1 lladdr 02:00:00:00:0c:02 dev eth0 nud permanent
ip -n r neigh replace 10.0.1.2 lladdr 02:00:00:00:0c:01 dev eth0 nud permanent
ip -n r neigh replace 10.0.2.2 lladdr 02:00:00:00:0d:01 dev eth1 nud permanent
ip -n s neigh replace 10.0.2.1 lladdr 02:00:00:00:0d:02 dev eth0 nud permanent
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec s ethtool -K eth0 tso off gso off
seq 1 1500 > f
ip netns exec s python3 -m http.server --bind 10.0.2.2 8000 --protocol HTTP/1.1 > /dev/null 2>&1 &
for i in $(seq 100); do ip netns exec s ss -tln | grep -q "10.0.2.2:8000" && break; sleep 0.05; done
ip -n c route add default via 10.0.1.1
ip -n s route add default via 10.0.2.1
# --- traffic ---
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 6 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 6 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
ip netns exec r iptables -F FORWARD
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 7 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 7 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
ip netns exec r iptables -F FORWARD
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 6 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
ip netns exec r iptables -F FORWARD
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 2 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
