# --- traffic ---
ip netns exec pod1 ping -c 3 -i 0.2 -W 1 172.16.1.2
ip netns exec pod2 ping -c 3 -i 0.2 -W 1 172.16.0.2
