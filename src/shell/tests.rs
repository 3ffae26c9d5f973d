//! Unit tests of the shell front end against a fake host that records every call.

use super::*;
use std::collections::BTreeMap;

type Responder = Box<dyn FnMut(&[String], &[u8]) -> Option<CmdOutput>>;

#[derive(Default)]
struct Fake {
    /// (argv joined by spaces, line) of every host.run.
    runs: Vec<(String, u32)>,
    stdins: Vec<Vec<u8>>,
    spawns: Vec<(String, Sink, Sink, u32)>,
    waits: Vec<u32>,
    kills: Vec<u32>,
    sleeps: Vec<f64>,
    files: BTreeMap<String, Vec<u8>>,
    writes: Vec<(String, String, bool)>,
    out: String,
    err: String,
    /// Both streams in order, stderr lines prefixed with "E:".
    term: String,
    markers: Vec<String>,
    responder: Option<Responder>,
    next_job: u32,
    /// Namespaces opened by `ip netns exec` (handle = index + 1) and the current one.
    netns: Vec<String>,
    cur_ns: u32,
}

impl Fake {
    /// `argv` as the lab would have been given it before the shell ran `ip netns exec`.
    fn full(&self, argv: &[String]) -> String {
        match self.cur_ns {
            0 => argv.join(" "),
            n => format!(
                "ip netns exec {} {}",
                self.netns[n as usize - 1],
                argv.join(" ")
            ),
        }
    }
}

impl Fake {
    fn with(responder: Responder) -> Self {
        Fake {
            responder: Some(responder),
            ..Default::default()
        }
    }
}

impl Host for Fake {
    fn run(&mut self, argv: &[String], stdin: &[u8], loc: &Loc) -> CmdOutput {
        self.runs.push((self.full(argv), loc.line));
        self.stdins.push(stdin.to_vec());
        if let Some(r) = self.responder.as_mut() {
            if let Some(o) = r(argv, stdin) {
                return o;
            }
        }
        match argv[0].as_str() {
            p if matches!(
                crate::programs::lookup(p),
                Some(crate::programs::Kind::Kernel) | Some(crate::programs::Kind::Bird)
            ) =>
            {
                CmdOutput::default()
            }
            "fail" => CmdOutput::error(3, "fail: failed\n"),
            p => CmdOutput::error(
                127,
                format!("{}: line {}: {p}: command not found\n", loc.file, loc.line),
            ),
        }
    }
    fn spawn(
        &mut self,
        argv: Vec<String>,
        _stdin: &[u8],
        out: Sink,
        err: Sink,
        loc: &Loc,
    ) -> Result<JobId, CmdOutput> {
        if argv[0] == "nosuch" {
            return Err(CmdOutput::error(127, "nosuch: command not found\n"));
        }
        self.spawns.push((self.full(&argv), out, err, loc.line));
        self.next_job += 1;
        Ok(JobId(self.next_job))
    }
    fn wait(&mut self, job: JobId) -> i32 {
        self.waits.push(job.0);
        if self.kills.contains(&job.0) {
            143
        } else {
            0
        }
    }
    fn kill(&mut self, job: JobId) -> Result<(), String> {
        self.kills.push(job.0);
        Ok(())
    }
    fn sleep(&mut self, secs: f64) {
        self.sleeps.push(secs);
    }
    fn emit(&mut self, stream: Stream, data: &[u8]) {
        let s = String::from_utf8_lossy(data);
        match stream {
            Stream::Stdout => {
                self.out.push_str(&s);
                self.term.push_str(&s);
            }
            Stream::Stderr => {
                self.err.push_str(&s);
                self.term.push_str("E:");
                self.term.push_str(&s);
            }
        }
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), String> {
        if path.starts_with("/proc/sys/") && !self.files.contains_key(path) {
            return Err(format!("{path}: No such file or directory"));
        }
        self.writes.push((
            path.to_string(),
            String::from_utf8_lossy(data).into_owned(),
            append,
        ));
        let f = self.files.entry(path.to_string()).or_default();
        if !append {
            f.clear();
        }
        f.extend_from_slice(data);
        Ok(())
    }
    fn netns_open(&mut self, name: &str) -> Option<u32> {
        if name == "nope" {
            return None;
        }
        if !self.netns.iter().any(|n| n == name) {
            self.netns.push(name.to_string());
        }
        self.netns
            .iter()
            .position(|n| n == name)
            .map(|i| i as u32 + 1)
    }
    fn set_netns(&mut self, ns: u32) {
        self.cur_ns = ns;
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| format!("{path}: No such file or directory"))
    }
    fn run_userland(
        &mut self,
        prog: userland::programs::Program,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> CmdOutput {
        // The fake's files are named as written (relative ones are in /lab): the program sees
        // them in an in-memory file system, and what it writes comes back.
        let abs = |k: &str| {
            if k.starts_with('/') {
                k.to_string()
            } else {
                format!("/lab/{k}")
            }
        };
        let mut fs = userland::testkit::MemFs::default();
        for (k, v) in &self.files {
            let p = abs(k);
            let mut d = p.as_str();
            while let Some(i) = d.rfind('/').filter(|&i| i > 0) {
                d = &d[..i];
                fs.dirs.insert(d.to_string());
            }
            fs.files.insert(p, v.clone());
        }
        let mut random = || 4u64;
        let mut ctx = userland::Ctx {
            argv,
            stdin,
            stdout: Vec::new(),
            stderr: Vec::new(),
            env,
            cwd,
            fs: &mut fs,
            now_ns: 0,
            random: &mut random,
            exec: None,
        };
        let status = prog(&mut ctx);
        let (stdout, stderr) = (ctx.stdout, ctx.stderr);
        for (k, v) in fs.files {
            let key = k.strip_prefix("/lab/").map(str::to_string).unwrap_or(k);
            self.files.insert(key, v);
        }
        CmdOutput {
            stdout,
            stderr,
            status,
            ..Default::default()
        }
    }
    fn marker(&mut self, text: &str) {
        self.markers.push(text.to_string());
    }
    fn read_dir(&mut self, path: &str) -> Option<Vec<String>> {
        // the fake's files are named as written: relative names are in /lab
        if path != "/lab" {
            return None;
        }
        let mut v: Vec<String> = self
            .files
            .keys()
            .filter(|k| !k.contains('/'))
            .cloned()
            .collect();
        v.sort();
        Some(v)
    }
}

fn run_with(src: &str, fake: &mut Fake) -> ScriptResult {
    run_script(src, "lab.sh", fake, &ShellOptions::default())
}

fn run(src: &str) -> (Fake, ScriptResult) {
    let mut f = Fake::default();
    let r = run_with(src, &mut f);
    (f, r)
}

fn runs(f: &Fake) -> Vec<&str> {
    f.runs.iter().map(|(a, _)| a.as_str()).collect()
}

fn parse_err(src: &str) -> ShellError {
    match parse(src, "lab.sh") {
        Ok(s) => panic!("expected a parse error for {src:?}, got {s:?}"),
        Err(e) => e,
    }
}

// ------------------------------------------------------------------ labs

fn labs() -> Vec<(String, String)> {
    // The shared labs (`seed*.sh`), as copied unchanged into scenarios/.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            let shared = name.starts_with("seed") && !name.ends_with(".traffic.sh");
            if shared && p.extension().is_some_and(|x| x == "sh") {
                if let Ok(s) = std::fs::read_to_string(&p) {
                    v.push((
                        p.file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned(),
                        s,
                    ));
                }
            }
        }
    }
    v.sort();
    v
}

