//! The `bird` and `birdc` command lines.

use super::{config, show};
use crate::kernel::{Kernel, NsId};
use crate::tools::{Exec, ToolOutput};
use userland::getopt::Getopt;

fn bird_usage(msg: &str) -> Exec {
    Exec::Done(ToolOutput::err(
        format!(
            "{}Usage: bird [--version] [--help] [-c <config-file>] [OPTIONS]\n",
            msg
        ),
        1,
    ))
}

/// BIRD 2.0.12's `opt_list` (sysdep/unix/main.c).
const BIRD_OPTS: &str = "bc:dD:ps:P:u:g:flRh";

/// `display_help()`: stderr, exit 0.
fn bird_help() -> Exec {
    Exec::Done(ToolOutput::err(
        "Usage: bird [--version] [--help] [-c <config-file>] [OPTIONS]\n\nOptions: \n  -c <config-file>     Use given configuration file instead of\n                       /etc/bird/bird.conf\n  -d                   Enable debug messages and run bird in foreground\n  -D <debug-file>      Log debug messages to given file instead of stderr\n  -f                   Run bird in foreground\n  -g <group>           Use given group ID\n  -h, --help           Display this information\n  -l                   Look for a configuration file and a control socket\n                       in the current working directory\n  -p                   Test configuration file and exit without start\n  -P <pid-file>        Create a PID file with given filename\n  -R                   Apply graceful restart recovery after start\n  -s <control-socket>  Use given filename for a control socket\n  -u <user>            Drop privileges and use given user ID\n  --version            Display version of BIRD\n"
            .to_string(),
        0,
    ))
}

/// `bird [-c FILE] [-s SOCKET] [-P PIDFILE] [-f] [-p] [-d] ...`. `read` gives a file's contents
/// (the lab's virtual files), `abs` makes a path absolute against the lab's directory.
pub fn bird(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    abs: &dyn Fn(&str) -> String,
) -> Exec {
    let mut conf = "/etc/bird/bird.conf".to_string();
    let mut ctl = "/run/bird/bird.ctl".to_string();
    let (mut foreground, mut parse_only) = (false, false);
    let (mut conf_set, mut ctl_set) = (false, false);
    // parse_args(): `--version` and `--help` only as the single argument, then getopt.
    if args.len() == 1 {
        match args[0].as_str() {
            "--version" => {
                return Exec::Done(ToolOutput::err(
                    format!("BIRD version {}\n", show::VERSION),
                    0,
                ))
            }
            "--help" => return bird_help(),
            _ => {}
        }
    }
    let mut g = Getopt::new(args, BIRD_OPTS, &[]);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            // default: fputc('\n', stderr); display_usage(); exit(1).
            Err(e) => return bird_usage(&format!("{}\n", e.glibc_message("bird"))),
        };
        let v = o.arg.unwrap_or_default();
        match o.opt {
            'c' => {
                conf = v;
                conf_set = true;
            }
            's' => {
                ctl = v;
                ctl_set = true;
            }
            'd' | 'f' => foreground = true,
            'p' => parse_only = true,
            'l' => {
                // xbasename() of the defaults.
                if !conf_set {
                    conf = "bird.conf".into();
                }
                if !ctl_set {
                    ctl = "bird.ctl".into();
                }
            }
            // Debug log file (-D), PID file (-P), user and group to drop to (-u, -g), graceful
            // restart recovery (-R): nothing the model shows.
            'D' | 'P' | 'u' | 'g' | 'R' => {}
            'h' => return bird_help(),
            // `b` is in BIRD 2.0.12's opt_list but has no case: the default branch.
            _ => return bird_usage("\n"),
        }
    }
    if !g.operands().is_empty() {
        return bird_usage("");
    }
    let text = match read(&conf) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(_) => {
            return Exec::Done(ToolOutput::err(
                format!(
                    "bird: Unable to open configuration file {}: No such file or directory\n",
                    conf
                ),
                1,
            ))
        }
    };
    let cfg = match config::parse(&text) {
        Ok(c) => c,
        Err(e) => return Exec::Done(ToolOutput::err(format!("bird: {}\n", e.render(&conf)), 1)),
    };
    if parse_only {
        return Exec::Done(ToolOutput::default());
    }
    if cfg.router_id.is_none() && super::default_router_id(k, ns).is_none() {
        return Exec::Done(ToolOutput::err(
            "bird: Cannot determine router ID, please configure it manually\n".into(),
            1,
        ));
    }
    let ctl = abs(&ctl);
    if k.bird_by_ctl(&ctl).is_some() {
        return Exec::Done(ToolOutput::err(
            "bird: I found another BIRD running.\n".to_string(),
            1,
        ));
    }
    let pid = k.bird_spawn(ns, cfg, &conf, &ctl);
    if foreground {
        Exec::Spawned(pid)
    } else {
        // daemonized: the shell gets its prompt back at once
        Exec::Done(ToolOutput::default())
    }
}

