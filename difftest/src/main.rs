//! `difftest`: see README.md.
//!
//!   difftest gen SEED                      print the lab of SEED
//!   difftest run OUT FROM COUNT            record labs FROM..FROM+COUNT on the kernel (root,
//!                                          the oracle), compare, append OUT/results.tsv;
//!                                          seeds OUT holds already are skipped (resumes)
//!   difftest nslab FROM COUNT              run labs in nslab only (generator sanity)
//!   difftest table OUT                     the figure and the class table of OUT/results.tsv
//!   difftest recheck OUT                   compare every recorded lab of OUT again with this
//!                                          build's nslab (no kernel runs): OUT/recheck.tsv
//!   difftest minimise LAB.sh OUT           shrink a differing lab (kernel runs), OUT/min.sh

use nslab_difftest::{driver, gen, minimise};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

fn usage() -> ! {
    eprintln!(
        "usage: difftest gen SEED | run OUT FROM COUNT | nslab FROM COUNT | table OUT [FILE] | recheck OUT | minimise LAB.sh OUT"
    );
    std::process::exit(2)
}

fn num(s: Option<&String>) -> u64 {
    s.and_then(|s| s.parse().ok()).unwrap_or_else(|| usage())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") => print!("{}", gen::generate(num(args.get(1)))),
        Some("run") => {
            let out = PathBuf::from(args.get(1).unwrap_or_else(|| usage()));
            run(&out, num(args.get(2)), num(args.get(3)));
        }
        Some("nslab") => {
            let (from, n) = (num(args.get(1)), num(args.get(2)));
            for seed in from..from + n {
                let text = gen::generate(seed);
                let mut lab = nslab::Lab::new(1);
                let r = lab.run_shell(&text, "lab.sh");
                let out = lab.output();
                let bad: Vec<&str> = out
                    .lines()
                    .filter(|l| {
                        l.contains("not modelled") || l.contains("Error") || l.contains("RTNETLINK")
                    })
                    .collect();
                println!(
                    "{seed}\tstatus {}\tfailures {}\t{}",
                    r.status,
                    r.failures,
                    bad.join(" | ")
                );
            }
        }
        Some("table") => {
            let out = Path::new(args.get(1).unwrap_or_else(|| usage()));
            table(&out.join(args.get(2).map_or("results.tsv", String::as_str)))
        }
        Some("recheck") => {
            let out = PathBuf::from(args.get(1).unwrap_or_else(|| usage()));
            let mut dirs: Vec<(u64, PathBuf)> = std::fs::read_dir(out.join("labs"))
                .or_die(out.join("labs"))
                .filter_map(Result::ok)
                .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path())))
                // A lab still being recorded (no report yet) is left out.
                .filter(|(_, d): &(u64, PathBuf)| d.join("report.txt").exists())
                .collect();
            dirs.sort();
            let mut res = String::new();
            for (seed, d) in dirs {
                if let Some(v) = driver::recheck_lab(&d) {
                    std::fs::write(d.join("recheck.txt"), &v.report).ok();
                    res.push_str(&format!(
                        "{seed}\t{}\t{}\t0\n",
                        v.verdict,
                        v.class.replace('\t', " ")
                    ));
                }
            }
            std::fs::write(out.join("recheck.tsv"), &res).or_die(out.join("recheck.tsv"));
            table(&out.join("recheck.tsv"));
        }
        Some("minimise") => {
            let lab = PathBuf::from(args.get(1).unwrap_or_else(|| usage()));
            let out = PathBuf::from(args.get(2).unwrap_or_else(|| usage()));
            let text = std::fs::read_to_string(&lab).or_die(&lab);
            let scratch = out.join("scratch");
            let Some(want) = driver::class_of_text(&text, &scratch) else {
                eprintln!(
                    "difftest: {}: the kernel oracle could not run the lab",
                    lab.display()
                );
                std::process::exit(2);
            };
            if want.is_empty() {
                eprintln!("the lab compares identical: nothing to minimise");
                std::process::exit(1);
            }
            eprintln!("class: {want}");
            let small = minimise::minimise(&text, |t| {
                let c = driver::class_of_text(t, &scratch);
                eprintln!("  {} lines: {:?}", t.lines().count(), c);
                c.as_deref() == Some(want.as_str())
            });
            std::fs::write(out.join("min.sh"), &small).or_die(out.join("min.sh"));
            print!("{small}");
        }
        _ => usage(),
    }
}

/// A file operation's failure ends the run with the path and the OS's words (exit 2).
trait OrDie<T> {
    fn or_die(self, path: impl AsRef<Path>) -> T;
}

impl<T> OrDie<T> for std::io::Result<T> {
    fn or_die(self, path: impl AsRef<Path>) -> T {
        self.unwrap_or_else(|e| {
            eprintln!("difftest: {}: {e}", path.as_ref().display());
            std::process::exit(2)
        })
    }
}