#[test]
fn every_lab_parses() {
    let labs = labs();
    assert!(
        labs.len() >= 20,
        "the shared labs are missing from scenarios/"
    );
    for (name, src) in labs {
        if let Err(e) = parse(&src, &name) {
            panic!("{e}");
        }
    }
}

#[test]
fn every_lab_runs_without_failures_on_a_permissive_host() {
    for (name, src) in labs() {
        let mut f = Fake::default();
        // sysctl files exist; the convergence loops find what they wait for
        f.files
            .insert("/proc/sys/net/ipv4/ip_forward".to_string(), b"0\n".to_vec());
        f.responder = Some(Box::new(|argv: &[String], _: &[u8]| {
            let a = argv.join(" ");
            if a.ends_with("ip route show") {
                return Some(CmdOutput {
                    stdout:
                        b"192.168.10.0/24 via x\n192.168.20.0/24 via y\n192.168.30.0/24 via z\n"
                            .to_vec(),
                    ..Default::default()
                });
            }
            if a.starts_with("ss -") {
                return Some(CmdOutput {
                    stdout: b"LISTEN 0 5 10.10.200.10:123 192.168.10.3:80 127.0.0.1:8080\n"
                        .to_vec(),
                    ..Default::default()
                });
            }
            if argv.iter().any(|x| x == "python3" || x == "bird") {
                return Some(CmdOutput::default());
            }
            None
        }));
        // every /proc/sys file the lab writes exists
        for line in src.lines() {
            if let Some(i) = line.find("> /proc/sys/") {
                let p = line[i + 2..].split_whitespace().next().unwrap_or("");
                f.files.insert(p.to_string(), b"0\n".to_vec());
            }
        }
        let r = run_with(&src, &mut f);
        assert_eq!(r.failures, 0, "{name}: stderr {}", f.err);
        assert_eq!(r.status, 0, "{name}");
        assert!(
            f.markers.iter().any(|m| m == "# --- traffic ---"),
            "{name}: {:?}",
            f.markers
        );
    }
}

#[test]
fn cni9_bgp_lab_heredocs_loops_and_background() {
    let Some((_, src)) = labs().into_iter().find(|(n, _)| n == "seed002-cni9-bgp.sh") else {
        return;
    };
    let mut f = Fake::default();
    let mut calls = 0;
    f.responder = Some(Box::new(move |argv: &[String], _: &[u8]| {
        let a = argv.join(" ");
        if a.ends_with("ip route show") {
            calls += 1;
            // converged from the 3rd poll of each node on
            let out = if calls > 8 {
                "192.168.10.0/24 a\n192.168.20.0/24 b\n192.168.30.0/24 c\n"
            } else {
                "192.168.10.0/24 a\n"
            };
            return Some(CmdOutput {
                stdout: out.as_bytes().to_vec(),
                ..Default::default()
            });
        }
        None
    }));
    let r = run_with(&src, &mut f);
    assert_eq!(
        r,
        ScriptResult {
            status: 0,
            failures: 0
        },
        "{}",
        f.err
    );
    let w2 = String::from_utf8_lossy(&f.files["bird-worker2.conf"]).into_owned();
    assert!(w2.starts_with("router id 192.168.210.22;\n"), "{w2}");
    assert!(w2.contains("  local 192.168.210.22 as 65002;\n  neighbor 192.168.210.254 as 65000;\n"));
    let w3 = String::from_utf8_lossy(&f.files["bird-worker3.conf"]).into_owned();
    assert!(w3.contains("local 192.168.230.23 as 65003;"));
    let leaf = String::from_utf8_lossy(&f.files["bird-leaf03.conf"]).into_owned();
    assert!(leaf.contains("ipv4 { import all; export where source = RTS_BGP; };"));
    assert_eq!(f.spawns.len(), 4);
    assert_eq!(f.spawns[0].0, "ip netns exec leaf03 bird -f -c bird-leaf03.conf -s /lab/bird-leaf03.ctl -P /lab/bird-leaf03.pid");
    assert_eq!(f.spawns[0].1, Sink::Terminal);
    // three polling rounds of 4 nodes, 2 sleeps between them
    let polls = f
        .runs
        .iter()
        .filter(|(a, _)| a.ends_with("ip route show"))
        .count();
    assert_eq!(polls, 12);
    assert_eq!(f.sleeps, vec![0.1, 0.1]);
    let poll_line = f
        .runs
        .iter()
        .find(|(a, _)| a.ends_with("ip route show"))
        .map(|x| x.1);
    assert_eq!(poll_line, Some(140));
    // every full-line comment starting with "# ---" (section headers "# ---- x ----" too)
    assert_eq!(f.markers.len(), 7);
    assert_eq!(
        f.markers[0],
        "# ---- underlay: leaf03 (Cumulus switch in the document) as netns leaf03 ----"
    );
    assert_eq!(f.markers[6], "# --- traffic ---");
    let traffic = runs(&f)
        .iter()
        .position(|a| a.starts_with("ip netns exec w1-netns1 ping"))
        .unwrap_or(0);
    assert!(traffic > 0);
}

#[test]
fn ipip_p2p_background_server_with_null_sinks() {
    let Some((_, src)) = labs().into_iter().find(|(n, _)| n == "seed000-ipip-p2p.sh") else {
        return;
    };
    let mut f = Fake::default();
    let mut n = 0;
    f.responder = Some(Box::new(move |argv: &[String], _: &[u8]| {
        if argv.first().map(String::as_str) == Some("ss") {
            n += 1;
            let out = if n >= 3 {
                "LISTEN 0 5 10.10.200.10:123 0.0.0.0:*\n"
            } else {
                ""
            };
            return Some(CmdOutput {
                stdout: out.into(),
                ..Default::default()
            });
        }
        None
    }));
    let r = run_with(&src, &mut f);
    assert_eq!(
        r,
        ScriptResult {
            status: 0,
            failures: 0
        },
        "{}",
        f.err
    );
    assert_eq!(f.spawns.len(), 1);
    assert_eq!(f.spawns[0].1, Sink::Null);
    assert_eq!(f.spawns[0].2, Sink::Null);
    assert_eq!(f.sleeps, vec![0.05, 0.05]);
    // grep -q's failure inside the && of the loop is a condition: not counted
    assert!(runs(&f)
        .last()
        .is_some_and(|a| a.ends_with("curl -sS http://10.10.200.10:123/")));
}

// ------------------------------------------------------------------ basics

#[test]
fn loop_over_seq_gives_exact_argv_and_lines() {
    let (f, r) = run("# c\nfor i in $(seq 3); do\n  ip link add v$i type veth\n  ping -c 1 \"10.0.0.$i\"\ndone\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 0,
            failures: 0
        }
    );
    assert_eq!(
        f.runs,
        vec![
            ("ip link add v1 type veth".to_string(), 3),
            ("ping -c 1 10.0.0.1".to_string(), 4),
            ("ip link add v2 type veth".to_string(), 3),
            ("ping -c 1 10.0.0.2".to_string(), 4),
            ("ip link add v3 type veth".to_string(), 3),
            ("ping -c 1 10.0.0.3".to_string(), 4),
        ]
    );
}

