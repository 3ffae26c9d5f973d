# Lab: nslab-tcp-dsack-probe
# Reproduces: no seed section; issue 12 (TCP must cope with loss and reordering): data that
#   arrived but whose ACKs were lost. The router drops the client's ACKs of the response's
#   body and its FIN (iptables statistic nth; each rule counts only the packets that reach
#   it, so six rules with the same index drop six packets in a row: the header's ACK gets
#   through, Nagle having held the body for it).
# Traffic: curl c -> s through r. The server hears nothing after its body: its tail loss
#   probe (2 RTT + 2 ms, several segments in flight) sends the last segment again; the client
#   has it already and answers with a D-SACK (tcp_dsack_set: the block below the cumulative
#   ACK, in quick ACK mode) that acks everything, and the D-SACK of the probe ends the
#   server's episode without a cwnd reduction (tcp_process_tlp_ack, FLAG_DSACK_TLP). The
#   client's FIN, lost, goes again after its RTO, which the lab waits for before it lists
#   the rules.
# Both ends use CUBIC through their routes' congctl (the recording host's namespaces inherit
#   BBR, which paces the response's segments, and may not choose CUBIC with
#   net.ipv4.tcp_congestion_control: EPERM outside init_net; nslab models CUBIC).
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
ip -n c route add default via 10.0.1.1 congctl cubic
ip -n s route add default via 10.0.2.1 congctl cubic
# --- traffic ---
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
sleep 1
ip netns exec r iptables -nvL FORWARD
