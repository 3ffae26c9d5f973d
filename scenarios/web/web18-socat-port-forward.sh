# Lab: web18-socat-port-forward — check a DNAT port forward with socat instead of a web
# server: a TCP listener (fork) and a UDP receiver behind the router, a client outside that
# sends lines to the router's public ports, and a refused port.
C=socat17-client; R=socat17-router; S=socat17-server
sudo ip netns add $C
sudo ip netns add $R
sudo ip netns add $S
sudo ip link add eth0 netns $C type veth peer name out0 netns $R
sudo ip link add eth0 netns $S type veth peer name in0 netns $R
sudo ip -n $C addr add 100.64.0.2/24 dev eth0
sudo ip -n $R addr add 100.64.0.1/24 dev out0
sudo ip -n $R addr add 10.20.0.1/24 dev in0
sudo ip -n $S addr add 10.20.0.2/24 dev eth0
for pair in $C:eth0 $R:out0 $R:in0 $S:eth0; do
    sudo ip -n "${pair%%:*}" link set "${pair#*:}" up
done
sudo ip -n $S route add default via 10.20.0.1
sudo ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
sudo ip netns exec $R iptables -t nat -A PREROUTING -i out0 -p tcp --dport 80 -j DNAT --to-destination 10.20.0.2:8080
sudo ip netns exec $R iptables -t nat -A PREROUTING -i out0 -p udp --dport 5514 -j DNAT --to-destination 10.20.0.2:5140
sudo ip netns exec $S socat -u TCP-LISTEN:8080,reuseaddr,fork STDOUT > received.txt &
sudo ip netns exec $S socat -u UDP-RECV:5140 STDOUT > syslog.txt &
until sudo ip netns exec $S ss -ltn | grep -q ':8080'; do sleep 0.1; done
# --- traffic ---
echo "hello through the port forward" | sudo ip netns exec $C socat - TCP:100.64.0.1:80
echo "client exit: $?"
sudo ip netns exec $C socat -u - TCP4:100.64.0.1:80 <<< $'line 1\nline 2'
sudo ip netns exec $C socat - TCP:100.64.0.1:81 < /dev/null 2>&1 | sed -E 's/^.* (socat)\[[0-9]+\]/\1/'
echo "refused exit: ${PIPESTATUS[0]}"
echo "<14>socat: a syslog line" | sudo ip netns exec $C socat -u - UDP-SENDTO:100.64.0.1:5514
sleep 1
echo "--- the server got:"
cat received.txt syslog.txt
sudo ip netns exec $R iptables -t nat -L PREROUTING -n -v | awk 'NR > 2 {print $1, $4, $NF}'
