//! Each class of bad input gets the real tool's message with FILE:LINE, the lab goes on like
//! bash, and the exit status says something failed. Arbitrary lines and frames never panic.

use crate::support;
use nslab::{Duration, Lab};

fn run(src: &str) -> (Lab, nslab::shell::ScriptResult) {
    support::run(src, "err.sh")
}

fn expect_error(src: &str, line: u32, msg: &str) {
    let (lab, r) = run(src);
    let out = lab.output();
    let want = format!("err.sh:{line}: {msg}");
    assert!(out.contains(&want), "expected {want:?} in:\n{out}");
    assert!(r.failures >= 1, "a failed command must count: {out}");
}

#[test]
fn unknown_command() {
    let (lab, r) = run("ip netns add a\nfrobnicate now\n");
    assert!(
        lab.output()
            .contains("err.sh: line 2: frobnicate: command not found"),
        "{}",
        lab.output()
    );
    assert_eq!(r.failures, 1);
    let (lab, _) = run("tc class show\n");
    assert!(
        lab.output()
            .contains("err.sh:1: nslab: tc class is not modelled yet"),
        "{}",
        lab.output()
    );
}

#[test]
fn unknown_object_option_and_subcommand() {
    expect_error("ip foo\n", 1, "Object \"foo\" is unknown, try \"ip help\".");
    expect_error(
        "ip -z link\n",
        1,
        "Option \"-z\" is unknown, try \"ip -help\".",
    );
    expect_error(
        "ip link frob\n",
        1,
        "Command \"frob\" is unknown, try \"ip link help\".",
    );
    expect_error(
        "ip link add v0 type veth peer name v1\nip link set v0 foo\n",
        2,
        "Error: either \"dev\" is duplicate, or \"foo\" is a garbage.",
    );
    expect_error("ping -x 1.2.3.4\n", 1, "ping: invalid option -- 'x'");
}

#[test]
fn missing_device_and_namespace() {
    expect_error("ip link set veth9 up\n", 1, "Cannot find device \"veth9\"");
    expect_error(
        "ip netns exec nosuch ip link\n",
        1,
        "Cannot open network namespace \"nosuch\": No such file or directory",
    );
    expect_error(
        "ip link add v0 type veth peer name v1 netns nosuch\n",
        1,
        "Error: argument \"nosuch\" is wrong: Invalid \"netns\" value",
    );
    let (lab, r) = run("echo 1 > /proc/sys/net/ipv4/conf/veth9/proxy_arp\n");
    assert!(
        lab.output().contains(
            "err.sh: line 1: /proc/sys/net/ipv4/conf/veth9/proxy_arp: No such file or directory"
        ),
        "{}",
        lab.output()
    );
    assert_eq!(r.failures, 1);
}

#[test]
fn duplicates_are_file_exists() {
    expect_error(
        "ip netns add a\nip netns add a\n",
        2,
        "Cannot create namespace file \"/run/netns/a\": File exists",
    );
    expect_error(
        "ip link add v0 type veth peer name v1\nip link add v0 type veth peer name v2\n",
        2,
        "RTNETLINK answers: File exists",
    );
    expect_error("ip link add d0 type dummy\nip link set d0 up\nip addr add 10.0.0.1/24 dev d0\nip addr add 10.0.0.1/24 dev d0\n", 4, "Error: ipv4: Address already assigned.");
    expect_error(
        "ip link add d0 type dummy\nip link set d0 up\nip addr add 10.0.0.1/24 dev d0\nip route add 10.9.0.0/16 via 10.0.0.2\nip route add 10.9.0.0/16 via 10.0.0.3\n",
        5,
        "RTNETLINK answers: File exists",
    );
}

#[test]
fn bad_address_or_prefix() {
    expect_error(
        "ip link add d0 type dummy\nip addr add 10.1.1.300/24 dev d0\n",
        2,
        "Error: any valid prefix is expected rather than \"10.1.1.300/24\".",
    );
    expect_error(
        "ip link add d0 type dummy\nip addr add 10.1.1.3/33 dev d0\n",
        2,
        "Error: any valid prefix is expected rather than \"10.1.1.3/33\".",
    );
    expect_error(
        "ip link add d0 type dummy\nip link set d0 address zz\n",
        2,
        "\"zz\" is invalid lladdr.",
    );
    // `10.1.1` is a number to inet_aton (10.1.0.1, tests/recorded/web17/ping-forms.sh);
    // `10.1.1.300` is not, and is looked up as a name.
    expect_error(
        "ping 10.1.1.300\n",
        1,
        "ping: 10.1.1.300: Name or service not known",
    );
}

#[test]
fn gateway_not_reachable() {
    expect_error(
        "ip link add d0 type dummy\nip link set d0 up\nip route add 10.3.0.0/16 via 10.9.1.5\n",
        3,
        "Error: Nexthop has invalid gateway.",
    );
    // onlink makes the same route valid, as on the kernel.
    let (lab, r) = run("ip link add d0 type dummy\nip link set d0 up\nip route add 10.3.0.0/16 via 10.9.1.5 dev d0 onlink\nip route\n");
    assert_eq!(r.failures, 0, "{}", lab.output());
    assert!(
        lab.output()
            .contains("10.3.0.0/16 via 10.9.1.5 dev d0 onlink"),
        "{}",
        lab.output()
    );
}

#[test]
fn malformed_lines_are_syntax_errors() {
    let (lab, r) = run("ip netns add a\nif true; then\n  echo x\n");
    assert_eq!(r.status, 2);
    assert!(
        lab.output().contains("err.sh: line 4: syntax error"),
        "{}",
        lab.output()
    );
    let (lab, _) = run("echo 'unterminated\n");
    assert!(lab.output().contains("err.sh: line"), "{}", lab.output());
}

#[test]
fn set_e_stops_at_the_first_failure() {
    let (lab, r) = run("set -e\nip link set nosuch up\nip netns add after\n");
    assert_ne!(r.status, 0);
    assert!(!lab.namespaces().iter().any(|n| n == "after"));
    let (lab, _) = run("ip link set nosuch up\nip netns add after\n");
    assert!(lab.namespaces().iter().any(|n| n == "after"));
}

