//! TCP loss recovery against the kernel, closer than the oracle's normalization (which drops
//! sequence numbers and options): every TCP segment of `nslab-tcp-sack-recovery` on every
//! interface as (direction, flags, relative seq range, relative ack, SACK blocks, length),
//! with the kernel's recording read from its pcaps.

use crate::labs::run_lab;
use crate::support::{oracle, root};
use std::collections::BTreeMap;

/// One TCP segment with sequence numbers relative to its connection's ISNs (as tcpdump prints
/// them), the client's ephemeral port replaced by the connection's number.
fn segments(packets: &[(u64, Vec<u8>)], server_port: u16) -> Vec<String> {
    timed_segments(packets, server_port)
        .into_iter()
        .map(|(_, l)| l)
        .collect()
}

/// [`segments`] with each segment's capture time (ns).
fn timed_segments(packets: &[(u64, Vec<u8>)], server_port: u16) -> Vec<(u64, String)> {
    // client port -> (connection number, client ISN, server ISN)
    let mut conns: BTreeMap<u16, (usize, u32, u32)> = BTreeMap::new();
    let mut out = Vec::new();
    for (time, p) in packets {
        if p.len() < 14 + 20 || p[12..14] != [0x08, 0x00] || p[14 + 9] != 6 {
            continue;
        }
        let ihl = (p[14] & 0x0f) as usize * 4;
        let t = &p[14 + ihl..];
        let tot = u16::from_be_bytes([p[16], p[17]]) as usize;
        let sport = u16::from_be_bytes([t[0], t[1]]);
        let dport = u16::from_be_bytes([t[2], t[3]]);
        let seq = u32::from_be_bytes([t[4], t[5], t[6], t[7]]);
        let ack = u32::from_be_bytes([t[8], t[9], t[10], t[11]]);
        let doff = (t[12] >> 4) as usize * 4;
        let flags = t[13];
        let len = tot - ihl - doff;
        let from_server = sport == server_port;
        let client = if from_server { dport } else { sport };
        let n = conns.len();
        let c = conns.entry(client).or_insert((n, 0, 0));
        if flags & 0x02 != 0 {
            if from_server {
                c.2 = seq;
            } else {
                c.1 = seq;
            }
        }
        let (own, peer) = if from_server { (c.2, c.1) } else { (c.1, c.2) };
        let mut sacks = Vec::new();
        let opts = &t[20..doff];
        let mut i = 0;
        while i < opts.len() {
            match opts[i] {
                0 => break,
                1 => i += 1,
                k => {
                    let l = opts.get(i + 1).copied().unwrap_or(2).max(2) as usize;
                    if k == 5 {
                        for b in opts[i + 2..(i + l).min(opts.len())].chunks_exact(8) {
                            let a = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                            let z = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
                            sacks.push(format!(
                                "{}:{}",
                                a.wrapping_sub(peer),
                                z.wrapping_sub(peer)
                            ));
                        }
                    }
                    i += l;
                }
            }
        }
        let f: String = [
            (0x02, 'S'),
            (0x01, 'F'),
            (0x04, 'R'),
            (0x08, 'P'),
            (0x10, '.'),
        ]
        .iter()
        .filter(|(b, _)| flags & b != 0)
        .map(|(_, c)| *c)
        .collect();
        out.push((
            *time,
            format!(
                "conn {} {} [{f}] seq {}:{} ack {} sack [{}] length {len}",
                c.0,
                if from_server { "s>c" } else { "c>s" },
                seq.wrapping_sub(own),
                seq.wrapping_sub(own).wrapping_add(len as u32),
                if flags & 0x10 != 0 {
                    ack.wrapping_sub(peer)
                } else {
                    0
                },
                sacks.join(" ")
            ),
        ));
    }
    out
}

/// Segment lines with their capture times (ns).
type Timed = Vec<(u64, String)>;

