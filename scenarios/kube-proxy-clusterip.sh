# Lab: kube-proxy-clusterip
# Reproduces: 002_e4d8ed13bff6529c.txt, section "Hand CNI - 4" (ClusterIP by hand), done the way
#   kube-proxy's iptables mode writes it: KUBE-SERVICES -> KUBE-SVC-* -> KUBE-SEP-* chains with
#   `-m statistic --mode random --probability` spreading connections over three endpoint pods,
#   KUBE-MARK-MASQ / KUBE-POSTROUTING (MASQUERADE --random-fully), loaded with iptables-restore.
# Deviations: not in the seed as such (our own lab for the netfilter issue); one node, pods on
#   bridge cni0; the endpoints are python3 http.server; 30 curls from a client pod. Which
#   endpoint serves each connection is random on the kernel as in the model (seeded), so only the
#   shape of each connection and the set of addresses compare, not the per-endpoint counts.
ip link add cni0 type bridge
ip addr add 10.244.0.1/24 dev cni0
ip link set cni0 up
echo 1 > /proc/sys/net/ipv4/ip_forward
ip netns add client
ip netns exec client ip link set lo up
ip link add veth-client type veth peer name eth0 netns client
ip link set veth-client master cni0
ip link set veth-client up
ip netns exec client ip addr add 10.244.0.2/24 dev eth0
ip netns exec client ip link set eth0 up
ip netns exec client ip route add default via 10.244.0.1
ip netns add ep1
ip netns exec ep1 ip link set lo up
ip link add veth-ep1 type veth peer name eth0 netns ep1
ip link set veth-ep1 master cni0
ip link set veth-ep1 up
ip netns exec ep1 ip addr add 10.244.0.11/24 dev eth0
ip netns exec ep1 ip link set eth0 up
ip netns exec ep1 ip route add default via 10.244.0.1
ip netns add ep2
ip netns exec ep2 ip link set lo up
ip link add veth-ep2 type veth peer name eth0 netns ep2
ip link set veth-ep2 master cni0
ip link set veth-ep2 up
ip netns exec ep2 ip addr add 10.244.0.12/24 dev eth0
ip netns exec ep2 ip link set eth0 up
ip netns exec ep2 ip route add default via 10.244.0.1
ip netns add ep3
ip netns exec ep3 ip link set lo up
ip link add veth-ep3 type veth peer name eth0 netns ep3
ip link set veth-ep3 master cni0
ip link set veth-ep3 up
ip netns exec ep3 ip addr add 10.244.0.13/24 dev eth0
ip netns exec ep3 ip link set eth0 up
ip netns exec ep3 ip route add default via 10.244.0.1
ip netns exec ep1 python3 -m http.server --bind 10.244.0.11 8080 --protocol HTTP/1.1 > /dev/null 2>&1 &
ip netns exec ep2 python3 -m http.server --bind 10.244.0.12 8080 --protocol HTTP/1.1 > /dev/null 2>&1 &
ip netns exec ep3 python3 -m http.server --bind 10.244.0.13 8080 --protocol HTTP/1.1 > /dev/null 2>&1 &
for i in $(seq 100); do ip netns exec ep1 ss -tln | grep -q '10.244.0.11:8080' && break; sleep 0.05; done
for i in $(seq 100); do ip netns exec ep2 ss -tln | grep -q '10.244.0.12:8080' && break; sleep 0.05; done
for i in $(seq 100); do ip netns exec ep3 ss -tln | grep -q '10.244.0.13:8080' && break; sleep 0.05; done
iptables-restore --noflush <<'RULES'
*nat
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-XGLOHA7QRQ3V22RZ - [0:0]
:KUBE-SEP-AAAAAAAAAAAAAAA1 - [0:0]
:KUBE-SEP-BBBBBBBBBBBBBBB2 - [0:0]
:KUBE-SEP-CCCCCCCCCCCCCCC3 - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.96.0.100/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-XGLOHA7QRQ3V22RZ
-A KUBE-SVC-XGLOHA7QRQ3V22RZ ! -s 10.244.0.0/16 -d 10.96.0.100/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-XGLOHA7QRQ3V22RZ -m comment --comment "default/web:http -> 10.244.0.11:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-AAAAAAAAAAAAAAA1
-A KUBE-SVC-XGLOHA7QRQ3V22RZ -m comment --comment "default/web:http -> 10.244.0.12:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-BBBBBBBBBBBBBBB2
-A KUBE-SVC-XGLOHA7QRQ3V22RZ -m comment --comment "default/web:http -> 10.244.0.13:8080" -j KUBE-SEP-CCCCCCCCCCCCCCC3
-A KUBE-SEP-AAAAAAAAAAAAAAA1 -s 10.244.0.11/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-AAAAAAAAAAAAAAA1 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.11:8080
-A KUBE-SEP-BBBBBBBBBBBBBBB2 -s 10.244.0.12/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-BBBBBBBBBBBBBBB2 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.12:8080
-A KUBE-SEP-CCCCCCCCCCCCCCC3 -s 10.244.0.13/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-CCCCCCCCCCCCCCC3 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.13:8080
COMMIT
RULES
# --- traffic ---
for i in $(seq 30); do ip netns exec client curl -sS 10.96.0.100 > /dev/null; done
iptables -t nat -vnL KUBE-SVC-XGLOHA7QRQ3V22RZ