#[test]
fn unreachable_neighbour_fails_with_host_unreachable() {
    // INCOMPLETE with 3 broadcast probes 1 s apart, then FAILED and ICMP host unreachable.
    let (lab, _) = run("ip link add d0 type veth peer name d1\nip link set d0 up\nip link set d1 up\nip addr add 10.0.0.1/24 dev d0\nping -c 1 -W 5 10.0.0.9\n");
    let out = lab.output();
    assert!(
        out.contains("From 10.0.0.1 icmp_seq=1 Destination Host Unreachable"),
        "{out}"
    );
    assert!(
        out.contains("1 packets transmitted, 0 received, +1 errors, 100% packet loss"),
        "{out}"
    );
    let arps = lab
        .packets()
        .iter()
        .filter(|p| p.data.len() >= 14 && p.data[12..14] == [0x08, 0x06])
        .count();
    // each request is seen on d0 (tx) and on d1 (rx)
    assert_eq!(arps, 6, "{out}");
    assert!(nslab::lab::drops_report(&lab).contains("NEIGH_FAILED"));
}

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

/// Arbitrary lab lines built from the tools' vocabulary: never a panic.
#[test]
fn fuzz_lab_lines_never_panic() {
    let words = [
        "ip",
        "link",
        "add",
        "set",
        "del",
        "show",
        "addr",
        "a",
        "l",
        "r",
        "route",
        "neigh",
        "netns",
        "exec",
        "ns1",
        "v0",
        "v1",
        "type",
        "veth",
        "bridge",
        "dummy",
        "peer",
        "name",
        "master",
        "nomaster",
        "up",
        "down",
        "mtu",
        "9000",
        "address",
        "ee:ee:ee:ee:ee:ee",
        "10.0.0.1/24",
        "10.0.0.2",
        "default",
        "via",
        "dev",
        "onlink",
        "metric",
        "lladdr",
        "nud",
        "permanent",
        "replace",
        "ping",
        "-c",
        "1",
        "-i",
        "0.2",
        "-W",
        "sysctl",
        "-w",
        "net.ipv4.ip_forward=1",
        "brctl",
        "addbr",
        "addif",
        "br0",
        "route",
        "-n",
        "gw",
        "get",
        "flush",
        "all",
        "0",
        "/32",
        "x",
        "'",
        "\"",
        ";",
        "&&",
        "||",
        "|",
        "grep",
        "-q",
        ">",
        "/proc/sys/net/ipv4/ip_forward",
        "echo",
        "table",
        "local",
        "scope",
        "link",
        "src",
        "brd",
        "+",
        "-d",
        "-o",
        "-br",
        "fdb",
        "showmacs",
        "sleep",
        "0.1",
    ];
    // Every other lab quotes nothing, so its lines reach the tools instead of stopping at the
    // shell's syntax check; those labs' lines start with a program.
    let syntax = ["'", "\"", ";", "&&", "||", "|", ">"];
    let plain: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !syntax.contains(w))
        .collect();
    let progs = [
        "ip",
        "ip netns exec ns1 ip",
        "ping",
        "sysctl",
        "brctl",
        "bridge",
        "route",
    ];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let (mut ran, mut syntax_errors) = (0, 0);
    for lab_no in 0..300 {
        let mut src =
            String::from("ip netns add ns1\nip link add v0 type veth peer name v1 netns ns1\n");
        for _ in 0..8 {
            let n = 1 + rng.next() % 9;
            let line: Vec<&str> = if lab_no % 2 == 0 {
                (0..n).map(|_| rng.pick(&words)).collect()
            } else {
                let mut l = vec![rng.pick(&progs)];
                l.extend((0..n).map(|_| rng.pick(&plain)));
                l
            };
            src.push_str(&line.join(" "));
            src.push('\n');
        }
        let mut lab = Lab::new(rng.next());
        lab.run_shell(&src, "fuzz.sh");
        let out = lab.output();
        if out.contains("syntax error") {
            syntax_errors += 1;
        } else {
            ran += 1;
        }
    }
    // Both halves did their part: parse errors, and lines that ran in the tools.
    assert!(
        syntax_errors >= 20 && ran >= 200,
        "{syntax_errors} syntax errors, {ran} ran"
    );
}

/// Arbitrary frame bytes delivered to every kind of device: never a panic.
#[test]
fn fuzz_frames_never_panic() {
    let mut lab = Lab::new(3);
    lab.run_shell(
        "ip netns add ns1\nip link add br0 type bridge\nip link set br0 up\nip addr add 10.0.0.1/24 dev br0\n\
         ip link add v0 type veth peer name eth0 netns ns1\nip link set v0 master br0 up\n\
         ip netns exec ns1 ip link set eth0 up\nip netns exec ns1 ip addr add 10.0.0.2/24 dev eth0\n\
         ip link set lo up\nsysctl -w net.ipv4.ip_forward=1\n",
        "setup.sh",
    );
    let devs = lab.devices();
    let mut rng = XorShift(12345);
    let templates: [&[u8]; 3] = [
        &[
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
        ],
        &[
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45,
        ],
        &[],
    ];
    for i in 0..20_000 {
        let t = templates[i % 3];
        let len = (rng.next() % 120) as usize;
        let mut f = t.to_vec();
        for _ in 0..len {
            f.push(rng.next() as u8);
        }
        let (ns, dev) = &devs[(rng.next() % devs.len() as u64) as usize];
        lab.inject(ns, dev, f).unwrap();
        if i % 100 == 0 {
            lab.run_for(Duration::from_millis(10));
        }
    }
    lab.run_for(Duration::from_secs(10));
}

#[test]
fn iptables_errors_in_the_tools_words() {
    expect_error(
        "iptables -t foo -L\n",
        1,
        "iptables v1.8.9 (legacy): can't initialize iptables table `foo': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.",
    );
    expect_error(
        "iptables -A NOPE -j ACCEPT\n",
        1,
        "iptables: No chain/target/match by that name.",
    );
    expect_error(
        "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:http\n",
        1,
        "iptables v1.8.9 (legacy): Port `http' not valid\n",
    );
    expect_error(
        "iptables -D FORWARD -s 10.0.0.0/8 -j DROP\n",
        1,
        "iptables: Bad rule (does a matching rule exist in that chain?).",
    );
    expect_error(
        "conntrack -L -s 10.0.0\n",
        1,
        "conntrack v1.4.7 (conntrack-tools): Invalid IP address `10.0.0'",
    );
}

