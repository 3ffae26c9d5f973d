# ping's destination as getaddrinfo reads a number (inet_aton: `127.1`, `0x7f.1`, a 32-bit
# number, `192.168.100` = 192.168.0.100), printed as typed and as the address (iputils
# 20221126; recorded with `unshare -n bash ping-forms.sh`).
ip link set lo up
ip addr add 192.168.0.100/32 dev lo
ping -c1 -W1 127.1
ping -c1 0x7f.1 | head -1
ping -c1 2130706433 | head -1
ping -c1 127.256 | head -1
ping -c2 -i 0.2 192.168.100 | grep -c 'from 192.168.0.100'
