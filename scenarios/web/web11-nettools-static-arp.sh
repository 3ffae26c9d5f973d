# Lab: web11-nettools-static-arp — the same two-namespace setup written with the old net-tools
# commands older tutorials still use: ifconfig, route, arp -s for a static neighbour.
sudo ip netns add alpha
sudo ip netns add beta
sudo ip link add eth0 netns alpha type veth peer name eth0 netns beta
sudo ip -n beta link set eth0 address 02:00:0a:00:00:02
sudo ip netns exec alpha ifconfig eth0 10.0.0.1 netmask 255.255.255.0 up
sudo ip netns exec beta ifconfig eth0 10.0.0.2/24 up
sudo ip netns exec alpha ifconfig lo up
sudo ip netns exec beta ip addr add 10.0.1.2/24 dev eth0
sudo ip netns exec alpha route add -net 10.0.1.0/24 gw 10.0.0.2
sudo ip netns exec alpha arp -s 10.0.0.2 02:00:0a:00:00:02
# --- traffic ---
sudo ip netns exec alpha ifconfig eth0 | grep -w inet
sudo ip netns exec alpha route -n
sudo ip netns exec alpha ping -c 2 -i 0.2 10.0.1.2 | grep 'bytes from' | cut -d' ' -f4
# /proc/net/arp lists the neighbour hash table in bucket order (random per boot): sort it
sudo ip netns exec alpha arp -n | head -1
sudo ip netns exec alpha arp -n | tail -n +2 | sort
sudo ip netns exec alpha arp -a | sort
sudo ip netns exec beta arp -an | awk '{print $2, $NF}'
