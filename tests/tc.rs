//! `tc` and the netem qdisc: tc's texts and errors against a recording of iproute2 6.1 on the
//! 6.1 kernel (`tests/kernel/nslab-tc-netem-texts`, recorded by the oracle VM), and netem's
//! effect on traffic: delays seen in ping's RTTs, losses within a binomial bound, the same
//! seed giving the same bytes.

use crate::support;
use support::oracle;

/// The recorded lab runs in nslab and prints what tc printed on the kernel, except for the
/// commands stated as not modelled (each block replaced below, with its reason).
#[test]
fn tc_texts_match_the_recording() {
    let dir = "tests/kernel/nslab-tc-netem-texts";
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let got = oracle::normalize_stdout(&lab.traffic_stdout());
    let want = oracle::normalize_stdout(&support::read(&format!("{dir}/stdout.txt")));
    // The recorder (the oracle VM) had no normal.dist; an iproute2 install has it, and nslab
    // has its table: there the replace succeeds (rc=0) and the shows that follow, up to the
    // next successful replace, print its configuration (TCA_NETEM_CORR absent: the delay
    // correlation of before stays, as does the rate). Not modelled: tc class (the recorder
    // printed nothing: no classes exist there).
    let old_cfg = "qdisc netem 8001: root refcnt 3 limit 1000 delay 2ms  1ms 10% loss 1% 2% duplicate 3% 4% rate 100Kbit";
    let new_cfg = "qdisc netem 8001: root refcnt 3 limit 1000 delay 50ms  10ms 10% rate 100Kbit";
    let mut replaced: Vec<String> = Vec::new();
    let mut after_dist = false;
    let mut skip_rc = false;
    for l in want {
        if l.starts_with("No distribution data for normal") {
            after_dist = true;
            skip_rc = true;
            continue;
        }
        if skip_rc && l == "rc=1" {
            skip_rc = false;
            replaced.push("rc=0".to_string());
            continue;
        }
        if l == "$ tc qdisc replace dev v0 root netem delay 5" {
            after_dist = false;
        }
        if after_dist && l == old_cfg {
            replaced.push(new_cfg.to_string());
        } else {
            replaced.push(l);
        }
    }
    let mut want = Vec::new();
    let mut prev = String::new();
    for l in replaced {
        let l = if prev.contains("not modelled yet") && l == "rc=1" {
            "rc=127".to_string()
        } else {
            l
        };
        if prev == "$ tc class show dev v0" {
            want.push("nslab: tc class is not modelled yet".to_string());
            want.push("rc=127".to_string());
        } else {
            want.push(l.clone());
        }
        prev = l;
    }
    let got: Vec<&String> = got
        .iter()
        .filter(|l| !l.starts_with("nslab: not modelled in this lab"))
        .collect();
    let want: Vec<&String> = want.iter().collect();
    assert_eq!(got, want);
}

/// `tc qdisc show` on fresh devices: nothing until a device is first up, then the default
/// `noqueue`, kept when it goes down again (recorded with iproute2 6.1: lo, a veth, a bridge).
#[test]
fn default_qdiscs_as_tc_shows_them() {
    let src = "ip netns add tc12a\nip netns add tc12b\n\
               ip -n tc12a link add v0 type veth peer name v1 netns tc12b\n\
               ip -n tc12a link add br0 type bridge\n\
               ip netns exec tc12a tc qdisc show\n\
               ip netns exec tc12a tc qdisc show dev v0\n\
               echo ---\n\
               ip -n tc12a link set lo up\nip -n tc12a link set v0 up\nip -n tc12a link set br0 up\n\
               ip netns exec tc12a tc qdisc show\n\
               ip netns exec tc12a tc -s qdisc show\n\
               ip -n tc12a link set br0 down\n\
               ip netns exec tc12a tc qdisc show dev br0\n\
               ip netns exec tc12a tc qdisc show dev nope\necho rc=$?\n";
    let (lab, _) = support::run(src, "lab.sh");
    assert_eq!(
        lab.output(),
        "---\n\
         qdisc noqueue 0: dev lo root refcnt 2 \n\
         qdisc noqueue 0: dev v0 root refcnt 2 \n\
         qdisc noqueue 0: dev br0 root refcnt 2 \n\
         qdisc noqueue 0: dev lo root refcnt 2 \n \
         Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n \
         backlog 0b 0p requeues 0\n\
         qdisc noqueue 0: dev v0 root refcnt 2 \n \
         Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n \
         backlog 0b 0p requeues 0\n\
         qdisc noqueue 0: dev br0 root refcnt 2 \n \
         Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n \
         backlog 0b 0p requeues 0\n\
         qdisc noqueue 0: root refcnt 2 \n\
         lab.sh:15: Cannot find device \"nope\"\n\
         rc=1\n"
    );
}

