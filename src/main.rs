//! The `nslab` command line (clap, derive): `run`, `convert`, `graph`, `shell`, `completions`,
//! `book-gen`. Every subcommand ends with a status of the one scheme in [`nslab::exit`].

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use nslab::exit::{Exit, EXIT_STATUS_HELP};
use nslab::frontends::{self, Format};
use nslab::shell::Stream;
use nslab::Lab;
use std::io::{Read, Write};
use std::process::ExitCode;

/// mimalloc, not the system's malloc: a lab's setup allocates and frees a few small strings and
/// vectors per command and per device, and glibc's malloc and free were ~20 % of its
/// instructions (BENCHMARKS.md, issue 16's tenth pass; the scale bench uses the same).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ABOUT: &str = "Run Linux networking labs in a deterministic userspace model (no root needed)";

const LONG_ABOUT: &str = "\
Run Linux networking labs in a deterministic userspace model (no root needed).

LAB is one of (chosen by the file name's extension; `-` reads a shell lab from stdin):
  .sh                    a shell lab: the commands a person would type on a Linux machine
                         (ip, bridge, brctl, sysctl, echo > /proc/sys/..., route, ping, ...)
  .clab.yaml .yaml .yml  a containerlab topology (kind linux|bridge nodes, exec lines, links),
                         built as `clab deploy` would: one namespace per linux node (named
                         after the node), veth links (mtu 9500, up), exec after the links
  .ron                   an nslab scenario: nodes, links, addresses, routes, sysctls, steps
A YAML or RON lab runs as its shell conversion (`nslab convert LAB --to sh`); its messages name
the line of the YAML or RON file a command comes from; those of --traffic the traffic file.";

#[derive(Parser)]
#[command(
    name = "nslab",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXIT_STATUS_HELP,
    propagate_version = true,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a lab and print what its commands print (then, on request, state, drops, trace)
    #[command(after_help = EXIT_STATUS_HELP)]
    Run(RunArgs),
    /// Print a lab as a shell lab (setup, `# --- traffic ---`, traffic) or a RON scenario
    #[command(after_help = EXIT_STATUS_HELP)]
    Convert(ConvertArgs),
    /// Draw the lab's namespaces, devices, addresses and links after running it
    #[command(after_help = EXIT_STATUS_HELP)]
    Graph(GraphArgs),
    /// An interactive shell in a lab: its setup, then a prompt (history, tab completion,
    /// `ip netns exec NS bash`, `:help` for nslab's own commands, `:save FILE` replays)
    Shell(ShellArgs),
    /// Print a completion script for a shell (e.g. `nslab completions bash > /etc/bash_completion.d/nslab`)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Regenerate BOOKDIR/src/generated/ from the labs in scenarios/
    BookGen {
        /// The mdBook directory (book/)
        bookdir: String,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// The lab file (.sh, .clab.yaml, .yaml, .yml, .ron), or `-` for a shell lab on stdin
    lab: String,
    /// Shell lines run after the lab's setup, after a `# --- traffic ---` marker (for
    /// topologies that have no traffic of their own, e.g. containerlab's)
    #[arg(long, value_name = "FILE")]
    traffic: Option<String>,
    /// Write every interface's frames to FILE (pcapng, one interface per namespace:device,
    /// nanosecond timestamps from the simulated clock)
    #[arg(long, value_name = "FILE")]
    pcap: Option<String>,
    /// Write `mac<TAB>namespace:device` for the oracle's split-pcapng
    #[arg(long, value_name = "FILE")]
    macmap: Option<String>,
    /// Seed of the only random source (MACs, ids, timer jitter)
    #[arg(long, value_name = "N", default_value_t = sim_core::rng::DEFAULT_SEED)]
    seed: u64,
    /// After the lab, list every frame that was not delivered: which packet, where, and why
    #[arg(long)]
    drops: bool,
    /// After the lab, print ip addr / ip route show table all / ip neigh / bridge fdb show of
    /// every namespace (and, where they exist, ip tunnel show, vxlan details, iptables -vnL,
    /// conntrack -L, bird's protocols and routes)
    #[arg(long)]
    state: bool,
    /// After the lab, print the path of every packet journey whose first frame matches the
    /// tcpdump filter EXPR (`--trace` alone: every journey): devices, bridge fdb, neighbour
    /// states, routes, drops. The filter needs the `=`: `--trace='icmp or tcp'`
    #[arg(
        long,
        value_name = "EXPR",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    trace: Option<String>,
    /// With --pcap: each packet carries its trace notes as a pcapng comment
    #[arg(long, requires = "pcap", conflicts_with = "pcap_traffic")]
    pcap_comments: bool,
    /// With --pcap: only frames from the `# --- traffic ---` line on, as the kernel oracle's
    /// recorder captures them
    #[arg(long, requires = "pcap")]
    pcap_traffic: bool,
    /// Stop the run when the simulated clock would pass SECONDS (exit status 3)
    #[arg(long, value_name = "SECONDS", default_value_t = sim_models::limits::DEFAULT_MAX_SIM_TIME.as_nanos() as f64 / 1e9, value_parser = seconds)]
    max_sim_time: f64,
    /// Stop the run after N transmitted frames (exit status 3)
    #[arg(long, value_name = "N", default_value_t = sim_models::limits::DEFAULT_MAX_FRAMES)]
    max_frames: u64,
    /// Stop the run as a storm when more than N frames are transmitted in each of 3
    /// consecutive simulated seconds (a burst such as a cold lab's first ARP flood is no
    /// storm), or at once when frames multiply in flight faster than --max-memory holds; the
    /// report names the busiest devices (exit status 3)
    #[arg(long, value_name = "N", default_value_t = sim_models::limits::DEFAULT_STORM_RATE)]
    max_frame_rate: u64,
    /// End a foreground command (status 124, with a message) that runs longer than SECONDS
    /// of simulated time
    #[arg(long, value_name = "SECONDS", default_value_t = nslab::lab::MAX_COMMAND_TIME.as_nanos() as f64 / 1e9, value_parser = seconds)]
    max_command_time: f64,
    /// Stop the lab after N simple commands (endless loops)
    #[arg(long, value_name = "N", default_value_t = nslab::shell::ShellOptions::default().max_commands)]
    max_commands: u64,
    /// Stop the run when the lab holds more than MIB mebibytes of files it wrote, output and
    /// captured frames (exit status 3)
    #[arg(long, value_name = "MIB", default_value_t = sim_models::limits::DEFAULT_MAX_MEMORY >> 20)]
    max_memory: u64,
    /// The size of the lab's disk: its files (redirections, `tcpdump -w`, `curl -o`) may hold
    /// MIB mebibytes; past it writes fail with "No space left on device" as on a full disk
    /// (a note says so once) and the run goes on
    #[arg(long, value_name = "MIB", default_value_t = sim_models::limits::DEFAULT_MAX_FILES >> 20)]
    max_files: u64,
    /// Start every namespace with IPv6 enabled (disable_ipv6=0, as on a stock kernel; the
    /// kernel selftests' baseline ran so) instead of disabled as the kernel oracle records
    /// labs. IPv6 addresses, routes and rules are then kept as configuration; IPv6 packets are
    /// not modelled
    #[arg(long)]
    ipv6: bool,
    /// The lab's positional parameters ($1, $2, ...): `nslab run LAB.sh -- ARGS...`
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<String>,
}

#[derive(clap::Args)]
struct ShellArgs {
    /// A lab whose setup (the lines before `# --- traffic ---`) runs first; none: an empty
    /// machine. `-` reads a shell lab from stdin
    lab: Option<String>,
    /// Seed of the only random source
    #[arg(long, value_name = "N", default_value_t = sim_core::rng::DEFAULT_SEED)]
    seed: u64,
}

#[derive(clap::Args)]
struct ConvertArgs {
    /// The lab file (.sh, .clab.yaml, .yaml, .yml, .ron), or `-` for a shell lab on stdin
    lab: String,
    /// The output format
    #[arg(long, value_enum)]
    to: ConvertTo,
    /// Shell lines appended after a `# --- traffic ---` marker
    #[arg(long, value_name = "FILE")]
    traffic: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ConvertTo {
    Sh,
    Ron,
}

#[derive(clap::Args)]
struct GraphArgs {
    /// The lab file (.sh, .clab.yaml, .yaml, .yml, .ron), or `-` for a shell lab on stdin
    lab: String,
    /// The drawing's format
    #[arg(long, value_enum, default_value_t = GraphFormat::Svg)]
    format: GraphFormat,
    /// Draw the lab as it is at its `# --- traffic ---` line
    #[arg(long)]
    setup_only: bool,
    /// Add each namespace's forwarding state (net.ipv4.ip_forward) and main routing table
    #[arg(long)]
    routes: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Svg,
    Dot,
    Mermaid,
}

impl GraphFormat {
    fn name(self) -> &'static str {
        match self {
            GraphFormat::Svg => "svg",
            GraphFormat::Dot => "dot",
            GraphFormat::Mermaid => "mermaid",
        }
    }
}

/// A number of seconds (`--max-sim-time`, `--max-command-time`): finite, not negative.
fn seconds(v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("'{v}' is not a number of seconds")),
    }
}

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
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(mut e) => {
            suggest_subcommand(&mut e);
            let _ = e.print();
            if e.use_stderr() {
                trace_hint();
            }
            // clap: 0 for --help/--version, 2 for usage errors (the scheme's 2)
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let exit = match cli.cmd {
        Cmd::Run(a) => run(a),
        Cmd::Convert(a) => convert(a),
        Cmd::Graph(a) => graph(a),
        Cmd::Shell(a) => lab_shell(a),
        Cmd::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "nslab", &mut script);
            let _ = std::io::stdout().write_all(&script);
            Exit::Ok
        }
        Cmd::BookGen { bookdir } => return nslab::book::cli(&[bookdir]),
    };
    exit.into()
}

