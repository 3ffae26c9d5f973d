# Lab: web15-nat-http-conntrack — a client behind a NAT router fetches a page from a server
# outside; the router's connection tracking table shows the translated reply tuple.
sudo ip netns add inside
sudo ip netns add router
sudo ip netns add outside
sudo ip link add eth0 netns inside type veth peer name in0 netns router
sudo ip link add eth0 netns outside type veth peer name out0 netns router
sudo ip -n inside addr add 10.10.0.2/24 dev eth0
sudo ip -n router addr add 10.10.0.1/24 dev in0
sudo ip -n router addr add 100.64.0.1/24 dev out0
sudo ip -n outside addr add 100.64.0.2/24 dev eth0
for pair in inside:eth0 router:in0 router:out0 outside:eth0 outside:lo; do
    sudo ip -n "${pair%%:*}" link set "${pair#*:}" up
done
sudo ip netns exec outside python3 -m http.server 8000 --bind 100.64.0.2 --protocol HTTP/1.1 > /dev/null 2>&1 &
until sudo ip netns exec outside ss -ltn | grep -q ':8000'; do sleep 0.1; done
sudo ip -n inside route add default via 10.10.0.1
sudo ip netns exec router sysctl -qw net.ipv4.ip_forward=1
sudo ip netns exec router iptables -t nat -A POSTROUTING -o out0 -j MASQUERADE
# --- traffic ---
sudo ip netns exec inside curl -sS -o /dev/null -w '%{http_code} from %{remote_ip}:%{remote_port}\n' http://100.64.0.2:8000/
sudo ip netns exec router conntrack -L -p tcp 2>/dev/null | grep -o 'src=100.64.0.2 dst=100.64.0.1 sport=8000'
sudo ip netns exec router iptables -t nat -L POSTROUTING -n -v | awk 'NR == 3 {print $1, $3}'
