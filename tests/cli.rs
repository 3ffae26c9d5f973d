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
    for sub in ["run", "convert", "graph", "completions", "book-gen"] {
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
    assert_eq!(err(&o), "stdin:2: Cannot find device \"nope\"\n");
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
    let yaml = lab_file("bad.clab.yaml", "name: x\ntopology: [\n");
    assert_eq!(nslab(&["run", &yaml]).status.code(), Some(2));
    let ron = lab_file("bad.ron", "(nodes: [\n");
    assert_eq!(nslab(&["run", &ron]).status.code(), Some(2));
    // an output file that cannot be written
    let o = nslab(&["run", &ok, "--pcap", "/nonexistent/dir/x.pcapng"]);
    assert_eq!(o.status.code(), Some(4));
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
         `&` never returns: end its line with `&` to run it in the background\n"
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
