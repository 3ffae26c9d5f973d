# Lab: web12-arping-gratuitous — arping to probe a neighbour, then the gratuitous ARP a
# failover sends when a virtual IP moves (keepalived/VRRP guides): the client's neighbour
# entry follows the new MAC without a new resolution.
sudo ip netns add client
sudo ip netns add srv1
sudo ip netns add srv2
sudo ip link add lan type bridge
sudo ip link set lan up
for ns in client srv1 srv2; do
    sudo ip link add p-$ns type veth peer name eth0 netns $ns
    sudo ip link set p-$ns master lan
    sudo ip link set p-$ns up
    sudo ip -n $ns link set eth0 up
done
sudo ip -n client link set eth0 address 02:00:00:00:00:0c
sudo ip -n srv1 link set eth0 address 02:00:00:00:00:01
sudo ip -n srv2 link set eth0 address 02:00:00:00:00:02
sudo ip -n client addr add 192.168.50.10/24 dev eth0
sudo ip -n srv1 addr add 192.168.50.100/24 dev eth0
sudo ip -n srv2 addr add 192.168.50.200/24 dev eth0
# --- traffic ---
sudo ip netns exec client arping -c 2 -I eth0 192.168.50.100 | sed 's/ [0-9.]*ms$//'
sudo ip netns exec client ping -c 1 192.168.50.100 | grep -c 'bytes from'
sudo ip netns exec client ip neigh show 192.168.50.100
sleep 1.5
echo "failover: the VIP moves to srv2"
sudo ip -n srv1 addr del 192.168.50.100/24 dev eth0
sudo ip -n srv2 addr add 192.168.50.100/24 dev eth0
sudo ip netns exec srv2 arping -U -c 1 -I eth0 192.168.50.100
echo "arping exit status: $?"
sudo ip netns exec client ip neigh show 192.168.50.100
sudo ip netns exec client ping -c 1 192.168.50.100 | grep -c 'bytes from'