#[test]
fn ipip_tunnel_errors_are_iproute2s() {
    expect_error(
        "ip tunnel add t0 mode foo\n",
        1,
        "Unknown tunnel mode \"foo\"",
    );
    // The fallback tunl0 already is any/any: the ioctl (sent to tunl0) says EEXIST.
    expect_error(
        "ip tunnel add t0 mode ipip\n",
        1,
        "add tunnel \"tunl0\" failed: File exists",
    );
    expect_error(
        "ip tunnel add t0 mode ipip local 10.0.0.1\nip tunnel add t1 mode ipip local 10.0.0.1\n",
        2,
        "add tunnel \"tunl0\" failed: File exists",
    );
    expect_error(
        "ip tunnel add t0 mode ipip remote 10.0.0.300\n",
        1,
        "Error: an IP address is expected rather than \"10.0.0.300\"",
    );
    expect_error(
        "ip tunnel add t0 mode ipip remote 10.0.0.2 ttl 64 nopmtudisc\n",
        1,
        "ttl != 0 and nopmtudisc are incompatible",
    );
    expect_error(
        "ip tunnel add t0 remote 10.0.0.2\n",
        1,
        "cannot determine tunnel mode (ipip, gre, vti or sit)",
    );
    expect_error(
        "ip tunnel add t0 mode ipip remote 10.0.0.2 dev nosuch\n",
        1,
        "Cannot find device \"nosuch\"",
    );
    expect_error(
        "ip tunnel del tunl0\n",
        1,
        "delete tunnel \"tunl0\" failed: Operation not permitted",
    );
    expect_error(
        "ip tunnel del t9\n",
        1,
        "delete tunnel \"t9\" failed: No such device",
    );
    expect_error(
        "ip link add t0 type ipip local 10.0.0.1\nip link add t1 type ipip local 10.0.0.1\n",
        2,
        "RTNETLINK answers: File exists",
    );
    expect_error(
        "ip link add t0 type ipip remote 10.0.0\n",
        1,
        "Error: inet address is expected rather than \"10.0.0\".",
    );
    // A tunnel is not Ethernet: br_add_if says EINVAL.
    expect_error(
        "ip link add br0 type bridge\nip link add t0 type ipip local 10.0.0.1\nip link set t0 master br0\n",
        3,
        "RTNETLINK answers: Invalid argument",
    );
    expect_error(
        "brctl addbr br0\nip link add t0 type ipip local 10.0.0.1\nbrctl addif br0 t0\n",
        3,
        "can't add t0 to bridge br0: Invalid argument",
    );
    // The fallback device stays in its namespace (NETIF_F_NETNS_LOCAL).
    expect_error(
        "ip netns add a\nip link set tunl0 netns a\n",
        2,
        "RTNETLINK answers: Invalid argument",
    );
    // The exit statuses are iproute2's: 255 for its own errors, 1 for a bad address.
    let (_, r) = run("ip tunnel add t0 mode foo\n");
    assert_eq!(r.status, 255);
    let (_, r) = run("ip tunnel add t0 mode ipip remote 1.2.3\n");
    assert_eq!(r.status, 1);
}

/// The same fuzzing with the vocabulary of the later tools: tunnels, VXLAN and its fdb,
/// iptables/conntrack, the transport apps, tcpdump and bird. Never a panic.
#[test]
fn fuzz_tool_lines_never_panic() {
    let words = [
        "ip",
        "tunnel",
        "add",
        "del",
        "change",
        "show",
        "link",
        "type",
        "ipip",
        "vxlan",
        "id",
        "42",
        "dstport",
        "4789",
        "remote",
        "local",
        "any",
        "ttl",
        "inherit",
        "nopmtudisc",
        "mode",
        "dev",
        "v0",
        "tunl0",
        "vx0",
        "up",
        "nolearning",
        "bridge",
        "fdb",
        "append",
        "replace",
        "00:00:00:00:00:00",
        "dst",
        "self",
        "permanent",
        "10.0.0.2",
        "10.0.0.1/24",
        "onlink",
        "iptables",
        "-t",
        "nat",
        "filter",
        "raw",
        "-A",
        "-I",
        "-D",
        "-R",
        "-N",
        "-X",
        "-F",
        "-P",
        "-Z",
        "-S",
        "-L",
        "-vnL",
        "--line-numbers",
        "PREROUTING",
        "OUTPUT",
        "POSTROUTING",
        "FORWARD",
        "INPUT",
        "KUBE-SVC",
        "-s",
        "-d",
        "!",
        "-p",
        "tcp",
        "udp",
        "icmp",
        "-i",
        "-o",
        "eth+",
        "-m",
        "multiport",
        "--dports",
        "80,443",
        "--dport",
        "8080",
        "conntrack",
        "--ctstate",
        "ESTABLISHED",
        "statistic",
        "--mode",
        "random",
        "--probability",
        "0.5",
        "nth",
        "--every",
        "2",
        "comment",
        "--comment",
        "-j",
        "ACCEPT",
        "DROP",
        "REJECT",
        "--reject-with",
        "tcp-reset",
        "DNAT",
        "--to-destination",
        "10.0.0.2:80",
        "SNAT",
        "--to-source",
        "MASQUERADE",
        "--random-fully",
        "RETURN",
        "MARK",
        "--set-mark",
        "0x1",
        "LOG",
        "iptables-save",
        "iptables-restore",
        "-C",
        "curl",
        "-sS",
        "-m",
        "1",
        "--connect-timeout",
        "http://10.0.0.2:80/",
        "10.0.0.2:8080",
        "nc",
        "-l",
        "-u",
        "-z",
        "-w",
        "ss",
        "-tlnp",
        "-uanp",
        "python3",
        "http.server",
        "--bind",
        "--protocol",
        "HTTP/1.1",
        "tcpdump",
        "-nn",
        "-e",
        "-c",
        "host",
        "port",
        "and",
        "not",
        "-w",
        "x.pcap",
        "bird",
        "-c",
        "bird.conf",
        "-s",
        "bird.ctl",
        "birdc",
        "protocols",
        "route",
        "status",
        "kill",
        "%1",
        "wait",
        "ping",
        "0.2",
        "sleep",
        "grep",
        "-q",
        "bird.conf",
    ];
    let progs = [
        "ip",
        "ip tunnel",
        "ip link add vx0 type vxlan",
        "ip link add t0 type ipip",
        "bridge fdb",
        "iptables",
        "iptables -t nat",
        "conntrack",
        "curl",
        "nc",
        "ss",
        "tcpdump",
        "python3 -m",
        "bird",
        "birdc -s bird.ctl",
        "ip netns exec ns1 curl",
        "ip netns exec ns1 python3 -m http.server",
        "ip netns exec ns1 nc -l",
        "ip netns exec ns1 bird -c bird.conf -s bird.ctl",
    ];
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut ran = 0;
    for _ in 0..300 {
        let mut src = String::from(
            "ip netns add ns1\nip link add v0 type veth peer name v1 netns ns1\n\
             ip addr add 10.0.0.1/24 dev v0\nip link set v0 up\n\
             ip netns exec ns1 ip addr add 10.0.0.2/24 dev v1\nip netns exec ns1 ip link set v1 up\n",
        );
        for _ in 0..8 {
            let n = rng.next() % 10;
            let mut line = vec![rng.pick(&progs)];
            line.extend((0..n).map(|_| rng.pick(&words)));
            src.push_str(&line.join(" "));
            src.push('\n');
        }
        let mut lab = Lab::new(rng.next());
        lab.run_shell(&src, "fuzz.sh");
        // The tools answered (mostly with their usage errors, in their own words).
        ran += lab.output().len();
    }
    assert!(
        ran > 10_000,
        "the fuzzed labs printed next to nothing ({ran} bytes)"
    );
}

