//! `nslab shell [LAB]`: an interactive shell in a lab. It runs the lab's setup (the lines before
//! `# --- traffic ---`; nothing without a LAB), then reads lines at a prompt with line editing,
//! history and tab completion (rustyline): programs of the program table, namespaces, devices
//! and addresses of the lab as it is now. Every line is shell text run by one interpreter
//! ([`crate::shell::Session`]: variables, functions and background jobs persist), so every
//! command a lab accepts works, and simulated time advances with the commands as in a lab.
//!
//! `ip netns exec NS bash` (or `sh`, `nsenter --net=/var/run/netns/NS bash`) enters NS: the
//! prompt shows it and the following lines run in one bash in NS (its variables and functions
//! last from line to line) until `exit`, as `ip netns exec NS bash <<'EOF_NS'` with those lines
//! would run them (the form `:save` writes). Lines starting with `:` talk to nslab: `:time`, `:step DURATION`, `:trace [EXPR]`,
//! `:drops`, `:state [NS]`, `:graph FILE`, `:pcap FILE`, `:save FILE`, `:help`, `:quit`.
//!
//! The session is kept as the lab text that ran (the setup, every line as it ran, `:step` as
//! `sleep`), so `:save FILE` writes a lab that `nslab run FILE` replays with the same output:
//! its messages name the session by the lab's file name (`session.sh` without a LAB), so save
//! it under that name.

use crate::exit::Exit;
use crate::lab::Lab;
use crate::shell::{self, Session, ShellOptions, Stream};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::io::Write;

const HELP: &str = "\
Lines are shell text run in the lab (every command a lab accepts). nslab's own commands:
  :time              the simulated clock (seconds since the lab started)
  :step DURATION     let simulated time pass (1s, 200ms, 2): recorded as `sleep`
  :trace [EXPR]      the packet journeys so far whose first packet matches EXPR
  :drops             the frames dropped so far, which packet and why
  :state [NS]        ip addr/route/neigh, bridge fdb... of every namespace (or NS)
  :graph FILE        draw the topology with routes (FILE.svg, FILE.dot or FILE.mmd)
  :pcap FILE         write every interface's frames so far (pcapng)
  :save FILE         write the session as a lab that `nslab run FILE` replays
  :help              this text
  :quit              end the session (as Ctrl-D, or `exit` at the top level)
`ip netns exec NS bash` enters namespace NS (the prompt shows it); `exit` leaves it.
";

/// What completes: the program table's names, `:` commands, and the lab's namespaces, devices
/// and addresses (refreshed after every line).
struct Completion {
    programs: Vec<String>,
    words: Vec<String>,
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        let start = head
            .rfind(|c: char| c.is_whitespace() || "|;&(".contains(c))
            .map_or(0, |i| i + 1);
        let word = &head[start..];
        // The first word of a command: a program (or, at the start of the line, a `:` command).
        let first = head[..start]
            .trim_end()
            .chars()
            .last()
            .is_none_or(|c| "|;&(".contains(c));
        let after_exec = head[..start].trim_end().ends_with("netns exec")
            && head[..start].split_whitespace().count() >= 3;
        let pool: Vec<&String> = if first {
            self.programs.iter().collect()
        } else if after_exec {
            self.words.iter().take_while(|w| !w.is_empty()).collect()
        } else {
            self.words.iter().filter(|w| !w.is_empty()).collect()
        };
        let mut v: Vec<Pair> = pool
            .into_iter()
            .filter(|c| c.starts_with(word))
            .map(|c| Pair {
                display: c.clone(),
                replacement: format!("{c} "),
            })
            .collect();
        v.dedup_by(|a, b| a.display == b.display);
        Ok((start, v))
    }
}

impl Hinter for Completion {
    type Hint = String;
}
impl Highlighter for Completion {}
impl Validator for Completion {}
impl Helper for Completion {}

const META: &[&str] = &[
    ":time", ":step", ":trace", ":drops", ":state", ":graph", ":pcap", ":save", ":help", ":quit",
];