/// Every TCP segment of a recorded lab on every interface, ours against the kernel's, as
/// [`segments`] gives them; returns our lines on `c:eth0` and `s:eth0` with their capture
/// times.
fn compare_segments(lab_name: &str, expected: usize) -> (Timed, Timed) {
    let lab = run_lab(lab_name, 1);
    let ours = oracle::split_pcapng(&lab.pcapng_traffic()).expect("our pcapng");
    let mut compared = 0;
    for ifname in ["c:eth0", "r:eth0", "r:eth1", "s:eth0"] {
        let path = root().join(format!("tests/kernel/{lab_name}/pcap/{ifname}.pcap"));
        let kernel = oracle::pcap::read_capture(&std::fs::read(&path).unwrap()).unwrap();
        let k = segments(&kernel[0].packets, 8000);
        let o = ours
            .iter()
            .find(|i| i.name == ifname)
            .map(|i| segments(&i.packets, 8000))
            .unwrap_or_default();
        assert_eq!(k, o, "{lab_name} {ifname}");
        compared += k.len();
    }
    assert_eq!(compared, expected, "{lab_name}");
    let side = |name: &str| {
        let packets = &ours.iter().find(|i| i.name == name).unwrap().packets;
        timed_segments(packets, 8000)
    };
    (side("c:eth0"), side("s:eth0"))
}

/// The kernel's recording of one interface as (time in ns, segment line).
fn kernel_segments(lab_name: &str, ifname: &str) -> Timed {
    let path = root().join(format!("tests/kernel/{lab_name}/pcap/{ifname}.pcap"));
    let kernel = oracle::pcap::read_capture(&std::fs::read(&path).unwrap()).unwrap();
    timed_segments(&kernel[0].packets, 8000)
}

/// For each data segment sent again, each side's as its own interface captured them (the
/// client's on `c:eth0`, the server's on `s:eth0`): (its line, ns since the first
/// transmission), in time order.
fn resend_delays((client, server): &(Timed, Timed)) -> Vec<(String, u64)> {
    let mut own: Vec<&(u64, String)> = client
        .iter()
        .filter(|(_, l)| l.contains(" c>s "))
        .chain(server.iter().filter(|(_, l)| l.contains(" s>c ")))
        .filter(|(_, l)| !l.ends_with("length 0"))
        .collect();
    own.sort();
    let mut first: BTreeMap<&String, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for (t, l) in own {
        match first.get(l) {
            Some(t0) => out.push((l.clone(), t - t0)),
            None => {
                first.insert(l, *t);
            }
        }
    }
    out
}

#[test]
fn sack_recovery_matches_the_kernel_segment_by_segment() {
    let (_, ours) = compare_segments("nslab-tcp-sack-recovery", 164);
    let lines: Vec<&String> = ours.iter().map(|(_, l)| l).collect();
    // What the recording shows: the client's duplicate ACKs SACK a growing block, and the
    // hole is resent once, right after the third.
    let dup: Vec<&&String> = lines
        .iter()
        .filter(|l| l.starts_with("conn 0 c>s") && l.contains("ack 1651"))
        .collect();
    assert_eq!(dup.len(), 4, "{lines:#?}");
    assert!(dup[3].contains("sack [3099:6596]"));
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("conn 0 s>c") && l.contains("seq 1651:3099"))
            .count(),
        2
    );
}

