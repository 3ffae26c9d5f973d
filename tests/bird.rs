//! bird and birdc in labs: configuration errors with BIRD's messages, the control socket, and
//! (with TCP) BGP sessions that install and withdraw routes.

use crate::support;
use nslab::Lab;

fn run(src: &str) -> (Lab, nslab::shell::ScriptResult) {
    support::run(src, "bird.sh")
}

/// A lab that writes `conf` and runs `bird -c bird.conf` on it in namespace a.
fn bird_with(conf: &str) -> String {
    let src = format!(
        "ip netns add a\nip netns exec a ip link add br0 type bridge\nip netns exec a ip addr add 10.9.0.1/24 dev br0\ncat > bird.conf <<'EOF'\n{conf}EOF\nip netns exec a bird -c bird.conf -s a.ctl\n"
    );
    let (lab, r) = run(&src);
    assert_eq!(r.failures, 1, "{}", lab.output());
    // the bird command's line: 4 setup lines, the heredoc, its terminator
    let line = 4 + conf.lines().count() + 2;
    let out = lab.output();
    let prefix = format!("bird.sh:{line}: ");
    assert!(out.starts_with(&prefix), "{out}");
    out[prefix.len()..].to_string()
}

#[test]
fn unknown_protocol_option() {
    let out = bird_with("router id 1.1.1.1;\nprotocol bgp up {\n  local as 65001;\n  neighbour 10.9.0.2 as 65002;\n}\n");
    assert_eq!(
        out,
        "bird: bird.conf:4:3 syntax error, unexpected CF_SYM_UNDEFINED\n"
    );
    let out = bird_with("protocol kernel {\n  ipv4 { export all; };\n  scan time;\n}\n");
    assert_eq!(out, "bird: bird.conf:3:12 syntax error, unexpected ';'\n");
}

#[test]
fn bad_asn() {
    let out = bird_with(
        "protocol bgp {\n  local as 99999999999;\n  neighbor 10.9.0.2 as 65002;\n  ipv4;\n}\n",
    );
    assert_eq!(out, "bird: bird.conf:2:12 Number out of range\n");
    let out = bird_with("protocol bgp {\n  local as x;\n}\n");
    assert_eq!(
        out,
        "bird: bird.conf:2:12 syntax error, unexpected CF_SYM_UNDEFINED\n"
    );
}

#[test]
fn neighbor_without_as() {
    let out =
        bird_with("protocol bgp {\n  local 10.9.0.1 as 65001;\n  neighbor 10.9.0.2;\n  ipv4;\n}\n");
    assert_eq!(
        out,
        "bird: bird.conf:5:1 Remote AS number (or peer type) must be set\n"
    );
    let out = bird_with("protocol bgp {\n  local as 65001;\n  ipv4;\n}\n");
    assert_eq!(out, "bird: bird.conf:4:1 Neighbor must be configured\n");
}

#[test]
fn unsupported_statements_are_named_and_missing_files_reported() {
    let out = bird_with("protocol ospf v2 {\n}\n");
    assert_eq!(
        out,
        "bird: bird.conf:1:10 protocol ospf is not modelled (nslab)\n"
    );
    let (lab, r) = run("bird -c /etc/nothere.conf\nbirdc -s /run/x.ctl show status\n");
    assert_eq!(
        lab.output(),
        "bird.sh:1: bird: Unable to open configuration file /etc/nothere.conf: No such file or directory\n\
         bird.sh:2: Unable to connect to server control socket (/run/x.ctl): No such file or directory\n"
    );
    assert_eq!(r.failures, 2);
}

