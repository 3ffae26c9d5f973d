use super::*;

// ---- packet builders (correct checksums unless told otherwise) ----

const M1: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const M2: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
const A: [u8; 4] = [10, 0, 0, 1];
const B: [u8; 4] = [10, 0, 0, 2];

fn eth(dst: [u8; 6], src: [u8; 6], t: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = dst.to_vec();
    v.extend_from_slice(&src);
    v.extend_from_slice(&t.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

fn cks(data: &[u8], acc: u32) -> u16 {
    in_cksum(data, acc)
}

#[derive(Clone)]
struct Ip {
    tos: u8,
    id: u16,
    off: u16,
    ttl: u8,
    proto: u8,
    src: [u8; 4],
    dst: [u8; 4],
    opts: Vec<u8>,
    bad_sum: bool,
    len_override: Option<u16>,
}

fn ip(proto: u8, src: [u8; 4], dst: [u8; 4]) -> Ip {
    Ip {
        tos: 0,
        id: 4242,
        off: 0x4000,
        ttl: 64,
        proto,
        src,
        dst,
        opts: Vec::new(),
        bad_sum: false,
        len_override: None,
    }
}

impl Ip {
    fn build(&self, payload: &[u8]) -> Vec<u8> {
        let hl = 20 + self.opts.len();
        let total = self.len_override.unwrap_or((hl + payload.len()) as u16);
        let mut v = vec![0x40 | (hl / 4) as u8, self.tos];
        v.extend_from_slice(&total.to_be_bytes());
        v.extend_from_slice(&self.id.to_be_bytes());
        v.extend_from_slice(&self.off.to_be_bytes());
        v.push(self.ttl);
        v.push(self.proto);
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&self.src);
        v.extend_from_slice(&self.dst);
        v.extend_from_slice(&self.opts);
        let mut s = cks(&v, 0);
        if self.bad_sum {
            s ^= 0x1234;
        }
        v[10..12].copy_from_slice(&s.to_be_bytes());
        v.extend_from_slice(payload);
        v
    }
}

fn pseudo(src: [u8; 4], dst: [u8; 4], proto: u8, len: usize) -> u32 {
    let mut h = src.to_vec();
    h.extend_from_slice(&dst);
    h.push(0);
    h.push(proto);
    h.extend_from_slice(&(len as u16).to_be_bytes());
    crate::wire::csum_partial(&h, 0)
}

fn udp(src: [u8; 4], dst: [u8; 4], sp: u16, dp: u16, payload: &[u8]) -> Vec<u8> {
    let len = 8 + payload.len();
    let mut v = sp.to_be_bytes().to_vec();
    v.extend_from_slice(&dp.to_be_bytes());
    v.extend_from_slice(&(len as u16).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(payload);
    let s = cks(&v, pseudo(src, dst, 17, len));
    v[6..8].copy_from_slice(&s.to_be_bytes());
    v
}

#[allow(clippy::too_many_arguments)]
fn tcp(
    src: [u8; 4],
    dst: [u8; 4],
    sp: u16,
    dp: u16,
    seq: u32,
    ack: u32,
    flags: u8,
    opts: &[u8],
    payload: &[u8],
    bad_sum: bool,
) -> Vec<u8> {
    let hl = 20 + opts.len();
    let mut v = sp.to_be_bytes().to_vec();
    v.extend_from_slice(&dp.to_be_bytes());
    v.extend_from_slice(&seq.to_be_bytes());
    v.extend_from_slice(&ack.to_be_bytes());
    v.push(((hl / 4) as u8) << 4);
    v.push(flags);
    v.extend_from_slice(&64240u16.to_be_bytes());
    v.extend_from_slice(&[0, 0, 0, 7]);
    v.extend_from_slice(opts);
    v.extend_from_slice(payload);
    let mut s = cks(&v, pseudo(src, dst, 6, v.len()));
    if bad_sum {
        s ^= 0x0f0f;
    }
    v[16..18].copy_from_slice(&s.to_be_bytes());
    v
}

fn icmp(t: u8, code: u8, rest: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = vec![t, code, 0, 0];
    v.extend_from_slice(&rest);
    v.extend_from_slice(payload);
    let s = cks(&v, 0);
    v[2..4].copy_from_slice(&s.to_be_bytes());
    v
}

fn e_ip(i: &Ip, payload: &[u8]) -> Vec<u8> {
    eth(M2, M1, 0x0800, &i.build(payload))
}

fn ping(seq: u16) -> Vec<u8> {
    let data: Vec<u8> = (0..56u8).collect();
    e_ip(
        &ip(1, A, B),
        &icmp(8, 0, [0x12, 0x34, (seq >> 8) as u8, seq as u8], &data),
    )
}

fn arp(op: u16, sha: [u8; 6], spa: [u8; 4], tha: [u8; 6], tpa: [u8; 4]) -> Vec<u8> {
    let mut v = vec![0, 1, 8, 0, 6, 4];
    v.extend_from_slice(&op.to_be_bytes());
    v.extend_from_slice(&sha);
    v.extend_from_slice(&spa);
    v.extend_from_slice(&tha);
    v.extend_from_slice(&tpa);
    eth([0xff; 6], sha, 0x0806, &v)
}

const SYN_OPTS: [u8; 20] = [
    2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
];
const TS_OPTS: [u8; 12] = [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1];

// ---- pinned strings (no tcpdump needed) ----

#[test]
fn pinned_icmp_echo() {
    let s = format_packet(1, &ping(1));
    assert_eq!(
        s,
        "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: \
         (tos 0x0, ttl 64, id 4242, offset 0, flags [DF], proto ICMP (1), length 84)\n    \
         10.0.0.1 > 10.0.0.2: ICMP echo request, id 4660, seq 1, length 64"
    );
    assert_eq!(format_packet_line(1, &ping(1)), s.replace("\n    ", " "));
    assert!(format_with_ts(1_700_000_000_123_456_789, 1, &ping(1))
        .starts_with("1700000000.123456 02:00:00:00:00:01 > "));
}

#[test]
fn pinned_arp() {
    assert_eq!(
        format_packet(1, &arp(1, M1, A, [0; 6], B)),
        "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: \
         Ethernet (len 6), IPv4 (len 4), Request who-has 10.0.0.2 tell 10.0.0.1, length 28"
    );
    assert_eq!(
        format_packet(1, &arp(2, M1, A, M2, B)),
        "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: \
         Ethernet (len 6), IPv4 (len 4), Reply 10.0.0.1 is-at 02:00:00:00:00:01, length 28"
    );
}

#[test]
fn pinned_tcp_syn_and_relative_seq() {
    let syn = e_ip(
        &ip(6, A, B),
        &tcp(A, B, 40000, 80, 1000, 0, 0x02, &SYN_OPTS, &[], false),
    );
    let s = format_packet_line(1, &syn);
    assert!(
        s.ends_with(
            "10.0.0.1.40000 > 10.0.0.2.80: Flags [S], cksum 0x988c (correct), seq 1000, \
             win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0"
        ),
        "{s}"
    );
    let mut f = Formatter::new();
    let synack = e_ip(
        &ip(6, B, A),
        &tcp(B, A, 80, 40000, 5000, 1001, 0x12, &SYN_OPTS, &[], false),
    );
    let ackp = e_ip(
        &ip(6, A, B),
        &tcp(A, B, 40000, 80, 1001, 5001, 0x10, &TS_OPTS, &[], true),
    );
    f.format(1, &syn);
    assert!(f.format(1, &synack).contains("seq 5000, ack 1001,"));
    let a = f.format(1, &ackp);
    assert!(a.contains("Flags [.], cksum 0x"), "{a}");
    assert!(a.contains("(incorrect -> 0x"), "{a}");
    assert!(a.contains(", ack 1, win 64240"), "{a}");
}

#[test]
fn pinned_vxlan_and_ipip_and_truncation() {
    let inner = ping(3);
    let outer = e_ip(
        &Ip {
            off: 0,
            ..ip(17, A, B)
        },
        &udp(
            A,
            B,
            50000,
            4789,
            &[[8, 0, 0, 0, 0, 0, 100, 0].as_slice(), &inner].concat(),
        ),
    );
    let s = format_packet(1, &outer);
    assert!(
        s.contains(
            "10.0.0.1.50000 > 10.0.0.2.4789: VXLAN, flags [I] (0x08), vni 100\n\
             02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: (tos"
        ),
        "{s}"
    );
    let ipip = ip(4, [192, 168, 0, 1], [192, 168, 0, 2]).build(&inner[14..]);
    let r = format_packet(101, &ipip);
    assert!(r.starts_with("ip: (tos 0x0, ttl 64, id 4242, offset 0, flags [DF], proto IPIP (4), length 104)\n    192.168.0.1 > 192.168.0.2: (tos 0x0"), "{r}");
    let cut = &ping(1)[..40];
    assert!(
        format_packet(1, cut).ends_with(" [|icmp]"),
        "{}",
        format_packet(1, cut)
    );
}

#[test]
fn random_bytes_never_panic() {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let seeds = [
        ping(1),
        arp(1, M1, A, [0; 6], B),
        e_ip(
            &ip(6, A, B),
            &tcp(
                A,
                B,
                1,
                80,
                1,
                1,
                0x18,
                &SYN_OPTS,
                b"GET / HTTP/1.1\r\n\r\n",
                false,
            ),
        ),
    ];
    let mut f = Formatter::new();
    for round in 0..20_000 {
        let mut buf = if round % 4 == 3 {
            let n = (next() % 200) as usize;
            (0..n).map(|_| next() as u8).collect()
        } else {
            seeds[round % 3].clone()
        };
        for _ in 0..(next() % 8) {
            if buf.is_empty() {
                break;
            }
            let i = (next() as usize) % buf.len();
            buf[i] = next() as u8;
        }
        let cut = (next() as usize) % (buf.len() + 1);
        if round % 2 == 0 {
            buf.truncate(cut);
        }
        let lt = [1u16, 101, 228, 1][round % 4];
        let _ = f.format_wire(lt, &buf, buf.len() + (next() % 3) as usize);
    }
}

// ---- comparison with the real tcpdump on crafted packets ----

fn crafted() -> Vec<(u16, Vec<u8>, usize)> {
    let mut out: Vec<(u16, Vec<u8>, usize)> = Vec::new();
    let mut push = |lt: u16, p: Vec<u8>| {
        let n = p.len();
        out.push((lt, p, n));
    };
    let data: Vec<u8> = (0..56u8).collect();
    for seq in 1..3 {
        push(1, ping(seq));
    }
    push(
        1,
        e_ip(&ip(1, B, A), &icmp(0, 0, [0x12, 0x34, 0, 1], &data)),
    );
    // tos/ECN, ttl 0, fragment flags and offsets, bad IP checksum
    for tos in [1u8, 2, 3, 0xb8] {
        push(
            1,
            e_ip(&Ip { tos, ..ip(1, A, B) }, &icmp(8, 0, [0, 1, 0, 1], &data)),
        );
    }
    for (ttl, off) in [
        (0u8, 0x4000u16),
        (5, 0x2000),
        (5, 0x6000),
        (5, 0x8000),
        (5, 0x0010),
        (5, 0x2010),
    ] {
        push(
            1,
            e_ip(
                &Ip {
                    ttl,
                    off,
                    ..ip(1, A, B)
                },
                &icmp(8, 0, [0, 1, 0, 1], &data),
            ),
        );
    }
    push(
        1,
        e_ip(
            &Ip {
                bad_sum: true,
                ..ip(1, A, B)
            },
            &icmp(8, 0, [0, 1, 0, 1], &data),
        ),
    );
    // wrong ICMP checksum
    let mut bad = icmp(8, 0, [0, 1, 0, 1], &data);
    bad[2] ^= 0x55;
    push(1, e_ip(&ip(1, A, B), &bad));
    // IP options
    for opts in [
        vec![148u8, 4, 0, 0],
        vec![148, 4, 0, 5],
        vec![1, 1, 1, 0],
        vec![7, 11, 4, 1, 2, 3, 4, 0, 0, 0, 0, 0],
        vec![131, 11, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0],
        vec![68, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        vec![68, 12, 13, 1, 1, 2, 3, 4, 0, 0, 0, 9],
        vec![99, 4, 0, 0],
        vec![130, 4, 0, 0],
        vec![148, 1, 0, 0],
    ] {
        push(
            1,
            e_ip(
                &Ip {
                    opts,
                    ..ip(1, A, B)
                },
                &icmp(8, 0, [0, 1, 0, 1], &data),
            ),
        );
    }
    // ICMP errors quoting UDP and TCP
    let q_udp = Ip {
        off: 0,
        ..ip(17, B, [10, 9, 9, 9])
    }
    .build(&udp(B, [10, 9, 9, 9], 40000, 33434, &[0u8; 20]));
    let q_tcp = ip(6, B, [10, 9, 9, 9]).build(&tcp(
        B,
        [10, 9, 9, 9],
        40000,
        80,
        77,
        0,
        2,
        &SYN_OPTS,
        &[],
        false,
    ));
    for code in 0..17u8 {
        push(1, e_ip(&ip(1, A, B), &icmp(3, code, [0; 4], &q_udp)));
    }
    push(1, e_ip(&ip(1, A, B), &icmp(3, 3, [0; 4], &q_tcp)));
    push(1, e_ip(&ip(1, A, B), &icmp(3, 4, [0, 0, 5, 0x78], &q_tcp)));
    push(
        1,
        e_ip(&ip(1, A, B), &icmp(3, 4, [0, 0, 5, 0x78], &q_tcp[..28])),
    );
    let q_icmp = ip(1, B, [10, 9, 9, 9]).build(&icmp(8, 0, [0, 1, 0, 1], &data));
    for code in 0..3u8 {
        push(1, e_ip(&ip(1, A, B), &icmp(11, code, [0; 4], &q_icmp)));
    }
    for code in 0..5u8 {
        push(
            1,
            e_ip(&ip(1, A, B), &icmp(5, code, [10, 0, 0, 254], &q_icmp)),
        );
    }
    push(1, e_ip(&ip(1, A, B), &icmp(12, 0, [20, 0, 0, 0], &q_icmp)));
    push(1, e_ip(&ip(1, A, B), &icmp(12, 1, [0, 0, 0, 0], &q_icmp)));
    push(1, e_ip(&ip(1, A, B), &icmp(4, 0, [0, 0, 0, 0], &q_icmp)));
    for t in [10u8, 13, 14, 15, 16, 17, 42] {
        push(1, e_ip(&ip(1, A, B), &icmp(t, 0, [0, 1, 0, 1], &[0; 12])));
    }
    // big quoted packet (Linux quotes up to 576 bytes)
    let big_udp = Ip {
        off: 0,
        ..ip(17, B, [10, 9, 9, 9])
    }
    .build(&udp(B, [10, 9, 9, 9], 40000, 53000, &[7u8; 1000]));
    push(
        1,
        e_ip(&ip(1, A, B), &icmp(3, 4, [0, 0, 5, 0xdc], &big_udp[..548])),
    );
    push(
        1,
        e_ip(&ip(1, A, B), &icmp(3, 3, [0, 0, 0, 0], &big_udp[..548])),
    );
    // UDP
    push(1, e_ip(&ip(17, A, B), &udp(A, B, 5000, 6000, b"hello")));
    push(1, e_ip(&ip(17, A, B), &udp(A, B, 40000, 9999, &[0; 100])));
    let mut badlen = udp(A, B, 5000, 6000, b"hello");
    badlen[5] = 200;
    push(1, e_ip(&ip(17, A, B), &badlen));
    let mut shortlen = udp(A, B, 5000, 6000, b"hello");
    shortlen[5] = 4;
    push(1, e_ip(&ip(17, A, B), &shortlen));
    push(1, e_ip(&ip(17, A, B), &[0x13, 0x88, 0x17]));
    let inner = ping(9);
    for (flags, port) in [(8u8, 4789u16), (0, 4789), (0x0c, 4789), (8, 8472)] {
        let mut hdr = vec![flags, 0, 0, 0, 0, 1, 0x2c, 0];
        hdr.extend_from_slice(&inner);
        push(
            1,
            e_ip(
                &Ip {
                    off: 0,
                    ..ip(17, A, B)
                },
                &udp(A, B, 51234, port, &hdr),
            ),
        );
    }
    push(1, e_ip(&ip(17, A, B), &udp(A, B, 51234, 4789, &[8, 0, 0])));
    // VXLAN carrying ARP
    let mut hdr = vec![8u8, 0, 0, 0, 0, 0, 42, 0];
    hdr.extend_from_slice(&arp(1, M1, A, [0; 6], B));
    push(1, e_ip(&ip(17, A, B), &udp(A, B, 51234, 4789, &hdr)));
    // TCP conversation with HTTP
    let (c, s) = (A, B);
    let mut conv = vec![
        tcp(c, s, 40000, 80, 1000, 0, 0x02, &SYN_OPTS, &[], false),
        tcp(s, c, 80, 40000, 9000, 1001, 0x12, &SYN_OPTS, &[], true),
        tcp(c, s, 40000, 80, 1001, 9001, 0x10, &TS_OPTS, &[], false),
        tcp(
            c,
            s,
            40000,
            80,
            1001,
            9001,
            0x18,
            &TS_OPTS,
            b"GET / HTTP/1.1\r\nHost: 10.0.0.2\r\nAccept: */*\r\n\r\n",
            false,
        ),
        tcp(
            s,
            c,
            80,
            40000,
            9001,
            1048,
            0x18,
            &TS_OPTS,
            b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n",
            false,
        ),
        tcp(
            s,
            c,
            80,
            40000,
            9031,
            1048,
            0x18,
            &TS_OPTS,
            b"<html>\n<body>hi</body>\n</html>\n",
            false,
        ),
        tcp(
            s,
            c,
            80,
            40000,
            9063,
            1048,
            0x18,
            &TS_OPTS,
            b"partial line without end",
            false,
        ),
        tcp(
            s,
            c,
            80,
            40000,
            9087,
            1048,
            0x18,
            &TS_OPTS,
            b"POST /x HTTP/1.1\r\nA: b\rc\r\n",
            false,
        ),
        tcp(s, c, 80, 40000, 9087, 1048, 0x11, &TS_OPTS, &[], false),
        tcp(c, s, 40000, 80, 1048, 9088, 0x11, &TS_OPTS, &[], false),
        tcp(s, c, 80, 40000, 9088, 1049, 0x10, &TS_OPTS, &[], false),
        tcp(c, s, 40001, 8080, 1, 0, 0x02, &[], &[], false),
        tcp(s, c, 8080, 40001, 0, 2, 0x14, &[], &[], false),
        tcp(
            c,
            s,
            40002,
            22,
            1,
            2,
            0x04,
            &[],
            b"reset reason text that is long enough",
            false,
        ),
        tcp(c, s, 40002, 22, 1, 2, 0xf8, &[], b"x", false),
        tcp(
            c,
            s,
            40002,
            22,
            1,
            2,
            0x30,
            &[1, 1, 5, 10, 0, 0, 0, 10, 0, 0, 0, 20],
            &[],
            false,
        ),
        tcp(c, s, 40002, 22, 1, 2, 0x10, &[99, 4, 1, 2], &[], false),
        tcp(c, s, 40002, 22, 1, 2, 0x10, &[2, 9, 1, 2], &[], false),
        tcp(c, s, 40002, 22, 1, 2, 0x10, &[0, 0, 0, 0], &[], false),
        tcp(c, s, 40002, 22, 1, 2, 0x10, &[1, 5, 7, 0], &[], false),
        tcp(c, s, 40002, 22, 1, 2, 0x00, &[], &[], false),
    ];
    let mut hdr5 = tcp(c, s, 1, 2, 1, 2, 0x10, &[], &[], false);
    hdr5[12] = 0x40;
    conv.push(hdr5);
    let mut hdr15 = tcp(c, s, 1, 2, 1, 2, 0x10, &[], &[], false);
    hdr15[12] = 0xf0;
    conv.push(hdr15);
    for seg in conv {
        let (src, dst) = if seg[0..2] == [0, 80] || seg[0..2] == [0x1f, 0x90] {
            (s, c)
        } else {
            (c, s)
        };
        push(1, e_ip(&ip(6, src, dst), &seg));
    }
    // IGMP
    let igmp = |b: &[u8]| {
        let mut v = b.to_vec();
        let s = cks(&v, 0);
        v[2..4].copy_from_slice(&s.to_be_bytes());
        v
    };
    let ra = vec![148u8, 4, 0, 0];
    for m in [
        igmp(&[0x16, 0, 0, 0, 224, 0, 0, 251]),
        igmp(&[0x17, 0, 0, 0, 224, 0, 0, 251]),
        igmp(&[0x12, 0, 0, 0, 224, 0, 0, 251]),
        igmp(&[0x11, 0, 0, 0, 0, 0, 0, 0]),
        igmp(&[0x11, 100, 0, 0, 0, 0, 0, 0]),
        igmp(&[0x11, 50, 0, 0, 224, 1, 1, 1]),
        igmp(&[0x11, 100, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0]),
        igmp(&[0x11, 10, 0, 0, 224, 1, 1, 1, 2, 125, 0, 1, 1, 2, 3, 4]),
        igmp(&[0x11, 0x8f, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0]),
        igmp(&[0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 224, 0, 0, 106]),
        igmp(&[
            0x22, 0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 1, 224, 0, 0, 251, 1, 1, 1, 1, 9, 0, 0, 0, 224, 0,
            0, 252,
        ]),
        igmp(&[0x33, 0, 0, 0, 0, 0, 0, 0]),
        vec![0x16, 0, 0, 0, 224, 0, 0, 251],
    ] {
        push(
            1,
            e_ip(
                &Ip {
                    ttl: 1,
                    opts: ra.clone(),
                    tos: 0xc0,
                    ..ip(2, A, [224, 0, 0, 22])
                },
                &m,
            ),
        );
    }
    // IPIP over Ethernet and raw
    let inner_ip = ping(5)[14..].to_vec();
    push(
        1,
        e_ip(&ip(4, [192, 168, 1, 1], [192, 168, 1, 2]), &inner_ip),
    );
    // fragments (no checksum verdicts), IPIP carrying TCP, UDP checksum 0, SACK
    push(
        1,
        e_ip(
            &Ip {
                off: 0x2000,
                ..ip(6, A, B)
            },
            &tcp(A, B, 1, 2, 3, 4, 0x10, &[], b"abc", true),
        ),
    );
    push(
        1,
        e_ip(
            &Ip {
                off: 0x2000,
                ..ip(1, A, B)
            },
            &icmp(8, 0, [0, 1, 0, 1], &data),
        ),
    );
    push(
        1,
        e_ip(
            &Ip {
                off: 0x2000,
                ..ip(17, A, B)
            },
            &udp(A, B, 5000, 6000, b"hello"),
        ),
    );
    push(
        1,
        e_ip(
            &Ip {
                off: 0x00b9,
                ..ip(17, A, B)
            },
            &[1, 2, 3],
        ),
    );
    push(
        1,
        e_ip(
            &ip(4, [192, 168, 1, 1], [192, 168, 1, 2]),
            &ip(6, A, B).build(&tcp(A, B, 40000, 8080, 1, 0, 2, &SYN_OPTS, &[], false)),
        ),
    );
    let mut z = udp(A, B, 5000, 6000, b"hello");
    z[6] = 0;
    z[7] = 0;
    push(1, e_ip(&ip(17, A, B), &z));
    push(
        1,
        e_ip(
            &ip(6, B, A),
            &tcp(
                B,
                A,
                80,
                40000,
                9088,
                1049,
                0x10,
                &[
                    1, 1, 5, 18, 0, 0, 0x23, 0x28, 0, 0, 0x23, 0x30, 0, 0, 0x23, 0x40, 0, 0, 0x23,
                    0x50,
                ],
                &[],
                false,
            ),
        ),
    );
    push(
        1,
        e_ip(
            &ip(6, A, B),
            &tcp(
                A,
                B,
                40000,
                80,
                1049,
                9088,
                0x18,
                &[],
                b"HTTP/1.1 404 Not Found\r\n\tx\r\n\x01\r\n",
                false,
            ),
        ),
    );
    push(
        1,
        e_ip(
            &ip(6, A, B),
            &tcp(
                A,
                B,
                40000,
                80,
                1049,
                9088,
                0x18,
                &[],
                b"get /lower HTTP/1.0\n\nbody",
                false,
            ),
        ),
    );
    // 802.1Q / QinQ tagged frames
    let tag = |t: u16, tci: u16, inner: &[u8]| {
        let mut v = inner[..12].to_vec();
        v.extend_from_slice(&t.to_be_bytes());
        v.extend_from_slice(&tci.to_be_bytes());
        v.extend_from_slice(&inner[12..]);
        v
    };
    push(1, tag(0x8100, 10, &ping(4)));
    push(1, tag(0x8100, 0xb00a, &arp(1, M1, A, [0; 6], B)));
    push(1, tag(0x88a8, 100, &tag(0x8100, 0x3005, &ping(4))));
    push(1, tag(0x8100, 7, &eth(M2, M1, 0x88b5, &[1, 2, 3, 4])));
    push(1, tag(0x8100, 7, &ping(4))[..16].to_vec());
    // other IP protocols
    for p in [99u8, 253] {
        push(1, e_ip(&ip(p, A, B), &[1, 2, 3, 4]));
    }
    // ARP variants
    push(1, arp(1, M1, A, [0; 6], B));
    push(1, arp(2, M2, B, M1, A));
    push(1, arp(1, M1, A, M2, B));
    push(1, arp(3, M1, A, M2, B));
    push(1, arp(4, M1, A, M2, B));
    push(1, arp(9, M1, A, M2, B));
    let mut odd = arp(1, M1, A, [0; 6], B);
    odd[14 + 1] = 6;
    push(1, odd);
    let mut padded = arp(2, M2, B, M1, A);
    padded.extend_from_slice(&[0; 18]);
    push(1, padded);
    // unknown ethertype / LLDP-ish
    push(1, eth(M2, M1, 0x88b5, &(0..37u8).collect::<Vec<_>>()));
    push(1, eth(M2, M1, 0x0800, &[0x45, 0, 0]));
    push(1, eth(M2, M1, 0x0800, &[0x55; 30]));
    push(1, eth(M2, M1, 0x0800, &[0x46; 30]));
    // Ethernet padding after a short IP datagram
    let mut pad = e_ip(&ip(1, A, B), &icmp(8, 0, [0, 1, 0, 1], &[1, 2]));
    pad.resize(60, 0);
    push(1, pad);
    // IP total length larger/smaller than the frame
    push(
        1,
        e_ip(
            &Ip {
                len_override: Some(200),
                ..ip(1, A, B)
            },
            &icmp(8, 0, [0, 1, 0, 1], &data),
        ),
    );
    push(
        1,
        e_ip(
            &Ip {
                len_override: Some(10),
                ..ip(1, A, B)
            },
            &icmp(8, 0, [0, 1, 0, 1], &data),
        ),
    );
    push(
        1,
        e_ip(
            &Ip {
                len_override: Some(0),
                ..ip(1, A, B)
            },
            &icmp(8, 0, [0, 1, 0, 1], &data),
        ),
    );
    out
}

/// Raw-IP packets (link type 101 and 228).
fn crafted_raw() -> Vec<Vec<u8>> {
    let data: Vec<u8> = (0..56u8).collect();
    let inner = ip(1, A, B).build(&icmp(8, 0, [0, 1, 0, 1], &data));
    vec![
        inner.clone(),
        ip(4, [192, 168, 1, 1], [192, 168, 1, 2]).build(&inner),
        ip(6, A, B).build(&tcp(A, B, 40000, 123, 5, 0, 2, &SYN_OPTS, &[], false)),
        vec![0x60, 0, 0, 0],
        vec![0x20, 0, 0, 0],
        inner[..30].to_vec(),
    ]
}

/// Every prefix of some packets, captured with the full wire length.
fn truncations() -> Vec<(u16, Vec<u8>, usize)> {
    let mut out = Vec::new();
    let inner = ping(9);
    let mut vx = vec![8u8, 0, 0, 0, 0, 1, 0x2c, 0];
    vx.extend_from_slice(&inner);
    let q_udp = Ip {
        off: 0,
        ..ip(17, B, [10, 9, 9, 9])
    }
    .build(&udp(B, [10, 9, 9, 9], 40000, 33434, &[0u8; 20]));
    let bases = vec![
        ping(1),
        arp(1, M1, A, [0; 6], B),
        e_ip(
            &ip(6, A, B),
            &tcp(
                A,
                B,
                40000,
                80,
                1000,
                5,
                0x18,
                &SYN_OPTS,
                b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                false,
            ),
        ),
        e_ip(
            &Ip {
                off: 0,
                ..ip(17, A, B)
            },
            &udp(A, B, 51234, 4789, &vx),
        ),
        e_ip(&ip(1, A, B), &icmp(3, 3, [0; 4], &q_udp)),
        e_ip(
            &Ip {
                opts: vec![148, 4, 0, 0, 7, 7, 4, 1, 2, 3, 4, 0],
                ..ip(1, A, B)
            },
            &icmp(8, 0, [0, 1, 0, 1], &[0; 8]),
        ),
        e_ip(
            &ip(2, A, [224, 0, 0, 22]),
            &[0x22, 0, 0xd9, 0xfd, 0, 0, 0, 1, 4, 0, 0, 0, 224, 0, 0, 106],
        ),
        e_ip(
            &ip(2, A, [224, 0, 0, 22]),
            &[0x11, 10, 0, 0, 224, 1, 1, 1, 2, 125, 0, 1, 1, 2, 3, 4],
        ),
        e_ip(
            &ip(6, A, B),
            &tcp(
                A,
                B,
                40000,
                22,
                1,
                2,
                0x10,
                &[
                    1, 1, 5, 10, 0, 0, 0, 10, 0, 0, 0, 20, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1,
                ],
                &[],
                false,
            ),
        ),
        e_ip(&ip(4, [192, 168, 1, 1], [192, 168, 1, 2]), &ping(2)[14..]),
        e_ip(
            &ip(1, A, B),
            &icmp(
                11,
                0,
                [0; 4],
                &ip(6, B, [10, 9, 9, 9]).build(&tcp(
                    B,
                    [10, 9, 9, 9],
                    40000,
                    80,
                    77,
                    0,
                    2,
                    &SYN_OPTS,
                    &[],
                    false,
                )),
            ),
        ),
        e_ip(&ip(1, A, B), &icmp(5, 1, [10, 0, 0, 254], &q_udp)),
        e_ip(&ip(1, A, B), &icmp(13, 0, [0, 1, 0, 1], &[0; 12])),
        e_ip(
            &ip(1, A, B),
            &icmp(14, 0, [0, 1, 0, 1], &[0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0]),
        ),
    ];
    for b in bases {
        for cut in 1..b.len() {
            out.push((1, b[..cut].to_vec(), b.len()));
        }
    }
    out
}

fn write_pcap(path: &std::path::Path, linktype: u16, pkts: &[(Vec<u8>, usize)]) {
    let mut v = Vec::new();
    v.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
    v.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    v.extend_from_slice(&262_144u32.to_le_bytes());
    v.extend_from_slice(&u32::from(linktype).to_le_bytes());
    for (i, (p, wire)) in pkts.iter().enumerate() {
        v.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        v.extend_from_slice(&0u32.to_le_bytes());
        v.extend_from_slice(&(p.len() as u32).to_le_bytes());
        v.extend_from_slice(&(*wire as u32).to_le_bytes());
        v.extend_from_slice(p);
    }
    std::fs::write(path, v).unwrap();
}

/// Splits `tcpdump -tt` output into packets (timestamp removed, final newline removed).
pub(crate) fn split_tt(text: &str) -> Vec<String> {
    let mut pkts: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let is_start = line
            .split_once(' ')
            .map(|(ts, _)| {
                let (a, b) = ts.split_once('.').unwrap_or(("", ""));
                !a.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && (6..=9).contains(&b.len())
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
            .unwrap_or(false);
        if is_start {
            let rest = line.split_once(' ').map(|x| x.1).unwrap_or("");
            pkts.push(rest.to_string());
        } else if let Some(last) = pkts.last_mut() {
            last.push_str(line);
        }
    }
    for p in &mut pkts {
        if p.ends_with('\n') {
            p.pop();
        }
    }
    pkts
}

fn run_tcpdump(path: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("tcpdump")
        .args(["-tt", "-nn", "-e", "-v", "-r"])
        .arg(path)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn compare_with_tcpdump(name: &str, linktype: u16, pkts: Vec<(Vec<u8>, usize)>) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("nslab-tcpdump-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.pcap");
    write_pcap(&file, linktype, &pkts);
    let Some(text) = run_tcpdump(&file) else {
        println!("tcpdump not installed: skipping");
        return Vec::new();
    };
    if std::env::var_os("NSLAB_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let want = split_tt(&text);
    println!("{name}: comparing {} packets with tcpdump", pkts.len());
    let mut f = Formatter::new();
    let mut errs = Vec::new();
    assert_eq!(
        want.len(),
        pkts.len(),
        "{name}: tcpdump printed {} packets",
        want.len()
    );
    for (i, ((p, wire), w)) in pkts.iter().zip(&want).enumerate() {
        let got = f.format_wire(linktype, p, *wire);
        if &got != w {
            errs.push(format!(
                "{name} #{i} (caplen {} wire {wire})\n  tcpdump: {w:?}\n  ours:    {got:?}",
                p.len()
            ));
        }
    }
    errs
}

#[test]
fn matches_real_tcpdump_on_crafted_packets() {
    let mut errs = Vec::new();
    let eth: Vec<(Vec<u8>, usize)> = crafted().into_iter().map(|(_, p, w)| (p, w)).collect();
    errs.extend(compare_with_tcpdump("eth", 1, eth));
    let tr: Vec<(Vec<u8>, usize)> = truncations().into_iter().map(|(_, p, w)| (p, w)).collect();
    errs.extend(compare_with_tcpdump("trunc", 1, tr));
    for lt in [101u16, 228] {
        let raw: Vec<(Vec<u8>, usize)> = crafted_raw()
            .into_iter()
            .map(|p| {
                let n = p.len();
                (p, n)
            })
            .collect();
        errs.extend(compare_with_tcpdump(&format!("raw{lt}"), lt, raw));
    }
    assert!(
        errs.is_empty(),
        "{} mismatches:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

// ---- other flag combinations, on every kernel recording ----

/// Real tcpdump's stdout for `-r path FLAGS` (TZ=UTC), if tcpdump is installed.
fn run_tcpdump_flags(path: &std::path::Path, flags: &[&str]) -> Option<String> {
    let out = std::process::Command::new("tcpdump")
        .env("TZ", "UTC")
        // Without -n tcpdump asks the resolver about every address: keep slow DNS bounded.
        .env("RES_OPTIONS", "timeout:1 attempts:1")
        .args(flags)
        .arg("-r")
        .arg(path)
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn opts_of(flags: &[&str]) -> Opts {
    let mut o = Opts {
        eflag: false,
        vflag: 0,
        nflag: 0,
        aflag: false,
    };
    for f in flags {
        for c in f.trim_start_matches('-').chars() {
            match c {
                'e' => o.eflag = true,
                'v' => o.vflag += 1,
                'n' => o.nflag += 1,
                'A' => o.aflag = true,
                _ => panic!("flag {c}"),
            }
        }
    }
    o
}

/// The first differing line of two texts, for a readable failure.
fn first_diff(a: &str, b: &str) -> Option<String> {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return Some(format!(
                "line {}\n  tcpdump: {x:?}\n  ours:    {y:?}",
                i + 1
            ));
        }
    }
    let (na, nb) = (a.lines().count(), b.lines().count());
    (na != nb).then(|| format!("tcpdump printed {na} lines, ours {nb}"))
}

const FLAG_SETS: &[&[&str]] = &[
    &[],
    &["-n"],
    &["-nn"],
    &["-e"],
    &["-v"],
    &["-vv"],
    &["-A"],
    &["-n", "-e"],
    &["-nn", "-vv"],
    &["-nn", "-e", "-vv"],
    &["-e", "-v", "-A"],
];

#[test]
fn matches_real_tcpdump_with_other_flags_on_kernel_recordings() {
    if run_tcpdump_flags(std::path::Path::new("/nonexistent"), &[]).is_none() {
        println!("tcpdump not installed: skipping");
        return;
    }
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/kernel");
    let mut files = Vec::new();
    for lab in std::fs::read_dir(&base).unwrap() {
        let dir = lab.unwrap().path().join("pcap");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in rd {
            files.push(f.unwrap().path());
        }
    }
    files.sort();
    assert!(files.len() > 50, "kernel recordings found: {}", files.len());
    let mut errs = Vec::new();
    // Without -n tcpdump asks the resolver for every address (seconds each when DNS is slow):
    // those flag sets read a few labs only.
    let few = [
        "seed003-container-mode",
        "seed002-cni5-nodeport",
        "seed004-vxlan/",
        "cni1-bridge",
    ];
    for flags in FLAG_SETS {
        let named = !flags.iter().any(|f| f.contains('n'));
        for f in &files {
            if named && !few.iter().any(|x| f.to_string_lossy().contains(x)) {
                continue;
            }
            let want = run_tcpdump_flags(f, flags).unwrap();
            let caps = nslab_oracle::pcap::read_capture(&std::fs::read(f).unwrap()).unwrap();
            let mut fm = Formatter::with_opts(opts_of(flags));
            let mut got = String::new();
            for c in &caps {
                for (ts, data) in &c.packets {
                    got.push_str(&fm.print_line(*ts, c.linktype, data, data.len()));
                }
            }
            if let Some(d) = first_diff(&want, &got) {
                errs.push(format!("{} {flags:?}: {d}", f.display()));
            }
        }
    }
    assert!(
        errs.is_empty(),
        "{} differ:\n{}",
        errs.len(),
        errs.join("\n")
    );
}