/// `nslab rnu`: clap suggests a subcommand only above a Jaro similarity of 0.7, which a
/// swapped pair of letters in a short name does not reach; suggest the subcommand within an
/// edit distance of 2 (transpositions count as one edit).
fn suggest_subcommand(e: &mut clap::Error) {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidSubcommand || e.get(ContextKind::SuggestedSubcommand).is_some()
    {
        return;
    }
    let Some(ContextValue::String(bad)) = e.get(ContextKind::InvalidSubcommand) else {
        return;
    };
    let cmd = Cli::command();
    let best = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .chain(["help".to_string()])
        .map(|n| (strsim::osa_distance(bad, &n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len())
        .min();
    if let Some((_, name)) = best {
        e.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(vec![name]),
        );
    }
}

/// `--trace icmp`: the filter must be attached with `=` (a separate word would be the lab or a
/// stray argument); say so after clap's error.
fn trace_hint() {
    let args: Vec<String> = std::env::args().collect();
    let bare = args
        .windows(2)
        .any(|w| w[0] == "--trace" && !w[1].starts_with('-') && Format::from_path(&w[1]).is_none());
    if bare {
        eprintln!(
            "\n  tip: a trace filter is attached with '=': --trace='EXPR' (e.g. --trace=icmp)"
        );
    }
}

fn usage(msg: &str) -> Exit {
    eprintln!("nslab: {msg}\nTry 'nslab --help'.");
    Exit::Usage
}

/// A lab file read: its text, its name in messages and its format.
struct LabFile {
    src: String,
    file: String,
    format: Format,
}

fn read(path: &str) -> Result<String, Exit> {
    if path == "-" {
        let mut s = String::new();
        return match std::io::stdin().read_to_string(&mut s) {
            Ok(_) => Ok(s),
            Err(e) => {
                eprintln!("nslab: cannot read standard input: {e}");
                Err(Exit::Usage)
            }
        };
    }
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("nslab: cannot read {path}: {e}");
        Exit::Usage
    })
}

