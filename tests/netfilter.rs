//! Netfilter: the iptables command line against the real iptables-legacy 1.8.9 (outputs and
//! errors recorded in a namespace into `tests/netfilter/`), iptables-save/-restore, and the
//! netfilter-ping lab against its kernel recording.

use nslab_oracle as oracle;
use nslab::Lab;
use sim_models::tools::{self, Exec};
use sim_models::Kernel;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Splits a command line as the shell would for these (double-quoted words only).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut q, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                q = !q;
                any = true;
            }
            ' ' if !q => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Every command of `iptables-cli.cmds` gives the real iptables' output, errors and exit status
/// (`iptables-cli.expected` was produced by running the same lines with `ip netns exec` in a
/// fresh namespace on iptables v1.8.9 (legacy)).
#[test]
fn iptables_cli_matches_real_iptables_1_8_9() {
    let dir = root().join("tests/netfilter");
    let cmds = std::fs::read_to_string(dir.join("iptables-cli.cmds")).unwrap();
    let want = std::fs::read_to_string(dir.join("iptables-cli.expected")).unwrap();
    let mut k = Kernel::new(1);
    let ns = k.netns_add("nfx");
    let mut got = String::new();
    for line in cmds.lines() {
        got += &format!("$ {}\n", line);
        let o = match tools::run(&mut k, ns, &words(line)) {
            Exec::Done(o) => o,
            _ => panic!("{line}: not a tool"),
        };
        got += &o.stdout;
        got += &o.stderr;
        got += &format!("[rc {}]\n", o.status);
    }
    if got != want {
        let g: Vec<String> = got.lines().map(String::from).collect();
        let w: Vec<String> = want.lines().map(String::from).collect();
        panic!(
            "differs from iptables 1.8.9:\n{}",
            oracle::unified_diff(&w, &g, "real", "nslab").join("\n")
        );
    }
}

fn run_lab(name: &str) -> Lab {
    let path = root().join("scenarios").join(format!("{name}.sh"));
    let src = std::fs::read_to_string(&path).unwrap();
    let mut lab = Lab::new(1);
    // Pings that get no answer exit 1, as on the kernel: failures are expected.
    lab.run_shell(&src, &format!("{name}.sh"));
    lab
}

/// `ICMP 10.9.9.9 protocol 1 port N unreachable`: tcpdump prints the quoted echo request's
/// checksum as "port", which follows ping's random id (it differs between two kernel runs too).
fn mask_quoted_port(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| match l.find("protocol 1 port ") {
            Some(at) => {
                let rest = &l[at + 16..];
                let end = rest.find(' ').unwrap_or(rest.len());
                format!("{}protocol 1 port *{}", &l[..at], &rest[end..])
            }
            None => l.clone(),
        })
        .collect()
}

