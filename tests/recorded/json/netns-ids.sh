# Namespace ids (nsid) as the kernel allocates them (peernet2id_alloc: when a link message
# about a device whose peer is in another namespace is filled, and when a device moves),
# `ip netns set|list|list-id`, `link-netns`/`link-netnsid` and `ip -j ... link_netnsid`
# (iproute2 6.1; recorded with `unshare -n`, so the lab's initial namespace has no name).
ip netns add user17a
ip netns add user17b
ip netns add user17c
ip link add va address 02:00:00:00:00:0a type veth peer name vb address 02:00:00:00:00:0b netns user17a
echo "== after veth to a"; ip netns list-id; ip -n user17a netns list-id
ip link add vc type veth peer name vd
ip link set vd netns user17b
echo "== after move to b"; ip netns list-id; ip -n user17b netns list-id
ip -n user17b link add xb type veth peer name xc netns user17c
echo "== b-c pair"; ip -n user17b netns list-id; ip -n user17c netns list-id
ip -n user17c link set xc up
ip -n user17b link set xb up
echo "== after up"; ip -n user17c netns list-id; ip -n user17b netns list-id
ip netns set user17c 7; echo "status $?"
ip netns set user17c auto; echo "status $?"
ip -n user17a netns set user17c 5; echo "status $?"
ip -n user17a netns set user17b 5; echo "status $?"
ip -n user17a netns set user17b auto; echo "status $?"
ip netns list | grep -E "user17[bc]" | sort
ip -n user17a netns list | grep -E "user17[bc]" | sort
ip -n user17a link show vb
ip -n user17a -j link show vb | jq -c '.[0] | {ifname, link_index, link_netnsid}'
ip -n user17a netns list-id
ip link show vd 2>&1; ip -o link show va
ip -j link show va | jq -r '.[0].link_netnsid'
ip netns list-id
ip netns list-id nsid 1; echo "status $?"
ip netns list-id nsid 9; echo "status $?"
ip netns list-id nsid x; echo "status $?"
ip netns attach; echo "status $?"
ip netns attach user17d abc; echo "status $?"
ip netns attach user17a 1; echo "status $?"
ip netns del user17c
echo "== after del c"; ip -n user17b netns list-id; ip -n user17a netns list-id
ip netns del user17a; ip netns del user17b