/// Well-formed IPv4 headers (right checksums, local destinations) carrying arbitrary ICMP, IPIP,
/// TCP and UDP payloads (VXLAN's port among them) into a namespace with a tunnel, a VXLAN
/// device, NAT rules and an HTTP server, so the transport, tunnel and conntrack code parse
/// them: never a panic.
#[test]
fn fuzz_transport_and_tunnel_payloads_never_panic() {
    use std::net::Ipv4Addr;
    use support::{eth_frame, ipv4_packet, l4_checksum};
    let mut lab = Lab::new(5);
    lab.run_shell(
        "ip netns add ns1\nip link add v0 type veth peer name eth0 netns ns1\n\
         ip addr add 10.0.0.1/24 dev v0\nip link set v0 up\nip link set lo up\n\
         ip netns exec ns1 ip link set lo up\nip netns exec ns1 ip link set eth0 up\n\
         ip netns exec ns1 ip addr add 10.0.0.2/24 dev eth0\n\
         ip netns exec ns1 ip link add vx0 type vxlan id 42 dstport 4789 dev eth0\n\
         ip netns exec ns1 ip link set vx0 up\n\
         ip netns exec ns1 bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.1\n\
         ip netns exec ns1 ip tunnel add t0 mode ipip remote 10.0.0.1 local 10.0.0.2\n\
         ip netns exec ns1 ip link set t0 up\n\
         ip netns exec ns1 iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80\n\
         ip netns exec ns1 iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n\
         ip netns exec ns1 iptables -A INPUT -p udp --dport 9 -j REJECT\n\
         ip netns exec ns1 python3 -m http.server --bind 10.0.0.2 80 > /dev/null 2>&1 &\n\
         sleep 0.1\n",
        "setup.sh",
    );
    let (src_mac, dst_mac) = (
        [2, 0, 0, 0, 0, 9],
        support::mac_bytes(&mut lab, "ns1", "eth0"),
    );
    let mut rng = XorShift(777);
    let before = lab.events_processed();
    for i in 0..20_000 {
        let proto = [1u8, 4, 6, 17][(rng.next() % 4) as usize];
        let src = Ipv4Addr::new(10, 0, 0, [1, 3, 7][(rng.next() % 3) as usize]);
        let dst = Ipv4Addr::new(10, 0, 0, 2);
        let len = (rng.next() % 80) as usize;
        let mut l4: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        match proto {
            6 if l4.len() >= 20 => {
                let dport: u16 = [80, 8080, 22][(rng.next() % 3) as usize];
                l4[2..4].copy_from_slice(&dport.to_be_bytes());
                l4[12] = (5 + (rng.next() % 11) as u8) << 4; // data offset 5..15
                l4[16] = 0;
                l4[17] = 0;
                let c = l4_checksum(src, dst, 6, &l4);
                l4[16..18].copy_from_slice(&c.to_be_bytes());
            }
            17 if l4.len() >= 8 => {
                let dport: u16 = [4789, 9, 53][(rng.next() % 3) as usize];
                l4[2..4].copy_from_slice(&dport.to_be_bytes());
                let ulen = l4.len() as u16;
                l4[4..6].copy_from_slice(&ulen.to_be_bytes());
                if dport == 4789 && l4.len() >= 16 {
                    l4[8] = 0x08; // VXLAN flags: VNI valid
                    l4[12..15].copy_from_slice(&[0, 0, if i % 2 == 0 { 42 } else { 7 }]);
                }
                l4[6] = 0;
                l4[7] = 0;
                if i % 3 != 0 {
                    let c = l4_checksum(src, dst, 17, &l4);
                    l4[6..8].copy_from_slice(&c.to_be_bytes());
                }
            }
            _ => {}
        }
        let frag = if i % 7 == 0 { 0x2000 } else { 0x4000 };
        let ip = ipv4_packet(i as u16, frag, 64, proto, src, dst, &l4);
        let frame = eth_frame(dst_mac, src_mac, 0x0800, &ip);
        lab.inject("ns1", "eth0", frame).unwrap();
        if i % 50 == 0 {
            lab.run_for(Duration::from_millis(5));
        }
    }
    lab.run_for(Duration::from_secs(200));
    assert!(lab.events_processed() > before + 1000);
    // The model still works afterwards (the setup's server ended with its lab run).
    let r = lab.run_shell(
        "ip netns exec ns1 python3 -m http.server --bind 10.0.0.2 81 > /dev/null 2>&1 &\n\
         sleep 0.1\n\
         curl -sS -m 2 http://10.0.0.2:81/ > /dev/null && echo ok\n",
        "after.sh",
    );
    assert!(lab.output().ends_with("ok\n"), "{}", lab.output());
    assert_eq!(r.status, 0);
}

