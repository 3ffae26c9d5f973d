//! Seeing packets: tcpdump inside labs against the real tcpdump, packet-path traces, topology
//! graphs and the generated book.

use crate::support::{self, lab_src, root};
use nslab::Lab;
use nslab_oracle::pcap::write_pcap as pcap_file;
use std::path::{Path, PathBuf};

/// Every lab in `scenarios/` (new labs are picked up automatically).
pub fn scenario_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            // `X.traffic.sh` is the traffic of a topology `X.clab.yaml`, not a lab.
            (p.extension()? == "sh" && !stem.ends_with(".traffic")).then_some(stem)
        })
        .collect();
    v.sort();
    v
}

fn run_src(src: &str, name: &str) -> Lab {
    support::run(src, &format!("{name}.sh")).0
}

fn tcpdump_bin() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join("tcpdump"))
        .find(|p| p.is_file())
}

/// The lab's capture on interface `ns:dev` between `from` and `to` (ns), as a pcap file.
fn iface_pcap(lab: &Lab, label: &str, from: u64, to: u64) -> Vec<u8> {
    let ifaces = lab.interfaces();
    let caps: Vec<usize> = ifaces
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name == label)
        .map(|(i, _)| i)
        .collect();
    let frames: Vec<(u64, Vec<u8>)> = lab
        .packets()
        .iter()
        .map(|p| (p.iface, p.time.as_nanos(), p.data))
        .filter(|(c, ts, _)| caps.contains(c) && *ts >= from && *ts <= to)
        .map(|(_, ts, d)| (ts, d.to_vec()))
        .collect();
    // The interface's own link type (an IPIP tunnel records raw IP).
    let lt = caps.first().map_or(1, |&c| ifaces[c].linktype);
    pcap_file(lt, &frames)
}

fn real_tcpdump(bin: &Path, file: &Path, args: &[&str]) -> (String, String) {
    let o = std::process::Command::new(bin)
        .env("TZ", "UTC")
        .args(args)
        .arg("-r")
        .arg(file)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `name` with `tcpdump ARGS -i DEV EXPR` started at the traffic marker on every
/// interface, and compares each one's text with the real tcpdump reading the same packets.
fn compare_lab(
    bin: &Path,
    dir: &Path,
    name: &str,
    args: &str,
    exprs: &[&str],
    seen: &mut usize,
) -> Vec<String> {
    let src = lab_src(name);
    let first = run_src(&src, name);
    let labels: Vec<String> = first
        .interfaces()
        .iter()
        .filter(|c| c.npkts > 0 && c.kind != "loopback")
        .map(|c| c.name.clone())
        .collect();
    let mut inject = String::from("# --- traffic ---\n");
    let mut jobs = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let (ns, dev) = l.split_once(':').unwrap();
        for (j, e) in exprs.iter().enumerate() {
            let pre = if ns == "root" {
                String::new()
            } else {
                format!("ip netns exec {ns} ")
            };
            inject +=
                &format!("{pre}tcpdump {args} -i {dev} {e} > td-{i}-{j}.txt 2> td-{i}-{j}.err &\n");
            jobs.push((i, j));
        }
    }
    let src2 = src.replacen("# --- traffic ---\n", &inject, 1);
    let lab = run_src(&src2, name);
    let from = lab
        .traffic_start
        .expect("lab has a traffic marker")
        .as_nanos();
    let to = lab.now().as_nanos() - nslab::lab::FINAL_SETTLE.as_nanos();
    let mut errs = Vec::new();
    for (i, j) in jobs {
        let label = &labels[i];
        let f = |ext: &str| {
            lab.files
                .get(&format!("/lab/td-{i}-{j}.{ext}"))
                .map(|d| String::from_utf8_lossy(d).into_owned())
                .unwrap_or_default()
        };
        let (ours, ours_err) = (f("txt"), f("err"));
        if ours_err.contains("No such device") {
            continue; // the device appears later in the lab
        }
        if ours_err.contains("That device is not up") {
            continue; // down at the marker: tcpdump refuses it (as the recorder's does)
        }
        let file = dir.join(format!("{name}-{i}.pcap"));
        std::fs::write(&file, iface_pcap(&lab, label, from, to)).unwrap();
        let mut a: Vec<&str> = args.split_whitespace().collect();
        a.extend(exprs[j].trim_matches('\'').split_whitespace());
        let (want, _) = real_tcpdump(bin, &file, &a);
        if want != ours {
            let d = want
                .lines()
                .zip(ours.lines())
                .find(|(x, y)| x != y)
                .map(|(x, y)| format!("\n  tcpdump: {x}\n  ours:    {y}"))
                .unwrap_or_else(|| {
                    format!(
                        " ({} lines vs ours {})",
                        want.lines().count(),
                        ours.lines().count()
                    )
                });
            errs.push(format!("{name} {label} `{args} {}`:{d}", exprs[j]));
        }
        // One packet per line that starts with a timestamp (continuation lines, e.g. a VXLAN
        // inner frame under -e, do not).
        let n = ours.lines().filter(|l| starts_with_timestamp(l)).count();
        *seen += n;
        let stats = format!("{n} packet{} captured\n", if n == 1 { "" } else { "s" });
        if !ours_err.contains(&stats) {
            errs.push(format!(
                "{name} {label}: stderr {ours_err:?} lacks {stats:?}"
            ));
        }
    }
    errs
}