const PAIR: &str = "ip netns add a\nip netns add b\n\
                    ip -n a link add v0 type veth peer name v1 netns b\n\
                    ip -n a addr add 10.0.0.1/24 dev v0\nip -n b addr add 10.0.0.2/24 dev v1\n\
                    ip -n a link set v0 up\nip -n b link set v1 up\n";

/// The RTTs of `ping` lines (`time=N ms`).
fn rtts(out: &str) -> Vec<f64> {
    out.lines()
        .filter_map(|l| l.split_once("time=")?.1.strip_suffix(" ms")?.parse().ok())
        .collect()
}

/// `delay 50ms 10ms` on the request's way: every RTT lies in [40, 60) ms plus the hops'
/// microseconds, they vary (the jitter), and the same seed prints the same bytes.
#[test]
fn netem_delay_shows_in_ping_rtts_and_is_deterministic() {
    let src = format!(
        "{PAIR}ip netns exec a tc qdisc add dev v0 root netem delay 50ms 10ms\n\
         ip netns exec a ping -c 30 -i 0.2 10.0.0.2\n\
         ip netns exec a tc -s qdisc show dev v0\n"
    );
    let (lab1, _) = support::run_seeded(&src, "lab.sh", 7);
    let (lab2, _) = support::run_seeded(&src, "lab.sh", 7);
    let (lab3, _) = support::run_seeded(&src, "lab.sh", 8);
    let out = lab1.output();
    assert_eq!(out, lab2.output(), "same seed, same bytes");
    assert_ne!(out, lab3.output(), "another seed, other delays");
    let r = rtts(&out);
    assert_eq!(r.len(), 30, "{out}");
    // The first request waited for ARP, whose request the qdisc delayed too.
    assert!((80.0..121.0).contains(&r[0]), "{r:?}");
    let r = &r[1..];
    assert!(r.iter().all(|&t| (40.0..60.5).contains(&t)), "{r:?}");
    let min = r.iter().cloned().fold(f64::MAX, f64::min);
    let max = r.iter().cloned().fold(0.0, f64::max);
    assert!(max - min > 5.0, "the jitter spreads the RTTs: {r:?}");
    // 30 requests (98 bytes each), the ARP request and the ARP reply to b's unicast probe
    // (b's entry for a, made STALE by the request, was used and not confirmed within
    // delay_first_probe_time) went through the qdisc (42 bytes each).
    assert!(
        out.contains("qdisc netem 8001: root refcnt 3 limit 1000 delay 50ms  10ms\n Sent 3024 bytes 32 pkt (dropped 0, overlimits 0 requeues 0) \n backlog 0b 0p requeues 0\n"),
        "{out}"
    );
}

