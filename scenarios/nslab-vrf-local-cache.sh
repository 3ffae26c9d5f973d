# Lab: nslab-vrf-local-cache
# fib_tests.sh's "Cached route removed from VRF port device" (ipv4_local_rt_cache) as a lab,
# recorded in the oracle VM (Linux 6.1 with vrf; the selftests' baseline kernel has no vrf and
# fails the subtest at `type vrf`): a host in test-ns pings 10.0.0.1, an address on lo outside
# the VRF, through a VRF port (the local rule comes before the l3mdev rule, so it is delivered;
# the reply is routed in the VRF), then the VRF is deleted. The subtest passes when the delete
# succeeds (does not hang): rc=0.
# The VM kernel loads the ipip module at boot (every namespace has a DOWN tunl0), so the lab
#   says so by looking at tunl0 first.
ip link show tunl0 > /dev/null
ip addr add 10.0.0.1/32 dev lo
ip netns add test-ns
ip link add veth-outside address 02:00:00:00:00:01 type veth peer name veth-inside address 02:00:00:00:00:02
ip link add vrf-100 address 02:00:00:00:01:00 type vrf table 1100
ip link set veth-outside master vrf-100
ip link set veth-inside netns test-ns
ip link set veth-outside up
ip link set vrf-100 up
ip route add 10.1.1.1/32 dev veth-outside table 1100
ip netns exec test-ns ip link set veth-inside up
ip netns exec test-ns ip addr add 10.1.1.1/32 dev veth-inside
ip netns exec test-ns ip route add 10.0.0.1/32 dev veth-inside
ip netns exec test-ns ip route add default via 10.0.0.1
# --- traffic ---
ip netns exec test-ns ping 10.0.0.1 -c 1 -i 1; echo "rc=$?"
ip route show table 1100
ip link delete vrf-100; echo "rc=$?"
ip route show table 1100
ip link show veth-outside
