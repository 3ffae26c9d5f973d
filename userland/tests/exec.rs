//! `Ctx::exec`: how the lab lets xargs/timeout/awk run any program (here a stand-in for the
//! lab's command table), and what happens without it.

use std::collections::BTreeMap;
use userland::testkit::{run_with, MemFs};
use userland::{programs, Ctx};

#[test]
fn xargs_runs_programs_through_the_labs_callback() {
    let mut fs = MemFs::default();
    let env = BTreeMap::new();
    let mut random = || 4u64;
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut exec = |argv: &[String], _stdin: &[u8]| {
        seen.push(argv.to_vec());
        if argv[0] == "ip" {
            (
                format!("ran {}\n", argv.join(" ")).into_bytes(),
                Vec::new(),
                0,
            )
        } else {
            (
                Vec::new(),
                format!("{}: command not found\n", argv[0]).into_bytes(),
                127,
            )
        }
    };
    let argv: Vec<String> = ["xargs", "-n", "1", "ip", "link", "del"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut ctx = Ctx {
        argv: &argv,
        stdin: b"veth0 veth1\n",
        stdout: Vec::new(),
        stderr: Vec::new(),
        env: &env,
        cwd: "/lab",
        fs: &mut fs,
        now_ns: 0,
        random: &mut random,
        exec: Some(&mut exec),
    };
    let st = programs::find("xargs").expect("xargs")(&mut ctx);
    assert_eq!(st, 0);
    assert_eq!(
        String::from_utf8_lossy(&ctx.stdout),
        "ran ip link del veth0\nran ip link del veth1\n"
    );
    drop(ctx);
    assert_eq!(seen.len(), 2);
}

#[test]
fn without_the_callback_only_this_crates_programs_run() {
    // GNU xargs: a command that cannot be found ends xargs with 127
    let r = run_with(&["xargs", "nonexistent-prog"], "a\n", &[]);
    assert_eq!(r.status, 127);
    let r = run_with(&["xargs", "echo", "x"], "a b\n", &[]);
    assert_eq!((r.out.as_str(), r.status), ("x a b\n", 0));
}