/// `loss 10%` over 2000 requests: the losses are within 5 standard deviations of the binomial
/// mean, `tc -s` counts them as drops, and the same seed loses the same requests.
#[test]
fn netem_loss_is_binomial_and_seeded() {
    let n = 2000u32;
    let src = format!(
        "{PAIR}ip netns exec a ping -c 1 10.0.0.2 >/dev/null\n\
         ip netns exec a tc qdisc add dev v0 root netem loss 10%\n\
         ip netns exec a ping -q -c {n} -i 0.01 10.0.0.2\n\
         ip netns exec a tc -s qdisc show dev v0\n"
    );
    let (lab1, _) = support::run_seeded(&src, "lab.sh", 3);
    let (lab2, _) = support::run_seeded(&src, "lab.sh", 3);
    let out = lab1.output();
    assert_eq!(out, lab2.output());
    let line = out
        .lines()
        .find(|l| l.contains("packets transmitted"))
        .unwrap_or_else(|| panic!("{out}"));
    let received: u32 = line
        .split(", ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    let lost = n - received;
    let (mean, sd) = (n as f64 * 0.1, (n as f64 * 0.1 * 0.9).sqrt());
    assert!(
        (lost as f64 - mean).abs() < 5.0 * sd,
        "lost {lost} of {n}: mean {mean}, sd {sd:.1}"
    );
    // The qdisc dropped exactly the lost requests and sent the others (98 bytes each) plus
    // the neighbour's ARP probes (42 bytes) when its entry went stale.
    let stats = out
        .lines()
        .find_map(|l| l.strip_prefix(" Sent "))
        .unwrap_or_else(|| panic!("{out}"));
    let w: Vec<&str> = stats.split([' ', ',', '(', ')']).collect();
    let (bytes, pkts, dropped): (u64, u32, u32) = (
        w[0].parse().unwrap(),
        w[2].parse().unwrap(),
        w[6].parse().unwrap(),
    );
    assert_eq!(dropped, lost, "{stats}");
    let arp = pkts - received;
    assert!(arp <= 3, "{stats}");
    assert_eq!(bytes, received as u64 * 98 + arp as u64 * 42, "{stats}");
}

/// `rate 1mbit`: a 1042-byte frame (ping -s 1000) takes 1042 * 8 µs = 8.336 ms to leave
/// (`packet_time_ns`), so the RTT is that plus the hops; back-to-back frames queue behind each
/// other (the second of a burst leaves 8.336 ms after the first).
#[test]
fn netem_rate_spaces_frames_by_their_length() {
    let src = format!(
        "{PAIR}ip netns exec a ping -c 1 10.0.0.2 >/dev/null\n\
         ip netns exec a tc qdisc add dev v0 root netem rate 1mbit\n\
         ip netns exec a ping -c 3 -s 1000 10.0.0.2\n\
         ip netns exec a ping -c 2 -i 0.002 -s 1000 10.0.0.2\n"
    );
    let (lab, _) = support::run(&src, "lab.sh");
    let out = lab.output();
    let r = rtts(&out);
    assert_eq!(r.len(), 5, "{out}");
    assert!(r[..4].iter().all(|&t| (8.33..8.40).contains(&t)), "{r:?}");
    // Sent 2 ms after the first, the second waits for the first to leave: 16.67 - 2 ms.
    assert!((14.6..14.8).contains(&r[4]), "{r:?}");
}

/// `duplicate 20%` over 500 requests: ping reports the duplicated replies (`(DUP!)`) within
/// 5 standard deviations of the binomial mean, and `tc -s` sent one frame per request plus one
/// per duplicate (and ARP); ping's summary counts them as iputils does (`+N duplicates`, as
/// the kernel recordings of tests/recorded/netem-stats show).
#[test]
fn netem_duplicate_shows_as_ping_duplicates() {
    let n = 500u32;
    let src = format!(
        "{PAIR}ip netns exec a ping -c 1 10.0.0.2 >/dev/null\n\
         ip netns exec a tc qdisc add dev v0 root netem duplicate 20%\n\
         ip netns exec a ping -c {n} -i 0.01 10.0.0.2\n\
         ip netns exec a tc -s qdisc show dev v0\n"
    );
    let (lab, _) = support::run_seeded(&src, "lab.sh", 5);
    let out = lab.output();
    let dups = out.lines().filter(|l| l.ends_with(" ms (DUP!)")).count() as u32;
    let (mean, sd) = (n as f64 * 0.2, (n as f64 * 0.2 * 0.8).sqrt());
    assert!((dups as f64 - mean).abs() < 5.0 * sd, "{dups} duplicates");
    assert!(
        out.contains(&format!(
            "{n} packets transmitted, {n} received, +{dups} duplicates, 0% packet loss"
        )),
        "{out}"
    );
    let stats = out
        .lines()
        .find_map(|l| l.strip_prefix(" Sent "))
        .unwrap_or_else(|| panic!("{out}"));
    let pkts: u32 = stats
        .split(' ')
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!((n + dups..=n + dups + 3).contains(&pkts), "{stats}");
}

/// The figures of one run of `tests/recorded/netem-stats/lab.sh`: ping's counts, the
/// qdisc's counters, the round trips in 1 ms bins.
#[derive(Debug)]
struct StatsRun {
    received: f64,
    duplicates: f64,
    sent_pkts: f64,
    dropped: f64,
    requeues: f64,
    /// (bin start ms, count), ascending.
    hist: Vec<(u32, u32)>,
}

impl StatsRun {
    /// From ping's summary, `tc -s` and either `time=` lines (nslab's output) or the
    /// histogram `extract.sh` wrote (a recording).
    fn parse(text: &str) -> StatsRun {
        let summary = text
            .lines()
            .find(|l| l.contains("packets transmitted"))
            .unwrap_or_else(|| panic!("no summary in {text}"));
        let w: Vec<&str> = summary
            .split([' ', ',', '+'])
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(w[0], "10000", "{summary}");
        let num = |s: &str| s.parse::<f64>().unwrap_or_else(|_| panic!("{s} in {text}"));
        let (received, duplicates) = (num(w[3]), num(w[5]));
        assert_eq!(w[6], "duplicates", "{summary}");
        let sent = text
            .lines()
            .find_map(|l| l.strip_prefix(" Sent "))
            .unwrap_or_else(|| panic!("no tc -s in {text}"));
        let s: Vec<&str> = sent
            .split([' ', ',', '(', ')'])
            .filter(|s| !s.is_empty())
            .collect();
        // "B bytes P pkt dropped D overlimits 0 requeues R"
        let (sent_pkts, dropped, requeues) = (num(s[2]), num(s[5]), num(s[9]));
        let mut bins = std::collections::BTreeMap::<u32, u32>::new();
        let mut in_hist = false;
        for l in text.lines() {
            if l.starts_with("# rtt histogram") {
                in_hist = true;
            } else if in_hist {
                let (b, n) = l.split_once(' ').expect("BIN COUNT");
                *bins.entry(b.parse().unwrap()).or_default() += n.parse::<u32>().unwrap();
            } else if let Some(t) = l.split_once("time=").and_then(|x| x.1.split(' ').next()) {
                *bins.entry(num(t) as u32).or_default() += 1;
            }
        }
        StatsRun {
            received,
            duplicates,
            sent_pkts,
            dropped,
            requeues,
            hist: bins.into_iter().collect(),
        }
    }

    /// The bin (ms) where the `q` quantile of the round trips falls.
    fn quantile(&self, q: f64) -> u32 {
        let n: u32 = self.hist.iter().map(|h| h.1).sum();
        let want = (q * n as f64) as u32;
        let mut acc = 0;
        for &(b, c) in &self.hist {
            acc += c;
            if acc > want {
                return b;
            }
        }
        self.hist.last().map_or(0, |h| h.0)
    }
}

/// A figure of a run: its name, how to read it, the widening of its binomial deviation.
type Figure = (&'static str, fn(&StatsRun) -> f64, f64);

/// The issue 12 acceptance: 10 000 pings (`-i 0.01`) through `netem delay 50ms 10ms loss 10%
/// duplicate 5% reorder 25% 50%`, recorded three times on the 6.1 kernel (the oracle VM; the
/// host kernel has no sch_netem), against nslab.
///
/// Counts (replies, duplicates, the qdisc's sent/dropped/requeued frames, the replies faster
/// than 1 ms: the requests reordering sent at once) must lie within the kernel runs' range
/// widened by 3 binomial standard deviations (three runs measure the spread poorly; doubled
/// for the correlated reorder decisions). Two seeds are checked.
///
/// Round trips: the VM runs under TCG emulation, whose timers fire late (its medians are
/// 2-5 ms above netem's 50 ms and its tails reach 100+ ms, where netem's uniform jitter stops
/// at 60 ms), so a kernel quantile is an upper bound: nslab's 10/25/50/75% quantiles must lie
/// at or below the fastest kernel run's and within 5 ms of it, and every delayed nslab round
/// trip within netem's [40, 60] ms (plus the hops' microseconds).
///
/// nslab itself: byte-identical across runs with the same seed, different with another.
#[test]
fn netem_statistics_within_the_kernel_spread() {
    let dir = "tests/recorded/netem-stats";
    let kernel: Vec<StatsRun> = (1..=3)
        .map(|r| StatsRun::parse(&support::read(&format!("{dir}/run{r}.txt"))))
        .collect();
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab1, _) = support::run_seeded(&src, "lab.sh", 1);
    let (lab2, _) = support::run_seeded(&src, "lab.sh", 1);
    let (lab3, _) = support::run_seeded(&src, "lab.sh", 2);
    let out = lab1.output();
    assert_eq!(out, lab2.output(), "same seed, same bytes");
    assert_ne!(out, lab3.output(), "another seed, other losses");
    for (seed, out) in [(1, out), (2, lab3.output())] {
        let m = StatsRun::parse(&out);
        // (what, figure, widening of the binomial deviation): the reorder decisions are
        // correlated (50%), which widens their spread (nslab's seeds 1-8 give requeues
        // 625..734, deviation 42, where the binomial one is 25): twice the binomial there.
        let counts: [Figure; 6] = [
            ("received", |r| r.received, 1.0),
            ("duplicates", |r| r.duplicates, 1.0),
            ("sent pkt", |r| r.sent_pkts, 1.0),
            ("dropped", |r| r.dropped, 1.0),
            ("requeues", |r| r.requeues, 2.0),
            (
                "replies under 1 ms",
                |r| {
                    r.hist
                        .first()
                        .filter(|h| h.0 == 0)
                        .map_or(0.0, |h| h.1 as f64)
                },
                2.0,
            ),
        ];
        for (what, f, widen) in counts {
            let ks: Vec<f64> = kernel.iter().map(f).collect();
            let mean = ks.iter().sum::<f64>() / ks.len() as f64;
            let sd = widen * (mean * (1.0 - mean / 10_000.0)).max(1.0).sqrt();
            let lo = ks.iter().cloned().fold(f64::MAX, f64::min) - 3.0 * sd;
            let hi = ks.iter().cloned().fold(0.0, f64::max) + 3.0 * sd;
            let v = f(&m);
            assert!(
                (lo..=hi).contains(&v),
                "seed {seed}: {what} {v} outside [{lo:.0}, {hi:.0}] (kernel {ks:?})"
            );
        }
        for q in [0.10, 0.25, 0.50, 0.75] {
            let fastest = kernel.iter().map(|k| k.quantile(q)).min().unwrap();
            let v = m.quantile(q);
            assert!(
                v <= fastest && v + 5 >= fastest,
                "seed {seed}: {q} quantile {v} ms, kernel runs {:?}",
                kernel.iter().map(|k| k.quantile(q)).collect::<Vec<_>>()
            );
        }
        assert!(
            m.hist
                .iter()
                .all(|&(b, _)| b == 0 || (40..=60).contains(&b)),
            "seed {seed}: {:?}",
            m.hist
        );
    }
}

/// The issue 12 acceptance: curl fetches 1 MiB over `netem loss 2%` on the server's side and
/// completes, as recorded on the 6.1 kernel (`200 1048576`, status 0; the kernel's qdisc
/// dropped 4 of 740 frames there). The recorder runs the traffic part from another directory,
/// so its `wc -c < got` found no file (line 15); nslab's check of the file is asserted here.
#[test]
fn curl_completes_over_netem_loss() {
    let dir = "tests/recorded/netem-curl";
    let want = support::read(&format!("{dir}/stdout.txt"));
    let want: Vec<&str> = want.lines().take(2).collect();
    assert_eq!(want, ["200 1048576", "rc=0"]);
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let out = lab.output();
    let got: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(got, ["200 1048576", "rc=0", "1048576"], "{out}");
    // The loss happened: the qdisc dropped frames, and TCP sent them again.
    let stats = out
        .lines()
        .find_map(|l| l.strip_prefix(" Sent "))
        .unwrap_or_else(|| panic!("{out}"));
    let w: Vec<&str> = stats.split([' ', ',', '(', ')']).collect();
    let (bytes, dropped): (u64, u32) = (w[0].parse().unwrap(), w[6].parse().unwrap());
    assert!(dropped > 0 && bytes > 1_048_576, "{stats}");
}

/// The qdisc's `Sent BYTES` and `requeues` of a `tc -s qdisc show` text.
fn netem_sent_and_requeues(out: &str) -> (u64, u64) {
    let stats = out
        .lines()
        .find_map(|l| l.strip_prefix(" Sent "))
        .unwrap_or_else(|| panic!("{out}"));
    let w: Vec<&str> = stats
        .split([' ', ',', '(', ')'])
        .filter(|x| !x.is_empty())
        .collect();
    let requeues = w.iter().position(|&x| x == "requeues").unwrap() + 1;
    (w[0].parse().unwrap(), w[requeues].parse().unwrap())
}

/// Issue 12, reordering: curl fetches 1 MiB over `netem delay 10ms reorder 25% 50%` on the
/// server's side (a quarter of the frames, correlated, go out at once at the head of the
/// queue, the others 10 ms later) and completes as on the 6.1 kernel (oracle VM, three runs
/// in tests/recorded/netem-curl-reorder: stdout.txt, stdout-2.txt, stdout-3.txt): `200
/// 1048576`, status 0, and the reordering happened (requeues). As in
/// `curl_completes_over_netem_loss`, the recorder's `wc -c < got` found no file.
///
/// What is resent is not compared: the 6.1 kernel's three runs sent 1 124 263 to 1 145 591
/// bytes (backlog 0), nslab about 1.88 MB. nslab's RACK reordering timer is 6.7 and later's
/// (one jiffy here, before the delayed originals arrive; `nslab-tcp-tail-loss`, recorded on
/// 6.18, pins it), 6.1's fires 2 jiffies later (with it nslab sends 1 228 616 bytes), and
/// the host's 6.18 kernel has no netem to record this lab (ARCHITECTURE.md, TCP).
#[test]
fn curl_completes_over_netem_reorder() {
    let dir = "tests/recorded/netem-curl-reorder";
    for f in ["stdout.txt", "stdout-2.txt", "stdout-3.txt"] {
        let want = support::read(&format!("{dir}/{f}"));
        let want: Vec<&str> = want.lines().take(2).collect();
        assert_eq!(want, ["200 1048576", "rc=0"], "{f}");
    }
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let out = lab.output();
    let got: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(got, ["200 1048576", "rc=0", "1048576"], "{out}");
    let (bytes, requeues) = netem_sent_and_requeues(&out);
    assert!(bytes > 1_048_576 && requeues > 0, "{out}");
}

/// netem's other options (reorder/gap, corrupt, loss state/gemodel, slot, ecn, distribution)
/// and their errors: `tests/kernel/nslab-tc-netem-options`, recorded with iproute2 6.1 on the
/// 6.1 kernel (oracle VM), compares line for line, with the deterministic counters of
/// `reorder 100% gap 3`, `loss 100%` and `loss state 100% ecn` (an ECN-capable ping, `-Q 2`,
/// is marked CE and answered, counted as a drop; a plain one is dropped).
///
/// The recorder had no distribution tables (`/usr/lib/x86_64-linux-gnu/tc/*.dist`), which an
/// iproute2 install has and nslab computes: its `No distribution data for NAME` lines are
/// replaced by what tc prints with the tables (the commands come last in the lab, so that the
/// qdisc they would change is not shown again), and `experimental` (a table of measured data)
/// is not modelled.
#[test]
fn tc_netem_options_match_the_recording() {
    let dir = "tests/kernel/nslab-tc-netem-options";
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let got: Vec<String> = oracle::normalize_stdout(&lab.traffic_stdout())
        .into_iter()
        .filter(|l| !l.starts_with("nslab: not modelled in this lab"))
        .collect();
    let recorded = oracle::normalize_stdout(&support::read(&format!("{dir}/stdout.txt")));
    let usage: Vec<String> = NETEM_USAGE_LINES.iter().map(|s| s.to_string()).collect();
    let mut want: Vec<String> = Vec::new();
    let mut cmd = String::new();
    let mut after_reorder = false;
    let mut i = 0;
    while i < recorded.len() {
        let l = &recorded[i];
        if l.starts_with("$ tc ") {
            cmd = l.clone();
        }
        if l.starts_with("No distribution data for experimental") {
            want.push("nslab: tc qdisc netem distribution experimental is not modelled yet".into());
            want.push("rc=127".into());
            i += 2;
            continue;
        }
        // (iproute2 installs no `uniform` table either: that is the default, without one.)
        if l.starts_with("No distribution data for ")
            && !l.contains(" nope ")
            && !l.contains(" uniform ")
        {
            // With the table: what tc then checks or sends.
            let args = cmd.trim_start_matches("$ tc qdisc replace dev v0 root netem ");
            match args {
                "delay 50ms distribution normal" | "distribution paretonormal" => {
                    want.push("distribution specified but no latency and jitter values".into());
                    want.extend(usage.iter().cloned());
                    want.push("rc=1".into());
                }
                "slot distribution normal 10ms 0" => {
                    want.push("Non-positive jitter".into());
                    want.push("rc=1".into());
                }
                _ => want.push("rc=0".into()),
            }
            i += 2;
            continue;
        }
        // The recorder was slow (TCG): its six requests, 30 ms apart in the lab, spanned 220 ms,
        // so the sixth left after the first reply (200 ms late) was in, and ping waited twice
        // that round trip for the rest (schedule_exit; the capture shows it). nslab sends on
        // time: at the sixth request only the third is answered (in microseconds), ping
        // leaves 30 ms later with two replies, and four requests are still queued in netem.
        // (scenarios/nslab-netem runs the same with a 1 s delay, where the kernel left with
        // two replies too.)
        let slow = [
            (
                "6 packets transmitted, 6 received, 0% packet loss",
                "6 packets transmitted, 2 received, 66.6667% packet loss",
            ),
            (
                " Sent 588 bytes 6 pkt (dropped 0, overlimits 0 requeues 2) ",
                " Sent 196 bytes 2 pkt (dropped 0, overlimits 0 requeues 2) ",
            ),
            (" backlog 0b 0p requeues 2", " backlog 392b 4p requeues 2"),
        ];
        if l.starts_with("$ tc ") {
            after_reorder = l == "$ tc qdisc add dev v0 root netem delay 200ms reorder 100% gap 3"
                || (after_reorder && l == "$ tc -s qdisc show dev v0");
        }
        match slow.iter().find(|(k, _)| k == l) {
            Some((_, n)) if after_reorder => want.push(n.to_string()),
            _ => want.push(l.clone()),
        }
        i += 1;
    }
    assert_eq!(got, want);
}

/// q_netem's usage text, as the recording shows it.
const NETEM_USAGE_LINES: [&str; 14] = [
    "Usage: ... netem [ limit PACKETS ]",
    "                 [ delay TIME [ JITTER [CORRELATION]]]",
    "                 [ distribution {uniform|normal|pareto|paretonormal} ]",
    "                 [ corrupt PERCENT [CORRELATION]]",
    "                 [ duplicate PERCENT [CORRELATION]]",
    "                 [ loss random PERCENT [CORRELATION]]",
    "                 [ loss state P13 [P31 [P32 [P23 P14]]]",
    "                 [ loss gemodel PERCENT [R [1-H [1-K]]]",
    "                 [ ecn ]",
    "                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]",
    "                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]",
    "                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]",
    "                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}",
    "                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]",
];

/// `tests/kernel/nslab-tc-tbf-texts`: tbf, pfifo, bfifo, pfifo_fast, pfifo_head_drop and
/// noqueue through `tc qdisc add|change|replace|link|del|show` (`-d`, `-s`), tc's parser
/// errors and the kernel's answers (6.18's `__tc_modify_qdisc`: a `change` naming another kind
/// grafts a new qdisc), recorded on the host kernel with iproute2 6.1. The kernel's automatic
/// handles count from where the machine's counter was (8010 in the recording), nslab's from
/// 8001: the recording's are shifted to nslab's numbering.
#[test]
fn tc_tbf_and_fifo_texts_match_the_recording() {
    let dir = "tests/kernel/nslab-tc-tbf-texts";
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let got = oracle::normalize_stdout(&lab.traffic_stdout());
    let want = oracle::normalize_stdout(&support::read(&format!("{dir}/stdout.txt")));
    let handle = regex::Regex::new(r"^(qdisc \S+ )([0-9a-f]+):").unwrap();
    let mut base = None;
    let want: Vec<String> = want
        .iter()
        .map(|l| {
            let Some(c) = handle.captures(l) else {
                return l.clone();
            };
            let h = u32::from_str_radix(&c[2], 16).unwrap();
            if h < 0x8000 {
                return l.clone();
            }
            let b = *base.get_or_insert(h);
            handle
                .replace(l, format!("${{1}}{:x}:", h - b + 0x8001))
                .into_owned()
        })
        .collect();
    let got: Vec<&String> = got
        .iter()
        .filter(|l| !l.starts_with("nslab: not modelled in this lab"))
        .collect();
    let want: Vec<&String> = want.iter().collect();
    assert_eq!(got, want);
}

/// The frames of `ip_proto` ICMP type 8 (echo requests) in a capture interface, with their
/// times in ns.
fn echo_request_times(packets: &[(u64, Vec<u8>)]) -> Vec<u64> {
    packets
        .iter()
        .filter(|(_, f)| f.len() > 34 && f[12..14] == [8, 0] && f[23] == 1 && f[34] == 8)
        .map(|(t, _)| *t)
        .collect()
}

/// scenarios/nslab-tbf (kernel-identical in tests/labs.rs) on the wire: the echo requests a
/// token bucket holds back leave when the bucket has their tokens, which the bucket alone
/// decides (not when ping sent them). The gaps between the departures of the shaped requests
/// (40 kbit/s: 196.8 ms, then 208.4 ms; 8 kbit/s: 934 ms, then 1042 ms) are the kernel's
/// within a millisecond (its watchdog timer fires a few µs late).
#[test]
fn tbf_departures_are_the_kernels() {
    let times = |caps: Vec<oracle::SplitIface>| {
        let a = caps
            .into_iter()
            .find(|c| c.name == "a:eth0")
            .expect("a:eth0 captured");
        echo_request_times(&a.packets)
    };
    let pcap = std::fs::read(support::root().join("tests/kernel/nslab-tbf/pcap/a:eth0.pcap"))
        .expect("recorded pcap");
    let kernel = times(
        oracle::split_pcapng(&pcap)
            .unwrap()
            .into_iter()
            .map(|c| oracle::SplitIface {
                name: "a:eth0".into(),
                ..c
            })
            .collect(),
    );
    let lab = crate::labs::run_lab("nslab-tbf", 1);
    let ours = times(oracle::split_pcapng(&lab.pcapng_traffic()).unwrap());
    assert_eq!(kernel.len(), ours.len(), "echo requests on the wire");
    // The first run's three requests and the second run's three (the ones dropped for the
    // queue limit never reach the wire): gaps within each run.
    let gaps = |t: &[u64]| -> Vec<i64> {
        [(0, 1), (1, 2), (3, 4), (4, 5)]
            .iter()
            .map(|&(a, b)| (t[b] - t[a]) as i64)
            .collect()
    };
    let (k, o) = (gaps(&kernel), gaps(&ours));
    for (kg, og) in k.iter().zip(&o) {
        assert!((kg - og).abs() < 1_000_000, "kernel {k:?} nslab {o:?}");
    }
}

/// tc action counters carry times (`installed N sec used N sec firstused N sec`) the
/// recorder's wall clock decided (the VM's seconds): masked on both sides.
fn mask_tc_times(lines: &[String]) -> Vec<String> {
    let t = regex::Regex::new(r"installed \d+ sec used \d+ sec( firstused \d+ sec)?").unwrap();
    lines
        .iter()
        .filter(|l| !l.starts_with("nslab: not modelled in this lab"))
        .map(|l| {
            t.replace_all(l, |c: &regex::Captures| {
                format!(
                    "installed N sec used N sec{}",
                    if c.get(1).is_some() {
                        " firstused N sec"
                    } else {
                        ""
                    }
                )
            })
            .into_owned()
        })
        .collect()
}

/// `tests/kernel/nslab-tc-vm-texts` (recorded by the oracle VM, kernel 6.1): a dummy device's
/// default qdisc (none before it is first up, then `noqueue`), tbf, pfifo_fast and fq_codel on
/// it (one transmit queue: refcnt 2), then clsact and ingress qdiscs with u32 and flower
/// filters (gact pass/drop) counting a ping's packets, `tc -s filter show`, `tc filter del`,
/// the qdiscs deleted.
#[test]
fn dummy_defaults_qdiscs_and_filters_match_the_vm_recording() {
    let dir = "tests/kernel/nslab-tc-vm-texts";
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let got = mask_tc_times(&oracle::normalize_stdout(&lab.traffic_stdout()));
    let want = oracle::normalize_stdout(&support::read(&format!("{dir}/stdout.txt")));
    assert_eq!(got, mask_tc_times(&want));
}

/// `tests/kernel/nslab-tc-filters` (recorded by the oracle VM, kernel 6.1): ingress and
/// clsact qdiscs on a box r between two hosts, flower and u32 filters whose `mirred egress
/// redirect` actions carry the pings across (r does not forward), their counters, more
/// filters (ports, tos, VLAN id, MAC, prefixes, mirror, automatic priorities), tc's parser
/// errors, an `egress` filter on an ingress qdisc (its one block, which the dump then calls
/// egress), `tc filter del`. The frames on the four interfaces compare identical too.
/// One known difference: the VM loaded act_gact at its first use, inside the request for the
/// u32 filter on r2 egress, and the kernel replayed that request (`-EAGAIN`), making that
/// filter's table twice: the recording's `802:` is nslab's `801:` (the table after 800:).
#[test]
fn tc_filters_match_the_vm_recording() {
    let dir = "tests/kernel/nslab-tc-filters";
    let src = support::read(&format!("{dir}/lab.sh"));
    let (lab, _) = support::run(&src, "lab.sh");
    let got = mask_tc_times(&oracle::normalize_stdout(&lab.traffic_stdout()));
    let rec = oracle::normalize_stdout(&support::read(&format!("{dir}/stdout.txt")));
    let mut want = Vec::new();
    let mut in_r2_egress = false;
    for l in &rec {
        if l.starts_with("$ ") {
            in_r2_egress = l == "$ tc -s filter show dev r2 egress";
        }
        if in_r2_egress {
            want.push(l.replace("802:", "801:").replace("ht 802", "ht 801"));
        } else {
            want.push(l.clone());
        }
    }
    assert_eq!(got, mask_tc_times(&want));
    let rep = support::compare_with_kernel(&lab, "nslab-tc-filters");
    assert!(rep.is_identical(), "{rep}");
}

/// Bad filter setups end: a mirred redirect of a device's egress to itself stops at the
/// transmit recursion limit (the kernel's "Dead loop" line), and a mirror to a device since
/// deleted drops the copy and dumps ifindex 0 (tc's `*`), without a panic or a hang.
#[test]
fn mirred_self_loops_and_deleted_targets_end() {
    let src = format!(
        "{PAIR}ip -n a link add d0 type dummy\nip -n a link set d0 up\n\
         ip netns exec a tc qdisc add dev v0 clsact\n\
         ip netns exec a tc filter add dev v0 egress protocol ip flower action mirred egress redirect dev v0\n\
         ip netns exec a ping -c 1 -W 1 10.0.0.2 | grep transmitted\n\
         ip netns exec a tc filter del dev v0 egress\n\
         ip netns exec a tc filter add dev v0 egress protocol ip flower action mirred egress mirror dev d0\n\
         ip -n a link del d0\n\
         ip netns exec a ping -c 1 -W 1 10.0.0.2 | grep transmitted\n\
         ip netns exec a tc filter show dev v0 egress | grep mirred\n"
    );
    let (lab, _) = support::run(&src, "lab.sh");
    let out = lab.output();
    assert!(out.contains("1 packets transmitted, 0 received"), "{out}");
    assert!(
        out.contains("\taction order 1: mirred (Egress Mirror to device *) pipe"),
        "{out}"
    );
}
