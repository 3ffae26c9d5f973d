//! Transport-layer tests: TCP handshake bytes and options, segment sequences, RST for a closed
//! port, SYN retransmission timing, ICMP errors, UDP port unreachable, and the apps on top
//! (curl's messages and exit codes, http.server's responses and log, ss's table).

use crate::apps::curl::CurlOpts;
use crate::apps::nc::NcOpts;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::tcp::*;
use crate::tools::{self, Exec};
use crate::wire::*;
use sim_core::Duration;
use std::net::{Ipv4Addr, SocketAddrV4};

fn sh(k: &mut Kernel, ns: NsId, cmd: &str) {
    let argv: Vec<String> = cmd.split_whitespace().map(String::from).collect();
    match tools::run(k, ns, &argv) {
        Exec::Done(o) => assert_eq!(o.status, 0, "{cmd}: {}", o.stderr),
        _ => panic!("{cmd}: not a plain command"),
    }
}

/// A namespace `pod` with lo up (127.0.0.1/8).
fn pod() -> (Kernel, NsId) {
    let mut k = Kernel::new(1);
    let ns = k.netns_add("pod");
    sh(&mut k, ns, "ip link set lo up");
    (k, ns)
}

fn run(k: &mut Kernel, secs: u64) {
    let t = k.now + Duration::from_secs(secs);
    k.run_until(t);
}

/// Every TCP segment captured (once: on the first namespace's interfaces), parsed, with its
/// IP header.
fn tcp_segs(k: &Kernel) -> Vec<(Ipv4Repr, TcpSeg, u64)> {
    let first_ns = k.capture.ifaces[k.capture.packets.first().map_or(0, |p| p.0 as usize)]
        .name
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();
    k.capture
        .packets
        .iter()
        .filter(|(i, _, _)| {
            k.capture.ifaces[*i as usize]
                .name
                .starts_with(&format!("{first_ns}:"))
        })
        .filter_map(|(_, ts, f)| {
            let (ip, hl) = Ipv4Repr::parse(&f[ETH_HLEN..]).ok()?;
            (ip.proto == IPPROTO_TCP).then(|| {
                let seg = TcpSeg::parse(&f[ETH_HLEN + hl..]).expect("tcp parses");
                (ip, seg, *ts)
            })
        })
        .collect()
}

/// tcpdump's flag letters.
fn flags(f: u8) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (TCP_SYN, 'S'),
        (TCP_FIN, 'F'),
        (TCP_PSH, 'P'),
        (TCP_RST, 'R'),
    ] {
        if f & bit != 0 {
            s.push(c);
        }
    }
    if f & TCP_ACK != 0 {
        s.push('.');
    }
    s
}

fn curl(k: &mut Kernel, ns: NsId, ip: [u8; 4], port: u16, path: &str) -> Pid {
    let dst = SocketAddrV4::new(Ipv4Addr::from(ip), port);
    let o = CurlOpts {
        dst: Some(dst),
        host: dst.ip().to_string(),
        port,
        path: path.into(),
        silent: true,
        show_error: true,
        ..Default::default()
    };
    k.curl_spawn(ns, o)
}

fn out(k: &Kernel, pid: Pid) -> (String, String, Option<i32>) {
    let p = k.proc(pid).expect("process");
    (
        String::from_utf8_lossy(&p.stdout).into_owned(),
        String::from_utf8_lossy(&p.stderr).into_owned(),
        p.exit,
    )
}

fn dir(sport: u16) -> &'static str {
    if sport == 8080 {
        "<"
    } else {
        ">"
    }
}

