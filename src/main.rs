//! The `nslab` command line.

use nslab::shell::Stream;
use nslab::Lab;
use std::io::Write;
use std::process::ExitCode;

const HELP: &str = "\
nslab - run Linux networking labs in a deterministic userspace model (no root needed)

USAGE:
    nslab run LAB [--pcap FILE] [--macmap FILE] [--seed N] [--drops] [--state]
    nslab --help | --version

LAB is a shell lab (.sh): the commands a person would type on a Linux machine
(ip, bridge, brctl, sysctl, echo > /proc/sys/..., route, ping, sleep ...).

OPTIONS:
    --pcap FILE     write every interface's frames to FILE (pcapng, one interface per
                    namespace:device, nanosecond timestamps from the simulated clock)
    --macmap FILE   write `mac<TAB>namespace:device` for the oracle's split-pcapng
    --seed N        seed of the only random source (MACs, ids, timer jitter); default 1
    --drops         after the lab, list every frame that was not delivered and why
                    (kernel drop-reason names)
    --state         after the lab, print ip addr / ip route show table all / ip neigh /
                    bridge fdb show of every namespace

EXIT STATUS:
    0   every command of the lab succeeded
    1   at least one command failed (its message names FILE:LINE)
    2   usage error, or the lab file cannot be read
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(|s| s.as_str()) {
        None | Some("--help") | Some("-h") | Some("help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("--version") | Some("-V") => {
            println!("nslab {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("run") => run(&args[1..]),
        Some(other) => {
            eprintln!("nslab: unknown command '{other}'\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("nslab: {msg}\nTry 'nslab --help'.");
    ExitCode::from(2)
}

fn run(args: &[String]) -> ExitCode {
    let mut lab_path = None;
    let mut pcap = None;
    let mut macmap = None;
    let mut seed = sim_core::rng::DEFAULT_SEED;
    let mut drops = false;
    let mut state = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut value = |name: &str| -> Result<String, ExitCode> {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| usage(&format!("option '{name}' needs a value")))
        };
        match a {
            "--pcap" => match value(a) {
                Ok(v) => pcap = Some(v),
                Err(e) => return e,
            },
            "--macmap" => match value(a) {
                Ok(v) => macmap = Some(v),
                Err(e) => return e,
            },
            "--seed" => match value(a).map(|v| v.parse::<u64>()) {
                Ok(Ok(v)) => seed = v,
                Ok(Err(_)) => return usage("--seed needs a non-negative integer"),
                Err(e) => return e,
            },
            "--drops" => drops = true,
            "--state" => state = true,
            s if s.starts_with('-') => return usage(&format!("unknown option '{s}'")),
            s if lab_path.is_none() => lab_path = Some(s.to_string()),
            s => return usage(&format!("unexpected argument '{s}'")),
        }
        i += 1;
    }
    let Some(path) = lab_path else {
        return usage("run needs a LAB file");
    };
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nslab: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut lab = Lab::new(seed);
    let file = std::path::Path::new(&path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or(path.clone());
    let r = lab.run_shell(&src, &file);
    let out = std::io::stdout();
    let err = std::io::stderr();
    let mut out = out.lock();
    for c in &lab.terminal {
        match c.stream {
            Stream::Stdout => {
                let _ = out.write_all(&c.data);
            }
            Stream::Stderr => {
                let _ = out.flush();
                let _ = err.lock().write_all(&c.data);
            }
        }
    }
    if state {
        let _ = out.write_all(nslab::lab::state_dump(&mut lab).as_bytes());
    }
    if drops {
        let _ = out.write_all(nslab::lab::drops_report(&lab).as_bytes());
    }
    let _ = out.flush();
    if let Some(p) = pcap {
        if let Err(e) = std::fs::write(&p, lab.pcapng()) {
            eprintln!("nslab: cannot write {p}: {e}");
            return ExitCode::from(2);
        }
    }
    if let Some(p) = macmap {
        if let Err(e) = std::fs::write(&p, lab.macmap()) {
            eprintln!("nslab: cannot write {p}: {e}");
            return ExitCode::from(2);
        }
    }
    if r.status == 0 && r.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