/// Exit statuses and texts of `ip`, `bridge`, `route` and `sysctl` failures, each recorded on
/// this machine's tools in a namespace made for it (iproute2 6.1.0, net-tools 2.10, procps-ng
/// 4.0.2, bridge-utils 1.7; `ip netns add T; ip netns exec T CMD; echo $?`, with the setup
/// lines run first). The status comes from where the error is decided, never from its text.
#[test]
fn tool_errors_have_the_real_exit_status() {
    // A fresh namespace, as recorded (its lo is down).
    let setup = "ip netns add t\nip -n t link add v0 type veth peer name v1\nip -n t addr add 10.3.0.1/24 dev v0\nip -n t link set v0 up\nip -n t link set v1 up\n";
    let cases: &[(&str, i32, &str)] = &[
        // iproute2: its own usage errors exit 255.
        (
            "ip route foo",
            255,
            "Command \"foo\" is unknown, try \"ip route help\".",
        ),
        (
            "ip link foo",
            255,
            "Command \"foo\" is unknown, try \"ip link help\".",
        ),
        (
            "ip netns foo",
            255,
            "Command \"foo\" is unknown, try \"ip netns help\".",
        ),
        (
            "ip link set",
            255,
            "Not enough information: \"dev\" argument is required.",
        ),
        (
            "ip link set lo foo bar",
            255,
            "Error: either \"dev\" is duplicate, or \"foo\" is a garbage.",
        ),
        (
            "ip neigh add 10.1.1.5",
            255,
            "Device and destination are required arguments.",
        ),
        (
            "ip neigh add 10.1.1.5 dev lo nud foo",
            255,
            "Error: argument \"foo\" is wrong: nud state is bad",
        ),
        (
            "ip addr add 10.0.0.1/24 dev lo scope foo",
            255,
            "Error: argument \"foo\" is wrong: invalid scope value.",
        ),
        (
            "ip route add 10.0.0.0/24 dev lo table foo",
            255,
            "Error: argument \"foo\" is wrong: \"table\" value is invalid",
        ),
        (
            "ip route add 10.0.0.0/24 dev lo metric x",
            255,
            "Error: argument \"x\" is wrong: \"metric\" value is invalid",
        ),
        (
            "ip link set dev lo name foo/bar",
            255,
            "Error: argument \"foo/bar\" is wrong: \"name\" not a valid ifname",
        ),
        (
            "ip link set v0 mtu x",
            255,
            "Error: argument \"x\" is wrong: Invalid \"mtu\" value",
        ),
        (
            "ip link set v1 master nosuch",
            255,
            "Error: argument \"nosuch\" is wrong: Device does not exist",
        ),
        (
            "ip link set v1 netns nosuch",
            255,
            "Error: argument \"nosuch\" is wrong: Invalid \"netns\" value",
        ),
        (
            "ip -n nosuch link",
            255,
            "Cannot open network namespace \"nosuch\": No such file or directory",
        ),
        (
            "ip link add vx type vxlan id 99999999",
            255,
            "Error: argument \"99999999\" is wrong: invalid id",
        ),
        (
            "ip link add vx type vxlan id 5 dev nosuch",
            255,
            "Cannot find device \"nosuch\"",
        ),
        // ...and 1 for these.
        ("ip foo", 1, "Object \"foo\" is unknown, try \"ip help\"."),
        (
            "ip link set dev nosuch up",
            1,
            "Cannot find device \"nosuch\"",
        ),
        ("ip link del nosuch", 1, "Cannot find device \"nosuch\""),
        (
            "ip addr add 10.0.0.1/24 dev nosuch",
            1,
            "Cannot find device \"nosuch\"",
        ),
        (
            "ip route add 10.0.0.0/24 dev nosuch",
            1,
            "Cannot find device \"nosuch\"",
        ),
        (
            "ip neigh add 10.1.1.5 dev nosuch",
            1,
            "Cannot find device \"nosuch\"",
        ),
        (
            "ip route show dev nosuch",
            1,
            "Cannot find device \"nosuch\"",
        ),
        (
            "ip link show nosuch",
            1,
            "Device \"nosuch\" does not exist.",
        ),
        (
            "ip addr show dev nosuch",
            1,
            "Device \"nosuch\" does not exist.",
        ),
        (
            "ip route add 1.2.3.4/33 dev lo",
            1,
            "Error: any valid prefix is expected rather than \"1.2.3.4/33\".",
        ),
        (
            "ip addr add bad dev lo",
            1,
            "Error: any valid prefix is expected rather than \"bad\".",
        ),
        (
            "ip addr add 10.0.0.1/24",
            1,
            "Not enough information: \"dev\" argument is required.",
        ),
        (
            "ip link add",
            1,
            "Not enough information: \"type\" argument is required",
        ),
        ("ip link set v0 address zz", 1, "\"zz\" is invalid lladdr."),
        ("ip neigh flush", 1, "Flush requires arguments."),
        ("ip route get", 1, "need at least a destination address"),
        ("ip netns add", 1, "No netns name specified"),
        (
            "ip netns del nosuch",
            1,
            "Cannot remove namespace file \"/run/netns/nosuch\": No such file or directory",
        ),
        (
            "ip link add vx type vxlan dstport 4789",
            1,
            "vxlan: missing virtual network identifier",
        ),
        (
            "ip tunnel add t9 mode ipip ttl 5 nopmtudisc",
            1,
            "ttl != 0 and nopmtudisc are incompatible",
        ),
        (
            "ip tunnel del nosuch",
            1,
            "delete tunnel \"nosuch\" failed: No such device",
        ),
        // Kernel refusals exit 2.
        (
            "ip route add 10.0.0.0/24 via 10.9.9.9",
            2,
            "Error: Nexthop has invalid gateway.",
        ),
        (
            "ip route add 10.0.0.0/24 dev lo",
            2,
            "Error: Device for nexthop is not up.",
        ),
        (
            "ip route add 10.0.0.1/24 dev v0",
            2,
            "Error: Invalid prefix for given prefix length.",
        ),
        (
            "ip route add 10.3.0.0/24 dev v0",
            2,
            "RTNETLINK answers: File exists",
        ),
        (
            "ip route del 10.5.0.0/24",
            2,
            "RTNETLINK answers: No such process",
        ),
        (
            "ip route get 10.99.0.1",
            2,
            "RTNETLINK answers: Network is unreachable",
        ),
        (
            "ip addr add 10.3.0.1/24 dev v0",
            2,
            "Error: ipv4: Address already assigned.",
        ),
        (
            "ip addr del 10.9.1.1/24 dev lo",
            2,
            "Error: ipv4: Address not found.",
        ),
        (
            "ip addr add dev lo",
            2,
            "RTNETLINK answers: Operation not supported",
        ),
        (
            "ip neigh del 10.1.1.5 dev lo",
            2,
            "RTNETLINK answers: No such file or directory",
        ),
        (
            "ip neigh change 10.1.1.8 dev v0 lladdr 00:11:22:33:44:55",
            2,
            "RTNETLINK answers: No such file or directory",
        ),
        (
            "ip link add v0 type veth",
            2,
            "RTNETLINK answers: File exists",
        ),
        ("ip link add a1 type foo", 2, "Error: Unknown device type."),
        (
            "ip link del lo",
            2,
            "RTNETLINK answers: Operation not supported",
        ),
        (
            "ip link set v0 name v1",
            2,
            "RTNETLINK answers: File exists",
        ),
        (
            "ip link set dev lo address ff:ff:ff:ff:ff:ff",
            2,
            "RTNETLINK answers: Cannot assign requested address",
        ),
        (
            "ip link set v0 master v1",
            2,
            "RTNETLINK answers: Operation not supported",
        ),
        (
            "ip link set v0 mtu 70000",
            2,
            "Error: mtu greater than device maximum.",
        ),
        (
            "ip link add vx type vxlan",
            2,
            "Error: Required attributes not provided to perform the operation.",
        ),
        (
            "ip link add v8 mtu 50 type veth",
            2,
            "RTNETLINK answers: Invalid argument",
        ),
        (
            "ip link add abcdefghijklmnop type veth",
            2,
            "Error: Attribute failed policy validation.",
        ),
        (
            "ip link add a/b type veth",
            255,
            "Error: argument \"a/b\" is wrong: \"dev\" not a valid ifname",
        ),
        (
            "ip link add x1 type veth peer name abcdefghijklmnop",
            255,
            "Error: argument \"abcdefghijklmnop\" is wrong: \"name\" not a valid ifname",
        ),
        (
            "ip link set v0 address 00:11:22:33:44",
            1,
            "Invalid address length 5 - must be 6 bytes",
        ),
        (
            "ip link set v0 address 00:11:zz:33:44:55",
            1,
            "\"zz\" is invalid lladdr.",
        ),
        (
            "ip neigh add 10.3.0.5 dev v0 lladdr 00:11",
            2,
            "Error: Invalid link address.",
        ),
        (
            "ip route add 1.2.3.0/24",
            2,
            "RTNETLINK answers: No such device",
        ),
        (
            "ip neigh add 10.3.0.5 dev v0",
            2,
            "Error: No link layer address given.",
        ),
        ("ip netns add a/b", 255, "Invalid netns name \"a/b\""),
        (
            "ip link del dev nosuch type veth",
            1,
            "Cannot find device \"nosuch\"",
        ),
        // bridge: every failure exits 255.
        (
            "bridge foo",
            255,
            "Object \"foo\" is unknown, try \"bridge help\".",
        ),
        (
            "bridge fdb show dev nosuch",
            255,
            "Cannot find device \"nosuch\"",
        ),
        (
            "bridge fdb add 00:11:22:33:44:55",
            255,
            "Device and address are required arguments.",
        ),
        (
            "bridge fdb add 00:11:22:33:44:55 dev nosuch",
            255,
            "Cannot find device \"nosuch\"",
        ),
        ("bridge fdb add zz dev v1", 255, "Invalid mac address zz"),
        (
            "bridge fdb del 00:11:22:33:44:56 dev v1 self",
            255,
            "RTNETLINK answers: No such file or directory",
        ),
        // brctl: 1.
        (
            "brctl delbr nosuch",
            1,
            "bridge nosuch doesn't exist; can't delete it",
        ),
        ("brctl addif nosuch v1", 1, "bridge nosuch does not exist!"),
        (
            "brctl showmacs nosuch",
            1,
            "read of forward table failed: No such device",
        ),
        ("brctl foo", 1, "never heard of command [foo]"),
        // net-tools route: the ioctl's errno, status 7; its own errors 3 and 6.
        (
            "route add -net 10.51.0.0/24 gw 10.9.0.2",
            7,
            "SIOCADDRT: Network is unreachable",
        ),
        (
            "route add -net 10.53.0.0/24 dev nosuch",
            7,
            "SIOCADDRT: No such device",
        ),
        (
            "route add -net 10.3.0.0/24 dev v0",
            7,
            "SIOCADDRT: File exists",
        ),
        (
            "route del -net 10.99.0.0/24",
            7,
            "SIOCDELRT: No such process",
        ),
        (
            "route add -net 10.54.0.1/24 dev v0",
            3,
            "route: netmask doesn't match route address",
        ),
        (
            "route add -net 10.50.0.0/24 gw bogus",
            6,
            "bogus: Unknown host",
        ),
        (
            "route add -net bogus dev v0",
            6,
            "bogus: Host name lookup failure",
        ),
        (
            "route foo",
            3,
            "Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables",
        ),
        // sysctl: 1.
        (
            "sysctl net.ipv4.nosuch",
            1,
            "sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory",
        ),
        (
            "sysctl -w net.ipv4.ip_forward=x",
            1,
            "sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument",
        ),
        (
            "sysctl -w net.ipv4.ip_forward",
            1,
            "sysctl: command line(0): invalid syntax, continuing...",
        ),
    ];
    for (cmd, status, text) in cases {
        let (lab, r) = run(&format!("{setup}ip netns exec t {cmd}\n"));
        let out = lab.output();
        assert_eq!(r.status, *status, "{cmd}: {out}");
        let line = setup.lines().count() + 1;
        assert!(
            out.contains(&format!("err.sh:{line}: {text}")),
            "{cmd}: expected {text:?} in:\n{out}"
        );
    }
    // A route through a gateway that is one of our own addresses is valid on Linux 6.1
    // (fib_check_nh_v4_gw accepts a local route), and so are the recorded successes.
    for cmd in [
        "ip route add 10.60.0.0/24 via 10.3.0.1",
        "route add -net 10.50.0.0/24 gw 10.3.0.2",
        "route add -host 10.55.0.1 dev v0",
        "sysctl -qw net.ipv4.ip_forward=1",
        "sysctl -e net.ipv4.nosuch",
        "ip link set v0 name w0",
        "ip link add v8 mtu 68 type veth",
        "ip link set v0 type bridge",
    ] {
        let (lab, r) = run(&format!("{setup}ip netns exec t {cmd}\n"));
        assert_eq!(r.status, 0, "{cmd}: {}", lab.output());
    }
    // Bridges: no bridge in a bridge (ELOOP with its extack); `type bridge` alone is accepted;
    // the kernel's EEXIST comes before an option nslab lacks.
    let br = "ip -n t link add b0 type bridge\nip -n t link add b1 type bridge\n";
    let (lab, r) = run(&format!("{setup}{br}ip -n t link set b1 master b0\n"));
    assert_eq!(r.status, 2);
    assert!(lab
        .output()
        .contains("err.sh:8: Error: Can not enslave a bridge to a bridge."));
    let (lab, r) = run(&format!("{setup}{br}ip -n t link set b1 type bridge\n"));
    assert_eq!(r.status, 0, "{}", lab.output());
    let (lab, r) = run(&format!(
        "{setup}{br}ip -n t link add b0 type bridge stp_state 1\n"
    ));
    assert_eq!(r.status, 2);
    assert!(lab
        .output()
        .contains("err.sh:8: RTNETLINK answers: File exists"));
    // Recorded: `ip neigh flush dev D nud all` also removes permanent entries; a device's last
    // address taking its routes with it; the move of a device onto a name the target has.
    let (lab, r) = run(&format!(
        "{setup}ip -n t neigh add 10.3.0.6 dev v0 lladdr 02:00:00:00:00:06\nip -n t neigh flush dev v0\nip -n t neigh show\nip -n t neigh flush dev v0 nud all\nip -n t neigh show\n"
    ));
    assert_eq!(r.status, 0);
    assert_eq!(
        lab.output(),
        "10.3.0.6 dev v0 lladdr 02:00:00:00:00:06 PERMANENT \n",
        "{}",
        lab.output()
    );
    let (lab, _) = run(&format!(
        "{setup}ip -n t route add 10.10.0.0/16 via 10.3.0.2\nip -n t addr del 10.3.0.1/24 dev v0\nip -n t route show\n"
    ));
    assert_eq!(lab.output(), "");
    let (lab, r) = run(&format!(
        "{setup}ip netns add u\nip -n u link add v0 type dummy\nip -n t link set v0 netns u\n"
    ));
    assert_eq!(r.status, 2);
    assert!(lab
        .output()
        .contains("err.sh:8: Error: An interface with the same name exists in the target netns."));
    let (lab, r) = run(&format!(
        "{setup}ip netns exec t brctl addbr br9\nip netns exec t brctl addif br9 br9\n"
    ));
    assert_eq!(r.status, 1);
    assert!(lab.output().contains(
        "err.sh:7: device br9 is a bridge device itself; can't add a bridge device to a bridge device."
    ));
    // `sysctl -nN` prints the name (-N wins).
    let (lab, r) = run("sysctl -nN net.ipv4.conf.all.proxy_arp\n");
    assert_eq!(r.status, 0);
    assert_eq!(lab.output(), "net.ipv4.conf.all.proxy_arp\n");
    // `ip addr del` without a prefix length: iproute2's warning, then the deletion (status 0)
    // or the kernel's refusal (2).
    let warning = "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (10.3.0.1/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n";
    let (lab, r) = run(&format!(
        "{setup}ip -n t addr del 10.3.0.1 dev v0\nip -n t addr del 10.3.0.1 dev v0\n"
    ));
    let out = lab.output();
    assert_eq!(r.status, 2, "{out}");
    assert_eq!(out.matches("fix your scripts!").count(), 2, "{out}");
    assert!(
        out.contains(&warning.replace("Warning", "err.sh:6: Warning")),
        "{out}"
    );
    assert!(
        out.contains("err.sh:7: Warning")
            && out.ends_with("fix your scripts!\nError: ipv4: Address not found.\n"),
        "{out}"
    );
}