/// Namespaces first (an empty string after them), then devices and addresses.
fn lab_words(lab: &Lab) -> Vec<String> {
    let mut v = lab.namespaces();
    v.push(String::new());
    let k = &lab.kernel;
    let mut rest = Vec::new();
    for n in k.netns_dump() {
        let Some(ns) = k.ns_by_name(&n.name) else {
            continue;
        };
        for l in k.rtnl_link_dump(ns) {
            rest.push(l.name);
        }
        for a in k.rtnl_addr_dump(ns, None) {
            rest.push(a.local.to_string());
        }
    }
    rest.sort();
    rest.dedup();
    v.extend(rest);
    v
}

/// `ip netns exec NS bash` / `sh` / `nsenter --net=/var/run/netns/NS bash`: the namespace a line
/// enters, if it is that and nothing more.
fn enters_namespace(line: &str) -> Option<String> {
    let w: Vec<&str> = line.split_whitespace().collect();
    let shell = |s: &str| matches!(s, "bash" | "sh" | "/bin/bash" | "/bin/sh");
    match w.as_slice() {
        ["ip", "netns", "exec", ns, sh] if shell(sh) => Some(ns.to_string()),
        ["nsenter", net, sh] if shell(sh) => net
            .strip_prefix("--net=/var/run/netns/")
            .or_else(|| net.strip_prefix("--net=/run/netns/"))
            .map(str::to_string),
        _ => None,
    }
}

/// `1s`, `200ms`, `2`, `1.5s` → seconds (what `sleep` takes).
fn parse_duration(s: &str) -> Option<String> {
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.parse().ok()?;
    if !(v.is_finite() && v >= 0.0) {
        return None;
    }
    let secs = v * scale;
    Some(format!("{}", (secs * 1e9).round() / 1e9))
}

/// The interactive session: the lab, what of its terminal was shown, the session's text.
struct Repl {
    file: String,
    text: String,
    lines: u32,
    shown: (usize, usize),
    ns: Option<String>,
    /// Lines run in the namespace's bash so far (its line numbers start at 1).
    child_lines: u32,
    /// The session's line of that bash's `ip netns exec NS bash`.
    child_at: u32,
}

/// The heredoc delimiter of a namespace's lines in the saved session.
const CHILD_EOF: &str = "EOF_NS";

impl Repl {
    /// Prints what the lab wrote on its terminal since the last call.
    fn drain(&mut self, lab: &Lab) {
        let out = std::io::stdout();
        let err = std::io::stderr();
        let (first, skip) = self.shown;
        for (i, c) in lab.terminal.iter().enumerate().skip(first) {
            let from = if i == first {
                skip.min(c.data.len())
            } else {
                0
            };
            match c.stream {
                Stream::Stdout => {
                    let _ = out.lock().write_all(&c.data[from..]);
                }
                Stream::Stderr => {
                    let _ = out.lock().flush();
                    let _ = err.lock().write_all(&c.data[from..]);
                }
            }
        }
        let _ = out.lock().flush();
        self.shown = match lab.terminal.last() {
            Some(c) => (lab.terminal.len() - 1, c.data.len()),
            None => (0, 0),
        };
    }

    /// Runs `text` (one or more lines) as the session's next lines.
    fn run(&mut self, sess: &mut Session<'_>, text: &str) -> Option<i32> {
        let offset = if self.ns.is_some() {
            self.child_lines
        } else {
            self.lines
        };
        let mut script = match shell::parse(text, &self.file) {
            Ok(s) => s,
            Err(e) => {
                // A line that does not parse is reported as bash does, and not kept.
                let mut e = e;
                e.line += offset;
                // An interactive bash prints no offending line (report_syntax_error).
                eprintln!("{}", e.first_line());
                return None;
            }
        };
        crate::frontends::remap_lines(&mut script, &|l| l + offset);
        self.text += text;
        if !text.ends_with('\n') {
            self.text.push('\n');
        }
        let n = text.lines().count().max(1) as u32;
        self.lines += n;
        if self.ns.is_some() {
            self.child_lines += n;
        }
        sess.run(&script)
    }