#[test]
fn for_over_words_and_seq_ranges() {
    let (f, _) = run("for n in a 'b c' \"d\"; do echo \"[$n]\"; done\nfor i in $(seq 2 2 6); do echo -n $i,; done\necho\nseq -s + 3\n");
    assert_eq!(f.out, "[a]\n[b c]\n[d]\n2,4,6,\n1+2+3\n");
}

#[test]
fn heredoc_quoted_vs_unquoted_and_dash() {
    let src = "ip=1.2.3.4\ncat > a.conf <<EOF\nrouter id $ip;\n  x \\$y \"$ip\" '$ip' $(echo sub)\nEOF\ncat > b.conf <<'EOF'\nrouter id $ip;\nEOF\ncat >> b.conf <<-END\n\t\tindented $ip\n\tEND\necho after\n";
    let (f, r) = run(src);
    assert_eq!(r.failures, 0, "{}", f.err);
    assert_eq!(
        String::from_utf8_lossy(&f.files["a.conf"]),
        "router id 1.2.3.4;\n  x $y \"1.2.3.4\" '1.2.3.4' sub\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&f.files["b.conf"]),
        "router id $ip;\nindented 1.2.3.4\n"
    );
    assert_eq!(f.out, "after\n");
    // `> f` opens (truncates) first, then writes the whole output once
    assert_eq!(f.writes[0], ("a.conf".to_string(), String::new(), false));
    assert!(f.writes[1].2);
}

#[test]
fn heredoc_feeds_stdin_of_host_commands_and_two_heredocs_on_one_line() {
    let (f, _) = run("ip -batch - <<X; cat <<Y\nlink add a\nX\nsecond\nY\necho end\n");
    assert_eq!(f.stdins[0], b"link add a\n");
    assert_eq!(f.out, "second\nend\n");
    assert_eq!(f.runs[0].1, 1);
}

#[test]
fn set_e_stops_at_the_failing_command() {
    let (f, r) = run("set -e\nip a\nfail x\nip b\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 3,
            failures: 1
        }
    );
    assert_eq!(runs(&f), vec!["ip a", "fail x"]);
    assert_eq!(f.err, "fail: failed\n");
}

#[test]
fn set_e_ignores_conditions_and_respects_set_plus_e() {
    let src = "set -e\nif fail; then echo no; fi\nwhile fail; do :; done\nfail || echo recovered\n! fail\nfail && echo no\n{ fail && true; }\nset +e\nfail\necho still\nset -e\nx=$(fail)\necho unreachable\n";
    let (f, r) = run(src);
    assert_eq!(f.out, "recovered\nstill\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 3,
            failures: 2
        }
    );
}

#[test]
fn and_or_short_circuit() {
    let (f, r) = run("true && echo a || echo b\nfalse && echo c || echo d\nfalse || false || echo e\ntrue || echo f\n");
    assert_eq!(f.out, "a\nd\ne\n");
    assert_eq!(r.failures, 0);
    let (_, r) = run("true && false\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 1,
            failures: 1
        }
    );
}

#[test]
fn pipelines_into_grep_wc_head_tail_sort() {
    let mut f = Fake::with(Box::new(|argv: &[String], _: &[u8]| {
        (argv.join(" ") == "ip route show").then(|| CmdOutput {
            stdout: b"default via 10.0.0.1\n192.168.10.0/24 dev br0\n192.168.20.0/24 via 1\n10.0.0.0/8 dev eth0\n".to_vec(),
            ..Default::default()
        })
    }));
    let src = "ip route show | grep -q '^192\\.168\\.[12]0\\.0/24' && echo yes\nip route show | grep -c 192\nip route show | grep -v 192 | wc -l\nip route show | grep -E 'br0|eth0' | head -n 1\nip route show | tail -1\nip route show | grep -q nothing || echo no\nprintf '3\\n1\\n2\\n' | sort -r\nip route show | grep -i DEFAULT | wc -w\n";
    let r = run_with(src, &mut f);
    assert_eq!(
        f.out,
        "yes\n2\n2\n192.168.10.0/24 dev br0\n10.0.0.0/8 dev eth0\nno\n3\n2\n1\n3\n"
    );
    assert_eq!(r.failures, 0);
}

#[test]
fn grep_count_in_test_like_the_bgp_lab() {
    let mut f = Fake::with(Box::new(|_: &[String], _: &[u8]| {
        Some(CmdOutput {
            stdout: b"192.168.10.0/24 x\n192.168.30.0/24 y\n".to_vec(),
            ..Default::default()
        })
    }));
    let src = "ok=1\nfor n in a b; do\n  [ \"$(ip netns exec $n ip route show | grep -c '^192\\.168\\.[123]0\\.0/24')\" -ge 3 ] || ok=0\ndone\necho ok=$ok\n";
    let r = run_with(src, &mut f);
    assert_eq!(f.out, "ok=0\n");
    assert_eq!(r.failures, 0);
    assert_eq!(f.runs[0], ("ip netns exec a ip route show".to_string(), 3));
}

#[test]
fn redirections_null_and_dup() {
    let mut f = Fake::with(Box::new(|argv: &[String], _: &[u8]| {
        (argv[0] == "noisy").then(|| CmdOutput {
            stdout: b"out\n".to_vec(),
            stderr: b"err\n".to_vec(),
            status: 0,
            ..Default::default()
        })
    }));
    let src = "noisy > /dev/null 2>&1\nnoisy 2>/dev/null\nnoisy >/dev/null\nnoisy 2>&1 > /dev/null\nnoisy > f.txt 2>&1\nnoisy &> g.txt\necho x >&2\n";
    run_with(src, &mut f);
    // `2>&1 > /dev/null`: stderr goes where stdout went before (the terminal's stdout)
    assert_eq!(f.term, "out\nE:err\nerr\nE:x\n");
    // both streams into one file: a program's stdout there is stdio-buffered until exit, its
    // stderr written at once (as tcpdump's and traceroute's banners, recorded in tests/web.rs)
    assert_eq!(String::from_utf8_lossy(&f.files["f.txt"]), "err\nout\n");
    assert_eq!(String::from_utf8_lossy(&f.files["g.txt"]), "err\nout\n");
}

#[test]
fn write_order_of_a_line_flushed_program() {
    // A program that says where its stderr writes fell in its stdout (ping: stdout flushed
    // after every line): one file, a pipe and the terminal get the pieces in that order;
    // apart, each file keeps its own stream.
    let mut f = Fake::with(Box::new(|argv: &[String], _: &[u8]| {
        (argv[0] == "pinger").then(|| CmdOutput {
            stdout: b"PING\nstats\n".to_vec(),
            stderr: b"e1\ne2\n".to_vec(),
            status: 1,
            order: vec![(5, 0), (5, 3)],
            located: false,
        })
    }));
    let src = "pinger > f.txt 2>&1\npinger 2>&1 | cat > p.txt\npinger 2> e.txt > o.txt\npinger\n";
    run_with(src, &mut f);
    assert_eq!(
        String::from_utf8_lossy(&f.files["f.txt"]),
        "PING\ne1\ne2\nstats\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&f.files["p.txt"]),
        "PING\ne1\ne2\nstats\n"
    );
    assert_eq!(String::from_utf8_lossy(&f.files["o.txt"]), "PING\nstats\n");
    assert_eq!(String::from_utf8_lossy(&f.files["e.txt"]), "e1\ne2\n");
    assert_eq!(f.term, "PING\nE:e1\nE:e2\nstats\n");
}