fn base_name(path: &str) -> String {
    if path == "-" {
        return "stdin".into();
    }
    std::path::Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or(path.to_string())
}

/// The lab file's text, its name for messages and its format (from the extension; `-` is a
/// shell lab on stdin).
fn read_lab(path: &str) -> Result<LabFile, Exit> {
    let format = if path == "-" {
        Format::Shell
    } else {
        match Format::from_path(path) {
            Some(f) => f,
            None => {
                return Err(usage(&format!(
                "{path}: unknown lab format: expected a .sh, .clab.yaml, .yaml, .yml or .ron file"
            )))
            }
        }
    };
    Ok(LabFile {
        src: read(path)?,
        file: base_name(path),
        format,
    })
}

fn run(a: RunArgs) -> Exit {
    if let Some(e) = &a.trace {
        if let Err(msg) = sim_models::tcpdump::filter::parse(e) {
            return usage(&format!("--trace: {msg}"));
        }
    }
    let lab_file = match read_lab(&a.lab) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let traffic = match &a.traffic {
        Some(t) => match read(t) {
            Ok(text) => Some((text, base_name(t))),
            Err(code) => return code,
        },
        None => None,
    };
    let mut lab = Lab::new(a.seed);
    lab.set_limits(
        a.max_frames,
        sim_core::Duration::from_secs_f64(a.max_sim_time),
        a.max_frame_rate,
    );
    lab.max_command_time = sim_core::Duration::from_secs_f64(a.max_command_time);
    lab.max_commands = a.max_commands;
    lab.set_max_memory(a.max_memory.saturating_mul(1 << 20));
    lab.set_max_files(a.max_files.saturating_mul(1 << 20));
    // --drops names each dropped packet and the decision before it from the trace
    if a.trace.is_some() || a.pcap_comments || a.drops {
        lab.enable_trace();
    }
    // Drops are listed only when asked (each is a record held until the end).
    lab.kernel.record_drops = a.drops;
    // Capture only when asked, the pcapng written as frames happen (with --pcap-comments it
    // is built at the end: a frame's notes come after it).
    match &a.pcap {
        Some(p) if !a.pcap_comments => match std::fs::File::create(p) {
            Ok(f) => lab.stream_pcapng(Box::new(f), a.pcap_traffic),
            Err(e) => {
                eprintln!("nslab: cannot write {p}: {e}");
                return Exit::Output;
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
    if a.ipv6 {
        lab.kernel.set_ipv6_netns(true);
    }
    lab.script_args = a.args.clone();
    if a.lab != "-" {
        lab.script_dir = std::path::Path::new(&a.lab)
            .parent()
            .map(std::path::Path::to_path_buf);
    }
    let LabFile { src, file, format } = &lab_file;
    let r = if *format == Format::Shell && traffic.is_none() {
        // bash runs what precedes a syntax error, then exits 2 (`lab.syntax_error`)
        lab.run_shell(src, file)
    } else {
        let t = traffic.as_ref().map(|(t, f)| (t.as_str(), f.as_str()));
        match frontends::prepare(src, file, *format, t) {
            Ok(p) => lab.run_parts(&p.parts, &p.text),
            Err(e) => {
                eprintln!("{e}");
                return Exit::Usage;
            }
        }
    };
    let out = std::io::stdout();
    let err = std::io::stderr();
    let mut out = out.lock();
    if a.state {
        let _ = out.write_all(nslab::lab::state_dump(&mut lab).as_bytes());
    }
    if a.drops {
        let _ = out.write_all(nslab::lab::drops_report(&lab).as_bytes());
    }
    if let Some(e) = &a.trace {
        let t = lab.trace(e).unwrap_or_default();
        let _ = out.write_all(b"### trace\n");
        if t.is_empty() {
            let what = if e.is_empty() {
                String::new()
            } else {
                format!(" whose first packet matches '{e}'")
            };
            let _ = writeln!(out, "no packet journey{what}");
        }
        let _ = out.write_all(t.as_bytes());
    }
    let _ = out.flush();
    // Why the status is 1: the failed commands by FILE:LINE (after the lab's own output; the
    // lab's terminal, compared with the kernel recordings, is left as bash leaves it).
    let _ = err
        .lock()
        .write_all(nslab::lab::failed_report(&lab).as_bytes());
    if let Some(p) = &a.pcap {
        let done = if a.pcap_comments {
            std::fs::write(p, lab.pcapng_with_comments()).map_err(|e| e.to_string())
        } else {
            lab.finish_pcapng()
        };
        if let Err(e) = done {
            eprintln!("nslab: cannot write {p}: {e}");
            return Exit::Output;
        }
    }
    if let Some(p) = &a.macmap {
        if let Err(e) = std::fs::write(p, lab.macmap()) {
            eprintln!("nslab: cannot write {p}: {e}");
            return Exit::Output;
        }
    }
    Exit::of_run(&r, lab.syntax_error, lab.limited())
}

/// `convert`: the lab (with `--traffic` appended) as shell text or RON.
fn convert(a: ConvertArgs) -> Exit {
    let lab = match read_lab(&a.lab) {
        Ok(l) => l,
        Err(e) => return e,
    };
    let traffic = match &a.traffic {
        Some(t) => match read(t) {
            Ok(t) => Some(t),
            Err(e) => return e,
        },
        None => None,
    };
    // To RON, a shell lab is read into the structured form where it runs the same
    // (frontends/lift.rs); every other conversion keeps the lab's own lines.
    let loaded = match (lab.format, &a.to) {
        (frontends::Format::Shell, ConvertTo::Ron) => {
            frontends::scenario::Scenario::from_shell_structured(&lab.src, &lab.file)
        }
        _ => frontends::load(&lab.src, &lab.file, lab.format),
    };
    let mut sc = match loaded {
        Ok(sc) => sc,
        Err(e) => {
            eprintln!("{e}");
            return Exit::Usage;
        }
    };
    if let Some(t) = traffic {
        frontends::add_traffic(&mut sc, &t);
    }
    print!(
        "{}",
        match a.to {
            ConvertTo::Ron => sc.to_ron(),
            ConvertTo::Sh => sc.to_shell(),
        }
    );
    Exit::Ok
}

/// `shell`: a YAML/RON lab starts from its shell conversion.
fn lab_shell(a: ShellArgs) -> Exit {
    let lab = match &a.lab {
        Some(p) => match read_lab(p) {
            Ok(l) => {
                let src = match l.format {
                    Format::Shell => l.src,
                    f => match frontends::load(&l.src, &l.file, f) {
                        Ok(sc) => sc.to_shell(),
                        Err(e) => {
                            eprintln!("{e}");
                            return Exit::Usage;
                        }
                    },
                };
                Some((src, l.file))
            }
            Err(e) => return e,
        },
        None => None,
    };
    nslab::labshell::run(lab, a.seed)
}

/// `graph`: a lab that does not parse is a usage error (2, nothing drawn); runtime errors are
/// printed on stderr and the drawing still made (status 1).
fn graph(a: GraphArgs) -> Exit {
    let lab = match read_lab(&a.lab) {
        Ok(l) => l,
        Err(e) => return e,
    };
    // A containerlab topology or RON scenario is drawn from its shell conversion (what runs).
    let src = match lab.format {
        Format::Shell => lab.src,
        f => match frontends::load(&lab.src, &lab.file, f) {
            Ok(sc) => sc.to_shell(),
            Err(e) => {
                eprintln!("{e}");
                return Exit::Usage;
            }
        },
    };
    nslab::graph::cli(&src, &lab.file, a.format.name(), a.setup_only, a.routes)
}
