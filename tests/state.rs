//! The final state of every namespace of every kernel-identical lab (`ip -4 -o addr`,
//! `ip -4 route show table all`, `ip -4 neigh`, `bridge fdb show`, `ip -d -o link`,
//! `iptables-save`, `conntrack -L`, the recorded sysctls) against the recorder's
//! `state/<label>.txt`, after masking only what differs from run to run.

use super::labs::{comparable_link_line, root, run_lab, KERNEL_IDENTICAL};
use std::path::PathBuf;

/// The sections compared, with the command run in the namespace.
const SECTIONS: [(&str, &[&str]); 7] = [
    ("ip -d -o link", &["ip", "-d", "-o", "link"]),
    ("ip -4 -o addr", &["ip", "-4", "-o", "addr"]),
    (
        "ip -4 route show table all",
        &["ip", "-4", "route", "show", "table", "all"],
    ),
    ("ip -4 neigh", &["ip", "-4", "neigh"]),
    ("bridge fdb show", &["bridge", "fdb", "show"]),
    ("iptables-save", &["iptables-save"]),
    ("conntrack -L", &["conntrack", "-L"]),
];

/// The recorder's sysctl section (`sysctl -a` grepped for forwarding, proxy_arp, rp_filter,
/// arp_ignore/announce, redirects, bridge-nf-call); compared key by key with `sysctl KEY`.
const SYSCTL: &str = "sysctl ";

