# Lab: nslab-arp-evict-nocarrier
# net.ipv4.conf.*.arp_evict_nocarrier (issue 11, as arp_ndisc_evict_nocarrier.sh tests it):
# when veth0's peer goes down, veth0 loses its carrier and its ARP entries are evicted (a
# permanent one stays) while the knob is 1 on both `all` and the device; with `all` at 0 the
# entry survives. `ip neigh get` shows each entry or "Neighbour entry not found".
ip netns add p
ip link add name veth0 type veth peer name veth1
ip link set dev veth0 up
ip link set dev veth1 netns p
ip netns exec p ip link set dev veth1 up
ip addr add 10.0.10.1/24 dev veth0
ip netns exec p ip addr add 10.0.10.2/24 dev veth1
ip neigh add 10.0.10.9 lladdr 02:00:00:00:00:09 dev veth0
# --- traffic ---
sysctl -w net.ipv4.conf.veth0.arp_evict_nocarrier=1
ping -c1 10.0.10.2 -q >/dev/null
ip neigh get 10.0.10.2 dev veth0 >/dev/null && echo present || echo absent
ip netns exec p ip link set veth1 down
ip neigh get 10.0.10.2 dev veth0 >/dev/null 2>&1 && echo present || echo absent
ip neigh show nud permanent
ip netns exec p ip link set veth1 up
sysctl -w net.ipv4.conf.all.arp_evict_nocarrier=0
ping -c1 10.0.10.2 -q >/dev/null
ip netns exec p ip link set veth1 down
ip neigh get 10.0.10.2 dev veth0 >/dev/null 2>&1 && echo present || echo absent
sysctl net.ipv4.conf.default.arp_evict_nocarrier
ip netns exec p ip route show table local
ip netns exec p ip route get 10.0.10.2
