# Lab: nslab-martian-source
# Reproduces: no seed section; issue 13 class B (fib_validate_source with accept_local=0): a
#   packet whose source is an address of the receiving namespace is a martian and is dropped.
#   r1 and r2 are joined by two links (a: 10.12.0.0/24, b: 10.21.0.0/24) and route
#   10.9.0.0/24 to each other (r1 via link a, r2 via link b), a two-router loop; a1 and a2 share
#   the address 10.3.0.1 (a1 also has 10.3.0.5).
# Traffic: r1 pings into the loop: its echo comes back to r1 over link b with r1's own source
#   and is dropped at once (no TTL expiry); a2 pings 10.3.0.5: the ARP request's sender is one
#   of a1's addresses, so a1 does not answer (arp_process's input route fails).
ip netns add r1
ip netns add r2
ip netns add a1
ip netns add a2
ip -n r1 link add eth1 type veth peer name eth1 netns r2
ip -n r1 link add eth2 type veth peer name eth2 netns r2
ip -n a1 link add eth0 type veth peer name eth0 netns a2
ip -n r1 addr add 10.12.0.1/24 dev eth1
ip -n r2 addr add 10.12.0.2/24 dev eth1
ip -n r1 addr add 10.21.0.1/24 dev eth2
ip -n r2 addr add 10.21.0.2/24 dev eth2
ip -n a1 addr add 10.3.0.1/24 dev eth0
ip -n a1 addr add 10.3.0.5/24 dev eth0
ip -n a2 addr add 10.3.0.1/24 dev eth0
ip -n r1 link set eth1 up
ip -n r1 link set eth2 up
ip -n r2 link set eth1 up
ip -n r2 link set eth2 up
ip -n a1 link set eth0 up
ip -n a2 link set eth0 up
ip -n r1 route add 10.9.0.0/24 via 10.12.0.2
ip -n r2 route add 10.9.0.0/24 via 10.21.0.1
ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
ip netns exec r2 sysctl -w net.ipv4.ip_forward=1
# --- traffic ---
ip netns exec r1 ping -c 2 -i 0.2 -W 1 10.9.0.1
ip netns exec a2 ping -c 1 10.3.0.5
