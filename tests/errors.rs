//! Each class of bad input gets the real tool's message with FILE:LINE, the lab goes on like
//! bash, and the exit status says something failed. Arbitrary lines and frames never panic.

use nslab::Lab;

fn run(src: &str) -> (Lab, nslab::shell::ScriptResult) {
    let mut lab = Lab::new(1);
    let r = lab.run_shell(src, "err.sh");
    (lab, r)
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
    let (lab, _) = run("tc qdisc show\n");
    assert!(
        lab.output()
            .contains("err.sh:1: nslab: tc: this program is not modelled yet"),
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
    expect_error(
        "ping 10.1.1\n",
        1,
        "ping: 10.1.1: Name or service not known",
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
    assert!(lab.kernel.ns_by_name("after").is_none());
    let (lab, _) = run("ip link set nosuch up\nip netns add after\n");
    assert!(lab.kernel.ns_by_name("after").is_some());
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
        .kernel
        .capture
        .packets
        .iter()
        .filter(|(_, _, f)| f.len() >= 14 && f[12..14] == [0x08, 0x06])
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
    let devs: Vec<usize> = (0..lab.kernel.devs.len())
        .filter(|&d| lab.kernel.dev_alive(d))
        .collect();
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
        let d = devs[(rng.next() % devs.len() as u64) as usize];
        lab.kernel
            .netif_receive_skb(d, sim_models::net::skbuff::SkBuff::new(f));
        if i % 100 == 0 {
            let t = lab.kernel.now + sim_core::Duration::from_millis(10);
            lab.kernel.run_until(t);
        }
    }
    let t = lab.kernel.now + sim_core::Duration::from_secs(10);
    lab.kernel.run_until(t);
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
    use sim_models::net::tcp::l4_checksum;
    use sim_models::wire::{EthRepr, Ipv4Repr, ETH_P_IP};
    use std::net::Ipv4Addr;
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
    let ns1 = lab.kernel.ns_by_name("ns1").unwrap();
    let eth0 = lab.kernel.dev_by_name(ns1, "eth0").unwrap();
    let (src_mac, dst_mac) = ([2, 0, 0, 0, 0, 9], lab.kernel.dev(eth0).mac);
    let mut rng = XorShift(777);
    let before = lab.kernel.events_processed;
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
        let ip = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id: i as u16,
            frag: if i % 7 == 0 { 0x2000 } else { 0x4000 },
            ttl: 64,
            proto,
            src,
            dst,
            options: vec![],
        };
        let frame = EthRepr {
            dst: dst_mac,
            src: src_mac,
            ethertype: ETH_P_IP,
        }
        .emit(&ip.emit(&l4));
        lab.kernel
            .netif_receive_skb(eth0, sim_models::net::skbuff::SkBuff::new(frame));
        if i % 50 == 0 {
            let t = lab.kernel.now + sim_core::Duration::from_millis(5);
            lab.kernel.run_until(t);
        }
    }
    let t = lab.kernel.now + sim_core::Duration::from_secs(200);
    lab.kernel.run_until(t);
    assert!(lab.kernel.events_processed > before + 1000);
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