#[test]
fn redirect_to_proc_sys_and_failing_redirection() {
    let mut f = Fake::default();
    f.files
        .insert("/proc/sys/net/ipv4/ip_forward".into(), b"0\n".to_vec());
    let src = "echo 1 > /proc/sys/net/ipv4/ip_forward\nip netns exec ns1 echo 1 > /proc/sys/net/ipv4/conf/x/y\necho $?\necho a >> log\necho b >> log\ncat < log\ncat missing\n";
    let r = run_with(src, &mut f);
    assert_eq!(f.files["/proc/sys/net/ipv4/ip_forward"], b"1\n");
    assert_eq!(f.err, "lab.sh: line 2: /proc/sys/net/ipv4/conf/x/y: No such file or directory\ncat: missing: No such file or directory\n");
    // the failed redirection kills the command before it runs
    assert!(runs(&f).is_empty());
    assert_eq!(f.out, "1\na\nb\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 1,
            failures: 2
        }
    );
}

#[test]
fn background_wait_and_kill() {
    let src = "ip netns exec a server > out.log &\necho pid=$!\nip netns exec b server2 2>/dev/null &\nkill %2\nwait %1\necho st=$?\nwait $!\necho st=$?\nkill %1\nwait %7\necho $?\nnosuch &\nwait\n";
    let (f, r) = run(src);
    assert_eq!(f.spawns.len(), 2);
    assert_eq!(
        f.spawns[0],
        (
            "ip netns exec a server".to_string(),
            Sink::File {
                path: "out.log".into(),
                append: false
            },
            Sink::Terminal,
            1
        )
    );
    assert_eq!(f.spawns[1].2, Sink::Null);
    assert_eq!(f.kills, vec![2]);
    assert_eq!(f.waits, vec![1, 2]);
    assert_eq!(f.out, "pid=4001\nst=0\nst=143\n127\n");
    assert_eq!(
        f.err,
        "lab.sh: line 9: kill: %1: no such job\nlab.sh: line 10: wait: %7: no such job\nnosuch: command not found\n"
    );
    assert_eq!(r.status, 0);
}

#[test]
fn background_sleep_is_a_host_process() {
    // `sleep 2 &` does not pause the lab: the host runs it as a process (on its clock)
    let (f, _) = run("sleep 2 &\necho go\nwait $!\necho $?\n");
    assert!(f.sleeps.is_empty());
    assert_eq!(f.spawns.len(), 1);
    assert_eq!(f.out, "go\n0\n");
}

#[test]
fn command_substitution() {
    let (f, _) = run("x=$(echo hello; echo world)\necho \"$x\"\necho $x\ny=\"$(echo a   b)\"\necho \"[$y]\" [$(echo)] \"[$(printf 'p\\n\\n')]\"\necho $(echo $(echo nested))\nz=$(false)\necho $?\n");
    assert_eq!(
        f.out,
        "hello\nworld\nhello world\n[a b] [] [p]\nnested\n1\n"
    );
}

#[test]
fn quoting_edge_cases() {
    let src = r#"a="x y"
echo "$a" '$a' \$a "\$a" "a\"b" 'it'"'"'s' e\ f "" x""y
echo ${a}z "${a}z" $a-1 "${b:-def}" ${a:-no} "${b-d2}"
echo "tab	in" 'back\slash' "back\\slash" "keep\q"
echo one\
two
e=
echo "[$e]" [$e] ["$e"]
echo $# $0 "$PWD" ${10:-ten}
"#;
    let (f, _) = run(src);
    assert_eq!(
        f.out,
        "x y $a $a $a a\"b it's e f  xy\nx yz x yz x y-1 def x y d2\ntab\tin back\\slash back\\slash keep\\q\nonetwo\n[] [] []\n0 lab.sh /lab ten\n"
    );
}

#[test]
fn if_elif_else_and_test_operators() {
    let src = "for n in 1 2 3 x; do\n  if [ $n = 1 ]; then echo one\n  elif [ \"$n\" -eq 2 ] 2>/dev/null; then echo two\n  elif test \"$n\" != x -a -n \"$n\"; then echo other\n  else echo else; fi\ndone\n[ -z \"\" ] && [ ! -f nofile ] && [ 3 -gt 2 ] && [ 2 -le 2 ] && [ 1 -lt 2 ] && [ 1 -ne 2 ] && [ 3 -ge 3 ] && echo ok\n[ abc -eq 1 ]\necho $?\n[ 1 = 1\necho $?\n";
    let (f, r) = run(src);
    assert_eq!(f.out, "one\ntwo\nother\nelse\nok\n2\n2\n");
    assert_eq!(
        f.err,
        "lab.sh: line 8: [: abc: integer expression expected\nlab.sh: line 10: [: missing `]'\n"
    );
    assert_eq!(r.failures, 2);
}

#[test]
fn test_f_uses_host_files() {
    let (f, _) = run("echo hi > f\n[ -f f ] && echo yes\n[ -f g ] || echo no\n");
    assert_eq!(f.out, "yes\nno\n");
}

#[test]
fn while_until_break_continue() {
    let src = "i=0\nwhile true; do\n  i=$(echo $i | grep -c 0)\n  for j in 1 2 3; do\n    [ $j = 2 ] && continue\n    [ $j = 3 ] && break 2\n    echo j$j\n  done\ndone\nuntil true; do echo never; done\nn=a\nwhile [ $n != aaa ]; do n=${n}a; done; echo $n\nbreak\n";
    let (f, r) = run(src);
    assert_eq!(f.out, "j1\naaa\n");
    assert_eq!(
        f.err,
        "lab.sh: line 13: break: only meaningful in a `for', `while', or `until' loop\n"
    );
    assert_eq!(r.failures, 0);
}

#[test]
fn groups_with_redirection_and_exit() {
    let (f, r) =
        run("{ echo a; echo b; } > ab.txt\ncat ab.txt | wc -l\n{ echo x\n  exit 4\n}\necho no\n");
    assert_eq!(f.out, "2\nx\n");
    assert_eq!(r.status, 4);
    let (_, r) = run("exit\n");
    assert_eq!(r.status, 0);
}

#[test]
fn sh_c_and_bash_c() {
    let (f, r) = run("sh -c 'echo $0 $1; ip link; x=5'  zero one\necho x=$x\nbash -c 'exit 7'\necho $?\nbash -c 'if' \necho $?\n");
    assert_eq!(f.out, "zero one\nx=\n7\n2\n");
    assert_eq!(f.runs, vec![("ip link".to_string(), 1)]);
    assert_eq!(
        f.err,
        "bash: -c: line 2: syntax error: unexpected end of file\n"
    );
    assert_eq!(r.failures, 2);
}

#[test]
fn xtrace_and_verbose() {
    let (f, _) = run("set -x\nx=1\necho \"a b\" $(echo c) '^1\\.2'\nset +x\necho quiet\n");
    assert_eq!(
        f.term,
        "E:+ x=1\nE:++ echo c\nE:+ echo 'a b' c '^1\\.2'\na b c ^1\\.2\nE:+ set +x\nquiet\n"
    );
    let (f, _) = run("set -x\nfor i in \"a b\" $(echo c); do :; done\n");
    assert_eq!(
        f.err,
        "++ echo c\n+ for i in \"a b\" $(echo c)\n+ :\n+ for i in \"a b\" $(echo c)\n+ :\n"
    );
    let (f, _) = run("set -v\n# comment\necho hi; echo there\nfor i in 1; do\n  echo $i\ndone\n");
    assert_eq!(
        f.term,
        "E:# comment\necho hi; echo there\nhi\nthere\nE:for i in 1; do\n  echo $i\ndone\n1\n"
    );
}

