# Lab: nslab-route-localnet
# net.ipv4.conf.*.route_localnet (issue 11, as route_localnet.sh tests it): 127.0.0.0/8
# addresses on a veth pair. Without route_localnet the ping's ARP request for a 127 address is
# dropped (arp_process) and the ping fails; with it, ARP (arp_announce 2, then arp_ignore 3,
# where the host-scope 127 address counts as link scope) and the 127-sourced packets pass.
ip netns add peer
ip -n peer link set dev lo up
ip link add name veth0 type veth peer name veth1
ip link set dev veth0 up
ip link set dev veth1 netns peer
ip route del 127.0.0.0/8 dev lo table local
ip netns exec peer ip route del 127.0.0.0/8 dev lo table local
ip addr add 127.25.3.4/24 dev veth0
ip -n peer addr add 127.25.3.14/24 dev veth1
ip -n peer link set veth1 up
ip route flush cache
# --- traffic ---
ip -4 -o addr show dev veth0
ip route get 127.25.3.14 2>/dev/null || echo "route get failed: $?"
ping -c2 -i 0.2 127.25.3.14 2>&1 || echo "ping failed: $?"
sysctl -w net.ipv4.conf.veth0.route_localnet=1
ip netns exec peer sysctl -w net.ipv4.conf.veth1.route_localnet=1
sysctl -w net.ipv4.conf.veth0.arp_announce=2
ip netns exec peer sysctl -w net.ipv4.conf.veth1.arp_announce=2
ping -c2 -i 0.2 127.25.3.14 2>&1 || echo "ping failed: $?"
ip neigh flush dev veth0
ip netns exec peer ip neigh flush dev veth1
ip netns exec peer sysctl -w net.ipv4.conf.veth1.arp_ignore=3
ping -c2 -i 0.2 127.25.3.14 2>&1 || echo "ping failed: $?"
ip route get 127.25.3.14 2>&1