#[test]
fn birdc_shows_protocols_direct_routes_and_status() {
    let src = "ip netns add a
ip netns exec a ip link add br0 type bridge
ip netns exec a ip link set br0 up
ip netns exec a ip addr add 10.9.0.1/24 dev br0
cat > a.conf <<'EOF'
router id 10.9.0.1;
protocol kernel { ipv4 { export where source = RTS_BGP; }; }
protocol device { scan time 10; }
protocol direct { ipv4; interface \"br*\"; }
EOF
ip netns exec a bird -f -c a.conf -s a.ctl &
sleep 1.5
birdc -s a.ctl show protocols
birdc -s a.ctl show route
birdc -s a.ctl sh stat
";
    let (lab, _) = run(src);
    assert_eq!(
        lab.output(),
        "BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
kernel1    Kernel     master4    up     00:00:00.000  
device1    Device     ---        up     00:00:00.000  
direct1    Direct     ---        up     00:00:00.000  
BIRD 2.0.12 ready.
Table master4:
10.9.0.0/24          unicast [direct1 00:00:00.000] * (240)
\tdev br0
BIRD 2.0.12 ready.
BIRD 2.0.12
Router ID is 10.9.0.1
Current server time is 1970-01-01 00:00:01.500
Last reboot on 1970-01-01 00:00:00.000
Last reconfiguration on 1970-01-01 00:00:00.000
Daemon is up and running
"
    );
}

/// leaf (AS 65000) bridges w1 (AS 65001) and w2 (AS 65002) on one subnet; each worker exports
/// its br0 network. `tail` runs after convergence.
fn bgp_lab(tail: &str) -> (Lab, nslab::shell::ScriptResult) {
    let mut src = String::from(
        "ip netns add leaf
ip netns exec leaf ip link add v210 type bridge
ip netns exec leaf ip link set v210 up
ip netns exec leaf ip addr add 10.0.0.254/24 dev v210
",
    );
    for n in 1..=2 {
        src += &format!(
            "ip netns add w{n}
ip netns exec leaf ip link add swp{n} type veth peer name eth0 netns w{n}
ip netns exec leaf ip link set swp{n} master v210
ip netns exec leaf ip link set swp{n} up
ip netns exec w{n} ip addr add 10.0.0.{n}/24 dev eth0
ip netns exec w{n} ip link set eth0 up
ip netns exec w{n} ip link add br0 type bridge
ip netns exec w{n} ip link set br0 up
ip netns exec w{n} ip addr add 10.{n}.0.1/24 dev br0
cat > w{n}.conf <<END
router id 10.0.0.{n};
protocol kernel {{ ipv4 {{ import all; export where source = RTS_BGP; }}; }}
protocol device {{ }}
protocol direct {{ ipv4; interface \"br0\"; }}
protocol bgp up {{ local 10.0.0.{n} as 6500{n}; neighbor 10.0.0.254 as 65000; ipv4 {{ import all; export where source = RTS_DEVICE; }}; }}
END
"
        );
    }
    src += "cat > leaf.conf <<END
router id 10.0.0.254;
protocol kernel { ipv4 { export where source = RTS_BGP; }; }
protocol device { }
protocol bgp w1 { local 10.0.0.254 as 65000; neighbor 10.0.0.1 as 65001; ipv4 { import all; export where source = RTS_BGP; }; }
protocol bgp w2 { local 10.0.0.254 as 65000; neighbor 10.0.0.2 as 65002; ipv4 { import all; export where source = RTS_BGP; }; }
END
ip netns exec leaf bird -f -c leaf.conf -s leaf.ctl &
ip netns exec w1 bird -f -c w1.conf -s w1.ctl &
ip netns exec w2 bird -f -c w2.conf -s w2.ctl &
sleep 10
";
    src += tail;
    run(&src)
}

#[test]
fn bgp_routes_are_learned_with_the_shared_subnet_next_hop() {
    let (lab, _) = bgp_lab(
        "ip netns exec leaf ip route show proto bird
ip netns exec w1 ip route show proto bird
ip netns exec w2 ip route
",
    );
    assert_eq!(
        lab.output(),
        "10.1.0.0/24 via 10.0.0.1 dev v210 metric 32 \n\
         10.2.0.0/24 via 10.0.0.2 dev v210 metric 32 \n\
         10.2.0.0/24 via 10.0.0.2 dev eth0 metric 32 \n\
         10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2 \n\
         10.1.0.0/24 via 10.0.0.1 dev eth0 proto bird metric 32 \n\
         10.2.0.0/24 dev br0 proto kernel scope link src 10.2.0.1 \n"
    );
}

#[test]
fn a_removed_pod_subnet_is_withdrawn_everywhere() {
    let (lab, _) = bgp_lab(
        "ip netns exec w2 ip addr del 10.2.0.1/24 dev br0
sleep 3
ip netns exec leaf ip route show proto bird
ip netns exec w1 ip route show proto bird
birdc -s w1.ctl show route
",
    );
    assert_eq!(
        lab.output(),
        "10.1.0.0/24 via 10.0.0.1 dev v210 metric 32 \n\
         BIRD 2.0.12 ready.\n\
         Table master4:\n\
         10.1.0.0/24          unicast [direct1 00:00:00.000] * (240)\n\
         \tdev br0\n"
    );
}

#[test]
fn a_dead_link_is_withdrawn_after_the_hold_timer() {
    let (lab, _) = bgp_lab(
        "ip netns exec w2 ip link set eth0 down
sleep 100
ip netns exec w1 ip route show proto bird
sleep 150
ip netns exec w1 ip route show proto bird
ip netns exec leaf ip route show proto bird
birdc -s leaf.ctl show protocols w2
",
    );
    let out = lab.output();
    let (before, after) = out.split_once("BIRD").unwrap_or((&out, ""));
    // 100 s later the leaf still holds the session; after its 240 s hold timer it is gone
    assert_eq!(
        before,
        "10.2.0.0/24 via 10.0.0.2 dev eth0 metric 32 \n\
         10.1.0.0/24 via 10.0.0.1 dev v210 metric 32 \n"
    );
    assert!(
        after.contains("w2         BGP        ---        start")
            && after.contains("Error: Hold timer expired"),
        "{out}"
    );
}

fn tool(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// The BGP session's packets, read by the real tshark: OPEN, UPDATE and KEEPALIVE decode as BGP
/// with no malformed packet. Skips (saying so) when tshark is absent.
#[test]
fn tshark_decodes_the_bgp_messages() {
    let Some(tshark) = tool("tshark") else {
        eprintln!("SKIPPED: tshark not installed");
        return;
    };
    let (lab, _) = bgp_lab("ip netns exec w2 ip addr del 10.2.0.1/24 dev br0\nsleep 1\n");
    let f = std::env::temp_dir().join(format!("nslab-bgp-{}.pcapng", std::process::id()));
    std::fs::write(&f, lab.pcapng()).unwrap();
    let o = std::process::Command::new(&tshark)
        .args(["-r"])
        .arg(&f)
        .args(["-V", "-Y", "bgp"])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&f);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.contains("Malformed"), "{out}");
    for want in [
        "Type: OPEN Message (1)",
        "My AS: 65001",
        "Hold Time: 240",
        "BGP Identifier: 10.0.0.254",
        "Capability: Support for 4-octet AS number capability",
        "Type: KEEPALIVE Message (4)",
        "Type: UPDATE Message (2)",
        "AS_PATH: 65000 65001",
        "NEXT_HOP: 10.0.0.1",
        "10.1.0.0/24",
        "Withdrawn Routes Length: 4",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// The same lab and seed give the same BGP exchange, byte for byte and instant for instant.
#[test]
fn convergence_is_deterministic() {
    let (a, _) = bgp_lab("");
    let (b, _) = bgp_lab("");
    assert!(a.packets().len() > 20);
    assert!(a.pcapng() == b.pcapng(), "pcapng differs between runs");
    assert_eq!(a.output(), b.output());
}

/// `kill` of a bird job: it tells its peer (NOTIFICATION Cease), which withdraws its routes at
/// once, and removes the routes it installed in its own kernel table.
#[test]
fn a_stopped_daemon_withdraws_its_routes() {
    let (lab, _) = bgp_lab(
        "kill %3
sleep 1
ip netns exec w2 ip route show proto bird
ip netns exec w1 ip route show proto bird
birdc -s leaf.ctl show protocols w2
",
    );
    assert_eq!(
        lab.output(),
        "BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
w2         BGP        ---        start  00:00:10.000  Active        Received: Administrative shutdown
"
    );
}

/// What the seed lab seed002-cni9-bgp (bird on leaf03 and three workers, BIRD 2.0.12 configs)
/// captured: the full pcapng (setup phase included, where the sessions come up) and each frame
/// with its interface's name and link type. Run once for the tests below.
struct SeedCapture {
    pcapng: Vec<u8>,
    frames: Vec<(String, u16, Vec<u8>)>,
}

fn seed_bgp_lab() -> &'static SeedCapture {
    static LAB: std::sync::OnceLock<SeedCapture> = std::sync::OnceLock::new();
    LAB.get_or_init(|| {
        let (lab, r) = support::run_scenario("seed002-cni9-bgp", 1);
        assert_eq!((r.status, r.failures), (0, 0), "{}", lab.output());
        let ifaces = lab.interfaces();
        let frames = lab
            .packets()
            .iter()
            .map(|p| {
                let ci = &ifaces[p.iface];
                (ci.name.clone(), ci.linktype, p.data.to_vec())
            })
            .collect();
        SeedCapture {
            pcapng: lab.pcapng(),
            frames,
        }
    })
}

/// BIRD sets IP_TTL (1 for a direct eBGP peer) and IP_TOS (0xc0, IP_PREC_INTERNET_CONTROL) in
/// sk_setup, before its connect(): the SYN itself carries them. The SYN-ACK comes from the
/// listener (TTL 255, TOS 0xc0, set in bgp_setup_listen_sk); an accepted socket gets TTL 1
/// from bgp_incoming_connection. Checked on the bytes of every port-179 segment of the seed lab.
#[test]
fn bgp_segments_carry_birds_ttl_and_tos_from_the_first_syn() {
    let lab = seed_bgp_lab();
    let mut syns = Vec::new();
    let (mut synacks, mut others) = (0, 0);
    for (name, linktype, f) in &lab.frames {
        // Ethernet, IPv4, TCP
        if *linktype != 1 || f.len() < 54 || f[12..14] != [0x08, 0x00] || f[23] != 6 {
            continue;
        }
        let ip = &f[14..];
        let tcp = &ip[usize::from(ip[0] & 0x0f) * 4..];
        let (sport, dport) = (
            u16::from_be_bytes([tcp[0], tcp[1]]),
            u16::from_be_bytes([tcp[2], tcp[3]]),
        );
        if sport != 179 && dport != 179 {
            continue;
        }
        let (tos, ttl, flags) = (ip[1], ip[8], tcp[13]);
        assert_eq!(tos, 0xc0, "TOS of a BGP segment on {name}: {f:02x?}");
        match flags {
            0x02 => {
                assert_eq!(dport, 179, "{f:02x?}");
                syns.push((name.as_str(), ip));
            }
            0x12 => {
                assert_eq!((sport, ttl), (179, 255), "SYN-ACK on {name}: {f:02x?}");
                synacks += 1;
            }
            _ => {
                assert_eq!(ttl, 1, "TTL of a BGP segment on {name}: {f:02x?}");
                others += 1;
            }
        }
    }
    // three sessions, each SYN seen on three interfaces (sender's bridge, its port, the peer)
    assert_eq!((syns.len(), synacks), (9, 9), "{syns:02x?}");
    assert!(others > 50, "{others}");
    for (name, ip) in &syns {
        assert_eq!(ip[1], 0xc0, "SYN on {name}: {ip:02x?}");
        assert_eq!(ip[8], 1, "SYN on {name}: {ip:02x?}");
    }
    // the first one: leaf03 connects to worker3 (192.168.230.254 -> .23); IPv4 header bytes
    // except the id and the checksum: 20 + 20 + 20 bytes of SYN options, DF, TTL 1, TCP
    let (name, ip) = syns[0];
    assert_eq!(name, "leaf03:vlan230");
    assert_eq!(ip[..4], [0x45, 0xc0, 0x00, 0x3c], "{ip:02x?}");
    assert_eq!(ip[6..10], [0x40, 0x00, 0x01, 0x06], "{ip:02x?}");
    assert_eq!(
        ip[12..20],
        [192, 168, 230, 254, 192, 168, 230, 23],
        "{ip:02x?}"
    );
}

/// The real tshark reads the seed lab's full pcapng (setup included, where the sessions come
/// up): OPEN, KEEPALIVE and UPDATE of all three sessions decode, none malformed, and the SYN
/// shows BIRD's TTL and TOS. Skips (saying so) when tshark is absent.
#[test]
fn tshark_decodes_the_seed_labs_bgp_sessions() {
    let Some(tshark) = tool("tshark") else {
        eprintln!("SKIPPED: tshark not installed");
        return;
    };
    let lab = seed_bgp_lab();
    let f = std::env::temp_dir().join(format!("nslab-seed-bgp-{}.pcapng", std::process::id()));
    std::fs::write(&f, &lab.pcapng).unwrap();
    let read = |filter: &str| {
        let o = std::process::Command::new(&tshark)
            .arg("-r")
            .arg(&f)
            .args(["-V", "-Y", filter])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let bgp = read("bgp");
    let malformed = read("_ws.malformed || _ws.expert.severity >= error");
    let syn = read("tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 179");
    let _ = std::fs::remove_file(&f);
    assert!(!bgp.contains("Malformed"), "{bgp}");
    assert_eq!(malformed, "");
    let count = |s: &str| bgp.matches(s).count();
    assert_eq!(count("Type: OPEN Message (1)"), 6, "{bgp}");
    assert_eq!(count("Type: KEEPALIVE Message (4)"), 6, "{bgp}");
    assert!(count("Type: UPDATE Message (2)") >= 9, "{bgp}");
    for want in [
        "My AS: 65000",
        "My AS: 65001",
        "My AS: 65002",
        "My AS: 65003",
        "Hold Time: 240",
        "BGP Identifier: 192.168.210.254",
        "BGP Identifier: 192.168.230.23",
        "Path Attribute - AS_PATH: 65000 65001",
        "Path Attribute - AS_PATH: 65000 65003",
        "Path Attribute - NEXT_HOP: 192.168.230.254",
        "192.168.10.0/24",
        "192.168.20.0/24",
        "192.168.30.0/24",
    ] {
        assert!(bgp.contains(want), "missing {want:?} in:\n{bgp}");
    }
    assert!(
        syn.contains("Time to Live: 1\n") && syn.contains("0xc0 (DSCP: CS6, ECN: Not-ECT)"),
        "{syn}"
    );
    assert!(!syn.contains("Time to Live: 64"), "{syn}");
}

/// Sessions the model cannot run faithfully are refused by name: iBGP (no AS prepend, recursive
/// next hops) and multihop.
#[test]
fn ibgp_and_multihop_are_named_as_not_modelled() {
    let out =
        bird_with("protocol bgp {\n  local as 65001;\n  neighbor 10.9.0.2 as 65001;\n  ipv4;\n}\n");
    assert_eq!(
        out,
        "bird: bird.conf:5:1 iBGP (local AS equal to neighbor AS) is not modelled (nslab)\n"
    );
    let out = bird_with(
        "protocol bgp {\n  local as 65001;\n  neighbor 10.9.0.2 as 65002;\n  multihop 2;\n  ipv4;\n}\n",
    );
    assert_eq!(
        out,
        "bird: bird.conf:4:3 BGP option 'multihop' is not modelled (nslab)\n"
    );
}

/// Without `router id`, BIRD takes the lowest primary address wider than link scope on an
/// interface that is up, lo's included (`if_choose_router_id`); the direct protocol announces
/// such /32s too.
#[test]
fn default_router_id_and_direct_routes_follow_birds_rules() {
    let src = "ip netns add a
ip netns exec a ip link set lo up
ip netns exec a ip addr add 10.0.0.1/32 dev lo
ip netns exec a ip link add br0 type bridge
ip netns exec a ip link set br0 up
ip netns exec a ip addr add 10.9.0.1/24 dev br0
ip netns exec a ip link add d0 type dummy
ip netns exec a ip addr add 10.0.0.0/24 dev d0
cat > a.conf <<'EOF'
protocol device { scan time 10; }
protocol direct { ipv4; }
EOF
ip netns exec a bird -f -c a.conf -s a.ctl &
sleep 1.5
birdc -s a.ctl show status
birdc -s a.ctl show route
";
    let (lab, _) = run(src);
    let out = lab.output();
    // d0 is down: its 10.0.0.0 is not a candidate; lo's 10.0.0.1 is.
    assert!(out.contains("Router ID is 10.0.0.1\n"), "{out}");
    assert!(
        out.contains("10.0.0.1/32          unicast [direct1"),
        "{out}"
    );
    assert!(
        out.contains("10.9.0.0/24          unicast [direct1"),
        "{out}"
    );
    assert!(!out.contains("10.0.0.0/24"), "{out}");
}