#[test]
fn echo_printf_and_exports() {
    let (f, _) = run("echo -n a; echo -e 'b\\tc\\n'd; echo -e 'e\\c' f; echo\nprintf '%s=%d %5s|%-3s|%03d %x%%\\n' a 7 r l 5 255\nprintf '%s\\n' x y z\nexport A=1 B\necho $A\nexport 1x\n");
    assert_eq!(f.out, "ab\tc\nd\ne\na=7     r|l  |005 ff%\nx\ny\nz\n1\n");
    assert_eq!(
        f.err,
        "lab.sh: line 6: export: `1x': not a valid identifier\n"
    );
}

#[test]
fn sleep_accepts_fractions_and_rejects_garbage() {
    let (f, r) = run("sleep 0.5\nsleep 1m\nsleep abc\n");
    assert_eq!(f.sleeps, vec![0.5, 60.0]);
    assert_eq!(f.err, "sleep: invalid time interval 'abc'\n");
    assert_eq!(r.failures, 1);
}

#[test]
fn markers_and_unknown_commands() {
    let (f, r) = run("# --- setup ---\nip a\n  # --- traffic ---\necho x # --- not a marker\nfrobnicate\nsource x\n");
    assert_eq!(f.markers, vec!["# --- setup ---", "# --- traffic ---"]);
    // bash 5.2: `source x` for a missing file
    assert_eq!(f.err, "lab.sh: line 5: frobnicate: command not found\nlab.sh: line 6: x: No such file or directory\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 1,
            failures: 2
        }
    );
}

#[test]
fn marker_inside_a_loop_runs_each_iteration() {
    let (f, _) = run("for i in 1 2; do\n# --- round ---\necho $i\ndone\n");
    assert_eq!(f.markers.len(), 2);
}

#[test]
fn nounset_and_pipefail() {
    let (f, r) = run("set -u\necho ${X:-d}\necho $X\necho no\n");
    assert_eq!(f.out, "d\n");
    assert_eq!(f.err, "lab.sh: line 3: X: unbound variable\n");
    assert_eq!(r.status, 1);
    let (_, r) = run("set -o pipefail\nfalse | true\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 1,
            failures: 1
        }
    );
    let (_, r) = run("false | true\n");
    assert_eq!(
        r,
        ScriptResult {
            status: 0,
            failures: 0
        }
    );
}

#[test]
fn assignment_prefix_and_cd() {
    let (f, r) = run("X=1 ip link\necho \"[$X]\"\ncd\ncd /lab\ncd .\ncd /tmp\n");
    assert_eq!(f.runs[0].0, "ip link");
    assert_eq!(f.out, "[]\n");
    assert_eq!(r.failures, 1);
}

// ------------------------------------------------------------------ parse errors

#[test]
fn parse_errors_name_file_line_and_token() {
    let e = parse_err("echo a\nif true; then\n  echo b\nfi fi\n");
    assert_eq!(
        e.to_string(),
        // recorded: bash 5.2.15 prints the line holding the token on a second line
        "lab.sh: line 4: syntax error near unexpected token `fi'\nlab.sh: line 4: `fi fi'"
    );
    assert_eq!(
        parse_err("echo a\nfi\n").to_string(),
        "lab.sh: line 2: syntax error near unexpected token `fi'\nlab.sh: line 2: `fi'"
    );
    assert_eq!(parse_err("for i in 1; do\necho\n").line, 3);
    assert_eq!(
        parse_err("for i in 1; do\necho\n").message,
        "syntax error: unexpected end of file"
    );
    assert_eq!(
        parse_err("echo a |\n\n;").to_string(),
        "lab.sh: line 3: syntax error near unexpected token `;'\nlab.sh: line 3: `;'"
    );
    // end of file has no second line
    assert_eq!(parse_err("for i in 1; do\necho\n").input_line, None);
    assert_eq!(parse_err("echo 'abc\n\n").line, 1);
    // still refused when parsed
    assert!(parse_err("select x in a; do :; done")
        .message
        .contains("select"));
    assert!(parse_err("coproc cat").message.contains("coproc"));
    assert_eq!(
        parse_err("echo >").message,
        "syntax error near unexpected token `newline'"
    );
    assert_eq!(
        parse_err("{ echo }").message,
        "syntax error: unexpected end of file"
    );
    assert_eq!(
        parse_err("if true; then fi").message,
        "syntax error near unexpected token `fi'"
    );
    assert_eq!(parse_err("echo $(echo\n\n").line, 3);
    assert_eq!(
        parse_err("echo\ncat > f <<EOF\nabc\nEOF \n").to_string(),
        "lab.sh: line 2: here-document at line 2 delimited by end-of-file (wanted 'EOF')"
    );
    // the delimiter may be the last line without a newline
    assert!(parse("cat <<E\nx\nE", "t").is_ok());
}

#[test]
fn eval_syntax_error_names_eval_and_prints_the_line() {
    // recorded: bash 5.2.15 running `eval "echo a; fi"` on line 1 of lab.sh
    let (f, _) = run("eval \"echo a; fi\"\n");
    assert!(
        f.err.starts_with(
            "lab.sh: eval: line 1: syntax error near unexpected token `fi'\nlab.sh: eval: line 1: `echo a; fi'\n"
        ),
        "{}",
        f.err
    );
}

#[test]
fn syntax_error_runs_what_precedes_it() {
    // bash reads and runs one command at a time: `ip a` runs, then the error
    let (f, r) = run("ip a\nif true; then\ndone\n");
    assert_eq!(runs(&f), vec!["ip a"]);
    assert_eq!(
        f.err,
        "lab.sh: line 3: syntax error near unexpected token `done'\nlab.sh: line 3: `done'\n"
    );
    assert_eq!(
        r,
        ScriptResult {
            status: 2,
            failures: 1
        }
    );
}

#[test]
fn command_lines_are_first_word_lines() {
    let s = parse("\n\nip a \\\n  b\nfor i in 1; do ip c; done\n", "x").expect("parses");
    assert_eq!(s.items.len(), 2);
    let (f, _) = run("\n\nip a \\\n  b\nfor i in 1\ndo\n ip c\ndone\nip d <<E\n1\nE\nip e\n");
    assert_eq!(
        f.runs,
        vec![
            ("ip a b".into(), 3),
            ("ip c".into(), 7),
            ("ip d".into(), 9),
            ("ip e".into(), 12)
        ]
    );
}

// ------------------------------------------------------------------ robustness

#[test]
fn endless_loops_are_stopped() {
    let mut f = Fake::default();
    let opts = ShellOptions {
        max_commands: 1000,
        ..Default::default()
    };
    let r = run_script(
        "while true; do x=$(echo 1 | grep 1); done\necho never\n",
        "lab.sh",
        &mut f,
        &opts,
    );
    assert_eq!(r.status, 124);
    assert_eq!(
        f.err,
        "lab.sh: line 1: nslab: more than 1000 commands run (endless loop?): stopping (raise the limit with --max-commands N)\n"
    );
    assert_eq!(f.out, "");
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for unit in [
        "{ ",
        "$(",
        "if true; then ",
        "\"$(",
        "${a:-",
        "while true; do ",
    ] {
        let src = unit.repeat(5000);
        let e = parse_err(&src);
        assert!(
            e.message.contains("nesting too deep") || e.message.contains("unexpected"),
            "{unit}: {e}"
        );
    }
}

