# --- traffic ---
ip netns exec pod1 ping -c 3 -i 0.2 10.0.2.2