#[test]
fn loopback_http_get_matches_the_kernel_recording() {
    let (mut k, ns) = pod();
    let srv = k.http_server_spawn(ns, SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080), "HTTP/1.1");
    run(&mut k, 1);
    let c = curl(&mut k, ns, [127, 0, 0, 1], 8080, "/");
    run(&mut k, 1);
    let (body, err, exit) = out(&k, c);
    assert_eq!(exit, Some(0), "{err}");
    assert!(
        body.starts_with("<!DOCTYPE HTML>\n") && body.len() == 187,
        "{body}"
    );
    let segs = tcp_segs(&k);
    let seq: Vec<String> = segs
        .iter()
        .map(|(ip, s, _)| {
            assert!(ip.df(), "TCP segments carry DF");
            format!("{}{}", dir(s.sport), flags(s.flags))
        })
        .collect();
    // The recording (seed003-container-mode): S, S., ., P., ., P., ., P., ., F., F., .
    assert_eq!(
        seq,
        [">S", "<S.", ">.", ">P.", "<.", "<P.", ">.", "<P.", ">.", ">F.", "<F.", ">."]
    );
    let (ip, syn, _) = &segs[0];
    assert_eq!((ip.ttl, ip.tos), (64, 0));
    // MSS 65495 (min(mtu, 65535) - 40), SACK permitted, TS, wscale 10; window 65495.
    assert_eq!(syn.mss, Some(65495));
    assert!(syn.sack_perm);
    assert_eq!(syn.wscale, Some(10));
    assert_eq!(syn.ts.map(|t| t.1), Some(0));
    assert_eq!(syn.wnd, 65495);
    let (ip2, synack, _) = &segs[1];
    assert_eq!(ip2.id, 0, "SYN-ACK goes out with IP id 0");
    assert_eq!(synack.wnd, 65483);
    assert_eq!(synack.ack, syn.seq.wrapping_add(1));
    assert_eq!(synack.ts.map(|t| t.1), syn.ts.map(|t| t.0));
    // The raw SYN bytes: options in Linux's order, header length 40.
    let f = &k.capture.packets[0].2;
    let tcp = &f[ETH_HLEN + 20..];
    assert_eq!(tcp[12] >> 4, 10);
    assert_eq!(&tcp[20..24], &[2, 4, 0xff, 0xd7]);
    assert_eq!(&tcp[24..28], &[4, 2, 8, 10]);
    assert_eq!(&tcp[36..40], &[1, 3, 3, 10]);
    // After the handshake: window 64 (65536 >> 10); the request carries Host with the port.
    let (_, req, _) = &segs[3];
    assert_eq!(req.wnd, 64);
    assert_eq!(
        String::from_utf8_lossy(&req.data),
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"
    );
    let (_, head, _) = &segs[5];
    let head = String::from_utf8_lossy(&head.data).into_owned();
    assert!(head.starts_with(
        "HTTP/1.1 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.7\r\nDate: Thu, 01 Jan 1970 00:00:01 GMT\r\nContent-type: text/html; charset=utf-8\r\nContent-Length: 187\r\n\r\n"
    ), "{head}");
    let (_, log, _) = out(&k, srv);
    assert_eq!(
        log,
        "127.0.0.1 - - [01/Jan/1970 00:00:01] \"GET / HTTP/1.1\" 200 -\n"
    );
    // The client is in TIME-WAIT, the server's side is gone; the listener remains.
    let ss = tools::sockets::ss(&k, ns, &["-tan".into()]);
    assert_eq!(
        ss.stdout
            .lines()
            .map(|l| l.split_whitespace().next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["State", "LISTEN", "TIME-WAIT"]
    );
}

#[test]
fn closed_port_gets_rst_and_curl_says_couldnt_connect() {
    let (mut k, ns) = pod();
    let c = curl(&mut k, ns, [127, 0, 0, 1], 8081, "/");
    run(&mut k, 1);
    let segs = tcp_segs(&k);
    assert_eq!(segs.len(), 2);
    let (syn, rst) = (&segs[0].1, &segs[1].1);
    assert_eq!(flags(rst.flags), "R.");
    assert_eq!((rst.seq, rst.ack, rst.wnd), (0, syn.seq.wrapping_add(1), 0));
    let (o, e, exit) = out(&k, c);
    assert_eq!(o, "");
    assert_eq!(
        e,
        "curl: (7) Failed to connect to 127.0.0.1 port 8081 after 0 ms: Couldn't connect to server\n"
    );
    assert_eq!(exit, Some(7));
    assert!(k
        .drops
        .iter()
        .any(|d| d.reason == crate::dropreason::SkbDropReason::NoSocket));
}

