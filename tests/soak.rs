//! Soak test (issue 14): every lab of `scenarios/` with several seeds, and the hostile labs of
//! issue 14, each run by the `nslab` binary as a user runs it: no panic (status 101), no abort
//! (134, a signal), the exit status the lab means, and peak RSS (the child's own VmHWM, which
//! `nslab` prints on stderr under `NSLAB_REPORT_VMHWM`) under [`RSS_BOUND_KB`].
//!
//! By default a few seeds per lab (seconds). The long mode runs 100 seeds per lab:
//! `NSLAB_SOAK_SEEDS=100 cargo test --release --test integration soak -- --nocapture`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Peak RSS any soak run may reach (a debug build holds more than a release one).
const RSS_BOUND_KB: u64 = 64 * 1024;

fn seeds() -> u64 {
    std::env::var("NSLAB_SOAK_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
}

struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    vmhwm_kb: u64,
}

fn nslab(lab: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_nslab"))
        .arg("run")
        .arg(lab)
        .args(extra)
        .env("NSLAB_REPORT_VMHWM", "1")
        .output()
        .expect("nslab");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let vmhwm_kb = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("nslab: VmHWM: "))
        .and_then(|v| v.trim_end_matches(" kB").parse().ok())
        .unwrap_or_else(|| panic!("{}: no VmHWM line (crashed?):\n{stderr}", lab.display()));
    Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        vmhwm_kb,
    }
}

fn check(what: &str, r: &Run, statuses: &[i32]) {
    assert!(
        r.status.is_some_and(|s| statuses.contains(&s)),
        "{what}: status {:?} (want one of {statuses:?})\n{}\n{}",
        r.status,
        r.stdout,
        r.stderr
    );
    assert!(
        !r.stderr.contains("panicked"),
        "{what}: a panic\n{}",
        r.stderr
    );
    assert!(
        r.vmhwm_kb < RSS_BOUND_KB,
        "{what}: peak RSS {} kB (bound {RSS_BOUND_KB} kB)",
        r.vmhwm_kb
    );
}

/// The runnable labs of `scenarios/`: shell labs (not the traffic parts of topologies),
/// containerlab topologies with their traffic, RON scenarios.
fn labs() -> Vec<(PathBuf, Vec<String>)> {
    let dir = crate::support::root().join("scenarios");
    let mut v: Vec<(PathBuf, Vec<String>)> = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".traffic.sh") {
            continue;
        }
        if let Some(stem) = name.strip_suffix(".clab.yaml") {
            let traffic = dir.join(format!("{stem}.traffic.sh"));
            let extra = if traffic.exists() {
                vec!["--traffic".to_string(), traffic.display().to_string()]
            } else {
                vec![]
            };
            v.push((p, extra));
        } else if name.ends_with(".sh") || name.ends_with(".ron") {
            v.push((p, vec![]));
        }
    }
    v
}

#[test]
fn every_scenario_with_several_seeds_is_bounded_and_crash_free() {
    let labs = labs();
    assert!(labs.len() > 30, "{} labs", labs.len());
    let n = seeds();
    let mut peak = 0;
    for (lab, extra) in &labs {
        for seed in 1..=n {
            let seed = seed.to_string();
            let mut args: Vec<&str> = extra.iter().map(String::as_str).collect();
            args.extend(["--seed", &seed]);
            let r = nslab(lab, &args);
            // A lab's own failing commands give 1 (some labs show an error on purpose).
            check(&format!("{} --seed {seed}", lab.display()), &r, &[0, 1]);
            peak = peak.max(r.vmhwm_kb);
        }
    }
    eprintln!(
        "soak: {} labs x {n} seeds, peak RSS {peak} kB (bound {RSS_BOUND_KB} kB)",
        labs.len()
    );
}

/// The hostile labs of issue 14, each with the limit or refusal that bounds it.
#[test]
fn the_hostile_labs_of_issue_14_are_bounded_and_crash_free() {
    let dir = std::env::temp_dir().join(format!("nslab-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let labs: &[(&str, &str, &[&str], &[i32])] = &[
        (
            "bridge-loop.sh",
            "ip link add br0 type bridge; ip link add br1 type bridge
ip link set br1 master br0; ip link set br0 master br1
ip link set br0 up; ip link set br1 up; ip addr add 10.5.0.1/24 dev br0; ping -c 1 -W 1 10.5.0.2
",
            &[],
            &[1],
        ),
        (
            "vxlan-loop.sh",
            "ip link add br0 type bridge; ip link set br0 up; ip addr add 10.7.0.1/24 dev br0
ip neigh add 10.7.0.2 lladdr 02:00:00:00:00:02 dev br0 nud permanent
ip link add vx0 type vxlan id 7 remote 10.7.0.2 dstport 4789; ip link set vx0 master br0
ip link set vx0 up; ping -c 1 -W 1 10.7.0.2
",
            &[],
            &[1],
        ),
        (
            "iptables-loop.sh",
            "iptables -N LOOP; iptables -A LOOP -j LOOP; iptables -A OUTPUT -j LOOP; ping -c 1 127.0.0.1
iptables -F LOOP; iptables -A LOOP -g LOOP; ping -c 1 -W 1 127.0.0.1
",
            &[],
            &[1],
        ),
        (
            "bash-recursion.sh",
            "X='bash -c \"$X\"'; export X; bash -c \"$X\"\n",
            &[],
            &[1],
        ),
        (
            "storm.sh",
            crate::hostile::STORM_LAB,
            &["--max-frame-rate", "50000"],
            &[3],
        ),
        (
            "storm-multiplying.sh",
            "ip link add br0 type bridge; ip link add br1 type bridge
for i in 0 1 2; do ip link add x$i type veth peer name y$i; ip link set x$i master br0; ip link set y$i master br1; done
for d in br0 br1 x0 x1 x2 y0 y1 y2; do ip link set $d up; done
ip addr add 10.5.0.1/24 dev br0
ping -c 1 -W 1 10.5.0.2
",
            &["--max-memory", "32"],
            &[3],
        ),
        (
            "ping-flood.sh",
            "ip addr add 10.0.0.1/8 dev lo\nping -q -i 0.001 10.0.0.1 &\nsleep 100000\n",
            &["--max-sim-time", "20"],
            &[3],
        ),
        (
            "sleep.sh",
            "sleep 1e300\necho never\n",
            &[],
            &[3],
        ),
    ];
    for (name, text, extra, statuses) in labs {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let r = nslab(&p, extra);
        check(name, &r, statuses);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
