ip netns add tc12a
ip netns add tc12b
ip -n tc12a link add v0 type veth peer name v1 netns tc12b
ip -n tc12a link set lo up
ip -n tc12a link set v0 up
ip -n tc12b link set v1 up
ip -n tc12a addr add 10.0.0.1/24 dev v0
ip -n tc12b addr add 10.0.0.2/24 dev v1
# --- traffic ---
t() { echo "\$ tc $*"; ip netns exec tc12a tc "$@" 2>&1; echo "rc=$?"; }
for a in "rate 1mbit burst 10k latency 50ms" "rate 1mbit burst 10kb limit 20000" "rate 80kbit burst 1100 limit 3200" "rate 1mbit burst 32kbit latency 400ms peakrate 2mbit mtu 1514" "rate 10mbit burst 10k/8 latency 1ms" "rate 100mbit buffer 100000 latency 70ms" "rate 1gbit maxburst 1mb latency 10ms" "rate 10gbit burst 1m latency 1ms" "rate 1000 burst 2000 latency 1s" "rate 512kbps burst 5kb limit 1" "rate 1mibit burst 9999 lat 2ms" "rate 1mbit burst 10k latency 50ms mpu 64" "rate 1mbit burst 10k latency 50ms minburst 2000 peakrate 5mbit" "rate 1mbit burst 1 latency 1ms" "rate 1mbit burst 10k latency 0" "" "rate 1mbit" "burst 10k" "latency 1ms" "rate 1mbit burst 10k" "rate 1mbit burst 10k latency 50ms limit 100" "rate 1mbit burst 10k limit 100 latency 50ms" "limit 1 limit 2" "rate 1mbit rate 2mbit" "rate abc burst 1k latency 1ms" "rate 1mbit burst abc latency 1ms" "rate 1mbit burst 1k latency abc" "rate 1mbit burst 1k limit abc" "rate 1mbit buffer 1k/3 latency 1ms" "rate 1mbit burst 10k latency 10ms peakrate 2mbit" "rate 1mbit burst 10k latency 10ms peakrate 1mbit mtu 1500" "rate 1mbit burst 10k latency 10ms peakrate 500kbit mtu 1500" "rate 0 burst 10k latency 1ms" "foo" "rate 1mbit burst 10k latency 1ms foo" "help"; do
  t qdisc replace dev v0 root tbf $a
  t qdisc show dev v0
done
t -d qdisc show dev v0
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 50ms
t -d qdisc show dev v0
t qdisc change dev v0 root tbf rate 2mbit burst 20k latency 20ms
t qdisc show dev v0
t qdisc change dev v0 root pfifo limit 5
t qdisc change dev v0 root tbf
t qdisc show dev v0
t qdisc add dev v0 root tbf rate 1mbit burst 10k latency 50ms
t qdisc del dev v0 root pfifo
t qdisc del dev v0 root tbf
t qdisc show dev v0
for a in "" "limit 10" "limit 0" "limit 10k" "limit abc" "foo" "limit" "help"; do
  t qdisc replace dev v0 root pfifo $a
  t qdisc show dev v0
  t qdisc replace dev v0 root bfifo $a
  t qdisc show dev v0
done
t qdisc del dev v0 root
t qdisc add dev v0 handle 5: root pfifo limit 7
t qdisc show dev v0
t qdisc show dev v0 root
t qdisc change dev v0 handle 5: pfifo limit 8
t qdisc show
t qdisc add dev v0 root pfifo limit 9
t qdisc add dev v0 root handle 6: pfifo limit 9
t qdisc add dev v0 root handle 5: bfifo limit 9
t qdisc link dev v0 root bfifo limit 9
t qdisc link dev v0 root pfifo limit 9
t qdisc show dev v0
t qdisc change dev v0 root tbf rate 1mbit burst 10k latency 1ms
t qdisc show dev v0
t qdisc change dev v0 root pfifo limit 3
t qdisc show dev v0
t qdisc add dev v0 root pfifo_fast foo
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 50ms overhead 20 mpu 64
t qdisc show dev v0
t -d qdisc show dev v0
t qdisc replace dev v0 root tbf rate 5gbit burst 1m latency 1ms
t qdisc show dev v0
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 10ms peakrate 5gbit mtu 1500
t qdisc show dev v0
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms mpu 1 mpu 2
t qdisc replace dev v0 root tbf rate 1mbit burst 10k burst 1k latency 1ms
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms latency 2ms
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms overhead abc
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms linklayer foo
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms peakrate 2mbit peakrate 3mbit mtu 1500
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms mtu 1500 minburst 1600
t qdisc replace dev v0 root tbf rate 1mbit burst
t qdisc del dev v0 root
t qdisc del dev v0 root
t qdisc replace dev v0 root pfifo
t qdisc show dev v0
t qdisc replace dev v0 root tbf rate 1mbit burst 10k latency 1ms
t qdisc show dev v0
t qdisc del dev v0 root
t qdisc add dev v0 root pfifo_fast
t qdisc show dev v0
t qdisc del dev v0 root
t qdisc add dev v0 root pfifo_head_drop limit 5
t qdisc show dev v0
t qdisc del dev v0 root
t qdisc add dev v0 root noqueue
t qdisc del dev v0 root
t -s qdisc show dev v0
t qdisc add dev lo root tbf rate 1mbit burst 10k latency 1ms
t -s qdisc show dev lo
t qdisc del dev lo root