#[test]
fn unroutable_connect_fails_before_any_packet() {
    let (mut k, ns) = pod();
    let c = curl(&mut k, ns, [11, 96, 10, 3], 8080, "/");
    run(&mut k, 1);
    assert!(tcp_segs(&k).is_empty());
    assert_eq!(
        out(&k, c).1,
        "curl: (7) Failed to connect to 11.96.10.3 port 8080 after 0 ms: Couldn't connect to server\n"
    );
    assert_eq!(
        k.tcp_connect(
            0,
            ns,
            SocketAddrV4::new(Ipv4Addr::new(11, 96, 10, 3), 80),
            None
        )
        .unwrap_err()
        .strerror(),
        "Network is unreachable"
    );
}

/// ns `a` (10.0.0.1) — veth — ns `b` (10.0.0.2); a's neighbour entry for 10.0.0.2 points at a
/// MAC nobody has, so b drops every frame (OTHERHOST) and nothing answers.
fn blackhole() -> (Kernel, NsId) {
    net_ab(true)
}

fn net_ab(wrong_neigh: bool) -> (Kernel, NsId) {
    let mut k = Kernel::new(3);
    let a = k.netns_add("a");
    let b = k.netns_add("b");
    sh(&mut k, a, "ip link add veth0 type veth peer name veth1");
    sh(&mut k, a, "ip link set veth1 netns b");
    sh(&mut k, a, "ip addr add 10.0.0.1/24 dev veth0");
    sh(&mut k, a, "ip link set veth0 up");
    sh(&mut k, b, "ip link set veth1 up");
    // The ICMP error about a locally generated packet reaches its socket through lo.
    sh(&mut k, a, "ip link set lo up");
    if wrong_neigh {
        sh(&mut k, b, "ip addr add 10.0.0.2/24 dev veth1");
        sh(
            &mut k,
            a,
            "ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:99 dev veth0 nud permanent",
        );
    }
    (k, a)
}

#[test]
fn syn_retransmits_with_exponential_backoff_then_etimedout() {
    let (mut k, a) = blackhole();
    let start = k.now.as_nanos();
    let c = curl(&mut k, a, [10, 0, 0, 2], 80, "/");
    run(&mut k, 200);
    let syns: Vec<u64> = tcp_segs(&k)
        .iter()
        .filter(|(_, s, _)| s.flags == TCP_SYN)
        .map(|(_, _, ts)| ts - start)
        .collect();
    // tcp_syn_retries = 6: the RTO doubles from 1 s (1, 2, 4, 8, 16, 32 s, then 64 s to the
    // failure); each timer runs on the wheel, never early and at most its level's granularity
    // late (crate::timer: 32 ms for 1 s, 256 ms for 2-16 s, 2048 ms for 32-64 s), plus the tick.
    assert_eq!(syns.len(), 7, "{syns:?}");
    let late_max = |rto: u64| match rto {
        1 => 36_000_000,
        2..=16 => 264_000_000,
        _ => 2_056_000_000,
    };
    for (i, w) in syns.windows(2).enumerate() {
        let rto = 1u64 << i;
        let gap = w[1] - w[0];
        assert!(
            gap > rto * 1_000_000_000 && gap <= rto * 1_000_000_000 + late_max(rto),
            "SYN {} {gap} ns after the previous: {syns:?}",
            i + 1
        );
    }
    let (_, e, exit) = out(&k, c);
    let ms: u64 = e
        .strip_prefix("curl: (28) Failed to connect to 10.0.0.2 port 80 after ")
        .and_then(|r| r.strip_suffix(" ms: Couldn't connect to server\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{e}"));
    assert!((127_000..=133_000).contains(&ms), "{e}");
    assert_eq!(exit, Some(28));
}

