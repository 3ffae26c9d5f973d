# Lab: nslab-tcp-syn-rto
# Reproduces: no seed section; issue 12 (TCP must cope with loss): the RTO a connection starts
#   with after its SYN was lost and sent again. The router drops the client's first SYN, then
#   its request and the probe that resends it (iptables statistic nth: each rule counts only
#   the packets that reach it; --syn rules count only SYNs).
# Traffic: curl c -> s through r, twice.
#   1. Without timestamps (the client's net.ipv4.tcp_timestamps=0): the SYN-ACK answers the
#      SYN sent again, which gives no RTT sample (Karn), so the connection starts with the 3 s
#      fallback RTO (tcp_init_metrics: TCP_TIMEOUT_FALLBACK, RFC 6298 5.7) instead of 1 s.
#      This is the client's first connection to the server: no cached RTT in tcp_metrics.
#      The lost request is probed after 1 s (tcp_schedule_loss_probe without srtt:
#      TCP_TIMEOUT_INIT), and the probe being lost too, the RTO resends it 3 s later.
#   2. With timestamps: the SYN-ACK echoes the second SYN's TSval, which gives an RTT sample
#      (tcp_ack_update_rtt: tcp_rtt_tsopt_us, at least 1 ms), so the probe waits 2 RTT +
#      200 ms and the RTO 200 ms more.
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
ip netns exec c sysctl -qw net.ipv4.tcp_timestamps=0
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 --syn -m statistic --mode nth --every 10000 --packet 0 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 2 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 2 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
ip netns exec r iptables -F FORWARD
ip netns exec c sysctl -qw net.ipv4.tcp_timestamps=1
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 --syn -m statistic --mode nth --every 10000 --packet 0 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 2 -j DROP
ip netns exec r iptables -A FORWARD -p tcp --dport 8000 -m statistic --mode nth --every 10000 --packet 2 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
