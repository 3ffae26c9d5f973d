//! The Linux kernel's own net selftests as a conformance suite (issue 11).
//!
//! The selftests (GPL shell scripts from `tools/testing/selftests/net`), the sandboxed runner
//! for the real kernel and the kernel's verdicts live outside the repository, in
//! `shared/conformance/kernel-selftests/` next to the checkout (found by walking up from the
//! project root, or named by `NSLAB_KERNEL_SELFTESTS`); they are read from there, never copied
//! in. When the folder is absent the test says so and passes.
//!
//! Each selected selftest runs as `nslab run FILE -- ARGS` (the lab's directory is the
//! selftest's own, so `source lib.sh` reads the real file). Every subtest verdict line it
//! prints (`TEST: ... [ OK ]`/`[FAIL]`/`[SKIP]`, or `run X test` + `ok`/`failed`, or a bare
//! `[ OK ]`/`[FAIL]`) is compared with the kernel's verdict for the same subtest (same group
//! heading, same text, same occurrence) from `kernel-runs/` (see `BASELINE.md` there: which
//! kernel, and which runs used the dummy shim). The test prints a table and fails when fewer
//! verdicts agree than [`AGREE_FLOOR`] (raise it as features land, so a regression shows), or
//! when a selftest listed in [`NO_REFUSAL`] prints an nslab refusal.
//!
//! `NSLAB_SELFTESTS_ONLY=NAME[,NAME]` runs only the selftests whose file name contains one of
//! the words (the floor is then not checked).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// How many of the 178 selected IPv4 subtests must give the kernel's verdict.
const AGREE_FLOOR: usize = 176;

/// Selftests that must run without any nslab refusal (`nslab: ... is not modelled yet`, a
/// shell construct that is not supported, a timeout).
const NO_REFUSAL: &[&str] = &[
    "route_localnet.sh",
    "arp_ndisc_untracked_subnets.sh",
    "broadcast_ether_dst.sh",
];

/// Wall-clock bound for one selftest under nslab (the simulated clock runs much faster).
const TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Ok,
    Fail,
    Skip,
}

impl Verdict {
    fn text(v: Option<Verdict>) -> &'static str {
        match v {
            Some(Verdict::Ok) => "OK",
            Some(Verdict::Fail) => "FAIL",
            Some(Verdict::Skip) => "SKIP",
            None => "-",
        }
    }
}

/// One subtest verdict: its group heading (the last unindented line after a blank or `#`
/// line), its text, and which occurrence of (group, text) it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    group: String,
    name: String,
    nth: usize,
}

/// One selftest of the suite: the file under `tools/testing/selftests/net`, its arguments, the
/// kernel run holding its verdicts, and which of the kernel's subtests are the IPv4 target.
struct Selftest {
    file: &'static str,
    args: &'static [&'static str],
    kernel_run: &'static str,
    select: fn(&Key) -> bool,
}

/// The group headings of fib_tests' `unregister down carrier ipv4_rt ipv4_addr_metric
/// ipv4_route_metrics`.
const FIB_TESTS_GROUPS: &[&str] = &[
    "Single path route test",
    "Multipath route test",
    "Single path, admin down",
    "Admin down multipath",
    "Local carrier tests - single path",
    "Single path route carrier test",
    "IPv4 route add / append tests",
    "IPv4 route replace tests",
    "IPv4 prefix route tests",
];

/// Verdicts the baseline's kernel could not give (it has no vrf module: the subtest fails at
/// `type vrf`), as Linux 6.1 with vrf gives them: (selftest, group, subtest, verdict). Evidence
/// recorded in the oracle VM (kernel 6.1.0-57): `tests/kernel/nslab-vrf-local-cache` runs
/// fib_tests' `ipv4_local_rt_cache` commands, and `ip link delete vrf-100` succeeds (rc=0),
/// which is what the subtest checks.
const VRF_KERNEL_VERDICTS: &[(&str, &str, &str, Verdict)] = &[(
    "fib_tests.sh",
    "IPv4 route replace tests",
    "Cached route removed from VRF port device",
    Verdict::Ok,
)];