#[test]
fn curl_connect_timeout_is_code_28() {
    let (mut k, a) = blackhole();
    let dst = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 2), 80);
    let o = CurlOpts {
        dst: Some(dst),
        host: "10.0.0.2".into(),
        port: 80,
        path: "/".into(),
        silent: true,
        show_error: true,
        connect_timeout: Some(Duration::from_secs(2)),
        ..Default::default()
    };
    let c = k.curl_spawn(a, o);
    run(&mut k, 10);
    assert_eq!(
        out(&k, c).1,
        "curl: (28) Failed to connect to 10.0.0.2 port 80 after 2000 ms: Timeout was reached\n"
    );
    assert_eq!(tcp_segs(&k).len(), 2, "SYN at 0 s and 1 s");
}

#[test]
fn failed_arp_aborts_the_connect_with_host_unreachable() {
    // b has no address: a's ARP for 10.0.0.2 fails, the queued SYN comes back as ICMP host
    // unreachable and connect() fails with EHOSTUNREACH after the 3 probes.
    let (mut k, a) = net_ab(false);
    let c = curl(&mut k, a, [10, 0, 0, 2], 80, "/");
    run(&mut k, 10);
    let (_, e, exit) = out(&k, c);
    assert_eq!(exit, Some(7), "{e}");
    assert!(
        e.starts_with("curl: (7) Failed to connect to 10.0.0.2 port 80 after 3"),
        "{e}"
    );
}

#[test]
fn udp_to_a_closed_port_gets_icmp_port_unreachable() {
    let (mut k, ns) = pod();
    let o = NcOpts {
        udp: true,
        addr: Some(Ipv4Addr::LOCALHOST),
        port: 9999,
        stdin: b"hi\n".to_vec(),
        wait: Some(Duration::from_secs(1)),
        ..Default::default()
    };
    k.nc_spawn(ns, o);
    run(&mut k, 2);
    let pkts: Vec<(Ipv4Repr, Vec<u8>)> = k
        .capture
        .packets
        .iter()
        .map(|(_, _, f)| {
            let (ip, hl) = Ipv4Repr::parse(&f[ETH_HLEN..]).unwrap();
            (ip, f[ETH_HLEN + hl..].to_vec())
        })
        .collect();
    assert_eq!(pkts.len(), 2);
    assert_eq!(pkts[0].0.proto, IPPROTO_UDP);
    assert_eq!(&pkts[0].1[2..4], &9999u16.to_be_bytes());
    assert_eq!(&pkts[0].1[8..], b"hi\n");
    assert_eq!(pkts[1].0.proto, IPPROTO_ICMP);
    assert_eq!(
        (pkts[1].1[0], pkts[1].1[1]),
        (ICMP_DEST_UNREACH, ICMP_PORT_UNREACH)
    );
}

#[test]
fn udp_datagram_reaches_a_bound_socket() {
    let (mut k, ns) = pod();
    let l = k.nc_spawn(
        ns,
        NcOpts {
            listen: true,
            udp: true,
            port: 5000,
            ..Default::default()
        },
    );
    k.nc_spawn(
        ns,
        NcOpts {
            udp: true,
            addr: Some(Ipv4Addr::LOCALHOST),
            port: 5000,
            stdin: b"ping\n".to_vec(),
            wait: Some(Duration::from_secs(1)),
            ..Default::default()
        },
    );
    run(&mut k, 2);
    assert_eq!(out(&k, l).0, "ping\n");
    let ss = tools::sockets::ss(&k, ns, &["-uan".into()]);
    assert_eq!(
        ss.stdout,
        "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n\
         UNCONN 0      0            0.0.0.0:5000      0.0.0.0:*          \n"
    );
}