fn kw(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// `birdc [-s SOCKET] [-v] [-r] COMMAND...`.
pub fn birdc(k: &Kernel, args: &[String], abs: &dyn Fn(&str) -> String) -> ToolOutput {
    let mut ctl = "/run/bird/bird.ctl".to_string();
    let mut ctl_set = false;
    // client/client.c: getopt with "s:vrl"; usage() after getopt's own message.
    let mut g = Getopt::new(args, "s:vrl", &[]);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                return ToolOutput::err(
                    format!(
                        "{}Usage: birdc [-s <control-socket>] [-v] [-r] [-l]\n",
                        e.glibc_message("birdc")
                    ),
                    1,
                )
            }
        };
        match o.opt {
            's' => {
                ctl = o.arg.unwrap_or_default();
                ctl_set = true;
            }
            'l' if !ctl_set => ctl = "bird.ctl".into(),
            // Verbose (-v) and restricted (-r) change nothing for the commands modelled.
            _ => {}
        }
    }
    let commands = g.into_operands();
    let path = abs(&ctl);
    let Some((pid, b)) = k.bird_by_ctl(&path) else {
        return ToolOutput::err(
            format!(
                "Unable to connect to server control socket ({}): No such file or directory\n",
                ctl
            ),
            1,
        );
    };
    let ns = k.proc(pid).map_or(0, |p| p.ns);
    let words: Vec<&str> = commands.iter().flat_map(|a| a.split_whitespace()).collect();
    let mut out = format!("BIRD {} ready.\n", show::VERSION);
    if words.is_empty() {
        return ToolOutput::ok(out);
    }
    let body = match words.as_slice() {
        [s, rest @ ..] if kw(s, "show") => match rest {
            [p, more @ ..] if kw(p, "protocols") => {
                let (all, name) = match more {
                    [] => (false, None),
                    [a] if kw(a, "all") => (true, None),
                    [a, n] if kw(a, "all") => (true, Some(*n)),
                    [n] => (false, Some(*n)),
                    _ => (false, Some("")),
                };
                show::show_protocols(k, ns, b, all, name)
            }
            [r, more @ ..] if kw(r, "route") => match more {
                [] => Ok(show::show_route(k, b, false)),
                [a] if kw(a, "all") => Ok(show::show_route(k, b, true)),
                _ => Err("nslab: birdc: only `show route [all]` is modelled".into()),
            },
            [st] if kw(st, "status") => Ok(show::show_status(k, b)),
            _ => Err("syntax error, unexpected CF_SYM_UNDEFINED".into()),
        },
        _ => Err("syntax error, unexpected CF_SYM_UNDEFINED".into()),
    };
    match body {
        Ok(s) => {
            out += &s;
            ToolOutput::ok(out)
        }
        Err(e) => {
            out += &e;
            out += "\n";
            ToolOutput::ok(out)
        }
    }
}
