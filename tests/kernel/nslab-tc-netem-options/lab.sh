ip netns add tc12a
ip netns add tc12b
ip -n tc12a link add v0 address 02:00:00:00:0a:01 type veth peer name v1 address 02:00:00:00:0b:01 netns tc12b
ip -n tc12a link set lo up
ip -n tc12a link set v0 up
ip -n tc12b link set v1 up
ip -n tc12a addr add 10.0.0.1/24 dev v0
ip -n tc12b addr add 10.0.0.2/24 dev v1
ip -n tc12a neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:01 dev v0 nud permanent
ip -n tc12b neigh replace 10.0.0.1 lladdr 02:00:00:00:0a:01 dev v1 nud permanent
# --- traffic ---
t() { echo "\$ tc $*"; ip netns exec tc12a tc "$@" 2>&1; echo "rc=$?"; }
for a in "delay 10ms reorder 25%" "delay 10ms reorder 25% 50%" "delay 10ms reorder 25% gap 5" "delay 10ms reorder 25% 50% gap 5" "delay 10ms gap 5" "reorder 25%" "delay 10ms reorder" "delay 10ms reorder abc" "delay 10ms gap abc" "corrupt 0.1%" "corrupt 1% 25%" "corrupt" "corrupt abc" "loss state 1%" "loss state 1% 30%" "loss state 1% 30% 20%" "loss state 1% 30% 20% 10%" "loss state 1% 30% 20% 10% 5%" "loss state abc" "loss gemodel 1%" "loss gemodel 1% 20%" "loss gemodel 1% 20% 70%" "loss gemodel 1% 20% 70% 5%" "loss gemodel abc" "loss bogus 1%" "slot 10ms" "slot 10ms 20ms" "slot 10ms 20ms packets 5" "slot 10ms 20ms packets 5 bytes 3000" "slot 10ms 20ms bytes 3000" "slot abc" "slot 10ms packets" "slot distribution uniform 10ms 2ms" "delay 50ms 10ms distribution uniform" "delay 50ms 10ms distribution experimental" "delay 50ms 10ms distribution nope" "delay 10ms reorder 25% 50% corrupt 1% duplicate 2% loss 3%" "loss state 1% ecn" "ecn" "delay 50ms 10ms loss 10% duplicate 5% reorder 25% 50%" "delay 1ms reorder 100%" "delay 1ms reorder 0%" "delay 1ms reorder 25% gap 0"; do
  t qdisc replace dev v0 root netem $a
  t qdisc show dev v0
done
t qdisc del dev v0 root
t qdisc add dev v0 root netem delay 200ms reorder 100% gap 3
ip netns exec tc12a ping -c 6 -i 0.03 -q 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
t -s qdisc show dev v0
t qdisc change dev v0 root netem loss 100%
ip netns exec tc12a ping -c 2 -i 0.2 -W 1 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
t -s qdisc show dev v0
t qdisc change dev v0 root netem loss state 100% ecn
ip netns exec tc12a ping -c 2 -i 0.2 -W 1 -Q 2 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
ip netns exec tc12a ping -c 1 -W 1 10.0.0.2 | tail -2 | head -1 | sed 's/, time.*//'
t -s qdisc show dev v0
# The recorder has no distribution tables (/usr/lib/x86_64-linux-gnu/tc/*.dist): last.
for a in "delay 50ms 10ms distribution normal" "delay 50ms 10ms 25% distribution pareto" "delay 50ms distribution normal" "distribution paretonormal" "slot distribution normal 10ms 2ms" "slot distribution normal 10ms 0"; do
  t qdisc replace dev v0 root netem $a
done
