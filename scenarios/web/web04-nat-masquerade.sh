# Lab: web04-nat-masquerade — giving a namespace "internet access": the host namespace routes
# and masquerades, the outside namespace sees only the host's address.
sudo ip netns add app
sudo ip netns add wan
sudo ip link add veth-app type veth peer name eth0 netns app
sudo ip link add veth-wan type veth peer name eth0 netns wan
sudo ip addr add 10.200.1.1/24 dev veth-app
sudo ip addr add 203.0.113.1/24 dev veth-wan
sudo ip link set veth-app up
sudo ip link set veth-wan up
sudo ip -n app addr add 10.200.1.2/24 dev eth0
sudo ip -n app link set eth0 up
sudo ip -n app route add default via 10.200.1.1
sudo ip -n wan addr add 203.0.113.9/24 dev eth0
sudo ip -n wan link set eth0 up
sudo sysctl -w net.ipv4.ip_forward=1 > /dev/null
sudo iptables -t nat -A POSTROUTING -s 10.200.1.0/24 -o veth-wan -j MASQUERADE
sudo iptables -A FORWARD -i veth-app -o veth-wan -j ACCEPT
sudo iptables -A FORWARD -i veth-wan -o veth-app -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
# --- traffic ---
sudo ip netns exec app ping -c 2 -i 0.2 203.0.113.9 | grep -E '^64 bytes' | cut -d: -f1
sudo iptables -t nat -L POSTROUTING -n -v | awk 'NR > 2 {print $1, $3, $8, $9}'
sudo conntrack -L 2>/dev/null | grep -c icmp
sudo ip netns exec wan ip neigh show | awk '{print $1}'