const SUITE: &[Selftest] = &[
    Selftest {
        file: "route_localnet.sh",
        args: &[],
        kernel_run: "as-is/route_localnet.sh.out",
        select: |_| true,
    },
    Selftest {
        file: "arp_ndisc_evict_nocarrier.sh",
        args: &[],
        kernel_run: "as-is/arp_ndisc_evict_nocarrier.sh.out",
        select: |k| k.name.contains("arp_evict"),
    },
    Selftest {
        file: "arp_ndisc_untracked_subnets.sh",
        args: &["-t", "arp"],
        kernel_run: "as-is/arp_ndisc_untracked_subnets.sh.out",
        select: |k| k.name.starts_with("test_arp"),
    },
    Selftest {
        file: "broadcast_ether_dst.sh",
        args: &[],
        kernel_run: "as-is/broadcast_ether_dst.sh.out",
        select: |_| true,
    },
    Selftest {
        file: "traceroute.sh",
        args: &[],
        kernel_run: "as-is/traceroute.sh.out",
        select: |k| k.name == "IPV4 traceroute",
    },
    Selftest {
        file: "fib_tests.sh",
        args: &[
            "-t",
            "unregister down carrier ipv4_rt ipv4_addr_metric ipv4_route_metrics",
        ],
        // The kernel here lacks CONFIG_DUMMY: its verdicts come from the dummy-shim run.
        kernel_run: "dummy-shim/fib_tests.sh.out",
        select: |k| FIB_TESTS_GROUPS.contains(&k.group.as_str()) && !k.name.contains("IPv6"),
    },
    Selftest {
        file: "fib_rule_tests.sh",
        args: &["-t", "fib_rule4"],
        kernel_run: "dummy-shim/fib_rule_tests.sh.out",
        select: |k| k.group.starts_with("IPv4 FIB rule tests"),
    },
    Selftest {
        file: "icmp_redirect.sh",
        args: &[],
        kernel_run: "as-is/icmp_redirect.sh.out",
        select: |k| {
            (k.group == "Legacy routing" || k.group == "Routing with nexthop objects")
                && k.name.starts_with("IPv4")
        },
    },
    // The VRF halves (issue 11's "go further"): the baseline's kernel has no vrf, so the
    // verdicts are the oracle VM's (Linux 6.1.0-57 with vrf; tests/selftests-vm/, the
    // selftest run there as-is with its own namespaces, IPv6 enabled).
    Selftest {
        file: "icmp_redirect.sh",
        args: &[],
        kernel_run: "vm/icmp_redirect.sh.out",
        select: |k| {
            (k.group == "Legacy routing with VRF"
                || k.group == "Routing with nexthop objects and VRF")
                && k.name.starts_with("IPv4")
        },
    },
    Selftest {
        file: "fib-onlink-tests.sh",
        args: &[],
        // (The run's IPv4 section only: its subtests come first, so their keys are the same
        // in nslab's full run.)
        kernel_run: "vm/fib-onlink-tests.sh.ipv4.out",
        select: |_| true,
    },
    Selftest {
        file: "pmtu.sh",
        args: &[
            "pmtu_ipv4_exception",
            "pmtu_ipv4_vxlan4_exception",
            "pmtu_ipv4_br_vxlan4_exception",
            "list_flush_ipv4_exception",
            "pmtu_ipv4_route_change",
            "cleanup_ipv4_exception",
        ],
        kernel_run: "as-is/pmtu.sh.out",
        select: |k| k.name.to_lowercase().starts_with("ipv4") && !k.name.contains("over IPv4"),
    },
];

/// The number of IPv4 subtests the suite targets: issue 11's table (153), then the VRF halves
/// of icmp_redirect.sh (10) and fib-onlink-tests.sh's IPv4 section (15).
const TARGET: usize = 178;

/// `shared/conformance/kernel-selftests` beside the checkout (or a worktree's parent), or the
/// folder `NSLAB_KERNEL_SELFTESTS` names.
fn selftests_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("NSLAB_KERNEL_SELFTESTS") {
        return Some(PathBuf::from(d)).filter(|d| d.is_dir());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.ancestors()
        .skip(1)
        .map(|a| a.join("shared/conformance/kernel-selftests"))
        .find(|d| d.join("BASELINE.md").is_file())
}

fn is_group_heading(line: &str, prev: &str) -> bool {
    let p = prev.trim();
    !line.trim().is_empty()
        && !line.starts_with([' ', '\t', '#'])
        && !line.starts_with("TEST:")
        && !line.contains(':')
        && (p.is_empty() || p.starts_with('#'))
}