fn is_mac(w: &str) -> bool {
    let p: Vec<&str> = w.split(':').collect();
    p.len() == 6
        && p.iter()
            .all(|x| (1..=2).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `aa:b:..` (glibc `ether_ntoa`, used for bridge ids) as `aa:0b:..`.
fn canonical_mac(w: &str) -> String {
    w.split(':')
        .map(|x| format!("{:0>2}", x.to_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(":")
}

/// Device MACs of a whole lab: `(ns label, device, MAC)`, from `ip -d -o link` of every namespace.
fn device_macs(ns: &str, link: &str, out: &mut Vec<(String, String, String, bool)>) {
    for l in link.lines() {
        let Some(name) = l.split(": ").nth(1) else {
            continue;
        };
        let name = name.split('@').next().unwrap_or(name);
        let Some(mac) = l
            .split("link/ether ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
        else {
            continue;
        };
        let bridge = l.contains(" bridge forward_delay ");
        out.push((
            ns.to_string(),
            name.to_string(),
            mac.to_ascii_lowercase(),
            bridge,
        ));
    }
}

/// Names each device MAC: `<self>` on a line about the device owning it (a bridge takes the
/// MAC of one of its ports, which one depends on the random MACs), else the bridge owning it,
/// else its owners. MACs of no device (multicast, Calico's `ee:ee:..`) stay literal.
fn name_macs(
    line: &str,
    own: Option<(&str, &str)>,
    devs: &[(String, String, String, bool)],
) -> String {
    line.split(' ')
        .map(|w| {
            let (pre, m) = match w.split_once('.') {
                Some((pre, m)) if is_mac(m) => (format!("{pre}."), m),
                _ => (String::new(), w),
            };
            if !is_mac(m) {
                return w.to_string();
            }
            let m = canonical_mac(m);
            let owners: Vec<&(String, String, String, bool)> =
                devs.iter().filter(|d| d.2 == m).collect();
            if owners.is_empty() {
                return w.to_string();
            }
            // A bridge id (`8000.<mac>`) is the bridge's, also on its ports' lines.
            if let (Some((ns, dev)), true) = (own, pre.is_empty()) {
                if owners.iter().any(|d| d.0 == ns && d.1 == dev) {
                    return format!("{pre}<self>");
                }
            }
            let names: Vec<String> = match owners.iter().find(|d| d.3) {
                Some(b) => vec![format!("{}:{}", b.0, b.1)],
                None => owners.iter().map(|d| format!("{}:{}", d.0, d.1)).collect(),
            };
            format!("{pre}<{}>", names.join("|"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces the number after each `key ` / `key=` with `N`.
fn mask_after(line: &str, key: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find(key) {
        out += &rest[..i + key.len()];
        rest = &rest[i + key.len()..];
        let skip = rest.len() - rest.trim_start().len();
        let end = rest[skip..]
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .map_or(rest.len(), |e| skip + e);
        out += "N";
        rest = &rest[end..];
    }
    out + rest
}

/// The device a line is about (`ip -d -o link`: its name; `bridge fdb`: after `dev`).
fn line_dev<'a>(section: &str, line: &'a str) -> Option<&'a str> {
    match section {
        "ip -d -o link" => line
            .split(": ")
            .nth(1)
            .map(|n| n.split('@').next().unwrap_or(n)),
        "bridge fdb show" => line.split(" dev ").nth(1).and_then(|r| r.split(' ').next()),
        _ => None,
    }
}

/// Replaces ephemeral ports (`sport=`/`dport=` in 32768..=60999, chosen at random) by `EPH`.
fn mask_ephemeral(line: &str) -> String {
    line.split(' ')
        .map(|w| match w.split_once('=') {
            Some((k @ ("sport" | "dport"), v))
                if v.parse::<u32>().is_ok_and(|p| (32768..=60999).contains(&p)) =>
            {
                format!("{k}=EPH")
            }
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One section's lines made comparable.
fn comparable(
    section: &str,
    ns: &str,
    text: &str,
    devs: &[(String, String, String, bool)],
) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| name_macs(l, line_dev(section, l).map(|d| (ns, d)), devs))
        .collect();
    match section {
        "ip -d -o link" => {
            lines = lines.iter().map(|l| comparable_link_line(l)).collect();
        }
        "ip -4 neigh" => lines.sort(),
        "bridge fdb show" => {
            // IPv6 all-nodes/MLD multicast: only because the recorder's kernel has IPv6.
            lines.retain(|l| !l.starts_with("33:33:"));
            // The VM kernel of the IPIP recordings has CONFIG_BRIDGE_VLAN_FILTERING: each port's
            // own address is also entered for the default PVID (as `ip -d link` shows
            // `vlan_default_pvid 1`); the model's bridge, like the host kernel's, has none.
            lines.retain(|l| !l.contains(" vlan 1 master "));
            lines.sort();
        }
        "iptables-save" => lines.retain(|l| !l.starts_with('#')),
        "conntrack -L" => {
            lines.retain(|l| !l.starts_with("conntrack v"));
            // IGMP reports the recorder's kernel sends when a device comes up (the model has
            // no IGMP; the packet comparison ignores them too).
            lines.retain(|l| !l.starts_with("unknown  2 "));
            lines = lines
                .iter()
                .map(|l| {
                    let mut w: Vec<String> = l.split_whitespace().map(String::from).collect();
                    if w.len() > 2 {
                        w[2] = "TIMEOUT".into();
                    }
                    let l = mask_after(&w.join(" "), "id=");
                    mask_ephemeral(&l)
                })
                .collect();
            lines.sort();
        }
        _ => {}
    }
    lines
}

/// Splits a state file into `(section, body)`.
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in text.split("### ").skip(1) {
        let (head, body) = part.split_once('\n').unwrap_or((part, ""));
        out.push((head.to_string(), body.to_string()));
    }
    out
}

/// Labs recorded in the VM (`oracle/vm/`, because of `ipip`), whose state dump is slower.
const VM_RECORDED: [&str; 25] = [
    "seed000-ipip-p2p",
    "seed001-calico-ipip",
    "seed002-cni6-ipip",
    "seed003-diy-ipip",
    "seed003-flannel-ipip",
    "seed004-ipip",
    "nslab-vlan",
    "nslab-ipvlan",
    "nslab-ipvlan-l3",
    "nslab-ipvlan-l3-drop",
    "nslab-ipvlan-l3s",
    "nslab-ipvlan-xmit",
    "nslab-bridge-vlan",
    "nslab-bond",
    "nslab-gre",
    "nslab-bond-options",
    "nslab-bond-primary",
    "nslab-bond-xor",
    "nslab-dummy-carrier",
    "nslab-vrf",
    "nslab-vrf-local-cache",
    "nslab-bond-rr",
    "nslab-ipvlan-flags",
    "nslab-vlan-qos",
    "nslab-vlan-qos-bridge",
];

/// When the recorder dumps each namespace, after the lab's end as the model runs it (which
/// already includes the recorder's `sleep 1` before it stops the captures, `FINAL_SETTLE`):
/// `(before the first namespace, between two namespaces)` in seconds.
///
/// On the host the dumps follow at once (`run-kernel` dumps namespace after namespace, in
/// creation order). In the VM they come later: its neighbour tables show entries that went
/// DELAY → REACHABLE through a unicast probe after the captures had stopped (Calico's
/// `sleep-curl-1` even holds the STALE entry the host's probe created), and in the later
/// namespaces more so. The values are fitted to the 16 VM neighbour entries that differ from
/// the dump without delay (2 s + 1 s per namespace: 15 of 16 agree; see `ALLOWED`).
fn dump_delay(name: &str) -> (f64, f64) {
    if VM_RECORDED.contains(&name) {
        (2.0, 1.0)
    } else {
        (0.0, 0.0)
    }
}

/// Lets the simulation run on for `secs` seconds.
fn advance(lab: &mut nslab::Lab, secs: f64) {
    if secs > 0.0 {
        lab.run_for(nslab::Duration::from_secs_f64(secs));
    }
}

/// Runs `argv` in namespace `label` of the lab.
fn exec(lab: &mut nslab::Lab, label: &str, argv: &[&str]) -> String {
    assert!(
        lab.namespaces().iter().any(|n| n == label),
        "namespace {label}"
    );
    lab.exec(label, &argv.join(" ")).stdout
}

/// These labs were recorded while the host's `iptables` was the nf_tables variant (the
/// alternative switched to iptables-legacy at 22:41 on Nov 22; oracle/README.md): iptables-nft
/// creates base chains without `NFTA_CHAIN_COUNTERS`, so their policy counters stay `[0:0]`.
/// The model follows iptables-legacy, as every later recording (it counts packets reaching a
/// policy, and a table change resets its policy counters).
const POLICY_COUNTERS: &str =
    "recorded with iptables-nft: base chains without counters; the model is iptables-legacy";

/// Known differences: `(lab, namespace label, section, reason)`. Any other difference fails the
/// test, and so does an entry here that no longer differs.
/// nslab-ipvlan's VM run was slow (TCG, 308 s): its dump came more than a reachable time
/// (15-45 s, random) after the entries' last confirmation, later than the fitted delay.
const IPVLAN_DUMP: &str = "the VM dumped these entries after reachable_time ran out (STALE); \
     at the fitted dump time (dump_delay) the model's are still REACHABLE";

/// nslab-nexthop and nslab-route-exceptions end with pings: the recorder dumped their state
/// seconds later, after the DELAY entries the echoes left had been probed (REACHABLE); the
/// model dumps right after the last command.
const LAST_PING_DUMP: &str = "dumped after the DELAY probe on the kernel, right after the last \
     ping in the model (still DELAY)";

/// nslab-bridge-vlan's VM traffic phase took 299 s (the model's: 37 s of simulated time).
const BRIDGE_VLAN_DUMP: &str = "the VM dumped these entries after reachable_time ran out \
     (STALE); at the fitted dump time (dump_delay) the model's are still REACHABLE";

/// 6.1's `default_operstate` says LOWERLAYERDOWN for any device without carrier whose iflink
/// is another ifindex; 6.18's (the host's, which the model follows) looks that ifindex up in
/// the device's namespace and says DOWN when the device there has carrier (nslab-bond's p1:
/// its peer e1 was released and closed, ifindex 4 in b is p2, which has carrier).
const OPERSTATE_61: &str = "kernel 6.1's default_operstate (LOWERLAYERDOWN); the model is 6.18's";

/// nslab-gre's VM traffic phase took 317 s; the gretap neighbours its last pings confirmed
/// (a's 10.1.0.3, h's 10.1.0.1 after its DELAY probe) had gone STALE by the dump.
const GRE_DUMP: &str = "the VM dumped these entries after reachable_time ran out (STALE); \
     at the fitted dump time (dump_delay) the model's are still REACHABLE";

const ALLOWED: [(&str, &str, &str, &str); 27] = [
    ("nslab-route-exceptions", "r", "ip -4 neigh", LAST_PING_DUMP),
    ("nslab-route-exceptions", "b", "ip -4 neigh", LAST_PING_DUMP),
    ("nslab-nexthop", "r2", "ip -4 neigh", LAST_PING_DUMP),
    ("nslab-nexthop", "h2", "ip -4 neigh", LAST_PING_DUMP),
    ("nslab-bond", "b", "ip -d -o link", OPERSTATE_61),
    ("nslab-bond-rr", "b", "ip -d -o link", OPERSTATE_61),
    ("nslab-ipvlan", "c1", "ip -4 neigh", IPVLAN_DUMP),
    ("nslab-ipvlan", "c2", "ip -4 neigh", IPVLAN_DUMP),
    ("nslab-ipvlan", "ext", "ip -4 neigh", IPVLAN_DUMP),
    ("nslab-bridge-vlan", "sw", "ip -4 neigh", BRIDGE_VLAN_DUMP),
    ("nslab-bridge-vlan", "h1", "ip -4 neigh", BRIDGE_VLAN_DUMP),
    ("nslab-bridge-vlan", "h2", "ip -4 neigh", BRIDGE_VLAN_DUMP),
    ("nslab-bridge-vlan", "h3", "ip -4 neigh", BRIDGE_VLAN_DUMP),
    ("nslab-bridge-vlan", "h4", "ip -4 neigh", BRIDGE_VLAN_DUMP),
    ("nslab-gre", "a", "ip -4 neigh", GRE_DUMP),
    ("nslab-gre", "h", "ip -4 neigh", GRE_DUMP),
    (
        "seed003-flannel-ipip",
        "k8s-2",
        "ip -4 neigh",
        "the VM's dump time is fitted (see dump_delay); this entry is still DELAY in the kernel, \
         REACHABLE in the model",
    ),
    (
        "seed002-cni9-bgp",
        "leaf03",
        "ip -4 neigh",
        "the kernel's entry for worker1 is REACHABLE: it went DELAY at the first ping and \
         nothing confirms it (no TCP in the traffic phase), so leaf03 was dumped >= 5 s after \
         that, ~4 s after the traffic; no single dump delay makes the lab's other namespaces \
         agree with the model (its BGP daemons still run then), unexplained",
    ),
    ("seed004-hostgw", "host1", "iptables-save", POLICY_COUNTERS),
    ("seed004-hostgw", "host2", "iptables-save", POLICY_COUNTERS),
    ("seed004-vxlan", "gw1", "iptables-save", POLICY_COUNTERS),
    ("seed004-vxlan", "gw2", "iptables-save", POLICY_COUNTERS),
    ("seed004-vxlan-fwd", "gw1", "iptables-save", POLICY_COUNTERS),
    ("seed004-vxlan-fwd", "gw2", "iptables-save", POLICY_COUNTERS),
    (
        "seed002-cni3-masquerade",
        "root",
        "iptables-save",
        POLICY_COUNTERS,
    ),
    (
        "seed002-cni4-clusterip",
        "root",
        "iptables-save",
        POLICY_COUNTERS,
    ),
    (
        "seed002-cni5-nodeport",
        "root",
        "iptables-save",
        POLICY_COUNTERS,
    ),
];

#[test]
fn final_state_matches_the_kernel_recordings() {
    let mut report = String::new();
    let mut differ: Vec<(String, String, String)> = Vec::new();
    let (mut same, mut total) = (0, 0);
    for name in KERNEL_IDENTICAL {
        let mut lab = run_lab(name, 1);
        let (delay, step) = dump_delay(name);
        advance(&mut lab, delay);
        let kdir = root().join("tests/kernel").join(name);
        // The recorder dumps the namespaces in creation order, the order the model lists them.
        let order: Vec<String> = lab.namespaces();
        let mut files: Vec<(usize, PathBuf)> = std::fs::read_dir(kdir.join("state"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                // Files are named by label; the model names its namespaces so (`root` too).
                let label = p.file_stem().unwrap().to_string_lossy().into_owned();
                let pos = order.iter().position(|n| *n == label);
                (
                    pos.unwrap_or_else(|| panic!("{name}: no namespace {label}")),
                    p,
                )
            })
            .collect();
        files.sort();
        let files: Vec<PathBuf> = files.into_iter().map(|(_, p)| p).collect();
        // (label, recorded sections, our outputs)
        let mut spaces = Vec::new();
        let (mut kdevs, mut odevs) = (Vec::new(), Vec::new());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let label = text
                .split("(label ")
                .nth(1)
                .and_then(|r| r.split(')').next())
                .expect("state header")
                .to_string();
            let secs = sections(&text);
            if !spaces.is_empty() && step > 0.0 {
                advance(&mut lab, step);
            }
            let mut ours: Vec<String> = SECTIONS
                .iter()
                .map(|(_, argv)| exec(&mut lab, &label, argv))
                .collect();
            // The recorder greps `sysctl -a` for these keys; ask for each recorded key.
            let mut sysctl = String::new();
            if let Some((_, body)) = secs.iter().find(|(h, _)| h.starts_with(SYSCTL)) {
                for l in body.lines() {
                    if let Some((key, _)) = l.split_once(" = ") {
                        sysctl += &exec(&mut lab, &label, &["sysctl", key]);
                    }
                }
            }
            ours.push(sysctl);
            if let Some((_, link)) = secs.iter().find(|(h, _)| h == SECTIONS[0].0) {
                device_macs(&label, link, &mut kdevs);
            }
            device_macs(&label, &ours[0], &mut odevs);
            spaces.push((label, secs, ours));
        }
        for (label, secs, ours) in &spaces {
            let names = SECTIONS.iter().map(|s| s.0).chain([SYSCTL]);
            for (i, sec) in names.enumerate() {
                let Some((_, body)) = secs.iter().find(|(h, _)| h.starts_with(sec)) else {
                    continue;
                };
                let want = comparable(sec, label, body, &kdevs);
                let got = comparable(sec, label, &ours[i], &odevs);
                total += 1;
                if got == want {
                    same += 1;
                } else {
                    differ.push((name.to_string(), label.clone(), sec.to_string()));
                    report += &format!("=== {name} {label} [{sec}]\n");
                    for l in &want {
                        if !got.contains(l) {
                            report += &format!("- {l}\n");
                        }
                    }
                    for l in &got {
                        if !want.contains(l) {
                            report += &format!("+ {l}\n");
                        }
                    }
                }
            }
        }
    }
    let allowed: Vec<(String, String, String)> = ALLOWED
        .iter()
        .map(|a| (a.0.to_string(), a.1.to_string(), a.2.to_string()))
        .collect();
    let new: Vec<_> = differ.iter().filter(|d| !allowed.contains(d)).collect();
    let gone: Vec<_> = allowed.iter().filter(|a| !differ.contains(a)).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "{same}/{total} sections identical; not allow-listed: {new:?}; allow-listed but now \
         identical: {gone:?}\n{report}"
    );
    // 79 labs, 369 namespaces, 8 sections each.
    assert_eq!((same, total), (2925, 2952));
}

/// TCP confirms its neighbour (`tcp_ack` → `sk_dst_confirm`, the next segment's
/// `sock_confirm_neigh` → `neigh_confirm`): in netfilter-tcp, b learnt 10.1.0.1 from a's ARP
/// request (STALE) and went DELAY answering the SYN; the connection's ACKs confirm it in the same
/// jiffy. The 5 s DELAY timer sits on the timer wheel's level 2 (64 jiffies at HZ=250) and runs
/// up to 0.26 s late, when that confirmation is more than DELAY_PROBE_TIME old, so b probes
/// once (unicast) and the entry is REACHABLE again. Recorded on the kernel: netfilter-tcp with
/// `sleep 6` (tests/kernel/gen13-tcp-delay-probe: the probe 5.25 s after the first SYN).
#[test]
fn delay_timer_runs_late_and_probes_after_tcp_confirmed() {
    let mut lab = run_lab("netfilter-tcp", 1);
    assert!(exec(&mut lab, "b", &["ip", "-4", "neigh"]).contains(" DELAY"));
    // The recorder stopped its captures; keep capturing to see what follows.
    lab.set_capturing(true);
    let before = lab.packets().len();
    advance(&mut lab, 6.0);
    let arp = lab.packets()[before..]
        .iter()
        .filter(|p| p.data.get(12..14) == Some(&[0x08, 0x06][..]))
        .count();
    // b's unicast request and a's reply, seen on both ends of the veth.
    assert_eq!(arp, 4, "one unicast probe and its reply");
    assert!(exec(&mut lab, "b", &["ip", "-4", "neigh"]).contains(" REACHABLE"));
}

/// A device set up and then down keeps its default qdisc (`noqueue`: `dev_deactivate` leaves
/// `dev->qdisc`); a namespace move resets it (`dev_shutdown`). Expected text recorded with
/// `oracle/run-kernel` on the host kernel (state of q1 and q2, `ip -d -o link`, first line).
#[test]
fn qdisc_stays_noqueue_after_down_and_resets_on_netns_move() {
    let src = "ip netns add q1
ip netns add q2
ip netns exec q1 ip link add br0 type bridge
ip netns exec q1 ip link add v0 type veth peer name v1
ip netns exec q1 ip link set br0 up
ip netns exec q1 ip link set v0 up
ip netns exec q1 ip link set v1 up
ip netns exec q1 ip link set lo up
ip netns exec q1 ip link set br0 down
ip netns exec q1 ip link set v0 down
ip netns exec q1 ip link set lo down
ip netns exec q1 ip link set v1 netns q2
";
    let mut lab = nslab::Lab::new(1);
    let r = lab.run_shell(src, "qdisc.sh");
    assert_eq!(r.status, 0, "{}", lab.output());
    let heads = |lab: &mut nslab::Lab, ns: &str| -> Vec<String> {
        exec(lab, ns, &["ip", "-d", "-o", "link"])
            .lines()
            .map(|l| l.split('\\').next().unwrap_or("").trim_end().to_string())
            .collect()
    };
    assert_eq!(
        heads(&mut lab, "q1"),
        [
            "1: lo: <LOOPBACK> mtu 65536 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000",
            "2: br0: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000",
            "4: v0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000",
        ]
    );
    assert_eq!(
        heads(&mut lab, "q2"),
        [
            "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000",
            "3: v1@if4: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000",
        ]
    );
}

/// iptables-legacy (the recorder's `iptables` since 22:41 on Nov 22): a command that changes a
/// table leaves its built-in chains' policy counters at `[0:0]`, rule counters stay, another
/// table's change does not touch it. Expected text recorded with `oracle/run-kernel`.
#[test]
fn iptables_change_resets_policy_counters_of_its_table() {
    let src = "ip netns add a
ip netns exec a ip link set lo up
ip netns exec a iptables -A INPUT -s 127.0.0.1 -j ACCEPT
ip netns exec a iptables -N MYCH
ip netns exec a iptables -A OUTPUT -j MYCH
ip netns exec a ping -c 1 127.0.0.1 > /dev/null
ip netns exec a iptables -A FORWARD -s 1.2.3.4 -j DROP
ip netns exec a ping -c 1 127.0.0.1 > /dev/null
ip netns exec a iptables -t nat -A POSTROUTING -s 1.1.1.1 -j MASQUERADE
";
    let mut lab = nslab::Lab::new(1);
    let r = lab.run_shell(src, "counters.sh");
    assert_eq!(r.status, 0, "{}", lab.output());
    let got: Vec<String> = exec(&mut lab, "a", &["iptables-save", "-c", "-t", "filter"])
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    assert_eq!(
        got,
        [
            "*filter",
            ":INPUT ACCEPT [0:0]",
            ":FORWARD ACCEPT [0:0]",
            ":OUTPUT ACCEPT [2:168]",
            ":MYCH - [0:0]",
            "[4:336] -A INPUT -s 127.0.0.1/32 -j ACCEPT",
            "[0:0] -A FORWARD -s 1.2.3.4/32 -j DROP",
            "[4:336] -A OUTPUT -j MYCH",
            "COMMIT",
        ]
    );
}
