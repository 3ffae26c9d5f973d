#!/usr/bin/env python3
"""The capture's overhead from benches/capture-pairs.sh's output (issue 16):

    benches/capture-stats.py pairs.txt [NAME...]

Each line of pairs.txt has two columns (capture off, --pcap; ms) per binary, in the order the
binaries were given to capture-pairs.sh; NAMEs label them (default: bin1, bin2, ...). For each
binary it prints the rounds' median, lower quartile and minimum, and the overhead (--pcap over
capture off) four ways: by the medians, by the lower quartiles, by the means, and as the median
of each pair's ratio. The two medians come with a 95 % bootstrap interval (2 000 resamples of
the pairs, seeded: the same file gives the same figures).

The median of the pairs' ratios is the statistic of a paired design: each pair's two rounds
run back to back, so a slow spell of the machine falls on both. The ratio of the pooled medians
compares rounds minutes apart, and moves with the machine (BENCHMARKS.md, issue 16's passes).
"""
import random
import statistics as st
import sys


def q1(c):
    s = sorted(c)
    return s[len(s) // 4]


def interval(values, stat, rng, n=2000):
    """The 2.5th and 97.5th percentiles of `stat` over `n` resamples of `values`."""
    boot = sorted(stat(rng.choices(values, k=len(values))) for _ in range(n))
    return boot[n * 25 // 1000], boot[n * 975 // 1000 - 1]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: capture-stats.py PAIRS.txt [NAME...]")
    rows = []
    with open(sys.argv[1]) as f:
        for k, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append([float(x) for x in line.split()])
                except ValueError:
                    sys.exit(f"{sys.argv[1]}:{k}: not a line of numbers: {line.strip()!r}")
    if not rows or any(len(r) != len(rows[0]) or len(r) % 2 for r in rows):
        sys.exit(f"{sys.argv[1]}: every line needs the same even number of columns")
    nbin = len(rows[0]) // 2
    names = sys.argv[2:] + [f"bin{i + 1}" for i in range(len(sys.argv) - 2, nbin)]
    for i in range(nbin):
        rng = random.Random(1)
        pairs = [(r[2 * i], r[2 * i + 1]) for r in rows]
        off = [a for a, _ in pairs]
        pcap = [b for _, b in pairs]
        ratios = [b / a for a, b in pairs]
        by_medians = st.median(pcap) / st.median(off)
        lo, hi = interval(
            pairs,
            lambda s: st.median(b for _, b in s) / st.median(a for a, _ in s),
            rng,
        )
        rlo, rhi = interval(ratios, st.median, rng)
        print(f"{names[i]}: {len(pairs)} pairs")
        print(
            f"  capture off, ms: median {st.median(off):.0f}, lower quartile {q1(off):.0f}, "
            f"minimum {min(off):.0f}"
        )
        print(
            f"  --pcap, ms:      median {st.median(pcap):.0f}, lower quartile {q1(pcap):.0f}, "
            f"minimum {min(pcap):.0f}"
        )
        print(
            f"  overhead: by medians {by_medians - 1:+.1%} (95 % {lo - 1:+.1%} to {hi - 1:+.1%}), "
            f"by lower quartiles {q1(pcap) / q1(off) - 1:+.1%}, "
            f"by means {st.mean(pcap) / st.mean(off) - 1:+.1%}"
        )
        print(
            f"  median of the pairs' ratios {st.median(ratios) - 1:+.1%} "
            f"(95 % {rlo - 1:+.1%} to {rhi - 1:+.1%})"
        )


if __name__ == "__main__":
    main()