/// The subtest verdicts a selftest printed, in order. A group heading has no `:` (error lines,
/// nslab's `FILE:LINE:` messages and `SKIP:` notes are not headings).
fn parse_verdicts(out: &str) -> Vec<(Key, Verdict)> {
    let mut v = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut group = String::new();
    let mut prev = "";
    let mut pending: Option<String> = None;
    let mut push = |group: &str, name: &str, verdict| {
        let n = seen
            .entry((group.to_string(), name.to_string()))
            .or_insert(0);
        *n += 1;
        let key = Key {
            group: group.to_string(),
            name: name.to_string(),
            nth: *n,
        };
        v.push((key, verdict));
    };
    for line in out.lines() {
        let t = line.trim();
        let tagged = [
            ("[ OK ]", Verdict::Ok),
            ("[FAIL]", Verdict::Fail),
            ("[SKIP]", Verdict::Skip),
        ];
        if let Some(rest) = t.strip_prefix("TEST:") {
            if let Some((tag, verdict)) = tagged
                .iter()
                .find(|(tag, _)| rest.trim_end().ends_with(tag))
            {
                let name = rest.trim_end().strip_suffix(tag).unwrap_or(rest).trim();
                push(&group, name, *verdict);
            }
        } else if let Some((_, verdict)) = tagged.iter().find(|(tag, _)| t.starts_with(tag)) {
            // broadcast_ether_dst.sh: `[ OK ]` or `[FAIL] expected ...` under its heading
            push(&group, "(result)", *verdict);
        } else if let Some(name) = t.strip_prefix("run ").and_then(|r| r.strip_suffix(" test")) {
            pending = Some(name.to_string());
        } else if (t == "ok" || t == "failed") && pending.is_some() {
            let name = pending.take().unwrap_or_default();
            let verdict = if t == "ok" {
                Verdict::Ok
            } else {
                Verdict::Fail
            };
            push(&group, &name, verdict);
        } else if is_group_heading(line, prev) {
            group = t.to_string();
        }
        prev = line;
    }
    v
}

/// What a run of nslab gave: stdout, the refusals on stderr, whether it timed out.
struct Run {
    stdout: String,
    refusals: Vec<String>,
    /// Whole-test skips (`SKIP: ...`, `... skipping tests`).
    skips: Vec<String>,
}

fn run_nslab(dir: &Path, t: &Selftest) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nslab"))
        .current_dir(dir)
        .arg("run")
        // the kernel baseline ran with IPv6 enabled (run-kernel-selftest.sh's sandbox)
        .arg("--ipv6")
        .arg(t.file)
        .arg("--")
        .args(t.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nslab starts");
    let mut so = child.stdout.take().expect("piped");
    let mut se = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = so.read_to_end(&mut s);
        s
    });
    let ereader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = se.read_to_end(&mut s);
        s
    });
    // the watchdog counts its own sleeps (the project forbids reading the wall clock)
    let mut waited = Duration::ZERO;
    let tick = Duration::from_millis(20);
    let mut timed_out = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if waited > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                timed_out = true;
                break;
            }
            Ok(None) => {
                std::thread::sleep(tick);
                waited += tick;
            }
            Err(e) => panic!("waiting for nslab: {e}"),
        }
    }
    let stdout = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&ereader.join().unwrap_or_default()).into_owned();
    // nslab's end-of-run list of the commands that failed (`nslab: FILE:LINE: `CMD` failed
    // (status N)`) reports failures the selftest itself handles (its cleanup's `ip netns del`
    // of a namespace already gone, a probe expected to fail), as the kernel's run had them:
    // no refusal. A refused command says so in its own line.
    let mut refusals: Vec<String> = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|l| l.contains("nslab:") || l.contains("not supported"))
        .filter(|l| {
            !(l.starts_with("nslab: ")
                && (l.contains("` failed (status ") || l.ends_with(" more failed commands")))
        })
        .map(str::to_string)
        .collect();
    if timed_out {
        refusals.push(format!("timed out after {}s", TIMEOUT.as_secs()));
    }
    let skips = stdout
        .lines()
        .filter(|l| l.starts_with("SKIP") || l.contains("skipping tests"))
        .map(str::to_string)
        .collect();
    Run {
        stdout,
        refusals,
        skips,
    }
}

