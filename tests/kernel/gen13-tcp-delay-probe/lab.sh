# Lab: netfilter-tcp
# Reproduces: 002_e4d8ed13bff6529c.txt, the netfilter side of "Hand CNI - 4/5" (a service behind
#   iptables): an HTTP server in b; INPUT rules REJECT --reject-with tcp-reset, DROP (curl
#   times out) and REJECT (icmp-port-unreachable) against curl from a. The server speaks
#   HTTP/1.1 (as in the seeds) so that curl closes first.
# Deviations: our own lab for the netfilter issue (no seed runs these exact commands).
ip netns add a
ip netns add b
ip link add v0 type veth peer name v1
ip link set v0 netns a
ip link set v1 netns b
ip netns exec a ip addr add 10.1.0.1/24 dev v0
ip netns exec b ip addr add 10.1.0.2/24 dev v1
ip netns exec a ip link set v0 up
ip netns exec b ip link set v1 up
ip netns exec b python3 -m http.server --bind 10.1.0.2 80 --protocol HTTP/1.1 > /dev/null 2>&1 &
for i in $(seq 100); do ip netns exec b ss -tln | grep -q "10.1.0.2:80" && break; sleep 0.05; done
# --- traffic ---
ip netns exec a curl -sS -o /dev/null 10.1.0.2
ip netns exec b iptables -A INPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset
ip netns exec a curl -sS 10.1.0.2 || true
ip netns exec b iptables -R INPUT 1 -p tcp --dport 80 -j DROP
ip netns exec a curl -sS --connect-timeout 2 10.1.0.2 || true
ip netns exec b iptables -R INPUT 1 -p tcp --dport 80 -j REJECT
ip netns exec a curl -sS 10.1.0.2 || true
ip netns exec b iptables -vnL INPUT
sleep 6
ip netns exec b ip -4 neigh | cut -d" " -f1-3,6-