    /// `ip netns exec NS bash`: the lines that follow run in NS's bash.
    fn enter(&mut self, sess: &mut Session<'_>, ns: &str) -> bool {
        if !sess.enter_child(ns) {
            return false;
        }
        self.text += &format!(
            "ip netns exec {} bash <<'{CHILD_EOF}'\n",
            crate::frontends::sh_quote(ns)
        );
        self.lines += 1;
        self.child_lines = 0;
        self.child_at = self.lines;
        self.ns = Some(ns.to_string());
        true
    }

    /// `exit` in the namespace's bash.
    fn leave(&mut self, sess: &mut Session<'_>) {
        sess.leave_child(&self.file, self.child_at);
        self.text += &format!("{CHILD_EOF}\n");
        self.lines += 1;
        self.ns = None;
    }

    /// The session as a lab (a namespace's bash still open is closed).
    fn saved_text(&self) -> String {
        match self.ns {
            Some(_) => format!("{}{CHILD_EOF}\n", self.text),
            None => self.text.clone(),
        }
    }
}

fn lab_of<'a>(sess: &'a mut Session<'_>) -> &'a mut Lab {
    sess.host()
        .as_any_mut()
        .and_then(|a| a.downcast_mut::<Lab>())
        .expect("the session's host is a Lab")
}

/// `nslab shell [LAB]`: `lab` is the lab's shell text and its file name, if any.
pub fn run(lab_src: Option<(String, String)>, seed: u64) -> Exit {
    let mut lab = Lab::new(seed);
    lab.enable_trace();
    let (setup, file) = match &lab_src {
        Some((src, file)) => {
            let setup = match src.find("# --- traffic ---") {
                Some(i) => src[..i].to_string(),
                None => src.clone(),
            };
            (setup, file.clone())
        }
        None => (String::new(), "session.sh".to_string()),
    };
    if let Err(e) = shell::parse(&setup, &file) {
        eprintln!("{e}");
        return Exit::Usage;
    }
    if crate::lab::uses_ipip(&setup) {
        lab.kernel.ipip_module_load();
    }
    lab.file = file.clone();
    let opts = ShellOptions {
        pwd: "/lab".into(),
        ..ShellOptions::default()
    };
    let mut repl = Repl {
        file: file.clone(),
        text: String::new(),
        lines: 0,
        shown: (0, 0),
        ns: None,
        child_lines: 0,
        child_at: 0,
    };
    let mut sess = Session::new(&mut lab, &file, &opts);
    let mut exit: Option<i32> = None;
    if !setup.trim().is_empty() {
        exit = repl.run(&mut sess, &setup);
        repl.drain(lab_of(&mut sess));
    }
    let mut programs: Vec<String> = crate::programs::all()
        .into_iter()
        .map(|(n, _)| n.to_string())
        .collect();
    programs.extend(META.iter().map(|m| m.to_string()));
    let helper = Completion {
        programs,
        words: lab_words(lab_of(&mut sess)),
    };
    let cfg = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .auto_add_history(true)
        .build();
    let mut ed: Editor<Completion, DefaultHistory> = match Editor::with_config(cfg) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("nslab: cannot start the line editor: {e}");
            return Exit::Usage;
        }
    };
    ed.set_helper(Some(helper));
    while exit.is_none() {
        let prompt = format!("nslab({})# ", repl.ns.as_deref().unwrap_or("root"));
        let line = match ed.readline(&prompt) {
            Ok(l) => l,
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(_) => break,
        };
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(meta) = t.strip_prefix(':') {
            let mut w = meta.split_whitespace();
            let cmd = w.next().unwrap_or("");
            let arg = w.collect::<Vec<_>>().join(" ");
            match meta_command(&mut repl, &mut sess, cmd, &arg) {
                Some(Meta::Quit) => break,
                Some(Meta::Ran(e)) => exit = e,
                None => {}
            }
        } else if let Some(ns) = enters_namespace(t).filter(|_| repl.ns.is_none()) {
            let known = lab_of(&mut sess).kernel.ns_by_name(&ns).is_some() && ns != "root";
            if !(known && repl.enter(&mut sess, &ns)) {
                // not a namespace: the line runs (and fails) as typed
                exit = repl.run(&mut sess, &format!("{t}\n"));
            }
        } else if repl.ns.is_some() && (t == "exit" || t == "logout") {
            repl.leave(&mut sess);
        } else {
            exit = repl.run(&mut sess, &format!("{line}\n"));
            if exit.is_some() && repl.ns.is_some() {
                // `exit` inside a line of the namespace's bash ends that bash only
                exit = None;
                repl.leave(&mut sess);
            }
        }
        repl.drain(lab_of(&mut sess));
        let words = lab_words(lab_of(&mut sess));
        if let Some(h) = ed.helper_mut() {
            h.words = words;
        }
    }
    // The end of the session is the end of a lab: the EXIT trap, jobs stopped, 1 s settles.
    sess.end();
    let r = sess.result();
    let lab = lab_of(&mut sess);
    lab.finish();
    lab.report_not_modelled();
    repl.drain(lab);
    let _ = std::io::stderr().write_all(crate::lab::failed_report(lab).as_bytes());
    // the status `nslab run` gives the saved session
    Exit::of_run(&r, false, lab.limited())
}