/// `ip link add ... type macvlan` and bridge port errors, recorded on this machine's tools
/// (iproute2 6.1.0, bridge-utils 1.7.1, kernel 6.18) in a namespace made for them, with the
/// setup lines run first: a veth `eth0`/`p0`, a bridge `br0` with `p0` as its port, and a
/// macvlan `mv0` on `eth0`. (The VLAN and ipvlan errors are in the kernel labs' stdout.)
#[test]
fn link_kind_errors_are_iproute2s() {
    let setup = "ip netns add t\nip -n t link add eth0 type veth peer name p0\nip -n t link add br0 type bridge\nip -n t link set p0 master br0\nip -n t link add mv0 link eth0 type macvlan\n";
    let usage = "Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]";
    let cases: &[(&str, i32, &str)] = &[
        // The rx handler is taken: by the macvlan port, by the bridge.
        (
            "ip link set eth0 master br0",
            2,
            "RTNETLINK answers: Device or resource busy",
        ),
        (
            "ip link add mv1 link p0 type macvlan",
            2,
            "RTNETLINK answers: Device or resource busy",
        ),
        (
            "ip link add mv2 link eth0 type macvlan address 02:00:00:00:00:01",
            1,
            "macvlan: unknown option \"address\"?",
        ),
        ("ip link add mv2 link eth0 type macvlan foo", 1, usage),
        (
            "ip link add mv3 link eth0 mtu 9000 type macvlan",
            2,
            "RTNETLINK answers: Invalid argument",
        ),
        (
            "ip link add mv4 link eth0 address 00:00:00:00:00:00 type macvlan",
            2,
            "RTNETLINK answers: Cannot assign requested address",
        ),
        (
            "ip link add mv5 link eth0 type macvlan nopromisc",
            1,
            "macvlan: nopromisc flag only valid in passthru mode",
        ),
        (
            "ip link add mv5 link eth0 type macvlan bcqueuelen abc",
            1,
            "Error: argument of \"bcqueuelen\" must be a positive integer [0-4294967295], not \"abc\"",
        ),
        (
            "ip link add mv6 link eth0 type macvlan flag bad",
            1,
            "Error: argument of \"flag\" must be \"nopromisc\", \"nodst\" or \"null\", not \"bad\"",
        ),
        (
            "ip link add mv6 link eth0 type macvlan mode",
            255,
            "Command line is not complete. Try option \"help\"",
        ),
        // Only one macvlan on a port in passthru mode.
        (
            "ip link add mv8 link eth0 type macvlan mode passthru nopromisc",
            2,
            "RTNETLINK answers: Invalid argument",
        ),
        // Not above the lower device's MTU.
        (
            "ip link set mv0 mtu 1600",
            2,
            "RTNETLINK answers: Invalid argument",
        ),
        // bridge link set: on/off errors return -EINVAL (234); a non-port answers EOPNOTSUPP.
        (
            "bridge link set dev p0 hairpin maybe",
            234,
            "Error: argument of \"hairpin\" must be one of \"off\", \"on\", not \"maybe\"",
        ),
        (
            "bridge link set dev eth0 hairpin on",
            255,
            "RTNETLINK answers: Operation not supported",
        ),
        (
            "bridge link set dev nosuch hairpin on",
            255,
            "Cannot find bridge device \"nosuch\"",
        ),
        (
            "brctl hairpin br0 eth0 off",
            1,
            "can't set eth0 to hairpin on bridge br0: No such file or directory",
        ),
        ("brctl hairpin br0 p0 maybe", 1, "expect on/off for argument"),
        (
            "ip link add br1 type bridge ageing_time -1",
            255,
            "Error: argument \"-1\" is wrong: invalid ageing_time",
        ),
    ];
    for (cmd, status, text) in cases {
        let (lab, r) = run(&format!("{setup}ip netns exec t {cmd}\n"));
        let out = lab.output();
        assert_eq!(r.status, *status, "{cmd}: {out}");
        assert!(out.contains(text), "{cmd}: expected {text:?} in:\n{out}");
    }
    // Recorded successes: `nodst` is accepted in any mode; several port flags in one request.
    for cmd in [
        "ip link add mv5 link eth0 type macvlan nodst",
        "ip link add mv7 link eth0 type macvlan mode source nodst",
        "bridge link set dev p0 hairpin on isolated on learning off flood off mcast_flood off",
        "brctl hairpin br0 p0 off",
    ] {
        let (lab, r) = run(&format!("{setup}ip netns exec t {cmd}\n"));
        assert_eq!(r.status, 0, "{cmd}: {}", lab.output());
    }
}

