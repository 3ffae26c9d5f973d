# Lab: nslab-macvlan-source
# Reproduces: no seed section; written for the "link kinds" issue (12) to check macvlan's
#   source mode against the kernel: host's eth0 (a veth into sw's bridge br0, where e1, e2 and
#   e3 hang off) carries a source-mode macvlan mvs (moved to c1) that lists e1's address, and a
#   bridge-mode macvlan mvb (moved to c2).
# Traffic: e1 -> c1 (a listed source: mvs gets a copy of each of its frames); e1 -> c2 (mvs
#   gets copies of the frames to mvb too, which c1's stack drops as not its own); e2 -> c1
#   (not listed: mvs sees nothing, no answer); the sleeps let the neighbour entries' probes
#   and failures happen at the same point of the traffic as in the model (whose commands take
#   no time); `macaddr add|del|set|flush` and the `remotes` list
#   `ip -d link show` prints (in the kernel's hash order); the errors (macaddr on a bridge-mode
#   macvlan, a multicast address, a bad address); flag nodst: the listed source's frames go
#   to mvs only, so e1 no longer reaches c2; mode bridge flushes the list.
ip netns add host
ip netns add sw
ip netns add c1
ip netns add c2
ip netns add e1
ip netns add e2
ip netns add e3
ip -n sw link add br0 address 02:00:00:00:0b:fe type bridge
ip -n host link add eth0 address 02:00:00:00:01:01 type veth peer name p0 netns sw
ip -n e1 link add eth0 address 02:00:00:00:0e:01 type veth peer name p1 netns sw
ip -n e2 link add eth0 address 02:00:00:00:0e:02 type veth peer name p2 netns sw
ip -n e3 link add eth0 address 02:00:00:00:0e:03 type veth peer name p3 netns sw
ip -n sw link set p0 master br0
ip -n sw link set p1 master br0
ip -n sw link set p2 master br0
ip -n sw link set p3 master br0
ip -n host link add mvs link eth0 address 02:00:00:00:0c:01 type macvlan mode source macaddr add 02:00:00:00:0e:01
ip -n host link add mvb link eth0 address 02:00:00:00:0c:02 type macvlan mode bridge
ip -n host link set mvs netns c1
ip -n host link set mvb netns c2
ip -n c1 addr add 10.0.0.11/24 dev mvs
ip -n c2 addr add 10.0.0.12/24 dev mvb
ip -n e1 addr add 10.0.0.21/24 dev eth0
ip -n e2 addr add 10.0.0.22/24 dev eth0
ip -n e3 addr add 10.0.0.23/24 dev eth0
ip -n sw link set br0 up
ip -n sw link set p0 up
ip -n sw link set p1 up
ip -n sw link set p2 up
ip -n sw link set p3 up
ip -n host link set eth0 up
ip -n e1 link set eth0 up
ip -n e2 link set eth0 up
ip -n e3 link set eth0 up
ip -n c1 link set mvs up
ip -n c2 link set mvb up
# --- traffic ---
ip -n c1 -d link show mvs
ip netns exec e1 ping -c 2 -i 0.2 10.0.0.11
ip netns exec e1 ping -c 1 10.0.0.12
ip netns exec e2 ping -c 1 -W 1 10.0.0.11
sleep 6
ip -n c1 link set mvs type macvlan macaddr add 02:00:00:00:0e:02
ip -n c1 link set mvs type macvlan macaddr add 02:00:00:00:0e:02
ip -n c1 -d link show mvs
ip netns exec e2 ping -c 1 10.0.0.11
ip -n c1 link set mvs type macvlan macaddr del 02:00:00:00:0e:01
ip -n c1 link set mvs type macvlan macaddr del 02:00:00:00:0e:09
ip -n c1 -d link show mvs
ip -n c1 link set mvs type macvlan macaddr set 02:00:00:00:0e:01 02:00:00:00:0e:02 02:00:00:00:0e:03 02:00:00:00:0e:04 0a:00:00:00:00:01
ip -n c1 -d link show mvs
ip -n c1 link set mvs type macvlan macaddr flush
ip -n c1 -d link show mvs
ip -n c1 link set mvs type macvlan macaddr set
ip -n c1 -d link show mvs
ip -n c2 link set mvb type macvlan macaddr add 02:00:00:00:0e:01
ip -n host link add mvx link eth0 type macvlan mode bridge macaddr add 02:00:00:00:0e:01
ip -n c1 link set mvs type macvlan macaddr add 01:00:5e:00:00:01
ip -n c1 link set mvs type macvlan macaddr add 02:00:00:00:0e
ip -n c1 link set mvs type macvlan macaddr foo
ip -n c1 link set mvs type macvlan mode source flag nodst macaddr add 02:00:00:00:0e:01
ip -n c1 -d link show mvs
ip netns exec e1 ping -c 1 -W 1 10.0.0.12
ip netns exec e3 ping -c 1 10.0.0.12
ip -n c1 link set mvs type macvlan mode bridge
ip -n c1 -d link show mvs
sleep 6
