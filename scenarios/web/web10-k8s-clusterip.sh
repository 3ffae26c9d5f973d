# Lab: web10-k8s-clusterip — a ClusterIP Service the way kube-proxy's iptables mode writes it:
# KUBE-SERVICES jumps to a per-service chain, which DNATs to the endpoint; the client pod
# connects to the virtual IP.
sudo ip link add cni0 type bridge
sudo ip addr add 10.244.0.1/24 dev cni0
sudo ip link set cni0 up
for p in client backend; do
    sudo ip netns add $p
    sudo ip link add veth-$p type veth peer name eth0 netns $p
    sudo ip link set veth-$p master cni0
    sudo ip link set veth-$p up
    sudo ip -n $p link set lo up
done
sudo ip -n client addr add 10.244.0.5/24 dev eth0
sudo ip -n backend addr add 10.244.0.6/24 dev eth0
sudo ip -n client link set eth0 up
sudo ip -n backend link set eth0 up
sudo ip netns exec backend python3 -m http.server 8080 --bind 10.244.0.6 --protocol HTTP/1.1 > /dev/null 2>&1 &
for i in $(seq 50); do sudo ip netns exec backend ss -ltn | grep -q 8080 && break; sleep 0.1; done
sudo ip -n client route add default via 10.244.0.1
sudo ip -n backend route add default via 10.244.0.1
sudo sysctl -w net.ipv4.ip_forward=1 >/dev/null
sudo iptables-restore <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-WEB - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.42/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB
-A KUBE-SVC-WEB -p tcp -m comment --comment "default/web" -j DNAT --to-destination 10.244.0.6:8080
COMMIT
RULES
# --- traffic ---
sudo ip netns exec client curl -sS -m 2 http://10.96.0.42/ | head -3
sudo iptables -t nat -L KUBE-SVC-WEB -n -v | awk 'NR > 2 {print $1, $3, $NF}'
sudo iptables-save -t nat | grep -c KUBE
sudo conntrack -L -d 10.96.0.42 2>/dev/null | grep -o 'src=10.244.0.6 dst=10.244.0.5 sport=8080' | head -1