#[test]
fn http_server_404_and_its_log() {
    let (mut k, ns) = pod();
    let srv = k.http_server_spawn(
        ns,
        SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8000),
        "HTTP/1.0",
    );
    assert_eq!(
        out(&k, srv).0,
        "Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...\n"
    );
    let c = curl(&mut k, ns, [127, 0, 0, 1], 8000, "/nope");
    run(&mut k, 1);
    let (body, _, exit) = out(&k, c);
    assert_eq!(exit, Some(0));
    assert_eq!(
        body,
        crate::apps::http_server::error_html(
            404,
            "File not found",
            "Nothing matches the given URI"
        )
    );
    let log = out(&k, srv).1;
    assert_eq!(
        log,
        "127.0.0.1 - - [01/Jan/1970 00:00:00] code 404, message File not found\n\
         127.0.0.1 - - [01/Jan/1970 00:00:00] \"GET /nope HTTP/1.1\" 404 -\n"
    );
    // The server sent `Connection: close` and closed first.
    let segs = tcp_segs(&k);
    let first_fin = segs
        .iter()
        .find(|(_, s, _)| s.flags & TCP_FIN != 0)
        .unwrap();
    assert_eq!(first_fin.1.sport, 8000);
}

#[test]
fn http_server_serves_lab_files() {
    let (mut k, ns) = pod();
    k.vfs
        .insert("/lab/a.txt".into(), (b"hello\n".to_vec(), k.now));
    k.http_server_spawn(ns, SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080), "HTTP/1.1");
    let c = curl(&mut k, ns, [127, 0, 0, 1], 8080, "/a.txt");
    let l = curl(&mut k, ns, [127, 0, 0, 1], 8080, "/");
    run(&mut k, 1);
    assert_eq!(out(&k, c).0, "hello\n");
    assert!(out(&k, l)
        .0
        .contains("<ul>\n<li><a href=\"a.txt\">a.txt</a></li>\n</ul>"));
}

#[test]
fn ss_listening_table_as_iproute2() {
    let (mut k, ns) = pod();
    k.http_server_spawn(ns, SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080), "HTTP/1.1");
    k.http_server_spawn(
        ns,
        SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8000),
        "HTTP/1.0",
    );
    // Recorded with iproute2 6.1 ss in a namespace with the same two servers.
    let o = tools::sockets::ss(&k, ns, &["-tln".into()]);
    assert_eq!(
        o.stdout,
        "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n\
         LISTEN 0      5            0.0.0.0:8000      0.0.0.0:*          \n\
         LISTEN 0      5          127.0.0.1:8080      0.0.0.0:*          \n"
    );
    let o = tools::sockets::ss(&k, ns, &["-tl".into()]);
    assert!(o.stdout.contains("     127.0.0.1:http-alt"), "{}", o.stdout);
    let o = tools::sockets::ss(&k, ns, &["-tn".into()]);
    assert_eq!(
        o.stdout,
        "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
    );
    let o = tools::sockets::ss(&k, ns, &["-tlnp".into()]);
    let l: Vec<&str> = o.stdout.lines().collect();
    assert!(l[0].starts_with("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess "));
    assert!(
        l[1].ends_with("0.0.0.0:*    users:((\"python3\",pid=1001,fd=3))"),
        "{}",
        l[1]
    );
}

#[test]
fn listen_errors() {
    let (mut k, ns) = pod();
    let a = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 80);
    k.tcp_listen(0, ns, a).unwrap();
    assert_eq!(
        k.tcp_listen(0, ns, a).unwrap_err().strerror(),
        "Address already in use"
    );
    assert_eq!(
        k.tcp_listen(0, ns, SocketAddrV4::new(Ipv4Addr::new(10, 1, 1, 1), 80))
            .unwrap_err()
            .strerror(),
        "Cannot assign requested address"
    );
}

#[test]
fn ephemeral_ports_come_from_ip_local_port_range() {
    let (mut k, ns) = pod();
    k.net_mut(ns)
        .misc_sysctl
        .insert("net.ipv4.ip_local_port_range".into(), "40000\t40001".into());
    let d = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1);
    let s1 = k.tcp_connect(0, ns, d, None).unwrap();
    let s2 = k.tcp_connect(0, ns, d, None).unwrap();
    let mut ports = [
        k.sock_local(s1).unwrap().port(),
        k.sock_local(s2).unwrap().port(),
    ];
    ports.sort();
    assert_eq!(ports, [40000, 40001]);
}