/// `ip link add ... type gre|gretap` and `ip tunnel ... mode gre` refusals: the parse errors
/// with their statuses as iproute2 6.1 gives them on this machine (`ip netns exec T CMD; echo
/// $?`), the kernel's in the oracle VM (kernel 6.1, lab nslab-gre: a second tunnel with the
/// same endpoints and key, a gretap `remote any` that is the fallback gretap0's identity,
/// `ip tunnel add` of gre0's).
#[test]
fn gre_errors_are_iproute2s() {
    let setup = "ip netns add t\n";
    let cases: &[(&str, i32, &str)] = &[
        (
            "ip link add g0 type gre remote 10.0.0.2 key foo",
            255,
            "invalid value for \"key\": \"foo\"; it should be an unsigned integer",
        ),
        (
            "ip link add g0 type gre remote 10.0.0.2 ttl 256",
            255,
            "Error: argument \"256\" is wrong: invalid TTL",
        ),
        (
            "ip link add g0 type gre remote 10.0.0.2 tos 0x1ff",
            255,
            "Error: argument \"0x1ff\" is wrong: bad TOS value",
        ),
        (
            "ip link add g0 type gre remote 10.0.0.2 local 10.0.0.300",
            1,
            "Error: inet address is expected rather than \"10.0.0.300\".",
        ),
        (
            "ip link add g0 type gretap remote 10.0.0.2 bogus",
            1,
            "Usage: ... gretap   \t[ remote ADDR ]",
        ),
        (
            "ip link add g0 type gre remote 10.0.0.2 dev nosuch",
            255,
            "Cannot find device \"nosuch\"",
        ),
        (
            "ip link add g0 type gre ikey",
            255,
            "Command line is not complete. Try option \"help\"",
        ),
        (
            "ip link add g0 type gre key 1.2.3.4.5",
            1,
            "Error: an IP address is expected rather than \"1.2.3.4.5\"",
        ),
        (
            "ip tunnel add t0 mode ipip key 5",
            1,
            "Keys are not allowed with ipip and sit tunnels",
        ),
        (
            "ip tunnel add t0 mode gre ikey foo",
            255,
            "invalid value for \"ikey\": \"foo\"; it should be an unsigned integer",
        ),
        (
            "ip link add g0 type gre local 10.9.0.1 remote 10.9.0.2 key 7\nip netns exec t ip link add g1 type gre local 10.9.0.1 remote 10.9.0.2 key 7",
            2,
            "RTNETLINK answers: File exists",
        ),
        (
            "ip link add g0 type gretap remote any",
            2,
            "RTNETLINK answers: File exists",
        ),
        (
            "ip tunnel add g0 mode gre",
            1,
            "add tunnel \"gre0\" failed: File exists",
        ),
    ];
    for (cmd, status, text) in cases {
        let (lab, r) = run(&format!("{setup}ip netns exec t {cmd}\n"));
        let out = lab.output();
        assert_eq!(r.status, *status, "{cmd}: {out}");
        let line = setup.lines().count() + cmd.lines().count();
        assert!(
            out.contains(&format!("err.sh:{line}: {text}")),
            "{cmd}: expected {text:?} in:\n{out}"
        );
    }
    // Keys in dotted or numeric form, an abbreviated flag word, and a key that differs per
    // direction (recorded in the VM: gre7's `ikey 1.2.3.4 okey 7 iseq ocsum`).
    let (lab, r) = run("ip link add g7 type gre remote 10.0.0.2 ikey 1.2.3.4 okey 7 is ocsum\nip -d link show g7\n");
    assert_eq!(r.failures, 0, "{}", lab.output());
    assert!(
        lab.output().contains(
            "    gre remote 10.0.0.2 local any ttl inherit ikey 1.2.3.4 okey 0.0.0.7 iseq ocsum "
        ),
        "{}",
        lab.output()
    );
    assert!(lab
        .output()
        .contains("g7@NONE: <POINTOPOINT,NOARP> mtu 1468 "));
}