/// DNAT + MASQUERADE of ping, REJECT (translated back: the error comes from the virtual IP and
/// quotes it), DROP, and REJECT --reject-with icmp-host-prohibited in INPUT: every interface as
/// on the kernel; the counters as `iptables -vnL` printed them there.
#[test]
fn netfilter_ping_matches_the_kernel() {
    let lab = run_lab("netfilter-ping");
    let mm = oracle::MacMap::parse(&lab.macmap());
    let ours = oracle::split_and_normalize_with(&lab.pcapng_traffic(), Some(&mm)).unwrap();
    let kdir = root().join("tests/kernel/netfilter-ping");
    let kernel = oracle::load_kernel_dir(&kdir).unwrap();
    let mask = |m: &std::collections::BTreeMap<String, Vec<String>>| {
        m.iter()
            .map(|(k, v)| (k.clone(), mask_quoted_port(v)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let rep = oracle::compare(&mask(&kernel.norm), &mask(&ours), true);
    assert!(rep.is_identical(), "{rep}");
    // The iptables listings in the lab's output are the kernel run's, line for line.
    let kout = std::fs::read_to_string(kdir.join("stdout.txt")).unwrap();
    let out = lab.output();
    for l in kout.lines().filter(|l| {
        l.starts_with("Chain ")
            || l.starts_with("    ")
            || l.starts_with(" pkts")
            || l.starts_with("-")
    }) {
        assert!(out.contains(l), "missing {l:?} in:\n{out}");
    }
    for l in [
        "From 10.9.9.9 icmp_seq=1 Destination Port Unreachable",
        "From 10.0.1.1 icmp_seq=1 Destination Host Prohibited",
    ] {
        assert!(out.contains(l), "missing {l:?} in:\n{out}");
    }
}

/// The conntrack table after the lab: the DNATed and MASQUERADEd echo (orig to the virtual IP,
/// reply from b to the router's address), in conntrack-tools' format.
#[test]
fn conntrack_lists_the_nat_binding() {
    let mut lab = run_lab("netfilter-ping");
    let ns = lab.kernel.ns_by_name("r").unwrap();
    let Exec::Done(o) = tools::run(&mut lab.kernel, ns, &words("conntrack -L")) else {
        panic!()
    };
    assert_eq!(
        o.stderr,
        "conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n"
    );
    let l = o.stdout.trim_end();
    assert!(
        l.starts_with("icmp     1 2") && l.contains(" src=10.0.1.2 dst=10.9.9.9 type=8 code=0 id="),
        "{l}"
    );
    assert!(
        l.contains(" src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id="),
        "{l}"
    );
    assert!(l.ends_with(" mark=0 use=1"), "{l}");
    let Exec::Done(o) = tools::run(&mut lab.kernel, ns, &words("conntrack -F")) else {
        panic!()
    };
    assert_eq!(
        o.stderr,
        "conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n"
    );
    let Exec::Done(o) = tools::run(&mut lab.kernel, ns, &words("conntrack -L")) else {
        panic!()
    };
    assert_eq!((o.stdout.as_str(), o.status), ("", 0));
}

/// iptables-restore from a heredoc (as kube-proxy feeds it), then iptables-save with the
/// `# Generated by` lines dated by the simulated clock.
#[test]
fn iptables_restore_heredoc_and_save() {
    let mut lab = Lab::new(1);
    let src = "iptables-restore <<'EOF'\n*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5:6443\nCOMMIT\nEOF\nsleep 61\niptables-save\niptables-restore <<'EOF'\n*nat\n-A PREROUTING -j NOPE\nCOMMIT\nEOF\n";
    lab.run_shell(src, "r.sh");
    let src2 = "iptables-restore <<'EOF'\n*foo\nCOMMIT\nEOF\niptables-restore <<'EOF'\n*filter\n-A INPUT -j ACCEPT\nEOF\n";
    let mut lab2 = Lab::new(1);
    lab2.run_shell(src2, "r.sh");
    assert_eq!(
        lab2.output(),
        "r.sh:1: iptables-restore v1.8.9 (legacy): iptables-restore: unable to initialize table 'foo'\nError occurred at line: 1\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\nr.sh:5: iptables-restore: COMMIT expected at line 3\n"
    );
    assert_eq!(
        lab.output(),
        "# Generated by iptables-save v1.8.9 on Thu Jan  1 00:01:01 1970\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5:6443\nCOMMIT\n# Completed on Thu Jan  1 00:01:01 1970\nr.sh:11: iptables-restore v1.8.9 (legacy): Couldn't load target `NOPE':No such file or directory\n\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n"
    );
}

/// Hides which endpoint served a connection: the endpoint pods' addresses and MAC owners.
fn mask_endpoint(l: &str) -> String {
    let mut s = l
        .replace("cksum (incorrect)", "cksum")
        .replace("cksum (correct)", "cksum");
    for (a, b) in [
        ("10.244.0.11", "10.244.0.EP"),
        ("10.244.0.12", "10.244.0.EP"),
        ("10.244.0.13", "10.244.0.EP"),
        ("ep1:eth0", "EP:eth0"),
        ("ep2:eth0", "EP:eth0"),
        ("ep3:eth0", "EP:eth0"),
    ] {
        s = s.replace(a, b);
    }
    s
}

/// The kube-proxy-style ClusterIP lab against its kernel recording. Which endpoint the
/// `statistic --mode random` rules pick differs between runs (on the kernel too), so the
/// comparison hides the endpoint's identity: the client side must then be the same sequence
/// packet for packet (handshake, request, response, close of each of the 30 connections), and
/// the endpoint side (all endpoint interfaces together) the same multiset. ARP is left out
/// (when the bridge resolves each endpoint depends on which endpoint was picked first), and TCP
/// checksums (the kernel's are left to offload).
#[test]
fn kube_proxy_clusterip_matches_the_kernel_up_to_endpoint_choice() {
    let lab = run_lab("kube-proxy-clusterip");
    let mm = oracle::MacMap::parse(&lab.macmap());
    let ours = oracle::split_and_normalize_with(&lab.pcapng_traffic(), Some(&mm)).unwrap();
    let kdir = root().join("tests/kernel/kube-proxy-clusterip");
    let kernel = oracle::load_kernel_dir(&kdir).unwrap().norm;
    let view = |m: &std::collections::BTreeMap<String, Vec<String>>, ifs: &[&str], sort: bool| {
        let mut v: Vec<String> = ifs
            .iter()
            .flat_map(|i| m.get(*i).cloned().unwrap_or_default())
            .filter(|l| !l.contains("ethertype ARP"))
            .map(|l| mask_endpoint(&l))
            .collect();
        if sort {
            v.sort();
        }
        v
    };
    for (ifs, sort) in [
        (&["client:eth0"][..], false),
        (&["root:veth-client"][..], false),
        (&["ep1:eth0", "ep2:eth0", "ep3:eth0"][..], true),
        (
            &["root:veth-ep1", "root:veth-ep2", "root:veth-ep3"][..],
            true,
        ),
    ] {
        let (k, o) = (view(&kernel, ifs, sort), view(&ours, ifs, sort));
        assert!(
            k == o,
            "{ifs:?} differ:\n{}",
            oracle::unified_diff(&k, &o, "kernel", "nslab").join("\n")
        );
    }
    // The bridge device sees the DNATed frames it sends through its neighbour output while an
    // endpoint's neighbour entry is not CONNECTED (br_nf_pre_routing_finish_bridge's slow
    // path): how many depends on when that entry was created, which differs (see the report in
    // ARCHITECTURE.md); everything else on cni0 is the same multiset.
    let slow = |l: &String| {
        l.starts_with("root:cni0 > EP:eth0") && l.contains("10.244.0.2.EPH > 10.244.0.EP.8080")
    };
    let k: Vec<String> = view(&kernel, &["root:cni0"], true)
        .into_iter()
        .filter(|l| !slow(l))
        .collect();
    let o: Vec<String> = view(&ours, &["root:cni0"], true)
        .into_iter()
        .filter(|l| !slow(l))
        .collect();
    assert!(
        k == o,
        "root:cni0 differs:\n{}",
        oracle::unified_diff(&k, &o, "kernel", "nslab").join("\n")
    );
    assert!(view(&ours, &["root:cni0"], true).iter().any(slow));
    // 30 connections, DNATed to all three endpoints (seed 1: 11, 10, 9; the kernel run: 14, 10,
    // 6), each counted by its KUBE-SEP jump.
    let syns = view(&ours, &["client:eth0"], false)
        .iter()
        .filter(|l| l.contains("> 10.96.0.100.80: Flags [S]"))
        .count();
    assert_eq!(syns, 30);
    let out = lab.output();
    let counts: Vec<u64> = out
        .lines()
        .filter(|l| l.contains("KUBE-SEP-"))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 30, "{out}");
    assert!(counts.iter().all(|&n| n > 0), "{out}");
}

/// The packet-path trace names each rule that decided (in its -S form), the NAT binding and
/// rewrites, and conntrack's view.
#[test]
fn trace_notes_name_rules_nat_and_conntrack() {
    let src = std::fs::read_to_string(root().join("scenarios/netfilter-ping.sh")).unwrap();
    let mut lab = Lab::new(1);
    lab.kernel.tracer.enabled = true;
    lab.run_shell(&src, "netfilter-ping.sh");
    let notes: Vec<String> = lab
        .kernel
        .tracer
        .notes
        .iter()
        .filter(|n| n.ns == "r")
        .map(|n| n.text.clone())
        .collect();
    for want in [
        "nf nat -A PREROUTING -d 10.9.9.9/32 -j DNAT --to-destination 10.0.2.2",
        "nf nat -A POSTROUTING -o rb -j MASQUERADE",
        "nat: DNAT 10.9.9.9:",
        "nat: SNAT 10.0.1.2:",
        "nat: destination -> 10.0.2.2:",
        "nf filter -A FORWARD -d 10.0.2.2/32 -p icmp -j REJECT --reject-with icmp-port-unreachable",
        "nf filter -A FORWARD -d 10.0.2.2/32 -j DROP",
        "conntrack: new #1",
        "EstablishedReply",
    ] {
        assert!(
            notes.iter().any(|n| n.contains(want)),
            "no note {want:?} in {notes:#?}"
        );
    }
}

/// Without br_netfilter (`net.bridge.bridge-nf-call-iptables=0`) the endpoint's reply is bridged
/// straight back to the client without reverse NAT: the client sees a SYN-ACK from the endpoint
/// instead of the ClusterIP, answers with a reset, and curl times out.
#[test]
fn without_bridge_nf_call_iptables_replies_escape_reverse_nat() {
    let src = std::fs::read_to_string(root().join("scenarios/kube-proxy-clusterip.sh"))
        .unwrap()
        .replace(
            "ip link set cni0 up\n",
            "ip link set cni0 up\nsysctl -w net.bridge.bridge-nf-call-iptables=0\n",
        )
        .replace(
            "for i in $(seq 30); do ip netns exec client curl -sS 10.96.0.100 > /dev/null; done",
            "ip netns exec client curl -sS --connect-timeout 1 10.96.0.100",
        );
    let mut lab = Lab::new(1);
    lab.run_shell(&src, "k.sh");
    let out = lab.output();
    assert!(
        out.contains("curl: (28) Failed to connect to 10.96.0.100 port 80 after 1000 ms"),
        "{out}"
    );
    let mm = oracle::MacMap::parse(&lab.macmap());
    let ours = oracle::split_and_normalize_with(&lab.pcapng_traffic(), Some(&mm)).unwrap();
    let client = &ours["client:eth0"];
    assert!(client
        .iter()
        .any(|l| l.contains(".8080 > 10.244.0.2.EPH: Flags [S.]")));
    assert!(client.iter().any(|l| l.contains(".8080: Flags [R]")));
    assert!(!client
        .iter()
        .any(|l| l.contains("10.96.0.100.80 > 10.244.0.2.EPH")));
}