#[test]
fn random_input_never_panics_the_parser() {
    const ATOMS: &[&str] = &[
        "echo", " ", "\n", ";", "&", "&&", "||", "|", "(", ")", "{", "}", "if", "then", "else",
        "elif", "fi", "for", "in", "do", "done", "while", "until", "'", "\"", "\\", "$", "${",
        "$(", "`", "<", ">", ">>", "<<", "<<-", "EOF", "2>&1", "#", "# ---", "x=", "!", "[", "]",
        "case", "a", "1", "\t", "=", "-", "%", "*", "é", "$?", "}", "${a:-", "<<'E'", "\nE\n",
    ];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..4000 {
        let n = (rng.next() % 40) as usize;
        let mut s = String::new();
        for _ in 0..n {
            if rng.next().is_multiple_of(8) {
                // a random char, including control characters
                s.push(char::from_u32((rng.next() % 0x250) as u32).unwrap_or('?'));
            } else {
                s.push_str(ATOMS[(rng.next() % ATOMS.len() as u64) as usize]);
            }
        }
        let _ = parse(&s, "fuzz.sh");
    }
}

#[test]
fn random_parsed_scripts_run_without_panicking() {
    const ATOMS: &[&str] = &[
        "echo a",
        "; ",
        "\n",
        " && ",
        " || ",
        " | ",
        "grep -c a",
        "wc -l",
        "[ 1 = 1 ]",
        "false",
        "break",
        "continue",
        "x=$(echo b)",
        "echo $x",
        " > f",
        " 2>&1",
        "cat f",
        "sleep 0",
        "wait",
        "kill %1",
        "ip a &",
        "seq 3",
        "head -1",
        "sort",
        "printf '%s %d' a b",
        "test -z",
        "exit 3",
        "set -e",
        "set +e",
        "{ echo g; }",
        "for i in 1 2; do echo $i; done",
        "while false; do :; done",
        "if true; then echo t; else echo f; fi",
        "! true",
        "sh -c 'echo c'",
        "tail -n 2",
        "< f",
    ];
    let mut rng = XorShift(12345);
    for _ in 0..1500 {
        let n = (rng.next() % 12) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(ATOMS[(rng.next() % ATOMS.len() as u64) as usize]);
        }
        let mut f = Fake::default();
        let _ = run_with(&s, &mut f);
    }
}

// ------------------------------------------------------------------ bash 5.2 comparisons
// Each script below was run with `bash lab.sh` (GNU bash 5.2.15) on this machine; the string
// literals are what it printed on stdout and stderr, and its exit status.

fn bash_case(src: &str, stdout: &str, stderr: &str, status: i32) {
    let mut f = Fake::default();
    let r = run_with(src, &mut f);
    assert_eq!(f.out, stdout, "stdout of:\n{src}");
    assert_eq!(f.err, stderr, "stderr of:\n{src}");
    assert_eq!(r.status, status, "status of:\n{src}");
}

#[test]
fn bash_functions_local_return() {
    bash_case(
        "f() { local x=$1; shift; echo \"f:$x:$#:$*\"; g; return 4; }\ng() { echo \"g sees x=$x FUNCNAME=${FUNCNAME[0]}\"; }\nx=outer; f a b c; echo \"st=$? x=$x\"\nfunction h { echo h; }; h\nr() { (( $1 > 0 )) || return 0; echo -n \"$1 \"; r $(( $1 - 1 )); }; r 3; echo\n",
        "f:a:2:b c\ng sees x=a FUNCNAME=g\nst=4 x=outer\nh\n3 2 1 \n",
        "",
        0,
    );
}

#[test]
fn bash_arrays() {
    bash_case(
        "a=(x \"y z\" w); echo \"${#a[@]} ${a[1]} ${!a[@]}\"\na+=(v); a[7]=s; echo \"${a[@]}\"; echo \"${!a[@]}\"; echo \"${a[-1]}\"\nfor e in \"${a[@]}\"; do echo \"[$e]\"; done\ndeclare -A m=([one]=1 [two]=2); m[three]=3; echo \"${#m[@]} ${m[two]}\"\nunset 'a[1]'; echo \"${a[@]}\" ${#a[@]}\nb=(\"${a[@]:1:2}\"); echo \"${b[@]}\"\n",
        "3 y z 0 1 2\nx y z w v s\n0 1 2 3 7\ns\n[x]\n[y z]\n[w]\n[v]\n[s]\n3 2\nx w v s 4\nw v\n",
        "",
        0,
    );
}

#[test]
fn bash_param_ops() {
    bash_case(
        "p=/usr/local/lib/x.tar.gz\necho ${p##*/} ${p%/*} ${p#*.} ${p%%.*} ${p/l/L} ${p//l/L} ${p/#\\/usr/U} ${p/%gz/GZ}\necho ${#p} ${p:5} ${p:5:5} ${p: -6} ${p: -6:2}\nv=MiXeD; echo ${v,,} ${v^^} ${v,} ${v^}\necho ${unset_v:-d1} ${unset_v-d2} \"${empty_v:+alt}\" ${v:+alt}\ne=; echo \"[${e:-d3}] [${e-d4}]\"\n: ${newv:=assigned}; echo $newv\nref=v; echo ${!ref}\necho ${unset_v:?is required}\necho not reached\n",
        "x.tar.gz /usr/local/lib tar.gz /usr/local/lib/x /usr/Local/lib/x.tar.gz /usr/LocaL/Lib/x.tar.gz U/local/lib/x.tar.gz /usr/local/lib/x.tar.GZ\n23 local/lib/x.tar.gz local tar.gz ta\nmixed MIXED miXeD MiXeD\nd1 d2  alt\n[d3] []\nassigned\nMiXeD\n",
        "lab.sh: line 9: unset_v: is required\n",
        1,
    );
}

#[test]
fn bash_arith() {
    bash_case(
        "echo $((1+2*3)) $(( (1+2)*3 )) $((7/2)) $((7%3)) $((2**8)) $((-7/2)) $((1<<4)) $((0x1f)) $((010)) $((2#101))\ni=5; echo $((i++)) $i $((++i)) $((i+=10)) $i\necho $(( 3 > 2 && 0 || 1 )) $(( 5 ? 10 : 20 )) $(( !0 )) $(( ~0 ))\nx=3+4; echo $((x*2))\n(( 0 )); echo \"st=$?\"; (( 2 )); echo \"st=$?\"\nfor ((i=0; i<3; i++)); do echo -n \"$i,\"; done; echo\necho $((1/0))\necho after\n",
        "7 9 3 1 256 -3 16 31 8 5\n5 6 7 17 17\n1 10 1 -1\n14\nst=1\nst=0\n0,1,2,\nafter\n",
        "lab.sh: line 7: 1/0: division by 0 (error token is \"0\")\n",
        0,
    );
}