#[test]
fn in_lab_tcpdump_matches_real_tcpdump_on_every_lab() {
    let Some(bin) = tcpdump_bin() else {
        eprintln!("SKIPPED: tcpdump not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("nslab-view-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut errs = Vec::new();
    let mut seen = 0;
    for name in scenario_names() {
        errs.extend(compare_lab(
            &bin,
            &dir,
            &name,
            "-nn -e -v",
            &[""],
            &mut seen,
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    println!("{seen} packets compared");
    assert!(seen > 100, "only {seen} packets compared");
}

#[test]
fn in_lab_tcpdump_filters_match_real_tcpdump() {
    let Some(bin) = tcpdump_bin() else {
        eprintln!("SKIPPED: tcpdump not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("nslab-view-f-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exprs = [
        "icmp",
        "arp",
        "'not arp'",
        "'host 10.1.1.2 or 10.1.1.3'",
        "'src net 10.1.1.0/24 and (icmp || arp)'",
        "'ether dst ff:ff:ff:ff:ff:ff'",
        "'tcp port 80 or udp portrange 1-1000'",
        "'proto 1 && ! dst host 10.1.1.3'",
    ];
    let mut errs = Vec::new();
    let mut seen = 0;
    for name in ["seed003-bridge", "seed002-cni2-routed-opt1"] {
        errs.extend(compare_lab(&bin, &dir, name, "-n", &exprs, &mut seen));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    println!("{seen} packets compared");
    assert!(seen > 100, "only {seen} packets compared");
}

/// tcpdump's `vlan [ID]` filter keyword (issue 12) on the VLAN labs' tagged frames (802.1Q and
/// 802.1ad in nslab-vlan, the trunk of nslab-bridge-vlan), against the real tcpdump reading the
/// same packets.
#[test]
fn in_lab_tcpdump_vlan_filters_match_real_tcpdump() {
    let Some(bin) = tcpdump_bin() else {
        eprintln!("SKIPPED: tcpdump not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("nslab-view-v-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exprs = ["vlan", "'vlan 10'", "'vlan 20 and icmp'", "'not vlan'"];
    let mut errs = Vec::new();
    let mut seen = 0;
    for name in ["nslab-vlan", "nslab-bridge-vlan"] {
        errs.extend(compare_lab(&bin, &dir, name, "-n -e", &exprs, &mut seen));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    println!("{seen} packets compared");
    assert!(seen > 50, "only {seen} packets compared");
}

#[test]
fn in_lab_tcpdump_banner_errors_and_write_file() {
    let src = "ip netns add a\nip netns add b\nip link add v1 type veth peer name v2\n\
        ip link set v1 netns a\nip link set v2 netns b\nip -n a addr add 10.0.0.1/24 dev v1\n\
        ip -n b addr add 10.0.0.2/24 dev v2\nip -n a link set v1 up\nip -n b link set v2 up\n\
        ip netns exec b tcpdump -i any -n icmp &\n\
        ip netns exec a tcpdump -i v1 -c 2 -w cap.pcap &\n\
        ip netns exec a ping -c 1 -q 10.0.0.2 > /dev/null\n\
        ip netns exec a tcpdump -i nosuch\nip netns exec a tcpdump -i v1 'host and'\n\
        ip netns exec a tcpdump -i v1 port 70000\n";
    let lab = run_src(src, "t");
    let out = lab.output();
    for want in [
        "tcpdump: data link type LINUX_SLL2\ntcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n",
        "tcpdump: listening on v1, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n",
        "t.sh:13: tcpdump: nosuch: No such device exists\n(No such device exists)\n",
        "t.sh:14: tcpdump: can't parse filter expression: syntax error\n",
        "t.sh:15: tcpdump: illegal port number 70000 > 65535\n",
        "00:00:00.000030 v2    In  IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id ",
        "00:00:00.000030 v2    Out IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id ",
        "2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    // -w: a pcap of the two ARP frames (24-byte header, 2 × (16 + 42)).
    let cap = &lab.files["/lab/cap.pcap"];
    assert_eq!(cap.len(), 24 + 2 * (16 + 42));
    assert_eq!(&cap[..4], &0xa1b2_c3d4u32.to_le_bytes());
    let pk = nslab_oracle::pcap::read_capture(cap).unwrap();
    assert_eq!(pk[0].packets.len(), 2);
    assert_eq!(&pk[0].packets[0].1[12..14], &[0x08, 0x06]);
}

/// The trace of the first ICMP journey (one ping: its ARP resolution, every hop, the reply).
fn first_icmp_journey(lab: &Lab) -> String {
    first_journey(lab, "icmp")
}

/// The trace of the first journey whose first packet matches `expr`.
fn first_journey(lab: &Lab, expr: &str) -> String {
    let t = lab.trace(expr).unwrap();
    let mut s = String::new();
    for (k, l) in t.lines().enumerate() {
        if k > 0 && l.starts_with("journey") {
            break;
        }
        s += l;
        s.push('\n');
    }
    s
}

fn run_traced(name: &str) -> Lab {
    let mut lab = Lab::new(1);
    lab.enable_trace();
    lab.run_shell(&lab_src(name), &format!("{name}.sh"));
    lab
}

#[test]
fn trace_of_one_ping_in_each_lab() {
    for name in scenario_names() {
        let src = lab_src(&name);
        if src.contains("ping ") {
            let lab = run_traced(&name);
            let t = first_icmp_journey(&lab);
            assert!(t.contains("echo request"), "{name}: {t}");
            insta::assert_snapshot!(format!("trace-{name}"), t);
        } else if src.contains("curl ") {
            // Labs that only use curl (Services, NodePort): the first connection that NAT
            // moves (else the first connection), from its SYN on.
            let lab = run_traced(&name);
            let all = lab.trace("tcp").unwrap();
            let journeys: Vec<String> = all
                .split("\njourney ")
                .map(|j| {
                    let j = j.strip_prefix("journey ").unwrap_or(j);
                    format!("journey {}\n", j.trim_end_matches('\n'))
                })
                .collect();
            let t = journeys
                .iter()
                .find(|j| j.contains("nat: DNAT") || j.contains("nat: SNAT"))
                .unwrap_or(&journeys[0])
                .clone();
            assert!(t.contains("Flags [S]"), "{name}: {t}");
            insta::assert_snapshot!(format!("trace-syn-{name}"), t);
        }
    }
}

#[test]
fn trace_does_not_change_the_lab() {
    for name in scenario_names() {
        let plain = run_src(&lab_src(&name), &name);
        let traced = run_traced(&name);
        assert_eq!(plain.output(), traced.output(), "{name}");
        assert!(plain.pcapng() == traced.pcapng(), "{name}: capture differs");
    }
}

#[test]
fn trace_filters_journeys_and_shows_drops() {
    let src = "ip netns add a\nip link add v1 type veth peer name v2\nip link set v1 netns a\n\
        ip -n a addr add 10.0.0.1/24 dev v1\nip -n a link set v1 up\nip link set v2 up\n\
        ip netns exec a ping -c 1 -W 1 10.0.0.9\nsleep 3\n";
    let mut lab = Lab::new(1);
    lab.enable_trace();
    lab.run_shell(src, "t.sh");
    let t = lab.trace("host 10.0.0.9").unwrap();
    for want in [
        "a     neigh 10.0.0.9 dev v1 NONE → INCOMPLETE: queue the packet, send ARP request",
        "v1: tx ARP, Request who-has 10.0.0.9 tell 10.0.0.1, length 28",
        "neigh 10.0.0.9 dev v1 INCOMPLETE → FAILED: no ARP reply, 1 queued packet(s) dropped",
        "drop NEIGH_FAILED on v1 in neigh_invalidate",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    assert_eq!(lab.trace("host 10.0.0.77").unwrap(), "");
    assert_eq!(
        lab.trace("host and"),
        Err("can't parse filter expression: syntax error".into())
    );
}

#[test]
fn pcapng_comments_carry_the_trace() {
    let lab = run_traced("seed003-bridge");
    let plain = lab.pcapng();
    let with = lab.pcapng_with_comments();
    assert!(with.len() > plain.len());
    // The comment of the first echo request on the bridge port says where the fdb sent it.
    let needle = b"br0: fdb ";
    assert!(with.windows(needle.len()).any(|w| w == needle));
    // The notes made before a journey's first frame (the route lookup, the neighbour entry
    // that queued the packet) are in that frame's comment too.
    for needle in [
        &b"fib: output 10.1.1.3"[..],
        b"NONE \xe2\x86\x92 INCOMPLETE",
    ] {
        assert!(
            with.windows(needle.len()).any(|w| w == needle),
            "{}",
            String::from_utf8_lossy(needle)
        );
    }
    // Still a valid capture with the same packets.
    let a = nslab_oracle::pcap::read_capture(&plain).unwrap();
    let b = nslab_oracle::pcap::read_capture(&with).unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.packets, y.packets);
    }
}

/// A tiny XML well-formedness check: tags balance, attributes are quoted.
fn xml_ok(s: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').ok_or("unclosed tag")? + i;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().ok_or(format!("</{name}> without opening"))?;
            if top != name {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else {
            let name = tag
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('/');
            if !tag.matches('"').count().is_multiple_of(2) {
                return Err(format!("unbalanced quotes in <{tag}>"));
            }
            if !tag.ends_with('/') {
                stack.push(name.to_string());
            }
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

#[test]
fn graphs_of_every_lab() {
    for name in scenario_names() {
        let lab = run_src(&lab_src(&name), &name);
        let t = lab.topology();
        insta::assert_snapshot!(format!("graph-dot-{name}"), nslab::graph::dot(&t));
        insta::assert_snapshot!(format!("graph-mermaid-{name}"), nslab::graph::mermaid(&t));
        let svg = nslab::graph::svg(&t);
        xml_ok(&svg).unwrap_or_else(|e| panic!("{name}: svg: {e}"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        for (_, nodes) in &t.namespaces {
            for n in nodes {
                assert!(
                    svg.contains(&format!(">{}</text>", n.name)),
                    "{name}: {} missing",
                    n.name
                );
            }
        }
        let links = svg.matches("<path class=\"link").count();
        assert_eq!(links, t.links.len(), "{name}");
    }
    assert!(xml_ok("<a><b></a></b>").is_err());
}

/// The book's generated files are what `nslab book-gen book` writes from today's labs: a lab
/// change without regenerating the book fails here (run `cargo run -- book-gen book`).
#[test]
fn book_generated_files_match_the_labs() {
    let files = nslab::book::generate(&root());
    let book = root().join("book");
    let mut stale = Vec::new();
    for (rel, bytes) in &files {
        // The captures are build outputs (not committed: `.ci/run` runs book-gen before
        // `mdbook build`); the text parts are committed and must be current.
        if rel.ends_with(".pcapng") {
            continue;
        }
        match std::fs::read(book.join(rel)) {
            Ok(b) if &b == bytes => {}
            Ok(_) => stale.push(format!("{rel} differs")),
            Err(_) => stale.push(format!("{rel} missing")),
        }
    }
    for e in std::fs::read_dir(book.join("src/generated")).unwrap() {
        let rel = format!("src/generated/{}", e.unwrap().file_name().to_string_lossy());
        if !files.contains_key(&rel) {
            stale.push(format!("{rel} is not generated by any lab"));
        }
    }
    // Every chapter in SUMMARY.md exists and includes its generated part.
    let summary = String::from_utf8(files["src/SUMMARY.md"].clone()).unwrap();
    let chapters: Vec<String> = nslab::book::chapters(&scenario_names())
        .into_iter()
        .flat_map(|(_, labs)| labs)
        .collect();
    assert!(chapters.len() >= 10, "{chapters:?}");
    for name in chapters {
        assert!(
            summary.contains(&format!("]({name}.md)")),
            "{name} not in SUMMARY"
        );
        let ch = std::fs::read_to_string(book.join("src").join(format!("{name}.md")))
            .unwrap_or_else(|_| panic!("chapter {name}.md missing"));
        assert!(
            ch.contains(&format!("{{{{#include generated/{name}.md}}}}")),
            "{name}.md does not include its generated part"
        );
    }
    assert!(
        stale.is_empty(),
        "the book is stale (run `cargo run -- book-gen book`):\n{}",
        stale.join("\n")
    );
}

/// `-i any`: our text against the real tcpdump reading the Linux cooked v2 capture that our
/// `-w` wrote from the same run (the interface-name column aside: tcpdump looks names up on
/// the machine that reads the file).
#[test]
fn in_lab_tcpdump_any_matches_real_tcpdump() {
    let Some(bin) = tcpdump_bin() else {
        eprintln!("SKIPPED: tcpdump not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("nslab-view-any-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut seen = 0;
    for (name, ns) in [
        ("seed003-bridge", None),
        ("seed002-cni2-routed-opt1", Some("netns1")),
    ] {
        for flags in ["-nn", "-nn -e -v"] {
            let pre = ns
                .map(|n| format!("ip netns exec {n} "))
                .unwrap_or_default();
            let inject = format!(
                "# --- traffic ---\n{pre}tcpdump -i any {flags} > any.txt 2> any.err &\n\
                 {pre}tcpdump -i any -w any.pcap 2> /dev/null &\n"
            );
            let src = lab_src(name).replacen("# --- traffic ---\n", &inject, 1);
            let lab = run_src(&src, name);
            let ours = String::from_utf8_lossy(&lab.files["/lab/any.txt"]).into_owned();
            let f = dir.join(format!("{name}.pcap"));
            std::fs::write(&f, &lab.files["/lab/any.pcap"]).unwrap();
            let fl: Vec<&str> = flags.split_whitespace().collect();
            let (want, _) = real_tcpdump(&bin, &f, &fl);
            // "HH:MM:SS.uuuuuu IFNAME DIR ..." → drop the name column on packet lines.
            let strip = |s: &str| -> Vec<String> {
                s.lines()
                    .map(|l| {
                        if l.starts_with(' ') {
                            return l.to_string();
                        }
                        let mut it = l.splitn(3, ' ');
                        let (t, _name, rest) = (it.next(), it.next(), it.next());
                        format!("{} {}", t.unwrap_or(""), rest.unwrap_or("").trim_start())
                    })
                    .collect()
            };
            let (w, o) = (strip(&want), strip(&ours));
            assert_eq!(w, o, "{name} -i any {flags}");
            // Bridge ports see other hosts' frames (P), the pods' own devices unicast to them (In).
            assert!(ours.contains(" Out "), "{ours}");
            assert!(ours.contains(" In  ") || ours.contains(" P   "), "{ours}");
            seen += o.len();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(seen > 40, "{seen}");
}

fn nslab(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_nslab"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_trace_graph_and_errors() {
    let o = nslab(&["run", "scenarios/seed003-veth-pair.sh", "--trace=icmp"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let t = out.split_once("### trace\n").expect("trace section").1;
    assert!(t.starts_with("journey 1\n"), "{t}");
    assert!(t.contains("fib: output 10.1.1.3 → table main: 10.1.1.0/24 dev veth0"));
    // --trace without a filter before the lab file.
    let o = nslab(&["run", "--trace", "scenarios/seed003-veth-pair.sh"]);
    assert!(o.status.success());
    let o = nslab(&["run", "scenarios/seed003-veth-pair.sh", "--trace=host and"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("nslab: --trace: can't parse filter expression: syntax error"));
    let o = nslab(&[
        "graph",
        "scenarios/seed003-veth-pair.sh",
        "--format",
        "mermaid",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("flowchart LR\n"));
    let o = nslab(&["graph", "scenarios/seed003-veth-pair.sh", "--format", "png"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("invalid value 'png' for '--format <FORMAT>'")
    );
    let o = nslab(&[
        "graph",
        "scenarios/seed003-bridge.sh",
        "--setup-only",
        "--format",
        "dot",
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("root_br0 -- root_br_veth0"));
}

/// `HH:MM:SS.uuuuuu` at the start of a line: tcpdump's default timestamp.
fn starts_with_timestamp(l: &str) -> bool {
    let b = l.as_bytes();
    b.len() >= 15
        && b[2] == b':'
        && b[5] == b':'
        && b[8] == b'.'
        && [0, 1, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// A containerlab topology and a RON scenario are drawn from what they build (their shell
/// conversion), not parsed as shell.
#[test]
fn graph_of_yaml_and_ron_labs() {
    let o = nslab(&[
        "graph",
        "scenarios/seed004-hostgw.clab.yaml",
        "--format",
        "dot",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dot = String::from_utf8_lossy(&o.stdout);
    for want in ["host1", "host2", "192.168.0.100/24", "switch"] {
        assert!(dot.contains(want), "{want} missing:\n{dot}");
    }
    let o = nslab(&["graph", "scenarios/veth-pair.ron", "--format", "mermaid"]);
    assert!(o.status.success());
    let m = String::from_utf8_lossy(&o.stdout);
    assert!(
        m.contains("subgraph ns_ns1") && m.contains("10.1.1.2/24"),
        "{m}"
    );
}

/// Tunnels are drawn as overlay links between the tunnel devices: IPIP with `remote any` by
/// its routes' nexthops, VXLAN by its fdb's VTEPs.
#[test]
fn graph_draws_overlay_links_between_tunnels() {
    let o = nslab(&[
        "graph",
        "scenarios/seed001-calico-ipip.sh",
        "--format",
        "mermaid",
    ]);
    let m = String::from_utf8_lossy(&o.stdout);
    assert_eq!(m.matches("-.-|overlay|").count(), 3, "{m}");
    assert!(m.contains("virtnest_rook_ceph_1_tunl0 -.-|overlay| virtnest_rook_ceph_2_tunl0"));
    // A point-to-point tunnel ends at the peer's tunnel that receives it (ipip.1), not at the
    // namespace's fallback tunl0.
    let o = nslab(&[
        "graph",
        "scenarios/seed000-ipip-p2p.sh",
        "--format",
        "mermaid",
    ]);
    let m = String::from_utf8_lossy(&o.stdout);
    let overlay: Vec<&str> = m.lines().filter(|l| l.contains("overlay")).collect();
    assert_eq!(overlay, ["  ecs1_ipip_1 -.-|overlay| ecs2_ipip_1"], "{m}");
    let o = nslab(&["graph", "scenarios/seed004-vxlan-fwd.sh", "--format", "dot"]);
    let d = String::from_utf8_lossy(&o.stdout);
    let overlay: Vec<&str> = d.lines().filter(|l| l.contains("overlay")).collect();
    assert_eq!(overlay.len(), 1, "{d}");
    assert!(overlay[0].contains("host1_flannel_1") && overlay[0].contains("host2_flannel_1"));
    assert!(overlay[0].contains("style=dashed"), "{d}");
}