fn run(out: &Path, from: u64, count: u64) {
    std::fs::create_dir_all(out.join("labs")).or_die(out.join("labs"));
    let mut res = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out.join("results.tsv"))
        .or_die(out.join("results.tsv"));
    let done = recorded_seeds(out);
    let skipped = (from..from + count).filter(|s| done.contains(s)).count();
    if skipped > 0 {
        eprintln!(
            "difftest: {skipped} of the seeds are recorded in {} already: skipped",
            out.display()
        );
    }
    for seed in from..from + count {
        if done.contains(&seed) {
            continue;
        }
        let dir = out.join("labs").join(format!("{seed}"));
        std::fs::create_dir_all(&dir).or_die(&dir);
        let lab = dir.join("lab.sh");
        std::fs::write(&lab, gen::generate(seed)).or_die(&lab);
        // The driver measures real kernel runs (how long a lab takes, to plan a run): this is
        // the tool's wall clock, never the model's.
        #[allow(clippy::disallowed_methods)]
        let t0 = std::time::Instant::now();
        let v = driver::check_lab(&lab, &dir);
        let secs = t0.elapsed().as_secs_f64();
        if let Some(ns) = stale_namespace(&v) {
            // A run killed mid-lab leaves its namespaces behind, and every later lab would
            // then fail at its first `ip netns add`: stop instead of recording those failures.
            let _ = std::fs::remove_dir_all(&dir);
            eprintln!(
                "difftest: seed {seed}: namespace {ns} exists already (left by an interrupted \
                 run?): delete it with `ip netns del {ns}`, then run the same command again"
            );
            std::process::exit(1);
        }
        std::fs::write(dir.join("report.txt"), &v.report).ok();
        let line = format!(
            "{seed}\t{}\t{}\t{secs:.1}\n",
            v.verdict,
            v.class.replace('\t', " ")
        );
        res.write_all(line.as_bytes())
            .or_die(out.join("results.tsv"));
        print!("{line}");
        std::io::stdout().flush().ok();
    }
}

/// The namespace a lab could not create because it exists already (iproute2's `Cannot create
/// namespace file "/run/netns/NAME": File exists`), if that is why the kernel run failed.
fn stale_namespace(v: &driver::Verdict) -> Option<&str> {
    if v.verdict != "kernel-failed" || !v.class.contains("File exists") {
        return None;
    }
    const PREFIX: &str = "Cannot create namespace file \"/run/netns/";
    let rest = &v.class[v.class.find(PREFIX)? + PREFIX.len()..];
    rest.split('"').next()
}

/// The seeds `OUT/results.tsv` has a line of (a lab's `report.txt` is written just before its
/// line): a lab interrupted mid-run has none and is recorded again, so `run OUT FROM COUNT`
/// continues an interrupted run.
fn recorded_seeds(out: &Path) -> BTreeSet<u64> {
    std::fs::read_to_string(out.join("results.tsv"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split('\t').next()?.parse().ok())
        .collect()
}

fn table(file: &Path) {
    let text = std::fs::read_to_string(file).or_die(file);
    let mut verdicts: BTreeMap<String, u32> = BTreeMap::new();
    let mut classes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut last: BTreeMap<String, (String, String)> = BTreeMap::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() >= 3 {
            // A seed run again replaces its earlier line.
            last.insert(f[0].to_string(), (f[1].to_string(), f[2].to_string()));
        }
    }
    for (seed, (v, c)) in &last {
        *verdicts.entry(v.clone()).or_default() += 1;
        if v == "differs" {
            classes.entry(c.clone()).or_default().push(seed.clone());
        }
    }
    let ident = verdicts.get("identical").copied().unwrap_or(0);
    let diff = verdicts.get("differs").copied().unwrap_or(0);
    let agreed = ident + diff;
    println!("labs: {}", last.len());
    for (v, n) in &verdicts {
        println!("  {v}: {n}");
    }
    if agreed > 0 {
        println!(
            "identical on every interface and stdout: {ident} of {agreed} whose two kernel runs agree ({:.1} %)",
            100.0 * f64::from(ident) / f64::from(agreed)
        );
    }
    let mut rows: Vec<(&String, &Vec<String>)> = classes.iter().collect();
    rows.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    println!("\n| labs | class (first differing line) | seeds |\n|---:|---|---|");
    for (c, seeds) in rows {
        let s: Vec<&str> = seeds.iter().take(6).map(String::as_str).collect();
        println!(
            "| {} | {} | {} |",
            seeds.len(),
            c.replace('|', "\\|"),
            s.join(" ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_namespace_is_named() {
        // The failure line the driver wrote for seeds 168-300 of a v6 run resumed after a kill.
        let v = driver::Verdict {
            verdict: "kernel-failed",
            class: "run-kernel 3: ---- tail of k1/setup.log ---- | Cannot create namespace file \
                    \"/run/netns/n1\": File exists | run-kernel: SETUP FAILED at lab.sh line 2 \
                    (exit 1): ip netns add n1"
                .into(),
            report: String::new(),
        };
        assert_eq!(stale_namespace(&v), Some("n1"));
        let other = driver::Verdict {
            class: "run-kernel 3: RTNETLINK answers: File exists".into(),
            ..v
        };
        assert_eq!(stale_namespace(&other), None);
    }
}
