//! The `nslab` command line.

use nslab::frontends::{self, Format};
use nslab::shell::Stream;
use nslab::Lab;
use std::io::Write;
use std::process::ExitCode;

const HELP: &str = "\
nslab - run Linux networking labs in a deterministic userspace model (no root needed)

USAGE:
    nslab run LAB [--traffic FILE] [--pcap FILE] [--macmap FILE] [--seed N] [--drops] [--state]
                  [--trace [EXPR]] [--pcap-comments] [--pcap-traffic] [--max-sim-time SECONDS]
                  [--max-frames N] [--max-frame-rate N] [--max-command-time SECONDS]
                  [--max-commands N] [--max-memory MIB]
                  [-- ARGS...]
    nslab convert LAB --to sh|ron [--traffic FILE]
    nslab graph LAB [--format svg|dot|mermaid] [--setup-only]
    nslab book-gen BOOKDIR
    nslab --help | --version

LAB is one of (chosen by the file name's extension):
    .sh                     a shell lab: the commands a person would type on a Linux machine
                            (ip, bridge, brctl, sysctl, echo > /proc/sys/..., route, ping, ...)
    .clab.yaml .yaml .yml   a containerlab topology (kind linux|bridge nodes, exec lines,
                            links), built as `clab deploy` would: one namespace per linux node
                            (named after the node), veth links (mtu 9500, up), exec after links
    .ron                    an nslab scenario: nodes, links, addresses, routes, sysctls, steps
A YAML or RON lab runs as its shell conversion (`nslab convert LAB --to sh`). Messages of a
YAML lab name the YAML line (the exec item, or the node or link a command comes from); those of
a RON lab name lines of its shell conversion; those of --traffic name the traffic file.

convert prints LAB as a shell lab (runnable by the kernel oracle's run-kernel: setup, the line
`# --- traffic ---`, traffic) or as a RON scenario.

OPTIONS:
    --traffic FILE  shell lines run after the lab's setup, after a `# --- traffic ---` marker
                    (for topologies that have no traffic of their own, e.g. containerlab's)
    --to sh|ron     (convert) the output format
    --pcap FILE     write every interface's frames to FILE (pcapng, one interface per
                    namespace:device, nanosecond timestamps from the simulated clock)
    --macmap FILE   write `mac<TAB>namespace:device` for the oracle's split-pcapng
    --seed N        seed of the only random source (MACs, ids, timer jitter); default 1
    --drops         after the lab, list every frame that was not delivered and why
                    (kernel drop-reason names)
    --state         after the lab, print ip addr / ip route show table all / ip neigh /
                    bridge fdb show of every namespace (and, where they exist, ip tunnel
                    show, vxlan details, iptables -vnL, conntrack -L, bird's protocols
                    and routes)
    --trace [EXPR]  after the lab, print the path of every packet journey whose first
                    frame matches the tcpdump filter EXPR (one argument; default: all):
                    devices, bridge fdb, neighbour states, routes, drops
    --pcap-comments with --pcap: each packet carries its trace notes as a pcapng comment
    --pcap-traffic  with --pcap: only frames from the `# --- traffic ---` line on, as the
                    kernel oracle's recorder captures them (for ../shared/oracle/compare)
    --max-sim-time SECONDS  stop the run when the simulated clock would pass SECONDS
                    (default 86400)
    --max-frames N  stop the run after N transmitted frames (default 100000000)
    --max-frame-rate N  stop the run as a storm when more than N frames are transmitted in
                    one simulated second (default 200000); the report names the devices
    --max-command-time SECONDS  end a foreground command (status 124, with a message) that
                    runs longer than SECONDS of simulated time (default 3600)
    --max-commands N  stop the lab after N simple commands (endless loops; default 1000000)
    --max-memory MIB  stop the run when the lab holds more than MIB mebibytes of files it
                    wrote, output and captured frames (default 1024)

graph: draws the lab's namespaces, devices, addresses and links (svg by default)
after running it (--setup-only: up to its `# --- traffic ---` line).
book-gen: regenerates BOOKDIR/src/generated/ from the labs in scenarios/.

EXIT STATUS:
    0   every command of the lab succeeded
    1   at least one command failed (its message names FILE:LINE)
    2   usage error, or the lab file cannot be read (or, for YAML/RON, parsed)
    3   a limit of the run was hit (--max-sim-time, --max-frames, --max-frame-rate,
        --max-memory)
";

fn main() -> ExitCode {
    let code = main_inner();
    // The soak test (tests/soak.rs) reads the process's peak RSS from here: the kernel's own
    // figure (VmHWM of /proc/self/status), printed last on stderr.
    if std::env::var_os("NSLAB_REPORT_VMHWM").is_some() {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        if let Some(l) = status.lines().find(|l| l.starts_with("VmHWM:")) {
            eprintln!(
                "nslab: {}",
                l.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
    code
}

fn main_inner() -> ExitCode {
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
        Some("convert") => convert(&args[1..]),
        Some("graph") => nslab::graph::cli(&args[1..]),
        Some("book-gen") => nslab::book::cli(&args[1..]),
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
    let mut traffic = None;
    let mut trace: Option<String> = None;
    let mut comments = false;
    let mut traffic_only = false;
    let mut script_args: Vec<String> = Vec::new();
    let mut max_sim_time = sim_models::limits::DEFAULT_MAX_SIM_TIME;
    let mut max_frames = sim_models::limits::DEFAULT_MAX_FRAMES;
    let mut max_frame_rate = sim_models::limits::DEFAULT_STORM_RATE;
    let mut max_command_time = nslab::lab::MAX_COMMAND_TIME;
    let mut max_commands = nslab::shell::ShellOptions::default().max_commands;
    let mut max_memory = sim_models::limits::DEFAULT_MAX_MEMORY;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            // `nslab run LAB.sh -- ARGS...`: the lab's $1, $2, ...
            script_args = args[i + 1..].to_vec();
            break;
        }
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
            "--traffic" => match value(a) {
                Ok(v) => traffic = Some(v),
                Err(e) => return e,
            },
            "--max-sim-time" | "--max-command-time" => match value(a).map(|v| v.parse::<f64>()) {
                Ok(Ok(v)) if v.is_finite() && v >= 0.0 => {
                    let d = sim_core::Duration::from_secs_f64(v);
                    if a == "--max-sim-time" {
                        max_sim_time = d;
                    } else {
                        max_command_time = d;
                    }
                }
                Ok(_) => return usage(&format!("{a} needs a number of seconds")),
                Err(e) => return e,
            },
            "--max-frames" | "--max-frame-rate" | "--max-commands" | "--max-memory" => {
                match value(a).map(|v| v.parse::<u64>()) {
                    Ok(Ok(v)) => match a {
                        "--max-frames" => max_frames = v,
                        "--max-frame-rate" => max_frame_rate = v,
                        "--max-memory" => max_memory = v.saturating_mul(1 << 20),
                        _ => max_commands = v,
                    },
                    Ok(Err(_)) => return usage(&format!("{a} needs a non-negative integer")),
                    Err(e) => return e,
                }
            }
            "--drops" => drops = true,
            "--state" => state = true,
            "--pcap-comments" => comments = true,
            "--pcap-traffic" => traffic_only = true,
            "--trace" => {
                // An optional filter: the next argument unless it is an option or the lab.
                let next = args.get(i + 1).filter(|n| {
                    !(n.starts_with('-') || lab_path.is_none() && Format::from_path(n).is_some())
                });
                trace = Some(next.cloned().unwrap_or_default());
                if next.is_some() {
                    i += 1;
                }
            }
            s if s.starts_with('-') => return usage(&format!("unknown option '{s}'")),
            s if lab_path.is_none() => lab_path = Some(s.to_string()),
            s => return usage(&format!("unexpected argument '{s}'")),
        }
        i += 1;
    }
    let Some(path) = lab_path else {
        return usage("run needs a LAB file");
    };
    if comments && traffic_only {
        return usage("--pcap-comments and --pcap-traffic do not combine");
    }
    let (src, file, format) = match read_lab(&path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let traffic = match traffic {
        Some(t) => match read(&t) {
            Ok(text) => Some((text, base_name(&t))),
            Err(code) => return code,
        },
        None => None,
    };
    let mut lab = Lab::new(seed);
    lab.set_limits(max_frames, max_sim_time, max_frame_rate);
    lab.max_command_time = max_command_time;
    lab.max_commands = max_commands;
    lab.set_max_memory(max_memory);
    lab.script_args = script_args;
    lab.script_dir = std::path::Path::new(&path)
        .parent()
        .map(std::path::Path::to_path_buf);
    if let Some(e) = &trace {
        if let Err(msg) = sim_models::tcpdump::filter::parse(e) {
            return usage(&format!("--trace: {msg}"));
        }
    }
    if trace.is_some() || comments {
        lab.enable_trace();
    }
    // Drops are listed only when asked (each is a record held until the end).
    lab.kernel.record_drops = drops;
    // Capture only when asked, the pcapng written as frames happen (with --pcap-comments it
    // is built at the end: a frame's notes come after it).
    match &pcap {
        Some(p) if !comments => match std::fs::File::create(p) {
            Ok(f) => lab.stream_pcapng(Box::new(f), traffic_only),
            Err(e) => {
                eprintln!("nslab: cannot write {p}: {e}");
                return ExitCode::from(2);
            }
        },
        Some(_) => {}
        None => lab.capture_on_demand(),
    }
    // The terminal's output is written as the lab produces it.
    lab.stream_terminal(Box::new(|stream, data| match stream {
        Stream::Stdout => {
            let _ = std::io::stdout().lock().write_all(data);
        }
        Stream::Stderr => {
            let _ = std::io::stdout().lock().flush();
            let _ = std::io::stderr().lock().write_all(data);
        }
    }));
    let r = if format == Format::Shell && traffic.is_none() {
        lab.run_shell(&src, &file)
    } else {
        let t = traffic.as_ref().map(|(t, f)| (t.as_str(), f.as_str()));
        match frontends::prepare(&src, &file, format, t) {
            Ok(p) => lab.run_parts(&p.parts, &p.text),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    };
    let out = std::io::stdout();
    let mut out = out.lock();
    if state {
        let _ = out.write_all(nslab::lab::state_dump(&mut lab).as_bytes());
    }
    if drops {
        let _ = out.write_all(nslab::lab::drops_report(&lab).as_bytes());
    }
    if let Some(e) = &trace {
        let t = lab.trace(e).unwrap_or_default();
        let _ = out.write_all(b"### trace\n");
        let _ = out.write_all(t.as_bytes());
    }
    let _ = out.flush();
    if let Some(p) = pcap {
        let done = if comments {
            std::fs::write(&p, lab.pcapng_with_comments()).map_err(|e| e.to_string())
        } else {
            lab.finish_pcapng()
        };
        if let Err(e) = done {
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
    if lab.limit_hit().is_some() {
        // The run was stopped by one of its limits (reported on stderr).
        ExitCode::from(3)
    } else if r.status == 0 && r.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read(path: &str) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("nslab: cannot read {path}: {e}");
        ExitCode::from(2)
    })
}

fn base_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or(path.to_string())
}

/// The lab file's text, its name for messages and its format (from the extension).
fn read_lab(path: &str) -> Result<(String, String, Format), ExitCode> {
    let Some(format) = Format::from_path(path) else {
        return Err(usage(&format!(
            "{path}: unknown lab format: expected a .sh, .clab.yaml, .yaml, .yml or .ron file"
        )));
    };
    Ok((read(path)?, base_name(path), format))
}

/// `convert`: the lab (with `--traffic` appended) as shell text or RON.
fn converted(path: &str, traffic: Option<&str>, to: &str) -> Result<String, ExitCode> {
    let (src, file, format) = read_lab(path)?;
    let traffic = match traffic {
        Some(t) => Some(read(t)?),
        None => None,
    };
    let mut sc = frontends::load(&src, &file, format).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })?;
    if let Some(t) = traffic {
        frontends::add_traffic(&mut sc, &t);
    }
    Ok(if to == "ron" {
        sc.to_ron()
    } else {
        sc.to_shell()
    })
}

fn convert(args: &[String]) -> ExitCode {
    let mut lab_path = None;
    let mut to = None;
    let mut traffic = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--to" | "--traffic" => {
                i += 1;
                let Some(v) = args.get(i) else {
                    return usage(&format!("option '{a}' needs a value"));
                };
                if a == "--to" {
                    if v != "sh" && v != "ron" {
                        return usage(&format!("--to {v}: expected 'sh' or 'ron'"));
                    }
                    to = Some(v.clone());
                } else {
                    traffic = Some(v.clone());
                }
            }
            s if s.starts_with('-') => return usage(&format!("unknown option '{s}'")),
            s if lab_path.is_none() => lab_path = Some(s.to_string()),
            s => return usage(&format!("unexpected argument '{s}'")),
        }
        i += 1;
    }
    let Some(path) = lab_path else {
        return usage("convert needs a LAB file");
    };
    let Some(to) = to else {
        return usage("convert needs --to sh or --to ron");
    };
    match converted(&path, traffic.as_deref(), &to) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