#[test]
fn bash_cond() {
    bash_case(
        "s=hello\n[[ $s == h* ]] && echo glob\n[[ $s != x* && -n $s ]] && echo and\n[[ -z \"\" || $s == nope ]] && echo or\n[[ ! -n \"\" ]] && echo not\n[[ abc < abd ]] && echo lt\n[[ 10 -gt 9 ]] && echo num\n[[ \"a b\" == \"a b\" ]] && echo quoted\n[[ $s == \"h*\" ]] || echo literal\n[[ foo-123 =~ ^([a-z]+)-([0-9]+)$ ]] && echo \"${BASH_REMATCH[0]} ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}\"\nre='^[0-9]+$'; [[ 42 =~ $re ]] && echo numre\n[[ ( $s == hello ) && ( 1 -eq 1 ) ]] && echo parens\n",
        "glob\nand\nor\nnot\nlt\nnum\nquoted\nliteral\nfoo-123 foo 123\nnumre\nparens\n",
        "",
        0,
    );
}

#[test]
fn bash_case_and_subshell() {
    bash_case(
        "for w in a.sh b.txt C x; do\n  case $w in\n    *.sh) echo \"$w script\";;\n    *.txt|*.md) echo \"$w text\";;\n    [A-Z]) echo \"$w upper\";&\n    z) echo \"fell\";;\n    *) echo \"$w other\";;\n  esac\ndone\nx=1; (x=2; echo \"in $x\"); echo \"out $x\"\n(exit 3); echo \"sub st=$?\"\ny=$(x=5; echo $x); echo \"$y $x\"\necho `echo back $x`\n",
        "a.sh script\nb.txt text\nC upper\nfell\nx other\nin 2\nout 1\nsub st=3\n5 1\nback 1\n",
        "",
        0,
    );
}

#[test]
fn bash_read_and_loops() {
    bash_case(
        "printf 'a b c\\nd e\\n' | while read -r one rest; do echo \"[$one] [$rest]\"; done\nread -r x y <<< \"1 2 3\"; echo \"$x|$y\"\nIFS=: read -r u p <<< \"root:x:0\"; echo \"$u $p\"\nread -a arr <<< \"p q r\"; echo \"${arr[2]} ${#arr[@]}\"\nwhile read -r l; do echo \"line:$l\"; done <<EOF\nfirst\nsecond\nEOF\necho done\n",
        "[a] [b c]\n[d] [e]\n1|2 3\nroot x:0\nr 3\nline:first\nline:second\ndone\n",
        "",
        0,
    );
}

#[test]
fn bash_getopts_shift_eval() {
    bash_case(
        "parse() {\n  local OPTIND opt\n  while getopts \"ab:c\" opt; do\n    case $opt in\n      a) echo \"opt a\";;\n      b) echo \"opt b=$OPTARG\";;\n      ?) echo \"bad\";;\n    esac\n  done\n  shift $((OPTIND-1)); echo \"rest: $*\"\n}\nparse -a -b val -c x y\nparse -x z\ncmd='echo evaluated $((1+1))'; eval \"$cmd\"\neval 'v=set_by_eval'; echo $v\nset -- p1 p2 p3; shift 2; echo \"$# $1\"\n",
        "opt a\nopt b=val\nbad\nrest: x y\nbad\nrest: z\nevaluated 2\nset_by_eval\n1 p3\n",
        "lab.sh: illegal option -- x\n",
        0,
    );
}

#[test]
fn bash_trap_and_errexit() {
    bash_case(
        "trap 'echo \"exit trap st=$?\"' EXIT\ntrap 'echo \"err trap\"' ERR\nfalse\necho next\nf() { false; echo \"in f after false\"; }\nset -e\nf || echo \"f failed\"\nif f; then echo \"f ok\"; fi\ntrue && false || echo \"or branch\"\nfalse\necho not reached\n",
        "err trap\nnext\nin f after false\nin f after false\nf ok\nor branch\nerr trap\nexit trap st=1\n",
        "",
        1,
    );
}

#[test]
fn bash_declare_printf_type() {
    bash_case(
        "declare -i n=5; n+=3; echo $n\nreadonly R=1; R=2; echo \"st=$? R=$R\"\ndeclare -a arr=(1 2); declare -p arr\nx=\"it's\"; printf '%q %q\\n' \"$x\" 'a b'\nprintf -v out '%05d' 42; echo $out\nprintf '%b\\n' 'tab\\there'\ntype echo cd f 2>&1; f() { :; }; type -t f; command -v echo printf\necho $'one\\ttwo\\x41\\n' | head -1\n",
        "8\ndeclare -a arr=([0]=\"1\" [1]=\"2\")\nit\\'s a\\ b\n00042\ntab\there\necho is a shell builtin\ncd is a shell builtin\nlab.sh: line 7: type: f: not found\nfunction\necho\nprintf\none\ttwoA\n",
        "lab.sh: line 2: R: readonly variable\n",
        0,
    );
}

#[test]
fn bash_globbing_and_redirs() {
    bash_case(
        "echo 1 > a.txt; echo 2 > b.txt; echo 3 > c.log\necho *.txt; echo \"*.txt\"; echo ?.log; echo nomatch*\nfor f in *.txt; do echo \"file $f\"; done\n{ echo out; echo err >&2; } &>> both.log; cat both.log\necho piped |& cat\n",
        "a.txt b.txt\n*.txt\nc.log\nnomatch*\nfile a.txt\nfile b.txt\nout\nerr\npiped\n",
        "",
        0,
    );
}

#[test]
fn endless_recursion_stops_with_bash_s_message_not_a_stack_overflow() {
    // bash 5.2 with FUNCNEST=100 (without it bash itself crashes on its stack):
    // "l4.sh: line 2: f: maximum function nesting level exceeded (100)", the top-level
    // command is abandoned, the script goes on
    bash_case(
        "f() { f; }\nf; echo same\necho after\n",
        "after\n",
        "lab.sh: line 1: f: maximum function nesting level exceeded (100)\n",
        0,
    );
    // a shell that starts itself: each level is a new bash in Linux, bounded here
    let mut f = Fake::default();
    let r = run_with(
        "X='bash -c \"$X\"'; export X; bash -c \"$X\"; echo done $?\n",
        &mut f,
    );
    assert!(f.out.starts_with("done "), "{}", f.out);
    assert!(f.err.contains("nested shells"), "{}", f.err);
    assert_eq!(r.status, 0);
    // eval and source recursion
    let (f, _) = run("e() { eval e; }; e\necho next\n");
    assert_eq!(f.out, "next\n");
}

#[test]
fn bash_builtin_misuse_texts_and_statuses() {
    // recorded with bash 5.2 (`bash lab.sh a`, here without the argument)
    bash_case(
        "shift -1; echo $?\nreturn 1; echo $?\nlocal x; echo $?\nf() { return abc; }; f; echo $?\ng() { exit 300; }\ng; echo not\n",
        "1\n2\n1\n2\n",
        "lab.sh: line 1: shift: -1: shift count out of range\nlab.sh: line 2: return: can only `return' from a function or sourced script\nlab.sh: line 3: local: can only be used in a function\nlab.sh: line 4: return: abc: numeric argument required\n",
        44,
    );
}

#[test]
fn bash_xtrace_of_the_new_constructs() {
    bash_case(
        "set -x\nf() { local a=$1; [[ $a == x ]] && echo yes; (( n = 2 + 3 )); }\nf x\ncase y in y) echo c;; esac\na=(1 2)\nfor ((i=0;i<1;i++)); do :; done\necho {1..2}\n",
        "yes\nc\n1 2\n",
        "+ f x\n+ local a=x\n+ [[ x == x ]]\n+ echo yes\n+ ((  n = 2 + 3  ))\n+ case y in\n+ echo c\n+ a=(1 2)\n+ (( i=0 ))\n+ (( i<1 ))\n+ :\n+ (( i++ ))\n+ (( i<1 ))\n+ echo 1 2\n",
        0,
    );
}