/// ipvlan's default mode is L3 (`ipvlan_nl_changelink`/`ipvlan_link_new` without
/// IFLA_IPVLAN_MODE), whose slaves are NOARP as tests/kernel/nslab-ipvlan-l3 recorded
/// (`<BROADCAST,MULTICAST,NOARP,UP,LOWER_UP>`, `ipvlan  mode l3 bridge`); L3S slaves are NOARP
/// too and show `ipvlan  mode l3s bridge`, as tests/kernel/nslab-ipvlan-l3s recorded.
#[test]
fn ipvlan_default_is_l3_and_l3s_is_noarp() {
    let setup = "ip netns add t\nip -n t link add eth0 type veth peer name p0\n";
    let (lab, r) = run(&format!(
        "{setup}ip -n t link add ipv0 link eth0 type ipvlan mode l3s\nip -n t -d link show ipv0\n"
    ));
    let out = lab.output();
    assert_eq!(r.failures, 0, "{out}");
    assert!(
        out.contains("ipv0@eth0: <BROADCAST,MULTICAST,NOARP,"),
        "{out}"
    );
    assert!(
        out.contains("\n    ipvlan  mode l3s bridge addrgenmode"),
        "{out}"
    );
    let setup = "ip netns add t\nip -n t link add eth0 type veth peer name p0\n";
    let (lab, r) = run(&format!(
        "{setup}ip -n t link add ipv0 link eth0 type ipvlan\nip -n t -d link show ipv0\n"
    ));
    let out = lab.output();
    assert_eq!(r.failures, 0, "{out}");
    assert!(
        out.contains("ipv0@eth0: <BROADCAST,MULTICAST,NOARP,"),
        "{out}"
    );
    assert!(out.contains("ipvlan  mode l3 bridge"), "{out}");
}
