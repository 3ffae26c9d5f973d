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
for a in "delay 50ms 10ms loss 10%" "delay 50ms 10ms 25%" "loss random 10%" "duplicate 5%" "limit 100" "delay 100ms" "delay 1s" "delay 1.5ms" "delay 100us" "delay 50ms 10ms loss 10% duplicate 5% limit 500" "loss 0.1%" "loss 33.333%" "rate 1mbit" "delay 10ms rate 100kbit" "loss 10% 25%" "delay 0" "" "delay 2ms 1ms 10% loss 1% 2% duplicate 3% 4%" "delay 50ms 10ms distribution normal" "delay abc" "loss 110%" "loss abc" "limit abc" "duplicate" "delay" "bogus 1" "loss" "delay 1h" "delay 5" "delay 1000000s" "delay -5ms" "rate 1000" "rate 10Gbit" "loss 1" "loss 0%" "delay 10ms 0ms"; do
  t qdisc replace dev v0 root netem $a
  t qdisc show dev v0
done
t qdisc del dev v0 root
t qdisc show
t qdisc del dev v0 root
t qdisc add dev v0 root netem delay 10ms
t qdisc add dev v0 root netem delay 20ms
t qdisc change dev v0 root netem delay 30ms
t qdisc show dev v0
t qdisc del dev v0 root
t qdisc change dev v0 root netem delay 30ms
t qdisc show dev nope
t qdisc add dev nope root netem delay 1ms
t qdisc add dev v0 root netem delay 1ms
ip netns exec tc12a ping -c 3 -i 0.2 10.0.0.2 >/dev/null
t -s qdisc show dev v0
t -s qdisc show
t qdisc del dev v0 root netem
t qdisc add dev v0 root bogus
t qdisc add dev v0 netem delay 1ms
t qdisc
t qdisc ls
t qdisc list dev v0
t qdisc show dev
t qdisc del dev lo root
t filter show dev v0
t class show dev v0
t
t -V
t qdisc add dev v0 root handle 1: netem delay 1ms
t qdisc show dev v0
t qdisc del dev v0 root
t qdisc add dev v0 root netem delay 1ms loss 2% duplicate 3% limit 7 rate 1mbit
t qdisc show dev v0
t -s qdisc show dev v0
ip netns exec tc12a ping -c 2 -i 0.2 10.0.0.2 >/dev/null
t -s qdisc show dev v0
t qdisc show dev v0 root
t qdisc help
t qdisc add dev v0 root netem help