#[test]
fn http_server_bind_errors_print_pythons_traceback() {
    let (mut k, ns) = pod();
    let a = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080);
    k.http_server_spawn(ns, a, "HTTP/1.0");
    let second = k.http_server_spawn(ns, a, "HTTP/1.0");
    let (o, e, exit) = out(&k, second);
    assert_eq!((o.as_str(), exit), ("", Some(1)));
    assert!(e.starts_with("Traceback (most recent call last):\n  File \"<frozen runpy>\""));
    assert!(e.ends_with(
        "    self.socket.bind(self.server_address)\nOSError: [Errno 98] Address already in use\n"
    ));
    let third = k.http_server_spawn(
        ns,
        SocketAddrV4::new(Ipv4Addr::new(10, 1, 1, 1), 80),
        "HTTP/1.0",
    );
    assert!(out(&k, third)
        .1
        .ends_with("OSError: [Errno 99] Cannot assign requested address\n"));
}

#[test]
fn trace_notes_socket_decisions() {
    let (mut k, ns) = pod();
    k.tracer.enabled = true;
    k.http_server_spawn(ns, SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080), "HTTP/1.1");
    curl(&mut k, ns, [127, 0, 0, 1], 8080, "/");
    curl(&mut k, ns, [127, 0, 0, 1], 8081, "/");
    run(&mut k, 1);
    let notes: Vec<&str> = k.tracer.notes.iter().map(|n| n.text.as_str()).collect();
    let has = |s: &str| notes.iter().any(|n| n.contains(s));
    assert!(has("tcp: listen on 127.0.0.1:8080"), "{notes:#?}");
    assert!(has("SYN to listener 127.0.0.1:8080"), "{notes:#?}");
    assert!(has("delivered to socket"), "{notes:#?}");
    assert!(has(":8081, reset"), "{notes:#?}");
    assert!(has("RST in SYN-SENT: connection refused"), "{notes:#?}");
}

/// `skb->dst_pending_confirm` survives the veth hop (`skb_scrub_packet` leaves it), so a
/// router forwarding the client's ACKs confirms its own neighbour toward the server
/// (`ip_finish_output2` → `sock_confirm_neigh`), not only the client its router.
#[test]
fn forwarded_tcp_ack_confirms_the_routers_neighbour() {
    let mut k = Kernel::new(5);
    let (h1, r, h2) = (k.netns_add("h1"), k.netns_add("r"), k.netns_add("h2"));
    sh(&mut k, h1, "ip link add eth0 type veth peer name r1");
    sh(&mut k, h1, "ip link set r1 netns r");
    sh(&mut k, h2, "ip link add eth0 type veth peer name r2");
    sh(&mut k, h2, "ip link set r2 netns r");
    sh(&mut k, h1, "ip addr add 10.0.1.1/24 dev eth0");
    sh(&mut k, h1, "ip link set eth0 up");
    sh(&mut k, h1, "ip route add default via 10.0.1.254");
    sh(&mut k, h2, "ip addr add 10.0.2.1/24 dev eth0");
    sh(&mut k, h2, "ip link set eth0 up");
    sh(&mut k, h2, "ip route add default via 10.0.2.254");
    sh(&mut k, r, "ip addr add 10.0.1.254/24 dev r1");
    sh(&mut k, r, "ip addr add 10.0.2.254/24 dev r2");
    sh(&mut k, r, "ip link set r1 up");
    sh(&mut k, r, "ip link set r2 up");
    sh(&mut k, r, "sysctl -w net.ipv4.ip_forward=1");
    k.http_server_spawn(
        h2,
        SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8000),
        "HTTP/1.0",
    );
    let c = curl(&mut k, h1, [10, 0, 2, 1], 8000, "/");
    run(&mut k, 1);
    assert_eq!(out(&k, c).2, Some(0));
    let r2 = k.dev_by_name(r, "r2").expect("r2");
    let n = &k.net(r).neigh.entries[&(r2, Ipv4Addr::new(10, 0, 2, 1))];
    assert!(
        n.confirmed > n.updated,
        "confirmed {:?} should follow the ARP reply at {:?}",
        n.confirmed,
        n.updated
    );
}
