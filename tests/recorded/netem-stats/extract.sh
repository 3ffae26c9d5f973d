#!/bin/bash
# extract.sh STDOUT.TXT > runN.txt: the figures of one kernel recording of lab.sh (the oracle
# VM's stdout.txt): ping's summary and tc -s verbatim, then the round trips of every reply
# (duplicates included) as a histogram of 1 ms bins ("BIN_START_MS COUNT").
set -eu
grep -E 'packets transmitted|^rtt |^qdisc netem|^ Sent |^ backlog' "$1"
echo '# rtt histogram (1 ms bins)'
grep -o 'time=[0-9.]* ms' "$1" | awk '{ split($1, a, "="); b = int(a[2]); n[b]++; if (b > m) m = b }
  END { for (i = 0; i <= m; i++) if (n[i]) print i, n[i] }'
