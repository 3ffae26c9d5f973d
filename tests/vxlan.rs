//! VXLAN: iproute2's texts for `ip link add type vxlan` and `bridge fdb` on a VXLAN device, the
//! fdb's shapes (default entries with several remotes, learned entries), and what the data path
//! does with them (head-end replication, learning, VNI mismatch, no socket on the port).

use crate::support;
use nslab::Lab;

fn run(src: &str) -> (Lab, nslab::shell::ScriptResult) {
    support::run(src, "vx.sh")
}

/// The `RX: packets` counter of a device, as `ip -s -o link show` prints it.
fn rx_packets(lab: &mut Lab, ns: &str, dev: &str) -> u64 {
    let o = lab.exec(ns, &format!("ip -s -o link show dev {dev}"));
    let parts: Vec<&str> = o.stdout.split('\\').collect();
    let i = parts
        .iter()
        .position(|p| p.trim_start().starts_with("RX:"))
        .unwrap_or_else(|| panic!("no RX counters: {o:?}"));
    parts[i + 1]
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

/// Two hosts `a` (10.0.0.1) and `b` (10.0.0.2) on a veth underlay, each with `vxlan0`.
const TWO_HOSTS: &str = "\
ip netns add a
ip netns add b
ip -n a link add eth0 type veth peer name eth0 netns b
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
";

#[test]
fn link_add_errors_and_warning() {
    let (lab, r) = run("ip link add vx0 type vxlan dstport 4789\n");
    assert!(
        lab.output()
            .contains("vx.sh:1: vxlan: missing virtual network identifier"),
        "{}",
        lab.output()
    );
    assert_eq!(r.status, 1);
    let (lab, r) = run("ip link add vx0 type vxlan id 16777216\n");
    assert!(lab
        .output()
        .contains("Error: argument \"16777216\" is wrong: invalid id"));
    assert_eq!(r.failures, 1);
    let (lab, r) = run("ip link add vx0 type vxlan id 5 frob\n");
    assert!(lab
        .output()
        .contains("vxlan: unknown command \"frob\"?\nUsage: ... vxlan id VNI"));
    assert_eq!(r.failures, 1);
    // No dstport: iproute2 warns, the kernel uses its own default 8472; the command succeeds.
    let (lab, r) = run("ip link add vx0 type vxlan id 5\nip -d link show vx0\n");
    assert_eq!(r.failures, 0, "{}", lab.output());
    let out = lab.output();
    assert!(out.contains(
        "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n\
         Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n"
    ));
    // Without an underlay device the MTU stays 1500.
    assert!(out.contains("vx0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN"));
    assert!(out.contains(
        "    vxlan id 5 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx "
    ));
    // Same VNI and port again in the namespace.
    let (lab, r) = run(
        "ip link add vx0 type vxlan id 5 dstport 4789\nip link add vx1 type vxlan id 5 dstport 4789\n\
         ip link add vx2 type vxlan id 5 dstport 4790\nip link add vx0 type vxlan id 6 dstport 4789\n",
    );
    let out = lab.output();
    assert!(
        out.contains("vx.sh:2: Error: A VXLAN device with the specified VNI already exists."),
        "{out}"
    );
    assert!(
        out.contains("vx.sh:4: RTNETLINK answers: File exists"),
        "{out}"
    );
    assert_eq!(r.failures, 2, "{out}");
    let (lab, _) = run("ip link add vx0 type vxlan id 1 dev nope dstport 4789\n");
    assert!(lab.output().contains("Cannot find device \"nope\""));
    let _ = lab;
}

#[test]
fn mtu_and_details_follow_the_underlay_and_remote_makes_a_default_entry() {
    let src = format!(
        "{TWO_HOSTS}ip -n a link add vx0 type vxlan id 7 remote 10.0.0.2 local 10.0.0.1 dev eth0 dstport 4789 ttl 9 srcport 1000 2000
ip -n a -d link show vx0
ip -n a link set eth0 mtu 9000
ip -n a link add vx1 type vxlan id 8 dev eth0 dstport 4789
ip -n a link show vx1
ip -n a link add vx2 mtu 8951 type vxlan id 9 dev eth0 dstport 4789
ip -n a link show vx2
ip -n a link add vx3 mtu 60 type vxlan id 10 dstport 4789
ip netns exec a bridge fdb show dev vx0
ip netns exec a bridge fdb show
"
    );
    let (lab, _) = run(&src);
    let out = lab.output();
    assert!(
        out.contains("vx0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN"),
        "{out}"
    );
    assert!(out.contains(
        "    vxlan id 7 remote 10.0.0.2 local 10.0.0.1 dev eth0 srcport 1000 2000 dstport 4789 ttl 9 ageing 300 udpcsum"
    ));
    assert!(
        out.contains("vx1: <BROADCAST,MULTICAST> mtu 8950 "),
        "{out}"
    );
    // A larger MTU asked for is clamped to the underlay's.
    assert!(
        out.contains("vx2: <BROADCAST,MULTICAST> mtu 8950 "),
        "{out}"
    );
    assert!(
        out.contains("Error: MTU must be between 68 and 65535."),
        "{out}"
    );
    // The default entry names the underlay device it was configured with.
    assert!(out.contains("00:00:00:00:00:00 dev vx0 dst 10.0.0.2 via eth0 self permanent\n"));
}

#[test]
fn bridge_fdb_on_a_vxlan_device() {
    let src = "\
ip link add vx0 type vxlan id 1 dstport 4789
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3
bridge fdb add 02:00:00:00:00:09 dev vx0 dst 10.0.0.9 port 5000 vni 77 static
bridge fdb add 02:00:00:00:00:09 dev vx0 dst 10.0.0.8
bridge fdb replace 02:00:00:00:00:09 dev vx0 dst 10.0.0.7
bridge fdb show dev vx0
bridge fdb del 00:00:00:00:00:00 dev vx0 dst 10.0.0.2
bridge fdb del 02:00:00:00:00:0a dev vx0
bridge fdb add 02:00:00:00:00:0b dev vx0 dst 10.0.0.9 bogus
bridge fdb add zz:00:00:00:00:0b dev vx0 dst 10.0.0.9
bridge fdb add 02:00:00:00:00:0b dst 10.0.0.9
bridge fdb add 02:00:00:00:00:0b dev nope dst 10.0.0.9
bridge fdb show
";
    let (lab, r) = run(src);
    let out = lab.output();
    let want = "\
02:00:00:00:00:09 dst 10.0.0.7 self permanent
00:00:00:00:00:00 dst 10.0.0.2 self permanent
00:00:00:00:00:00 dst 10.0.0.3 self permanent
";
    assert!(out.contains(want), "{out}");
    assert!(
        out.contains("vx.sh:6: RTNETLINK answers: File exists"),
        "{out}"
    );
    assert!(out.contains("vx.sh:10: RTNETLINK answers: No such file or directory"));
    assert!(out.contains("vx.sh:11: Error: either \"to\" is duplicate, or \"bogus\" is a garbage."));
    assert!(out.contains("vx.sh:12: Invalid mac address zz:00:00:00:00:0b"));
    assert!(out.contains("vx.sh:13: Device and address are required arguments."));
    assert!(out.contains("vx.sh:14: Cannot find device \"nope\""));
    assert!(out.ends_with(
        "02:00:00:00:00:09 dev vx0 dst 10.0.0.7 self permanent\n00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self permanent\n"
    ), "{out}");
    assert_eq!(r.failures, 6);
    // `port`/`vni` show when they differ from the device's.
    let (lab, _) = run("ip link add vx0 type vxlan id 1 dstport 4789\n\
        bridge fdb add 02:00:00:00:00:09 dev vx0 dst 10.0.0.9 port 5000 vni 77 static\nbridge fdb show\n");
    assert!(lab
        .output()
        .contains("02:00:00:00:00:09 dev vx0 dst 10.0.0.9 port 5000 vni 77 self static\n"));
}

fn overlay(learning: &str, vni_b: u32) -> String {
    format!(
        "{TWO_HOSTS}ip netns add c
ip -n a link add eth1 type veth peer name eth0 netns c
ip -n a addr add 10.0.1.1/24 dev eth1
ip -n c addr add 10.0.1.3/24 dev eth0
ip -n a link set eth1 up
ip -n c link set eth0 up
ip -n a link add vx0 type vxlan id 42 dstport 4789 {learning}
ip -n b link add vx0 type vxlan id {vni_b} dstport 4789 {learning}
ip -n c link add vx0 type vxlan id 42 dstport 4789 {learning}
ip -n a addr add 192.168.100.1/24 dev vx0
ip -n b addr add 192.168.100.2/24 dev vx0
ip -n c addr add 192.168.100.3/24 dev vx0
ip -n a link set vx0 up
ip -n b link set vx0 up
ip -n c link set vx0 up
ip netns exec a bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2
ip netns exec a bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.1.3
ip netns exec b bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.1
ip netns exec c bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.1.1
ip netns exec a ping -c 1 -W 1 192.168.100.2
ip netns exec a ping -c 1 -W 1 192.168.100.3
ip netns exec b bridge fdb show
ip netns exec a bridge fdb show
"
    )
}

#[test]
fn broadcasts_go_to_every_vtep_and_replies_are_learned() {
    let (mut lab, r) = run(&overlay("", 42));
    let out = lab.output();
    assert_eq!(r.failures, 0, "{out}");
    assert!(out.contains("1 packets transmitted, 1 received"), "{out}");
    let mut mac = |ns: &str| support::mac_of(&mut lab, ns, "vx0");
    // b learned a's MAC behind 10.0.0.1 (from the ARP request a sent to every VTEP).
    assert!(
        out.contains(&format!("{} dev vx0 dst 10.0.0.1 self \n", mac("a"))),
        "{out}"
    );
    // a learned b and c; the newest entry is listed first.
    assert!(
        out.contains(&format!(
            "{} dev vx0 dst 10.0.1.3 self \n{} dev vx0 dst 10.0.0.2 self \n00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent\n",
            mac("c"),
            mac("b")
        )),
        "{out}"
    );
    // The ARP request to 192.168.100.2 was replicated to both VTEPs: c got one too and
    // learned a without answering it.
    assert!(rx_packets(&mut lab, "c", "vx0") >= 2);
}

#[test]
fn nolearning_keeps_the_fdb_static_and_a_wrong_vni_is_dropped() {
    let (lab, _) = run(&overlay("nolearning", 42));
    let out = lab.output();
    assert!(out.contains("1 packets transmitted, 1 received"), "{out}");
    assert!(!out.contains("dev vx0 dst 10.0.0.1 self \n"), "{out}");
    // b's device has VNI 43: a's frames to port 4789 find a socket but no device.
    let (lab, _) = run(&overlay("", 43));
    assert!(lab
        .output()
        .contains("1 packets transmitted, 0 received, 100% packet loss"));
    let drops = nslab::lab::drops_report(&lab);
    assert!(
        drops.contains("b eth0 drop VXLAN_VNI_NOT_FOUND in vxlan_rcv"),
        "{drops}"
    );
}

#[test]
fn no_vxlan_socket_on_the_port_means_port_unreachable() {
    let src = format!(
        "{TWO_HOSTS}ip -n a link add vx0 type vxlan id 1 dstport 4789 remote 10.0.0.2
ip -n a addr add 192.168.100.1/24 dev vx0
ip -n a link set vx0 up
ip netns exec a ping -c 1 -W 1 192.168.100.2
"
    );
    let (lab, _) = run(&src);
    let drops = nslab::lab::drops_report(&lab);
    assert!(
        drops.contains("b eth0 drop NO_SOCKET in __udp4_lib_rcv"),
        "{drops}"
    );
    // b answered with ICMP port unreachable (ttl 64 ICMP from 10.0.0.2 back to 10.0.0.1).
    let icmp_unreach = lab.packets().iter().any(|p| {
        let f = p.data;
        f.len() > 34 && f[23] == 1 && f[34] == 3 && f[35] == 3 && f[26..30] == [10, 0, 0, 2]
    });
    assert!(icmp_unreach);
}

/// `scenarios/nslab-vxlan-errors.sh` prints what the real `ip`/`bridge` printed on the kernel
/// (tests/recorded/nslab-vxlan-errors.stdout.txt), exit statuses included, up to the random MACs.
#[test]
fn error_texts_and_statuses_match_the_kernel_recording() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(root.join("scenarios/nslab-vxlan-errors.sh")).unwrap();
    let want =
        std::fs::read_to_string(root.join("tests/recorded/nslab-vxlan-errors.stdout.txt")).unwrap();
    let mut lab = Lab::new(1);
    lab.run_shell(&src, "nslab-vxlan-errors.sh");
    let ours = lab.output();
    // The traffic part starts after the last setup line's output (setup prints nothing).
    let strip = |s: &str| -> String {
        s.lines()
            .map(|l| {
                let l = l
                    .strip_prefix("nslab-vxlan-errors.sh:")
                    .and_then(|r| r.split_once(": ").map(|x| x.1))
                    .unwrap_or(l);
                match l.find("link/ether ") {
                    Some(i) => format!("{}link/ether X{}", &l[..i], &l[i + 28..]),
                    None => l.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&ours), strip(&want));
}

#[test]
fn trace_notes_name_the_vtep_the_vni_and_what_was_learned() {
    let mut lab = Lab::builder().seed(1).trace(true).build();
    lab.run_shell(&overlay("", 42), "vx.sh");
    let notes: Vec<String> = lab
        .trace_notes()
        .iter()
        .map(|n| format!("{}: {}", n.ns, n.text))
        .collect();
    let has = |p: &str| notes.iter().any(|n| n.starts_with(p));
    assert!(
        has("a: vxlan: ff:ff:ff:ff:ff:ff via fdb entry 00:00:00:00:00:00 (default) -> 10.0.0.2,10.0.1.3"),
        "{notes:#?}"
    );
    assert!(has("a: vxlan: encap vni 42 10.0.0.1:"), "{notes:#?}");
    assert!(has("b: vxlan: decap vni 42 from 10.0.0.1:"), "{notes:#?}");
    assert!(has("b: vxlan: learned "), "{notes:#?}");
}

/// A lone first fragment: after `ipfrag_time` (30 s) the receiver gives up with ICMP time
/// exceeded, code 1 (fragment reassembly time exceeded), quoting that fragment.
#[test]
fn an_incomplete_datagram_expires_with_icmp_time_exceeded() {
    const IPPROTO_ICMP: u8 = 1;
    const ICMP_ECHO: u8 = 8;
    const ICMP_TIME_EXCEEDED: u8 = 11;
    const IP_MF: u16 = 0x2000;
    let (mut lab, _) = run(&format!("{TWO_HOSTS}ip netns exec a ping -c 1 10.0.0.2\n"));
    let icmp = support::icmp_message(ICMP_ECHO, 0, [0, 1, 0, 1], &[0; 1472]);
    let first = support::ipv4_packet(
        0x4242,
        IP_MF,
        64,
        IPPROTO_ICMP,
        "10.0.0.1".parse().unwrap(),
        "10.0.0.2".parse().unwrap(),
        &icmp[..1480],
    );
    let frame = support::eth_frame(
        support::mac_bytes(&mut lab, "b", "eth0"),
        support::mac_bytes(&mut lab, "a", "eth0"),
        0x0800,
        &first,
    );
    // As from a's end of the link (the veth delivers 10 µs after transmit).
    lab.run_for(nslab::Duration::from_micros(10));
    lab.inject("b", "eth0", frame).unwrap();
    let before = lab.packets().len();
    // (run_shell ends with the lab's 1 s final settle: 28 + 1 s after the fragment arrived.)
    lab.run_shell("sleep 28\n", "t.sh");
    let exceeded = |lab: &Lab| {
        lab.packets()[before..].iter().map(|p| p.data).any(|f| {
            f.len() > 34 + 8 + 20
                && f[23] == IPPROTO_ICMP
                && f[34] == ICMP_TIME_EXCEEDED
                && f[35] == 1
                && f[26..30] == [10, 0, 0, 2]
                && f[30..34] == [10, 0, 0, 1]
                && f[34 + 8 + 4..34 + 8 + 6] == [0x42, 0x42]
        })
    };
    assert!(
        !exceeded(&lab),
        "too early: {}",
        nslab::lab::drops_report(&lab)
    );
    lab.run_shell("sleep 2\n", "t.sh");
    assert!(exceeded(&lab));
    assert!(nslab::lab::drops_report(&lab).contains("b eth0 drop FRAG_REASM_TIMEOUT in ip_expire"));
}
