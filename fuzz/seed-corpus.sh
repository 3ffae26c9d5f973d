#!/bin/sh
# Seeds fuzz/corpus/TARGET from the project's labs (run from the repository root).
set -e
mkdir -p fuzz/corpus/shell fuzz/corpus/clab fuzz/corpus/ron fuzz/corpus/frames
cp scenarios/*.sh fuzz/corpus/shell/
cp scenarios/*.clab.yaml fuzz/corpus/clab/
cp scenarios/*.ron fuzz/corpus/ron/
# frames: records of (device choice, length, frame bytes); one broadcast ARP request.
printf '\000\052\377\377\377\377\377\377\002\000\000\000\000\001\010\006\000\001\010\000\006\004\000\001\002\000\000\000\000\001\012\000\000\011\000\000\000\000\000\000\012\000\000\001' > fuzz/corpus/frames/arp
