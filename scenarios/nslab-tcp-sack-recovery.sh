# Lab: nslab-tcp-sack-recovery
# Reproduces: no seed section; issue 12 (TCP must cope with loss): one data segment of an HTTP
#   response is dropped deterministically by the router (iptables statistic nth on the
#   server's segments: the 5th, then the 8th), with TSO/GSO off on the server so that each
#   segment is its own packet. The file is 6393 bytes: five segments after the header.
# Traffic: curl c -> s through r, twice.
#   1. The second body segment is lost: the client answers the three later segments with
#      duplicate ACKs carrying a SACK block that grows (3 segments SACKed), the server marks
#      the hole lost (RACK: reordering window 0 once 3 segments are SACKed) and retransmits
#      it at once; the client's ACK then covers everything.
#   2. The last body segment is lost: nothing comes back to tell the server, which sends it
#      again when its probe/retransmission timer fires (~200 ms).
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
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 4 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -F FORWARD
ip netns exec r iptables -A FORWARD -p tcp --sport 8000 -m statistic --mode nth --every 10000 --packet 7 -j DROP
ip netns exec c curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' 10.0.2.2:8000/f
ip netns exec r iptables -nvL FORWARD
