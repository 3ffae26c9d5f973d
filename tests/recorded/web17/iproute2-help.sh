# iproute2 6.1's usage texts: `help` (or any prefix of it, or nothing) prints the object's usage
# on stderr and exits 255.
ip help; echo "st=$?"
ip h 2>&1 | head -2; echo "st=${PIPESTATUS[0]}"
ip; echo "st=$?"
ip link help; echo "st=$?"
ip l h 2>&1 | tail -1; echo "st=${PIPESTATUS[0]}"
ip addr help; echo "st=$?"
ip route help; echo "st=$?"
ip r help 2>&1 | head -3; echo "st=${PIPESTATUS[0]}"
bridge help; echo "st=$?"
bridge; echo "st=$?"
bridge h 2>&1 | head -1; echo "st=${PIPESTATUS[0]}"
ip netns add user17b-h
ip -n user17b-h link help 2>&1 | head -1; echo "st=${PIPESTATUS[0]}"
ip netns del user17b-h
