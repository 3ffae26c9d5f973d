# Lab: web13-firewall-heredoc — a host firewall loaded with iptables-restore from a heredoc:
# allow SSH-style TCP and ping from the admin network only, drop the rest, then read the
# counters the way troubleshooting guides do.
sudo ip netns add server
sudo ip netns add admin
sudo ip netns add guest
sudo ip link add sw type bridge
sudo ip link set sw up
i=1
for ns in server admin guest; do
    sudo ip link add v-$ns type veth peer name eth0 netns $ns
    sudo ip link set v-$ns master sw
    sudo ip link set v-$ns up
    sudo ip -n $ns addr add 10.50.0.$i/24 dev eth0
    sudo ip -n $ns link set eth0 up
    sudo ip -n $ns link set lo up
    i=$((i + 1))
done
sudo ip netns exec server iptables-restore <<'EOF2'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -s 10.50.0.2/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A INPUT -s 10.50.0.2/32 -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
COMMIT
EOF2
# --- traffic ---
try_ping() {
    if sudo ip netns exec "$1" ping -c 1 -W 1 10.50.0.1 > /dev/null; then
        echo "$1: ping ok"
    else
        echo "$1: ping blocked"
    fi
}
try_ping admin
try_ping guest
sudo ip netns exec guest curl -sS -m 2 http://10.50.0.1:80/ 2>&1 | sed 's/ after [0-9]* ms//'
sudo ip netns exec server iptables -L INPUT -n -v --line-numbers | awk 'NR > 2 {printf "%s %s %s\n", $1, $2, $4}'
sudo ip netns exec server iptables -S INPUT | grep -c -- '-j ACCEPT'