/// Tail loss probes (tests/kernel/nslab-tcp-tail-loss): the segments match the kernel's one
/// by one, and so do the delays of the resent segments, within the jiffy the kernel's timer
/// wheel rounds to (the tick's phase against the lab is arbitrary): with two segments in
/// flight the probe goes one or two jiffies after the last ACK (2 RTT + 2 ms), not at the RTO
/// (200 ms); with one in flight it waits 2 RTT + 200 ms, and the RTO then counts from the
/// probe. With the last segment SACKed past a hole, RACK's reordering timer (wait + 2 ms, in
/// jiffies) resends the hole 4 to 8 ms later.
#[test]
fn tail_loss_probe_matches_the_kernel_segment_by_segment_and_in_time() {
    let lab = "nslab-tcp-tail-loss";
    let ours = resend_delays(&compare_segments(lab, 332));
    let kernel = resend_delays(&(
        kernel_segments(lab, "c:eth0"),
        kernel_segments(lab, "s:eth0"),
    ));
    assert_eq!(
        kernel.iter().map(|k| &k.0).collect::<Vec<_>>(),
        ours.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    // conn 0: the probe (5995:6596) then the hole RACK finds (4547:5995); conn 1: the probe,
    // then the RTO's retransmission; conn 2: the hole RACK's reordering timer resends; conn
    // 3: the lost request, resent 2 RTT + 200 ms later (the handshake's RTT sample), not
    // after the 1 s initial RTO.
    assert_eq!(kernel.len(), 6, "{kernel:#?}");
    assert!(
        kernel[0].0.contains("conn 0 s>c [P.] seq 5995:6596"),
        "{kernel:#?}"
    );
    let jiffy = 4_000_000;
    for ((line, k), (_, o)) in kernel.iter().zip(&ours) {
        assert!(
            k.abs_diff(*o) <= jiffy + 500_000,
            "{line}: kernel {k} ns, nslab {o} ns"
        );
    }
    assert!(kernel[0].1 < 20_000_000 && kernel[1].1 < 20_000_000);
    assert!(kernel[3].1 > 400_000_000);
    assert!(kernel[4].0.contains("conn 2 s>c [.] seq 4547:5995") && kernel[4].1 < 10_000_000);
    assert!(kernel[5].0.contains("conn 3 c>s [P.] seq 1:79") && kernel[5].1 < 250_000_000);
}

/// The RTO a connection starts with after its SYN was lost (tests/kernel/nslab-tcp-syn-rto):
/// the segments match the kernel's one by one, and so do the delays of the resent request.
/// Without timestamps the SYN-ACK of the SYN sent again gives no RTT sample, so the
/// connection starts with the 3 s fallback RTO (`tcp_init_metrics`' `TCP_TIMEOUT_FALLBACK`):
/// the lost request is probed after 1 s (TCP_TIMEOUT_INIT, no srtt) and, the probe lost too,
/// resent 3 s after it. With timestamps the SYN-ACK's echo of the second SYN gives a sample
/// (at least 1 ms), so the probe comes 2 RTT + 200 ms after the request and the RTO 200 ms
/// (+ srtt) after the probe. Each delay may be late by the kernel's timer wheel granularity
/// at that range (1 jiffy below 63 jiffies, 8 up to 511, 64 above; HZ 250), whose phase
/// against the lab is arbitrary.
#[test]
fn a_handshake_without_an_rtt_sample_starts_with_the_fallback_rto() {
    let lab = "nslab-tcp-syn-rto";
    let ours = resend_delays(&compare_segments(lab, 172));
    let kernel = resend_delays(&(
        kernel_segments(lab, "c:eth0"),
        kernel_segments(lab, "s:eth0"),
    ));
    assert_eq!(
        kernel.iter().map(|k| &k.0).collect::<Vec<_>>(),
        ours.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    // (line, nominal delay since the first transmission, wheel granularity), in ms.
    let expected = [
        ("conn 0 c>s [P.] seq 1:79", 1000, 32),
        ("conn 0 c>s [P.] seq 1:79", 4000, 256 + 32),
        ("conn 1 c>s [P.] seq 1:79", 202, 4),
        ("conn 1 c>s [P.] seq 1:79", 404, 8),
    ];
    assert_eq!(kernel.len(), expected.len(), "{kernel:#?}");
    for (((line, k), (_, o)), (want, nominal, late)) in kernel.iter().zip(&ours).zip(expected) {
        assert!(line.starts_with(want), "{line}");
        let window = nominal * 1_000_000..=(nominal + late + 4) * 1_000_000;
        assert!(window.contains(k), "{line}: kernel {k} ns");
        assert!(window.contains(o), "{line}: nslab {o} ns, kernel {k} ns");
    }
    // The gap between probe and RTO: 3 s without an RTT sample, not the 1 s initial RTO.
    assert!(ours[1].1 - ours[0].1 > 2_900_000_000, "{ours:#?}");
}

/// Data that arrived but whose ACKs were lost (tests/kernel/nslab-tcp-dsack-probe): the
/// segments match the kernel's one by one, SACK blocks included. The server's tail loss
/// probe sends the last segment again 2 RTT + 2 ms (in jiffies) after it; the client, which
/// has it, answers with a D-SACK of it (the block below its cumulative ACK), which ends the
/// probe episode: nothing more is resent.
#[test]
fn a_probe_of_data_already_received_is_dsacked() {
    let lab = "nslab-tcp-dsack-probe";
    let (client, server) = compare_segments(lab, 80);
    let lines: Vec<&String> = client.iter().map(|(_, l)| l).collect();
    assert!(
        lines.contains(&&"conn 0 c>s [.] seq 80:80 ack 6596 sack [5995:6596] length 0".to_string()),
        "{lines:#?}"
    );
    let ours = resend_delays(&(client, server));
    let kernel = resend_delays(&(
        kernel_segments(lab, "c:eth0"),
        kernel_segments(lab, "s:eth0"),
    ));
    assert_eq!(kernel.len(), 1, "{kernel:#?}");
    assert!(kernel[0].0.starts_with("conn 0 s>c [P.] seq 5995:6596"));
    assert_eq!(kernel[0].0, ours[0].0);
    let jiffy = 4_000_000;
    assert!(
        kernel[0].1.abs_diff(ours[0].1) <= jiffy + 500_000,
        "kernel {} ns, nslab {} ns",
        kernel[0].1,
        ours[0].1
    );
    assert!(kernel[0].1 < 20_000_000);
}

/// `net.ipv4.tcp_timestamps` as the kernel takes it (recorded on 6.18 in a fresh namespace:
/// any value 0..=255, the first number of the text; 256 and -1 are refused with EINVAL). What
/// 0 does on the wire is compared in nslab-tcp-syn-rto (a 52-byte SYN without timestamps).
#[test]
fn tcp_timestamps_sysctl_takes_what_the_kernel_takes() {
    let src = "ip netns add q
ip netns exec q sysctl -w net.ipv4.tcp_timestamps=3
ip netns exec q sysctl -w net.ipv4.tcp_timestamps=255
ip netns exec q sysctl -w net.ipv4.tcp_timestamps=256
ip netns exec q sysctl -w net.ipv4.tcp_timestamps=-1
ip netns exec q sysctl -w 'net.ipv4.tcp_timestamps= 1 2'
ip netns exec q sysctl net.ipv4.tcp_timestamps
";
    let (lab, _) = crate::support::run(src, "ts.sh");
    let out = lab.output();
    assert!(
        out.starts_with("net.ipv4.tcp_timestamps = 3\nnet.ipv4.tcp_timestamps = 255\n"),
        "{out}"
    );
    assert_eq!(
        out.matches("sysctl: setting key \"net.ipv4.tcp_timestamps\": Invalid argument")
            .count(),
        2,
        "{out}"
    );
    assert!(
        out.ends_with("net.ipv4.tcp_timestamps = 1 2\nnet.ipv4.tcp_timestamps = 1\n"),
        "{out}"
    );
}

/// netem corrupt flips one bit of a frame; a TCP segment hit in its header or data fails the
/// receiver's checksum (`tcp_v4_rcv`'s `tcp_checksum_complete`, drop reason TCP_CSUM) and is
/// recovered like a lost one: the transfer completes, whole, with no spurious
/// retransmission (no data arrives twice), and the same seed gives the same run.
#[test]
fn corrupted_segments_fail_the_checksum_and_are_recovered() {
    let src = "ip netns add c
ip netns add s
ip -n c link add eth0 type veth peer name eth0 netns s
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n s addr add 10.0.0.2/24 dev eth0
ip -n c link set eth0 up
ip -n s link set eth0 up
seq 1 20000 > f
ip netns exec s python3 -m http.server --bind 10.0.0.2 8000 --protocol HTTP/1.1 > /dev/null 2>&1 &
sleep 1
ip netns exec s tc qdisc add dev eth0 root netem corrupt 10%
ip netns exec c curl -sS -o got -w '%{http_code} %{size_download}\\n' 10.0.0.2:8000/f
wc -c < got
head -n 3 got
tail -n 2 got
";
    let (lab, r) = crate::support::run(src, "corrupt.sh");
    assert_eq!(r.status, 0, "{}", lab.output());
    // `seq 1 20000` is 108894 bytes.
    assert_eq!(lab.output(), "200 108894\n108894\n1\n2\n3\n19999\n20000\n");
    let drops = nslab::lab::drops_report(&lab);
    let csum = drops.matches("drop TCP_CSUM in tcp_v4_rcv").count();
    assert!(csum >= 5, "{drops}");
    assert!(!drops.contains("TCP_OLD_DATA"), "{drops}");
    let (again, _) = crate::support::run(src, "corrupt.sh");
    assert_eq!(again.pcapng_traffic(), lab.pcapng_traffic());
}

/// netem reorder sends some segments at once and delays the rest: the receiver queues what
/// arrives past a hole and SACKs it, the sender's RACK finds the delayed segments overdue
/// (sent long before the SACKed one, as on the kernel) and resends them, and the receiver
/// D-SACKs the copies it then gets twice. The transfer completes whole, the same seed giving
/// the same packets.
#[test]
fn a_reordered_transfer_completes_with_sacks_and_dsacks() {
    let src = "ip netns add c
ip netns add s
ip -n c link add eth0 type veth peer name eth0 netns s
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n s addr add 10.0.0.2/24 dev eth0
ip -n c link set eth0 up
ip -n s link set eth0 up
seq 1 20000 > f
ip netns exec s python3 -m http.server --bind 10.0.0.2 8000 --protocol HTTP/1.1 > /dev/null 2>&1 &
sleep 1
ip netns exec s tc qdisc add dev eth0 root netem delay 10ms reorder 25% 50%
ip netns exec c curl -sS -o got -w '%{http_code} %{size_download}\\n' 10.0.0.2:8000/f
wc -c < got
tail -n 1 got
";
    let (lab, r) = crate::support::run(src, "reorder.sh");
    assert_eq!(r.status, 0, "{}", lab.output());
    assert_eq!(lab.output(), "200 108894\n108894\n20000\n");
    let ours = oracle::split_pcapng(&lab.pcapng_traffic()).expect("our pcapng");
    let c = ours.iter().find(|i| i.name == "c:eth0").unwrap();
    let lines = segments(&c.packets, 8000);
    // SACKs of segments past a hole, and D-SACKs (a block below the cumulative ACK).
    assert!(lines
        .iter()
        .any(|l| l.contains("c>s") && l.contains("sack [") && !l.contains("sack []")));
    let dsack = lines.iter().any(|l| {
        let ack: u32 = l
            .split(" ack ")
            .nth(1)
            .and_then(|x| x.split(' ').next())
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        l.contains("c>s")
            && l.split("sack [")
                .nth(1)
                .and_then(|x| x.split(':').nth(1))
                .and_then(|x| x.split([' ', ']']).next())
                .and_then(|x| x.parse::<u32>().ok())
                .is_some_and(|end| end <= ack)
    });
    assert!(dsack, "{lines:#?}");
    assert!(nslab::lab::drops_report(&lab).contains("TCP_OLD_DATA"));
    let (again, _) = crate::support::run(src, "reorder.sh");
    assert_eq!(again.pcapng_traffic(), lab.pcapng_traffic());
}
