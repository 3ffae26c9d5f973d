#!/usr/bin/env bash
# The capture's overhead on W1 N=1000 cold through the script path, by wall time (issue 16):
#   benches/capture-pairs.sh PAIRS BIN... > pairs.txt
# For each pair and each bench binary in turn (alternating, so a slow spell of the machine falls
# on all of them), one round's wall time in ms with the capture off and with --pcap, each as
# (ROUNDS=1) - (ROUNDS=0), the file written afresh each run; one line per pair, two columns
# (off, pcap) per binary. NSLAB_BENCH_PCAP (default /var/tmp/nslab-capture-pairs.pcapng) is
# removed before each run, so it must be a regular file's path under /tmp, /var/tmp or /dev/shm.
set -euo pipefail
pairs=${1:?PAIRS BIN...}; shift
dest=${NSLAB_BENCH_PCAP:-/var/tmp/nslab-capture-pairs.pcapng}
case "$dest" in /tmp/* | /var/tmp/* | /dev/shm/*) ;; *) echo "refusing $dest" >&2; exit 2 ;; esac
wall() { # BIN PATH ROUNDS -> ms
  rm -f "$dest"
  local s e
  s=$(date +%s%N)
  NSLAB_BENCH_PCAP=$dest NSLAB_BENCH_COUNT=w1/$2/1000 NSLAB_BENCH_ROUNDS=$3 "$1" >/dev/null
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
}
for ((i = 0; i < pairs; i++)); do
  line=""
  for b in "$@"; do
    off=$(($(wall "$b" script-cold 1) - $(wall "$b" script-cold 0)))
    pcap=$(($(wall "$b" script-pcap-cold 1) - $(wall "$b" script-pcap-cold 0)))
    line="$line $off $pcap"
  done
  echo "${line# }"
done
rm -f "$dest"