#[test]
fn bash_errexit_in_functions_conditions_and_subshells() {
    bash_case(
        "set -e\nf() { echo start; false; echo never; }\nif f; then echo \"if-ok\"; fi\nf && echo and-ok\n! f\nx=$(false; echo sub)\necho \"x=$x\"\ng() { return 3; }\ng || echo \"g=$?\"\nfor i in 1; do false || true; done\ny=$(echo ok; exit 4) || echo \"y st=$? y=$y\"\nset +e; (set -e; false; echo in-sub); echo \"sub st=$?\"; set -e\n(false; echo in-subshell)\necho not reached\n",
        "start\nnever\nif-ok\nstart\nnever\nand-ok\nstart\nnever\nx=sub\ng=3\ny st=4 y=ok\nsub st=1\n",
        "",
        1,
    );
}

#[test]
fn bash_nounset_texts() {
    bash_case(
        "set -u\na=()\necho \"n=${#a[@]} [${a[@]}]\"\nf() { echo \"${1:-none}\"; }\nf\necho ${x:-d}\necho $1\necho after\n",
        "n=0 []\nnone\nd\n",
        "lab.sh: line 7: $1: unbound variable\n",
        1,
    );
}

#[test]
fn bash_err_trap_is_not_inherited_and_the_call_stack_arrays() {
    bash_case(
        "trap 'echo \"err at $LINENO\"' ERR\nf() { false; echo \"in f\"; return 1; }\nf\ng() { echo \"${FUNCNAME[@]} | ${BASH_SOURCE[@]} | ${#FUNCNAME[@]}\"; }\nh() { g; }\nh\necho \"top: ${FUNCNAME[@]} | ${BASH_SOURCE[0]}\"\n",
        "in f\nerr at 3\ng h main | lab.sh lab.sh lab.sh | 3\ntop:  | lab.sh\n",
        "",
        0,
    );
}

#[test]
fn bash_command_substitution_of_a_file() {
    // bash 5.2
    bash_case(
        "echo hi > f.txt\nx=$(< f.txt); echo \"[$x]\"\ny=$(< nope.txt); echo \"st=$?\"\n",
        "[hi]\nst=1\n",
        "lab.sh: line 3: nope.txt: No such file or directory\n",
        0,
    );
}

#[test]
fn hostile_input_never_panics() {
    let inputs = [
        "${",
        "${a[",
        "${a[1",
        "$((",
        "$((1+",
        "[[ ",
        "[[ a",
        "[[ a ==",
        "case",
        "case x in",
        "f()",
        "f() ",
        "a=(",
        "a=(1",
        "`",
        "`echo",
        "$'\\x",
        "$'\\",
        "echo {1..99999999999}",
        "((",
        "for ((",
        "for ((;;",
        "echo $((1<<99999)) $((2**-1)) $((-9223372036854775807-1 / -1))",
        "echo $(( 1 ? ))",
        "x=abc; echo ${x:1:-99} ${x: -99} ${x:99}",
        "echo ${x/",
        "echo ${!}",
        "echo ${#",
        "echo ${x@}",
        "function",
        "function f",
        "[[ ( ]]",
        "[[ ! ]]",
        "[[ -f ]]",
        "case x in (a|b) ;; esac",
        "((a[",
        "a[$(echo 1)]=2; echo ${a[@]}",
        "declare -A m; m=([)",
        "read -a",
        "getopts",
        "trap",
        "trap x NOSIG",
        "eval 'f() {'",
        "source",
        ". /nope",
        "x=$((1/0)) y",
        "echo ${a[-5]}",
        "a=(1); a[-5]=2",
        "local",
        "return 999999999999999",
        "shift 99999999999999999999",
        "printf -v",
        "printf '%q'",
        "echo {a..}",
        "echo {..z}",
        "echo {1..2..0}",
        "[[ x =~ ( ]]",
        "set -- a b; echo ${@:5:-1}",
    ];
    for src in inputs {
        let (_f, _r) = run(&format!("{src}\n"));
    }
}

#[test]
fn bash_process_substitution() {
    bash_case(
        "while read -r a b; do echo \"[$a] [$b]\"; done < <(printf '1 2\\n3 4\\n')\ncat <(echo one) <(echo two)\necho <(true)\nn=0; while read -r l; do ((n++)); done < <(printf 'x\\ny\\n'); echo \"n=$n\"\n",
        "[1] [2]\n[3] [4]\none\ntwo\n/dev/fd/63\nn=2\n",
        "",
        0,
    );
}

#[test]
fn bash_c_errors_and_exported_functions() {
    // bash 5.2: runtime errors of `bash -c` name `bash` without a line; functions reach a
    // child bash only through `export -f`
    bash_case(
        "bash -c 'echo $((1/0))'; echo \"st=$?\"\nbash -c 'x=1\necho ${x:?} ${y:?unset}'\nf() { echo \"hi $1\"; }\nexport -f f\nbash -c \"f b\"; echo \"st=$?\"\nexport -f nope; echo \"st=$?\"\n",
        "st=1\nhi b\nst=0\nst=1\n",
        "bash: 1/0: division by 0 (error token is \"0\")\nbash: y: unset\nlab.sh: line 7: export: nope: not a function\n",
        0,
    );
}

#[test]
fn bash_backslash_escapes_of_echo_and_printf() {
    // bash 5.2: `echo -e` takes octal only after \0; printf's format takes \NNN (three digits
    // at most, so \0101 is \010 then 1) and keeps \c; %b takes both octal forms; \E is ESC
    bash_case(
        "echo -e '\\101|\\0101|\\x41|\\E|\\c'; echo\necho -e 'a\\tb\\\\n'\nprintf '\\101|\\0101|\\x41|\\E|x\\cy\\n'\nprintf '%b|%s\\n' '\\101\\0101\\x41' '\\101'\n",
        "\\101|A|A|\x1b|\na\tb\\n\nA|\x081|A|\x1b|x\\cy\nAAA|\\101\n",
        "",
        0,
    );
}

#[test]
fn bash_pipestatus() {
    // bash 5.2
    bash_case(
        "true | false | true; echo \"${PIPESTATUS[@]}\"\n! false; echo \"${PIPESTATUS[@]} $?\"\nfalse; echo \"${PIPESTATUS[0]}\"\n(exit 3) | (exit 5); echo \"${PIPESTATUS[*]} ${#PIPESTATUS[@]}\"\necho x | { read v; exit 2; }; echo \"${PIPESTATUS[1]}\"\n",
        "0 1 0\n1 0\n1\n3 5 2\n2\n",
        "",
        0,
    );
}

#[test]
fn bash_optind_starts_at_one() {
    // bash 5.2 (`bash lab.sh`, no arguments)
    bash_case(
        "echo \"o=$OPTIND e=$OPTERR\"\nwhile getopts :ptv o; do echo \"opt $o\"; done\necho \"o=$OPTIND\"\nshift $(($OPTIND-1))\necho \"$#\"\nf() { local OPTIND; while getopts a o; do :; done; echo \"f=$OPTIND\"; }\nf -a\necho \"after=$OPTIND\"\n",
        "o=1 e=1\no=1\n0\nf=2\nafter=1\n",
        "",
        0,
    );
}
