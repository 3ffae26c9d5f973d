# Lab: web15-nc-tcp-conntrack — a TCP service in one namespace reached through a NAT router,
# with nc on both ends and the router's connection tracking table read back.
sudo ip netns add inside
sudo ip netns add router
sudo ip netns add outside
sudo ip link add eth0 netns inside type veth peer name in0 netns router
sudo ip link add eth0 netns outside type veth peer name out0 netns router
sudo ip -n inside addr add 10.10.0.2/24 dev eth0
sudo ip -n router addr add 10.10.0.1/24 dev in0
sudo ip -n router addr add 100.64.0.1/24 dev out0
sudo ip -n outside addr add 100.64.0.2/24 dev eth0
for pair in inside:eth0 router:in0 router:out0 outside:eth0; do
    sudo ip -n "${pair%%:*}" link set "${pair#*:}" up
done
sudo ip -n inside route add default via 10.10.0.1
sudo ip netns exec router sysctl -qw net.ipv4.ip_forward=1
sudo ip netns exec router iptables -t nat -A POSTROUTING -o out0 -j MASQUERADE
sudo ip netns exec outside nc -l 100.64.0.2 7000 > received.txt &
sleep 0.5
# --- traffic ---
echo "hello from inside" | sudo ip netns exec inside nc -N 100.64.0.2 7000
sleep 0.5
cat received.txt
sudo ip netns exec router conntrack -L -p tcp 2>/dev/null | grep -o 'src=100.64.0.2 dst=100.64.0.1 sport=7000'
sudo ip netns exec router iptables -t nat -L POSTROUTING -n -v | awk 'NR == 3 {print $1, $3}'
