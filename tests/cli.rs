//! The `nslab` command line as a person uses it: help, suggestions, completions, stdin, the
//! lab's arguments, and the one exit-status scheme of every front end (`nslab::exit`).

use crate::support::root;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `nslab ARGS` in the repository with `stdin` on its standard input.
fn nslab_in(args: &[&str], stdin: &str) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nslab"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    c.wait_with_output().unwrap()
}

fn nslab(args: &[&str]) -> Output {
    nslab_in(args, "")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A lab in a temporary file (its name is what messages show).
fn lab_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("nslab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn help_per_subcommand_and_help_sub() {
    for sub in [
        "run",
        "convert",
        "graph",
        "shell",
        "completions",
        "book-gen",
    ] {
        let o = nslab(&[sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{sub}: {}", err(&o));
        assert!(
            out(&o).contains(&format!("Usage: nslab {sub}")),
            "{sub}: {}",
            out(&o)
        );
        // `nslab help SUB` is the same text
        let h = nslab(&["help", sub]);
        assert_eq!(out(&h), out(&o), "help {sub}");
    }
    let o = nslab(&["run", "--help"]);
    for want in [
        "--trace[=<EXPR>]",
        "--pcap <FILE>",
        "-- <ARGS>",
        "Exit status",
    ] {
        assert!(out(&o).contains(want), "{want} missing:\n{}", out(&o));
    }
    let o = nslab(&["--version"]);
    assert_eq!(out(&o), format!("nslab {}\n", env!("CARGO_PKG_VERSION")));
    let o = nslab(&["run", "--version"]);
    assert_eq!(
        out(&o),
        format!("nslab-run {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn mistyped_subcommand_is_suggested() {
    for (typo, want) in [("rnu", "run"), ("grpah", "graph"), ("conver", "convert")] {
        let o = nslab(&[typo, "x.sh"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err(&o).contains(&format!("tip: a similar subcommand exists: '{want}'")),
            "{typo}: {}",
            err(&o)
        );
    }
    let o = nslab(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!err(&o).contains("similar"), "{}", err(&o));
    let o = nslab(&["run", "--pcapp", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("tip: a similar argument exists: '--pcap'"));
}

#[test]
fn completions_for_every_shell() {
    for (shell, want) in [
        ("bash", "complete -F _nslab"),
        ("zsh", "#compdef nslab"),
        ("fish", "complete -c nslab"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = nslab(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let s = out(&o);
        assert!(s.contains(want), "{shell}: {s}");
        // subcommands and the run options are completed
        assert!(
            s.contains("convert") && s.contains("pcap-traffic"),
            "{shell}"
        );
    }
    let o = nslab(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The completion script is valid bash that completes the subcommands.
#[test]
fn bash_completion_completes_subcommands() {
    let script = out(&nslab(&["completions", "bash"]));
    let f = lab_file("nslab.bash", &script);
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {f}; COMP_WORDS=(nslab r); COMP_CWORD=1; _nslab nslab r nslab; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "run\n");
}

#[test]
fn lab_from_stdin_and_positional_args() {
    let o = nslab_in(
        &["run", "-", "--", "a b", "c"],
        "echo \"$# [$1] [$2]\"\nip netns add x\nip netns list\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "2 [a b] [c]\nx\n");
    // messages of a lab on stdin name `stdin`
    let o = nslab_in(&["run", "-"], "true\nip link set nope up\n");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        err(&o),
        "stdin:2: Cannot find device \"nope\"\nnslab: stdin:2: `ip link set nope up` failed (status 1)\n"
    );
    // a file lab with arguments after `--`
    let f = lab_file("args.sh", "echo \"$0 $1 $2\"\n");
    let o = nslab(&["run", &f, "--", "x", "--trace"]);
    assert_eq!(out(&o), "args.sh x --trace\n");
}

#[test]
fn trace_filter_needs_equals() {
    // `--trace` alone before or after the lab: every journey
    let o = nslab(&["run", "--trace", "scenarios/seed003-veth-pair.sh"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("### trace\njourney 1\n"));
    let o = nslab(&["run", "scenarios/seed003-veth-pair.sh", "--trace=icmp"]);
    assert_eq!(o.status.code(), Some(0));
    let t = out(&o);
    assert!(t
        .split_once("### trace\n")
        .unwrap()
        .1
        .starts_with("journey 1\n"));
    // a filter as a separate word is refused, with the form to use
    let o = nslab(&["run", "scenarios/seed003-veth-pair.sh", "--trace", "icmp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("unexpected argument 'icmp'"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("--trace='EXPR'"), "{}", err(&o));
    // a filter that matches nothing says so
    let o = nslab(&["run", "scenarios/seed003-veth-pair.sh", "--trace=udp"]);
    assert!(out(&o).ends_with("### trace\nno packet journey whose first packet matches 'udp'\n"));
}

/// 0 ok, 1 a command failed, 2 usage or syntax error in every front end, 3 a limit.
#[test]
fn one_exit_status_scheme() {
    let ok = lab_file("ok.sh", "ip netns add a\n");
    assert_eq!(nslab(&["run", &ok]).status.code(), Some(0));
    let failed = lab_file("failed.sh", "ip link set nope up\n");
    assert_eq!(nslab(&["run", &failed]).status.code(), Some(1));
    // usage
    assert_eq!(nslab(&["run"]).status.code(), Some(2));
    assert_eq!(nslab(&["run", "x.txt"]).status.code(), Some(2));
    assert_eq!(nslab(&["run", "/nonexistent.sh"]).status.code(), Some(2));
    assert_eq!(
        nslab(&["convert", &ok, "--to", "yaml"]).status.code(),
        Some(2)
    );
    // syntax errors: shell (bash runs what precedes it, then exits 2), YAML, RON
    let sh = lab_file("syntax.sh", "echo before\nif then\n");
    let o = nslab(&["run", &sh]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(out(&o), "before\n");
    assert!(err(&o).starts_with("syntax.sh: line 2: syntax error near unexpected token"));
    // the script is read one command at a time; a syntax error after an `exit` that bash
    // never reaches (nothing printed) still makes the file one with a syntax error
    let sh = lab_file("syntax-after-exit.sh", "echo before\nexit 0\nif then\n");
    let o = nslab(&["run", &sh]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!((out(&o).as_str(), err(&o).as_str()), ("before\n", ""));
    let yaml = lab_file("bad.clab.yaml", "name: x\ntopology: [\n");
    assert_eq!(nslab(&["run", &yaml]).status.code(), Some(2));
    let ron = lab_file("bad.ron", "(nodes: [\n");
    assert_eq!(nslab(&["run", &ron]).status.code(), Some(2));
    // an output file that cannot be written
    let o = nslab(&["run", &ok, "--pcap", "/nonexistent/dir/x.pcapng"]);
    assert_eq!(o.status.code(), Some(4));
}

/// `--pcap` to a device that refuses writes (`/dev/full`): the run goes to its end (the
/// capture's writer drops what it cannot write instead of waiting), and the first write
/// error is reported with the file's name once the lab is done, status 4, as for any output
/// file that cannot be written.
#[test]
fn a_pcap_that_cannot_be_written_is_named_with_the_error() {
    // 1 000 frames of 1.4 KB on lo: several of the capture's 256 KiB buffers.
    let lab = lab_file(
        "full.sh",
        "ip link set lo up\nping -q -c 500 -i 0.002 -s 1400 127.0.0.1 | tail -2\necho end\n",
    );
    let o = nslab(&["run", &lab, "--pcap", "/dev/full"]);
    assert_eq!(o.status.code(), Some(4), "{}", err(&o));
    assert!(
        out(&o).starts_with("500 packets transmitted, 500 received, 0% packet loss"),
        "{}",
        out(&o)
    );
    assert!(out(&o).ends_with("end\n"), "{}", out(&o));
    assert_eq!(
        err(&o),
        "nslab: cannot write /dev/full: No space left on device (os error 28)\n"
    );
}

/// The README shows the scheme `nslab --help` prints.
#[test]
fn readme_documents_the_exit_statuses() {
    let readme = crate::support::read("README.md");
    assert!(
        readme.contains(nslab::exit::EXIT_STATUS_HELP),
        "README.md must hold nslab::exit::EXIT_STATUS_HELP verbatim"
    );
    assert!(out(&nslab(&["--help"])).contains(nslab::exit::EXIT_STATUS_HELP));
}

/// Issue 15 item 1: a server started without `&` is stopped with a message saying why, and
/// the lab exits 3 (a limit).
#[test]
fn server_in_the_foreground_says_why_it_stopped() {
    let f = lab_file(
        "fg.sh",
        "ip netns add a\nip netns exec a python3 -m http.server 80\necho \"status $?\"\n",
    );
    let o = nslab(&["run", &f]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        out(&o),
        "Serving HTTP on 0.0.0.0 port 80 (http://0.0.0.0:80/) ...\nstatus 124\n"
    );
    assert_eq!(
        err(&o),
        "nslab: fg.sh:2: `python3 -m http.server 80` did not exit: nothing is left to happen in \
         the lab, so it would wait forever; stopped it (status 124). A server started without \
         `&` never returns: end its line with `&` to run it in the background\n\
         nslab: fg.sh:2: `ip netns exec a python3 -m http.server 80` failed (status 124)\n"
    );
    // the shell's command count is a limit too
    let f = lab_file("loop.sh", "while true; do :; done\n");
    let o = nslab(&["run", &f]);
    assert_eq!(o.status.code(), Some(3));
    assert!(err(&o).contains("nslab: more than 1000000 commands run"));
}

/// Issue 15 item 3: `graph` of a lab that does not parse fails with the parse error (2);
/// runtime errors are reported and the status says a command failed.
#[test]
fn graph_reports_parse_and_runtime_errors() {
    let f = lab_file("g.sh", "ip netns add a\nfi\n");
    let o = nslab(&["graph", &f]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(out(&o), "");
    assert!(err(&o).starts_with("g.sh: line 2: syntax error near unexpected token"));
    let f = lab_file("g2.sh", "ip netns add a\nip -n a link set nope up\n");
    let o = nslab(&["graph", &f, "--format", "dot"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(err(&o), "g2.sh:2: Cannot find device \"nope\"\n");
    assert!(out(&o).starts_with("graph"), "{}", out(&o));
    let o = nslab(&["graph", "scenarios/seed003-veth-pair.sh", "--format", "png"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("[possible values: svg, dot, mermaid]"));
}

/// Issue 15 item 2: IPv6 traffic says IPv6 is not modelled (not "invalid prefix"); IPv6
/// configuration is kept (net/addrconf.rs), so in a namespace with IPv6 disabled (as the kernel
/// oracle records labs) an IPv6 address is refused as the kernel refuses it (recorded, iproute2
/// 6.1 on a namespace with disable_ipv6=1: status 2) and `ip -family inet6 addr` lists nothing.
#[test]
fn ipv6_is_not_modelled() {
    let o = nslab_in(
        &["run", "-"],
        "ip netns add a\nip -n a addr add fd00::1/64 dev lo\nip netns exec a ping -c 1 fd00::2\n\
         ip -family inet6 addr\nip link set lo address 00:11:22:33:44:55\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(out(&o), "");
    assert_eq!(
        err(&o),
        "stdin:2: Error: ipv6: IPv6 is disabled on this device.\n\
         stdin:3: nslab: IPv6 is not modelled yet\n\
         nslab: namespaces start with IPv6 disabled, as the kernel recordings are made \
         (net.ipv6.conf.all.disable_ipv6=1); `nslab run --ipv6` starts them enabled and keeps \
         IPv6 addresses, routes and rules (IPv6 packets are not modelled yet)\n\
         nslab: not modelled in this lab: IPv6 (1)\n\
         nslab: stdin:2: `ip -n a addr add fd00::1/64 dev lo` failed (status 2)\n\
         nslab: stdin:3: `ip netns exec a ping -c 1 fd00::2` failed (status 127)\n"
    );
}

/// `nslab run --ipv6`: namespaces start with IPv6 enabled (as on a stock kernel), IPv6
/// configuration is kept and listed, the lab is told once that IPv6 packets are not modelled,
/// and IPv6 traffic is still refused. Texts recorded with iproute2 6.1 (`lo` up with IPv6:
/// `inet6 ::1/128 scope host`; no DAD on `lo`, so no `tentative`).
#[test]
fn ipv6_configuration_is_kept_with_ipv6_enabled() {
    let o = nslab_in(
        &["run", "--ipv6", "-"],
        "ip netns add a\nip -n a link set lo up\nip -n a addr add 2001:db8::1/64 dev lo\n\
         ip -n a -6 route add 2001:db8:2::/64 dev lo\nip -n a -6 addr show dev lo\n\
         ip netns exec a ping -c 1 2001:db8::1\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        out(&o),
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n\
         \x20   inet6 2001:db8::1/64 scope global \n\
         \x20      valid_lft forever preferred_lft forever\n\
         \x20   inet6 ::1/128 scope host \n\
         \x20      valid_lft forever preferred_lft forever\n"
    );
    assert_eq!(
        err(&o),
        "nslab: IPv6 packets are not modelled yet (IPv6 addresses, routes and rules are kept as \
         configuration; no neighbour discovery, MLD or DAD frames)\n\
         stdin:6: nslab: IPv6 is not modelled yet\n\
         nslab: not modelled in this lab: IPv6 (1)\n\
         nslab: stdin:6: `ip netns exec a ping -c 1 2001:db8::1` failed (status 127)\n"
    );
}

/// Issue 15 item 4: a lab that exits 1 names each failed command with FILE:LINE, also when the
/// command printed nothing (ping losing its packets) or printed its own error without one.
#[test]
fn failed_commands_are_named_with_file_and_line() {
    let f = lab_file(
        "lost.sh",
        "ip netns add a\nip -n a link set lo up\nip netns exec a ping -c 1 -W 1 127.0.0.2 >/dev/null\n\
         ip netns exec a ping -c 1 -W 1 10.9.9.9\ntrue\n",
    );
    let o = nslab(&["run", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        err(&o),
        "ping: connect: Network is unreachable\n\
         nslab: lost.sh:4: `ip netns exec a ping -c 1 -W 1 10.9.9.9` failed (status 2)\n"
    );
}

/// Issue 15 item 7: --drops names the packet and says why in the lab's terms; an empty report
/// says so; trace journeys are numbered from 1.
#[test]
fn drops_say_which_packet_and_why() {
    let lab = "ip netns add a\nip netns add r\nip netns add b\n\
        ip -n a link add eth0 type veth peer name ra netns r\n\
        ip -n b link add eth0 type veth peer name rb netns r\n\
        ip -n a addr add 10.0.1.2/24 dev eth0\nip -n b addr add 10.0.2.2/24 dev eth0\n\
        ip -n r addr add 10.0.1.1/24 dev ra\nip -n r addr add 10.0.2.1/24 dev rb\n\
        ip -n a link set eth0 up\nip -n b link set eth0 up\nip -n r link set ra up\n\
        ip -n a route add default via 10.0.1.1\nip -n b route add default via 10.0.2.1\n\
        ip netns exec a ping -c 1 -W 1 10.0.2.2\n\
        ip netns exec b ping -c 1 -W 1 10.0.2.1\n";
    let o = nslab_in(&["run", "-", "--drops"], lab);
    let s = out(&o);
    let d = s.split_once("### drops\n").expect("drops section").1;
    assert!(
        d.contains(
            "r ra drop IP_INADDRERRORS in ip_error\n    \
             packet: IP 10.0.1.2 > 10.0.2.2: ICMP echo request, id 52197, seq 1, length 64 (last seen on r:ra)\n    \
             why: the packet is for another host and forwarding is off on ra \
             (net.ipv4.conf.ra.forwarding=0): r does not route it\n    \
             after: r fib: 10.0.2.2 → no route\n"
        ),
        "{d}"
    );
    assert!(
        d.contains(
            "b eth0 drop DEV_READY in __dev_queue_xmit\n    \
             why: eth0 has no carrier: the other end of eth0, r:rb, is down (ip link set rb up)\n"
        ),
        "{d}"
    );
    // nothing dropped, no journey matched: a line says so instead of a bare heading
    let o = nslab_in(&["run", "-", "--drops", "--trace=icmp"], "ip netns add a\n");
    assert_eq!(
        out(&o),
        "### drops\nno frame was dropped\n### trace\nno packet journey whose first packet matches 'icmp'\n"
    );
    // the first journey shown is journey 1 in every lab of scenarios/
    for e in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "sh") && !p.to_string_lossy().contains("traffic") {
            let o = nslab(&["run", p.to_str().unwrap(), "--trace"]);
            let s = out(&o);
            let t = s.split_once("### trace\n").unwrap().1;
            assert!(
                t.starts_with("journey 1\n") || t == "no packet journey\n",
                "{}: {t:.200}",
                p.display()
            );
        }
    }
}

/// Issue 15 items 5 and 10: the README says how to install, its example paths exist in the
/// repository, it points at nothing outside it, and it shows how to read one interface.
#[test]
fn readme_install_and_example_paths() {
    let readme = crate::support::read("README.md");
    assert!(readme.contains("cargo install --path ."));
    assert!(
        !readme.contains("../shared"),
        "README points outside the repository"
    );
    assert!(readme.contains("-e frame.interface_name"));
    let mut checked = 0;
    for l in readme.lines() {
        let words: Vec<&str> = l.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0] == "nslab" && ["run", "convert", "graph"].contains(&w[1]) {
                let p = w[2].trim_matches('`');
                if p.contains('/') && !p.starts_with('-') {
                    assert!(root().join(p).exists(), "README names a missing lab: {p}");
                    checked += 1;
                }
            }
            if w[0] == "--traffic" && w[1].contains('/') {
                assert!(root().join(w[1]).exists(), "{}", w[1]);
            }
        }
    }
    assert!(checked >= 4, "{checked}");
}

/// Issue 15 item 8: a RON lab's messages name the RON file's lines; the root namespace is
/// `root` (containerlab's `host` is accepted too).
#[test]
fn ron_messages_name_ron_lines_and_root() {
    let ron = "// a comment with a \"quote\nScenario(\n    nodes: [\n        \
        Node(name: \"a\", addresses: [(\"eth0\", \"10.0.0.1/24\")], up: [\"eth0\"]),\n        \
        Node(\n            name: \"b\",\n            routes: [\"10.9.0.0/16 via 10.0.0.99\"],\n        ),\n    ],\n    \
        links: [\n        Link(a: \"a:eth0\", b: \"root:veth-a\"),\n        Link(a: \"b:eth0\", b: \"host:veth-b\"),\n    ],\n    \
        steps: [\n        Traffic,\n        Run(\"a\", \"ip link set nope up\"),\n        \
        Sh(\"echo \\\"x\\\"\\nip link set nope2 up\"),\n    ],\n)\n";
    let f = lab_file("r.ron", ron);
    let o = nslab(&["run", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(out(&o), "x\n");
    let e = err(&o);
    assert!(
        e.starts_with(
            "r.ron:5: Error: Nexthop has invalid gateway.\n\
         r.ron:16: Cannot find device \"nope\"\n\
         r.ron:17: Cannot find device \"nope2\"\n"
        ),
        "{e}"
    );
    // both names of the root namespace build the same lab
    let o = nslab(&["convert", &f, "--to", "sh"]);
    let sh = out(&o);
    assert!(
        sh.contains("ip link add veth-a type veth peer name eth0 netns a\n"),
        "{sh}"
    );
    assert!(
        sh.contains("ip link add veth-b type veth peer name eth0 netns b\n"),
        "{sh}"
    );
    let bad = lab_file(
        "bad-node.ron",
        "Scenario(links: [Link(a: \"x:e\", b: \"root:f\")])\n",
    );
    let o = nslab(&["run", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).ends_with("expected one of \"root\"\n"),
        "{}",
        err(&o)
    );
}

/// Issue 15 item 11: the book's lab blocks show no provenance notes (seed hashes, section
/// titles in Chinese), long lines wrap, and the book links the posts it follows by their
/// public addresses, never by a local path.
#[test]
fn book_shows_clean_labs_wraps_and_links_its_posts() {
    let toml = crate::support::read("book/book.toml");
    assert!(toml.contains("additional-css = [\"theme/wrap.css\"]"));
    assert!(crate::support::read("book/theme/wrap.css").contains("white-space: pre-wrap"));
    let intro = crate::support::read("book/src/introduction.md");
    assert!(intro.contains("<https://hihihiai.com/cni/2025/06/08/containerlab-cni.html>"));
    for (rel, bytes) in nslab::book::generate(&root()) {
        if !rel.ends_with(".md") || rel.ends_with("SUMMARY.md") {
            continue;
        }
        let md = String::from_utf8(bytes).unwrap();
        let lab = md
            .split_once("```sh\n")
            .and_then(|(_, r)| r.split_once("```"))
            .map(|(l, _)| l)
            .unwrap_or_else(|| panic!("{rel}: no lab block"));
        for l in lab.lines() {
            assert!(
                !(l.starts_with('#') && (!l.is_ascii() || l.contains("Reproduces:"))),
                "{rel}: {l}"
            );
        }
        assert!(
            !lab.contains("_aa698c921c2bcf4c") && !md.contains("shared/seeds"),
            "{rel}"
        );
        if rel.contains("seed004-") {
            assert!(md.contains("<https://hihihiai.com/cni/2025/06/08/containerlab-cni.html>"));
        }
    }
}

/// `nslab shell`: what it prints for piped lines is what `nslab run` of its `:save`d session
/// prints (namespace entry, a failing command, a background tcpdump, `:step`, functions).
#[test]
fn shell_session_saved_replays_identically() {
    let dir = std::env::temp_dir().join(format!("nslab-shell-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let saved = dir.join("seed003-veth-pair.sh");
    let lines = format!(
        "ip netns exec ns1 bash\nping -c 2 -i 0.2 10.1.1.3\nd=10.1.1.3\nping -c 1 $d\nnosuch\nexit\nip link set nope up\n\
         ip netns exec ns2 tcpdump -nni veth1 icmp &\nip netns exec ns1 ping -c 1 10.1.1.3\n\
         :step 2s\nf() {{ echo \"f $1\"; }}\nf x\n:time\n:save {}\n",
        saved.display()
    );
    let sh = nslab_in(&["shell", "scenarios/seed003-veth-pair.sh"], &lines);
    assert_eq!(sh.status.code(), Some(1), "{}", err(&sh));
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.contains(
        "ip netns exec ns1 bash <<'EOF_NS'\nping -c 2 -i 0.2 10.1.1.3\nd=10.1.1.3\nping -c 1 $d\nnosuch\nEOF_NS\nip link set nope up\n"
    ));
    // the variable set on one line of the namespace's bash is there on the next
    assert!(out(&sh).contains("1 packets transmitted, 1 received"));

    assert!(text.contains("\nsleep 2\n"));
    let run = nslab(&["run", saved.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let shown = out(&sh)
        .replace(&format!("wrote {}\n", saved.display()), "")
        .replace("2.203060 s\n", "");
    assert_eq!(shown, out(&run));
    assert_eq!(err(&sh), err(&run));
    assert!(out(&run).contains("f x\n2 packets captured\n") || out(&run).contains("f x\n"));
    assert!(err(&run).contains("seed003-veth-pair.sh:20: Cannot find device \"nope\"\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `nslab shell` on a terminal: tab completion of programs, namespaces and addresses,
/// entering a namespace (the prompt shows it, `exit` leaves it), `:save` then `nslab run`.
#[test]
fn shell_on_a_pty() {
    use expectrl::Expect;
    let dir = std::env::temp_dir().join(format!("nslab-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let saved = dir.join("seed003-veth-pair.sh");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nslab"));
    cmd.current_dir(root())
        .args(["shell", "scenarios/seed003-veth-pair.sh"])
        .env("TERM", "xterm");
    let mut p = expectrl::Session::spawn(cmd).expect("pty");
    p.set_expect_timeout(Some(std::time::Duration::from_secs(30)));
    p.expect("nslab(root)# ").unwrap();
    // a namespace: `ip netns exec n<TAB>` completes to the namespaces' common prefix `ns`
    p.send("ip netns exec n\t").unwrap();
    p.expect("ip netns exec ns").unwrap();
    p.send("1 bash\r").unwrap();
    p.expect("nslab(ns1)# ").unwrap();
    p.send("ip link set lo up\r").unwrap();
    p.expect("nslab(ns1)# ").unwrap();
    // a variable lasts to the next line of the namespace's bash
    p.send("lo=127.0.0.1\r").unwrap();
    p.expect("nslab(ns1)# ").unwrap();
    p.send("echo \"lo is $lo\"\r").unwrap();
    p.expect("lo is 127.0.0.1").unwrap();
    p.expect("nslab(ns1)# ").unwrap();
    // a program: `pin<TAB>` → `ping` (ping and ping6); an address: `127.0.<TAB>` →
    // `127.0.0.1 `
    p.send("pin\t").unwrap();
    p.expect("ping").unwrap();
    p.send(" -c 1 127.0.\t").unwrap();
    p.expect("127.0.0.1 ").unwrap();
    p.send("\r").unwrap();
    p.expect("1 packets transmitted, 1 received").unwrap();
    p.expect("nslab(ns1)# ").unwrap();
    p.send("ip -br link show veth0\r").unwrap();
    p.expect("veth0@if").unwrap();
    p.send("exit\r").unwrap();
    p.expect("nslab(root)# ").unwrap();
    p.send(format!(":save {}\r", saved.display())).unwrap();
    p.expect("wrote ").unwrap();
    p.send(":quit\r").unwrap();
    p.expect(expectrl::Eof).unwrap();
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        text.ends_with(
            "ip netns exec ns1 bash <<'EOF_NS'\nip link set lo up\nlo=127.0.0.1\n\
             echo \"lo is $lo\"\nping -c 1 127.0.0.1 \nip -br link show veth0\nEOF_NS\n"
        ),
        "{text}"
    );
    let run = nslab(&["run", saved.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", err(&run));
    assert!(out(&run).contains("1 packets transmitted, 1 received"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The graph: a legend in the SVG, `--routes` adds each namespace's forwarding state and
/// routes (dot, Mermaid, SVG), and a bridge's ports leave its box at distinct points.
#[test]
fn graph_legend_routes_and_port_fan_out() {
    let o = nslab(&["graph", "scenarios/seed003-ipforward.sh"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let svg = out(&o);
    assert!(svg.contains("<g class=\"legend\">"));
    for want in [
        ">veth pair</text>",
        ">bridge port</text>",
        ">tunnel overlay</text>",
    ] {
        assert!(svg.contains(want), "{want}");
    }
    assert!(!svg.contains("class=\"route\""));
    // --routes: the router namespace forwards, its routes are listed (as `ip route` says)
    let o = nslab(&[
        "graph",
        "scenarios/seed003-ipforward.sh",
        "--routes",
        "--format",
        "dot",
    ]);
    let dot = out(&o);
    assert!(dot.contains("label=\"root\\lforwarding on\\l"), "{dot}");
    let o = nslab_in(
        &["run", "-"],
        &format!(
            "{}\nip netns exec ns1 ip route\n",
            crate::support::lab_src("seed003-ipforward")
        ),
    );
    let ns1_routes: Vec<String> = out(&o)
        .lines()
        .rev()
        .take_while(|l| !l.is_empty() && !l.contains("rtt"))
        .map(|l| {
            l.replace(" proto kernel scope link src 10.1.1.2", "")
                .trim_end()
                .to_string()
        })
        .collect();
    assert_eq!(ns1_routes.len(), 2, "{ns1_routes:?}");
    for r in &ns1_routes {
        assert!(dot.contains(&format!("\\l{r}\\l")), "{r} missing:\n{dot}");
    }
    let o = nslab(&["graph", "scenarios/seed003-ipforward.sh", "--routes"]);
    assert!(out(&o).contains("class=\"route\""));
    // fan-out: every port link of a bridge starts at its own height on the bridge's box
    let o = nslab(&["graph", "scenarios/seed002-cni1-bridge.sh"]);
    let svg = out(&o);
    let starts: Vec<&str> = svg
        .lines()
        .filter(|l| l.starts_with("<path class=\"link port\""))
        .map(|l| l.split(" C").next().unwrap())
        .collect();
    assert!(starts.len() >= 2, "{svg}");
    let mut uniq = starts.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), starts.len(), "{starts:?}");
}

/// The seed and web labs whose `convert --to ron` is the structured form (nodes, links, bridges,
/// addresses, up devices, routes, boot sysctls, with steps only for the rest) that runs as the
/// shell lab does: same text, status and frames per interface. A lab leaving this list (its
/// conversion falling back to the lab's own lines) fails the test.
const STRUCTURED_LABS: &[&str] = &[
    "seed000-ipip-p2p",
    "seed000-veth-proxyarp",
    "seed001-calico-ipip",
    "seed002-cni1-bridge",
    "seed002-cni2-routed-opt1",
    "seed002-cni2-routed-opt2",
    "seed002-cni2-routed-opt3",
    "seed002-cni3-masquerade",
    "seed002-cni4-clusterip",
    "seed002-cni5-nodeport",
    "seed002-cni6-ipip",
    "seed002-cni7-vxlan",
    "seed002-cni8-static",
    "seed002-cni9-bgp",
    "seed003-bridge",
    "seed003-container-mode",
    "seed003-diy-ipip",
    "seed003-ipforward-arprefresh",
    "seed003-ipforward",
    "seed003-veth-pair",
    "seed003-flannel-ipip",
    "seed004-hostgw",
    "seed004-ipip",
    "seed004-vxlan-fwd",
    "seed004-vxlan",
    "web/web01-netns-veth",
    "web/web03-router-two-subnets",
    "web/web04-nat-masquerade",
    "web/web05-dnat-port-forward",
    "web/web06-vxlan-two-hosts",
    "web/web07-vxlan-flannel-static",
    "web/web11-nettools-static-arp",
    "web/web12-arping-gratuitous",
    "web/web13-firewall-heredoc",
    "web/web14-routed-pod-proxyarp",
    "web/web15-nat-http-conntrack",
    "web/web16-ip-json-jq",
];

/// Issue 15 item 8: `convert --to ron` of the labs in [`STRUCTURED_LABS`] gives the structured
/// form, and the RON runs as the shell lab does (same stdout and status; its messages name RON
/// lines instead); a veth pair created in the root namespace and moved keeps its creation
/// order (`created_in`), so the MAC addresses are drawn in the same order.
#[test]
fn convert_to_ron_is_structured_and_runs_the_same() {
    use nslab::frontends::{lift, scenario::Scenario};
    let dir = std::env::temp_dir().join(format!("nslab-ron-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in STRUCTURED_LABS {
        let lab = format!("scenarios/{name}.sh");
        let src = std::fs::read_to_string(root().join(&lab)).unwrap();
        let lifted = lift::lift_shell(&src, &lab).unwrap_or_else(|| panic!("{lab}: not lifted"));
        assert!(
            lift::runs_the_same(&src, &lab, &lifted),
            "{lab}: runs differently"
        );
        let conv = nslab(&["convert", &lab, "--to", "ron"]);
        assert_eq!(conv.status.code(), Some(0), "{lab}: {}", err(&conv));
        let ron = out(&conv);
        let sc = Scenario::from_ron(&ron, "x.ron").unwrap_or_else(|e| panic!("{lab}: {e}\n{ron}"));
        assert_eq!(
            sc, lifted,
            "{lab}: the conversion is not the structured form\n{ron}"
        );
        assert!(!sc.nodes.is_empty(), "{lab}:\n{ron}");
        let p = dir.join(name.replace('/', "-")).with_extension("ron");
        std::fs::write(&p, &ron).unwrap();
        let a = nslab(&["run", &lab]);
        let b = nslab(&["run", p.to_str().unwrap()]);
        assert_eq!(out(&a), out(&b), "{lab}");
        assert_eq!(a.status.code(), b.status.code(), "{lab}");
    }
    // the veth pair lab is all structure but its traffic; seed003-ipforward's pairs are
    // created in the root namespace, their first ends moved into the nodes
    let conv = out(&nslab(&[
        "convert",
        "scenarios/seed003-veth-pair.sh",
        "--to",
        "ron",
    ]));
    assert!(!conv.contains("Sh("), "{conv}");
    let conv = out(&nslab(&[
        "convert",
        "scenarios/seed003-ipforward.sh",
        "--to",
        "ron",
    ]));
    let sc = Scenario::from_ron(&conv, "x.ron").unwrap();
    assert_eq!(sc.links.len(), 2, "{conv}");
    assert!(
        sc.links
            .iter()
            .all(|l| l.created_in.as_deref() == Some("root") && l.a.starts_with("ns")),
        "{conv}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A lab whose structured form would run differently keeps its own lines (`from_shell`'s
/// conversion): here a route is added through a device that is still down, which fails
/// ("Error: Device for nexthop is not up.", recorded with iproute2 6.1 on Linux 6.18), while
/// the structured form sets each node's devices up before its routes.
#[test]
fn convert_to_ron_falls_back_to_the_lab_lines() {
    use nslab::frontends::{lift, scenario::Scenario};
    let src = "ip netns add a\nip link add v1 type veth peer name v2\nip link set v1 netns a\nip netns exec a ip route add 10.0.0.0/24 dev v1\nip netns exec a ip link set v1 up\n";
    let lab = lab_file("fallback.sh", src);
    assert!(err(&nslab(&["run", &lab])).contains("Error: Device for nexthop is not up."));
    assert_eq!(lift::lift_shell(src, &lab), None);
    let conv = nslab(&["convert", &lab, "--to", "ron"]);
    assert_eq!(conv.status.code(), Some(0), "{}", err(&conv));
    let sc = Scenario::from_ron(&out(&conv), "x.ron").unwrap();
    assert_eq!(sc, Scenario::from_shell(src, &lab).unwrap());
    assert_eq!(sc.to_shell(), src);
}
