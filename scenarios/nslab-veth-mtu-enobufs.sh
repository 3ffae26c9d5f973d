# Lab: nslab-veth-mtu-enobufs
# Reproduces: no seed section; issue 13 class E: a veth pair whose ends disagree on the MTU
#   (h1 eth0 1500, h2 eth0 1000). veth_xmit drops a frame longer than the peer's MTU plus
#   the link-layer header (is_skb_forwardable) and returns NET_XMIT_DROP: sendmsg gets ENOBUFS.
# Traffic: a small ping (answered, resolves the neighbour), then 1200-byte pings: iputils
#   retries every interval/2 until the linger time is used up, then reports the error and
#   counts the echo as sent. (Its stderr goes to a file: the lab's output does not interleave a
#   process's stdout and stderr as the real ping's flushes do.)
ip netns add h1
ip netns add h2
ip -n h1 link add eth0 type veth peer name eth0 netns h2
ip -n h1 addr add 10.1.0.1/24 dev eth0
ip -n h2 addr add 10.1.0.2/24 dev eth0
ip -n h2 link set eth0 mtu 1000
ip -n h1 link set eth0 up
ip -n h2 link set eth0 up
# --- traffic ---
ip netns exec h1 ping -c 1 10.1.0.2
ip netns exec h1 ping -c 2 -i 0.2 -W 1 -s 1200 10.1.0.2 2>err.txt
echo "status $?"
cat err.txt
ip netns exec h2 ping -c 1 -s 1200 10.1.0.1
