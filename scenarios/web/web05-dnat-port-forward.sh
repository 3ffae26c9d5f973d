# Lab: web05-dnat-port-forward — publishing a web server that lives in a namespace on a port of
# the host, the way `docker run -p 8080:80` does it with iptables.
sudo ip netns add web
sudo ip netns add client
sudo ip link add br-web type bridge
sudo ip link set br-web up
sudo ip addr add 172.18.0.1/24 dev br-web
sudo ip link add vweb type veth peer name eth0 netns web
sudo ip link set vweb master br-web
sudo ip link set vweb up
sudo ip -n web addr add 172.18.0.2/24 dev eth0
sudo ip -n web link set eth0 up
sudo ip -n web link set lo up
sudo ip netns exec web python3 -m http.server 80 --bind 172.18.0.2 --protocol HTTP/1.1 > /dev/null 2>&1 &
for i in $(seq 50); do sudo ip netns exec web ss -ltn | grep -q ':80 ' && break; sleep 0.1; done
sudo ip -n web route add default via 172.18.0.1
sudo ip link add vcl type veth peer name eth0 netns client
sudo ip addr add 198.51.100.1/24 dev vcl
sudo ip link set vcl up
sudo ip -n client addr add 198.51.100.7/24 dev eth0
sudo ip -n client link set eth0 up
sudo sysctl -w net.ipv4.ip_forward=1
sudo iptables -t nat -A PREROUTING -p tcp -d 198.51.100.1 --dport 8080 -j DNAT --to-destination 172.18.0.2:80
sudo iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o br-web -j MASQUERADE
# --- traffic ---
code=$(sudo ip netns exec client curl -sS -o /dev/null -w '%{http_code}' http://198.51.100.1:8080/)
echo "HTTP status through the published port: $code"
sudo ip netns exec client curl -sS http://198.51.100.1:8080/ | grep -o '<title>.*</title>'
sudo iptables -t nat -S PREROUTING
sudo conntrack -L -p tcp 2>/dev/null | awk '{print $1, $4}' | sort | uniq -c