#[test]
fn kernel_selftests_give_the_kernels_verdicts() {
    let Some(root) = selftests_dir() else {
        eprintln!("kernel selftests not found (shared/conformance/kernel-selftests): skipped");
        return;
    };
    let only: Option<Vec<String>> = std::env::var("NSLAB_SELFTESTS_ONLY")
        .ok()
        .map(|s| s.split(',').map(str::to_string).collect());
    let net = root.join("src/tools/testing/selftests/net");
    let mut table = String::new();
    let mut summary = String::new();
    let mut agree_total = 0;
    let mut target_total = 0;
    let mut problems = Vec::new();
    for t in SUITE {
        if let Some(only) = &only {
            if !only.iter().any(|w| t.file.contains(w.as_str())) {
                continue;
            }
        }
        // `vm/NAME`: a run in the oracle VM (Linux 6.1 with vrf), kept in the repository.
        let kernel_path = match t.kernel_run.strip_prefix("vm/") {
            Some(n) => Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/selftests-vm")
                .join(n),
            None => root.join("kernel-runs").join(t.kernel_run),
        };
        let kernel_text = std::fs::read_to_string(&kernel_path)
            .unwrap_or_else(|e| panic!("{}: {e}", t.kernel_run));
        let kernel: Vec<(Key, Verdict)> = parse_verdicts(&kernel_text)
            .into_iter()
            .filter(|(k, _)| (t.select)(k))
            .map(|(k, v)| {
                let vm = VRF_KERNEL_VERDICTS
                    .iter()
                    .find(|o| o.0 == t.file && o.1 == k.group && o.2 == k.name);
                (k, vm.map_or(v, |o| o.3))
            })
            .collect();
        let run = run_nslab(&net, t);
        let nslab: BTreeMap<Key, Verdict> = parse_verdicts(&run.stdout).into_iter().collect();
        let mut agree = 0;
        for (k, kv) in &kernel {
            let nv = nslab.get(k).copied();
            if nv == Some(*kv) {
                agree += 1;
            }
            let name = if k.nth > 1 {
                format!("{} ({})", k.name, k.nth)
            } else {
                k.name.clone()
            };
            let group = if k.group.is_empty() { "" } else { &k.group };
            table += &format!(
                "{:<32} {:<40} {:<62} {:<5} {:<5}{}\n",
                t.file,
                group,
                name,
                Verdict::text(Some(*kv)),
                Verdict::text(nv),
                if nv == Some(*kv) { "" } else { "  *" }
            );
        }
        summary += &format!(
            "{:<32} {:>3} of {:>3} agree; nslab refusals: {}\n",
            t.file,
            agree,
            kernel.len(),
            run.refusals.len()
        );
        for r in run.skips.iter().chain(run.refusals.iter().take(3)) {
            summary += &format!("    {r}\n");
        }
        agree_total += agree;
        target_total += kernel.len();
        if NO_REFUSAL.contains(&t.file) && !run.refusals.is_empty() {
            problems.push(format!(
                "{} ended in an nslab refusal: {}",
                t.file, run.refusals[0]
            ));
        }
    }
    println!(
        "{:<32} {:<40} {:<62} {:<5} {:<5}\n{table}",
        "selftest", "group", "subtest", "kernel", "nslab"
    );
    println!("{summary}total: {agree_total} of {target_total} IPv4 subtests give the kernel's verdict (floor {AGREE_FLOOR})");
    if only.is_none() {
        assert_eq!(
            target_total, TARGET,
            "the kernel runs hold {target_total} selected subtests"
        );
        if agree_total < AGREE_FLOOR {
            problems.push(format!(
                "{agree_total} verdicts agree with the kernel's, fewer than the floor {AGREE_FLOOR}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn verdict_lines_are_parsed_as_the_selftests_print_them() {
    let out = "\nSingle path route test\n    Start point\n    TEST: IPv4 fibmatch                                                 [ OK ]\nError: x\n    TEST: IPv4 fibmatch                                                 [FAIL]\n###\nLegacy routing\n###\nTEST: IPv4: redirect exception                                      [SKIP]\nrun arp_announce test\nnet.ipv4.conf.veth0.route_localnet = 1\nok\nrun x test\nfailed\n";
    let v = parse_verdicts(out);
    let got: Vec<(&str, &str, usize, Verdict)> = v
        .iter()
        .map(|(k, v)| (k.group.as_str(), k.name.as_str(), k.nth, *v))
        .collect();
    assert_eq!(
        got,
        [
            ("Single path route test", "IPv4 fibmatch", 1, Verdict::Ok),
            ("Single path route test", "IPv4 fibmatch", 2, Verdict::Fail),
            (
                "Legacy routing",
                "IPv4: redirect exception",
                1,
                Verdict::Skip
            ),
            ("Legacy routing", "arp_announce", 1, Verdict::Ok),
            ("Legacy routing", "x", 1, Verdict::Fail),
        ]
    );
}
