//! Netfilter: the iptables command line against the real iptables-legacy 1.8.9 (outputs and
//! errors recorded in a namespace into `tests/netfilter/`), iptables-save/-restore, and the
//! netfilter-ping lab against its kernel recording.

use nslab::oracle;
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
    let ours = oracle::split_and_normalize_with(&lab.pcapng(), Some(&mm)).unwrap();
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
    assert_eq!(
        lab.output(),
        "# Generated by iptables-save v1.8.9 on Thu Jan  1 00:01:01 1970\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5:6443\nCOMMIT\n# Completed on Thu Jan  1 00:01:01 1970\nr.sh:11: iptables-restore v1.8.9 (legacy): Couldn't load target `NOPE':No such file or directory\n\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n"
    );
}
