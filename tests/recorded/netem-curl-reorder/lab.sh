ip netns add a
ip netns add b
ip -n a link add v0 type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
seq 200000 | head -c 1048576 > blob
ip netns exec b python3 -m http.server --bind 10.0.0.2 80 > /dev/null 2>&1 &
for i in $(seq 100); do ip netns exec b ss -tln | grep -q "10.0.0.2:80" && break; sleep 0.05; done
ip netns exec b tc qdisc add dev v1 root netem delay 10ms reorder 25% 50%
# --- traffic ---
ip netns exec a curl -sS -o got -w '%{http_code} %{size_download}\n' http://10.0.0.2/blob
echo rc=$?
wc -c < got
ip netns exec b tc -s qdisc show dev v1
