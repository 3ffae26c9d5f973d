//! Runs recorded cases against the userland programs and reports every difference.

use userland::testkit::{run, MemFs};

/// One recorded run of the real tool.
pub struct Case {
    pub argv: &'static [&'static str],
    pub stdin: &'static str,
    pub files: &'static [(&'static str, &'static str)],
    pub out: &'static str,
    pub err: &'static str,
    pub status: i32,
    /// Files whose contents afterwards are checked (`None`: must not exist).
    pub after: &'static [(&'static str, Option<&'static str>)],
}

pub fn check_all(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let mut fs = MemFs::default();
        for (n, t) in c.files {
            let p = userland::abs_path("/lab", n);
            if n.ends_with('/') {
                let mut cur = String::new();
                for comp in p.split('/').filter(|s| !s.is_empty()) {
                    cur.push('/');
                    cur.push_str(comp);
                    fs.dirs.insert(cur.clone());
                }
                continue;
            }
            let mut cur = String::new();
            let parent = p.rsplit_once('/').map(|x| x.0).unwrap_or("");
            for comp in parent.split('/').filter(|s| !s.is_empty()) {
                cur.push('/');
                cur.push_str(comp);
                fs.dirs.insert(cur.clone());
            }
            fs.files.insert(p, t.as_bytes().to_vec());
        }
        let r = run(c.argv, c.stdin, &mut fs);
        let mut bad = Vec::new();
        if r.out != c.out {
            bad.push(format!("stdout\n  real: {:?}\n  ours: {:?}", c.out, r.out));
        }
        if r.err != c.err {
            bad.push(format!("stderr\n  real: {:?}\n  ours: {:?}", c.err, r.err));
        }
        if r.status != c.status {
            bad.push(format!("status real {} ours {}", c.status, r.status));
        }
        for (n, want) in c.after {
            let got = fs.text(n);
            if got.as_deref() != *want {
                bad.push(format!("file {n}\n  real: {want:?}\n  ours: {got:?}"));
            }
        }
        if !bad.is_empty() {
            failures.push(format!("$ {}\n{}", c.argv.join(" "), bad.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
