# Lab: web17-bridge-json-jq — three "containers" on a Linux bridge, and the bridge's MAC
# table read the way newer tutorials do it: `bridge -j fdb | jq` instead of awk on the text,
# then a port's learning switched off and the namespace ids `ip` numbers the peers by.
set -e
BR=br-demo
sudo ip link add "$BR" type bridge
sudo ip link set "$BR" up
for i in 1 2 3; do
    sudo ip netns add "c$i"
    sudo ip link add "veth-c$i" type veth peer name eth0 netns "c$i"
    sudo ip link set "veth-c$i" master "$BR"
    sudo ip link set "veth-c$i" up
    sudo ip -n "c$i" link set eth0 address "02:42:ac:11:00:0$((i + 1))"
    sudo ip -n "c$i" addr add "172.17.0.$((i + 1))/24" dev eth0
    sudo ip -n "c$i" link set eth0 up
    sudo ip -n "c$i" link set lo up
done
# --- traffic ---
sudo ip netns exec c1 ping -c 2 -i 0.2 172.17.0.3 | grep -c 'bytes from'
sudo ip netns exec c2 ping -c 1 172.17.0.4 > /dev/null
# the MACs the bridge learned, and on which port
sudo bridge -j fdb show br "$BR" | jq -r '.[] | select(.state != "permanent" and (.mac | startswith("02:42"))) | "\(.mac) on \(.ifname)"' | sort
# the ports of the bridge and their STP state
sudo bridge -j link show | jq -r '.[] | "\(.ifname) \(.state) master=\(.master)"'
# turn learning off on c3's port: its entry is no longer refreshed from new frames
sudo bridge link set dev veth-c3 learning off
sudo bridge -j -d link show dev veth-c3 | jq -r '.[0] | "learning=\(.learning) flood=\(.flood)"'
# ports with their peer's namespace id, and the ids the root namespace has given them
sudo ip -j link show master "$BR" | jq -r '.[] | "\(.ifname) peer-netnsid=\(.link_netnsid)"'
sudo ip netns list-id | sort
sudo ip -n c2 -j -br addr show dev eth0 | jq -r '.[0].addr_info[0].local'
