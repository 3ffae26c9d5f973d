//! Runs a lab on both sides and compares: the kernel through the oracle's `run-kernel` (twice,
//! into `K1` and `K2`: a lab whose two kernel runs differ is set aside as nondeterministic),
//! nslab through the `Lab` API, compared as the project's tests do (the oracle port's
//! normalizer and `compare`, TCP checksum verdicts ignored, per-run values masked by
//! `mask_per_run`, stdout normalized and masked).

use nslab_oracle as oracle;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The oracle's directory (`run-kernel`): `NSLAB_ORACLE`, else `shared/oracle` beside the
/// checkout (or a worktree's parent), found as the selftests' folder is; else the relative
/// `../shared/oracle` (whose absence the run then reports).
pub fn oracle_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NSLAB_ORACLE") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(1)
        .map(|a| a.join("shared/oracle"))
        .find(|d| d.join("run-kernel").is_file())
        .unwrap_or_else(|| PathBuf::from("../shared/oracle"))
}

/// What one side printed and captured, normalized.
#[derive(Debug, Clone, Default)]
pub struct Side {
    pub norm: BTreeMap<String, Vec<String>>,
    pub stdout: Vec<String>,
}

/// nslab's run of the lab text (seed 1, as the tests run labs).
pub fn run_nslab(text: &str) -> Side {
    let mut lab = nslab::Lab::new(1);
    lab.run_shell(text, "lab.sh");
    let mm = oracle::MacMap::parse(&lab.macmap());
    let norm =
        oracle::split_and_normalize_with(&lab.pcapng_traffic(), Some(&mm)).unwrap_or_default();
    Side {
        norm,
        stdout: oracle::normalize_stdout(&lab.traffic_stdout()),
    }
}

/// How a kernel run ended.
#[derive(Debug)]
pub enum KernelRun {
    Ok(Side),
    /// run-kernel's exit status and the tail of what it printed (3: the setup failed).
    Failed(i32, String),
}

/// `run-kernel LAB OUTDIR` (takes the oracle's global lock: runs are sequential).
pub fn run_kernel(lab: &Path, out: &Path) -> KernelRun {
    let _ = std::fs::remove_dir_all(out);
    let r = Command::new(oracle_dir().join("run-kernel"))
        .arg(lab)
        .arg(out)
        .output();
    let r = match r {
        Ok(r) => r,
        Err(e) => return KernelRun::Failed(-1, e.to_string()),
    };
    let code = r.status.code().unwrap_or(-1);
    if code != 0 {
        let mut t = String::from_utf8_lossy(&r.stdout).into_owned();
        t.push_str(&String::from_utf8_lossy(&r.stderr));
        let tail: Vec<&str> = t.lines().rev().take(3).collect();
        return KernelRun::Failed(code, tail.into_iter().rev().collect::<Vec<_>>().join(" | "));
    }
    match oracle::load_kernel_dir(out) {
        Ok(k) => KernelRun::Ok(Side {
            norm: k.norm,
            stdout: k.stdout_norm.unwrap_or_default(),
        }),
        Err(e) => KernelRun::Failed(-2, e),
    }
}

/// The comparison of two sides: the interface report and the stdout diff (empty if equal).
pub fn compare(kernel: &Side, other: &Side) -> (oracle::CompareReport, Vec<String>) {
    let rep = oracle::compare(&kernel.norm, &other.norm, true);
    let (a, b) = (
        oracle::mask_per_run(&kernel.stdout),
        oracle::mask_per_run(&other.stdout),
    );
    let sd = if a == b {
        Vec::new()
    } else {
        oracle::unified_diff(&a, &b, "kernel/(stdout)", "nslab/(stdout)")
    };
    (rep, sd)
}

/// The verdict on one lab.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// `identical`, `differs`, `nondeterministic` (the kernel's two runs differ) or
    /// `kernel-failed` (run-kernel failed: a generator bug or a missing kernel feature).
    pub verdict: &'static str,
    /// The class of the difference (see `classify`), or the failure text.
    pub class: String,
    /// The full report, for the lab's directory.
    pub report: String,
}

/// Records `lab` on the kernel twice (`DIR/k1`, `DIR/k2`) and compares nslab's run with it.
pub fn check_lab(lab: &Path, dir: &Path) -> Verdict {
    let text = std::fs::read_to_string(lab).unwrap_or_default();
    let k1 = match run_kernel(lab, &dir.join("k1")) {
        KernelRun::Ok(s) => s,
        KernelRun::Failed(c, t) => {
            return Verdict {
                verdict: "kernel-failed",
                class: format!("run-kernel {c}: {t}"),
                report: String::new(),
            }
        }
    };
    let k2 = match run_kernel(lab, &dir.join("k2")) {
        KernelRun::Ok(s) => s,
        KernelRun::Failed(c, t) => {
            return Verdict {
                verdict: "kernel-failed",
                class: format!("second run-kernel {c}: {t}"),
                report: String::new(),
            }
        }
    };
    let ours = run_nslab(&text);
    let (rep, sd) = compare(&k1, &ours);
    let (drep, dsd) = compare(&k1, &k2);
    let report = format!("{rep}\n{}\n", sd.join("\n"));
    if !drep.is_identical() || !dsd.is_empty() {
        return Verdict {
            verdict: "nondeterministic",
            class: crate::classify::classify(&drep, &dsd),
            report: format!(
                "kernel run 1 vs run 2:\n{drep}\n{}\n\nnslab:\n{report}",
                dsd.join("\n")
            ),
        };
    }
    if rep.is_identical() && sd.is_empty() {
        Verdict {
            verdict: "identical",
            class: String::new(),
            report,
        }
    } else {
        Verdict {
            verdict: "differs",
            class: crate::classify::classify(&rep, &sd),
            report,
        }
    }
}

/// The verdict on a lab already recorded in `dir` (`lab.sh`, `k1`, `k2`), with the nslab of
/// this build: to see what a change to nslab does to a run without recording again.
pub fn recheck_lab(dir: &Path) -> Option<Verdict> {
    let text = std::fs::read_to_string(dir.join("lab.sh")).ok()?;
    let load = |d: &str| {
        oracle::load_kernel_dir(&dir.join(d)).ok().map(|k| Side {
            norm: k.norm,
            stdout: k.stdout_norm.unwrap_or_default(),
        })
    };
    let (k1, k2) = (load("k1")?, load("k2")?);
    let ours = run_nslab(&text);
    let (rep, sd) = compare(&k1, &ours);
    let (drep, dsd) = compare(&k1, &k2);
    let report = format!("{rep}\n{}\n", sd.join("\n"));
    let (verdict, class) = if !drep.is_identical() || !dsd.is_empty() {
        ("nondeterministic", crate::classify::classify(&drep, &dsd))
    } else if rep.is_identical() && sd.is_empty() {
        ("identical", String::new())
    } else {
        ("differs", crate::classify::classify(&rep, &sd))
    };
    Some(Verdict {
        verdict,
        class,
        report,
    })
}

/// One kernel run of `text` compared with nslab: the class of the difference (`""` if none,
/// `None` if the kernel run failed). The minimiser's test.
pub fn class_of_text(text: &str, scratch: &Path) -> Option<String> {
    let _ = std::fs::create_dir_all(scratch);
    let lab = scratch.join("cand.sh");
    std::fs::write(&lab, text).ok()?;
    let k = match run_kernel(&lab, &scratch.join("k")) {
        KernelRun::Ok(s) => s,
        KernelRun::Failed(..) => return None,
    };
    let (rep, sd) = compare(&k, &run_nslab(text));
    Some(crate::classify::classify(&rep, &sd))
}