enum Meta {
    Quit,
    Ran(Option<i32>),
}

fn meta_command(repl: &mut Repl, sess: &mut Session<'_>, cmd: &str, arg: &str) -> Option<Meta> {
    let write = |path: &str, bytes: &[u8]| match std::fs::write(path, bytes) {
        Ok(()) => println!("wrote {path}"),
        Err(e) => eprintln!("nslab: cannot write {path}: {e}"),
    };
    match cmd {
        "q" | "quit" | "exit" => return Some(Meta::Quit),
        "help" | "h" => print!("{HELP}"),
        "time" => {
            let t = lab_of(sess).now().as_nanos();
            println!("{}.{:06} s", t / 1_000_000_000, t % 1_000_000_000 / 1000);
        }
        "step" => match parse_duration(arg) {
            Some(secs) => return Some(Meta::Ran(repl.run(sess, &format!("sleep {secs}\n")))),
            None => eprintln!("nslab: :step needs a duration (1s, 200ms, 2)"),
        },
        "trace" => match lab_of(sess).trace(arg) {
            Ok(t) if t.is_empty() => println!("no packet journey"),
            Ok(t) => print!("{t}"),
            Err(e) => eprintln!("nslab: :trace: {e}"),
        },
        "drops" => print!("{}", crate::lab::drops_report(lab_of(sess))),
        "state" => {
            let lab = lab_of(sess);
            if arg.is_empty() {
                print!("{}", crate::lab::state_dump(lab));
            } else {
                let s = lab.state(arg);
                if s.is_empty() {
                    eprintln!("nslab: no namespace {arg}");
                } else {
                    print!("{s}");
                }
            }
        }
        "graph" if !arg.is_empty() => {
            let lab = lab_of(sess);
            let mut t = crate::graph::topology(&lab.kernel);
            t.add_routes(&lab.kernel);
            let format = if arg.ends_with(".dot") {
                "dot"
            } else if arg.ends_with(".mmd") {
                "mermaid"
            } else {
                "svg"
            };
            write(
                arg,
                crate::graph::render(&t, format)
                    .unwrap_or_default()
                    .as_bytes(),
            );
        }
        "pcap" if !arg.is_empty() => write(arg, &lab_of(sess).pcapng()),
        "save" if !arg.is_empty() => write(arg, repl.saved_text().as_bytes()),
        "graph" | "pcap" | "save" => eprintln!("nslab: :{cmd} needs a FILE"),
        _ => eprintln!("nslab: unknown command ':{cmd}' (:help lists them)"),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_entry_and_durations() {
        assert_eq!(
            enters_namespace("ip netns exec ns1 bash").as_deref(),
            Some("ns1")
        );
        assert_eq!(
            enters_namespace("nsenter --net=/var/run/netns/b sh").as_deref(),
            Some("b")
        );
        assert_eq!(enters_namespace("ip netns exec ns1 bash -c x"), None);
        assert_eq!(parse_duration("1s").as_deref(), Some("1"));
        assert_eq!(parse_duration("200ms").as_deref(), Some("0.2"));
        assert_eq!(parse_duration("1.5").as_deref(), Some("1.5"));
        assert_eq!(parse_duration("x"), None);
        assert_eq!(parse_duration("-1s"), None);
    }
}
