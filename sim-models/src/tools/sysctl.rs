//! `sysctl` and `/proc/sys` for the knobs the model has, with the kernel's propagation rules
//! (`devinet_sysctl_forward`, `inet_forward_change`, `devinet_copy_dflt_conf`).

use super::{ToolError, ToolOutput};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use userland::getopt::{Getopt, HasArg, LongOpt};

/// Converts a `/proc/sys/...` path to a dotted key (`net.ipv4.conf.veth1.proxy_arp`); a dot
/// inside a component (device `flannel.1`) shows as `/`, as `sysctl -a` prints it.
pub fn proc_path_to_key(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/proc/sys/")?;
    Some(slashdot(rest.trim_end_matches('/'), '/', '.'))
}

/// procps' `slashdot`: if the first separator is not already `new`, swaps every `.` and `/`
/// (`net.ipv4.conf.flannel/1.forwarding` ↔ `net/ipv4/conf/flannel.1/forwarding`).
fn slashdot(p: &str, old: char, new: char) -> String {
    match p.chars().find(|&c| c == '.' || c == '/') {
        Some(c) if c != new => p
            .chars()
            .map(|c| match c {
                c if c == old => new,
                c if c == new => old,
                c => c,
            })
            .collect(),
        _ => p.to_string(),
    }
}

/// A key in either form as its `/proc/sys` path components.
fn split_key(key: &str) -> Vec<String> {
    slashdot(key, '.', '/')
        .split('/')
        .map(String::from)
        .collect()
}

/// Reads a knob; `Err` carries the errno text (`No such file or directory`).
pub fn sysctl_read(k: &Kernel, ns: NsId, key: &str) -> Result<String, &'static str> {
    let comps = split_key(key);
    let parts: Vec<&str> = comps.iter().map(String::as_str).collect();
    k.proc_sys_read(ns, &parts).map_err(Errno::strerror)
}

/// Writes a knob. `Err` carries the errno text.
pub fn sysctl_write(k: &mut Kernel, ns: NsId, key: &str, value: &str) -> Result<(), &'static str> {
    let comps = split_key(key);
    let parts: Vec<&str> = comps.iter().map(String::as_str).collect();
    k.proc_sys_write(ns, &parts, value).map_err(Errno::strerror)
}

/// procps-ng 4.0.2's usage text (`Usage(stdout)` for `-h` and a bad option, exit 0;
/// `Usage(stderr)` with no argument, exit 1).
const USAGE: &str = "
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
";

const LONGS: [LongOpt; 14] = [
    LongOpt::new("all", HasArg::No, 'a'),
    LongOpt::new("deprecated", HasArg::No, '\u{e000}'),
    LongOpt::new("dry-run", HasArg::No, '\u{e001}'),
    LongOpt::new("binary", HasArg::No, 'b'),
    LongOpt::new("ignore", HasArg::No, 'e'),
    LongOpt::new("names", HasArg::No, 'N'),
    LongOpt::new("values", HasArg::No, 'n'),
    LongOpt::new("load", HasArg::Optional, 'p'),
    LongOpt::new("quiet", HasArg::No, 'q'),
    LongOpt::new("write", HasArg::No, 'w'),
    LongOpt::new("system", HasArg::No, '\u{e002}'),
    LongOpt::new("pattern", HasArg::Required, 'r'),
    LongOpt::new("help", HasArg::No, 'h'),
    LongOpt::new("version", HasArg::No, 'V'),
];

/// One `KEY=VALUE` write, as procps reports it.
#[allow(clippy::too_many_arguments)]
fn sysctl_set(
    k: &mut Kernel,
    ns: NsId,
    key: &str,
    val: &str,
    quiet: bool,
    ignore: bool,
    out: &mut String,
    err: &mut String,
    status: &mut i32,
) {
    let key = slashdot(key.trim(), '/', '.');
    let comps = split_key(&key);
    let parts: Vec<&str> = comps.iter().map(String::as_str).collect();
    // An empty value is refused before the write (procps: "Invalid argument").
    let r = if val.trim().is_empty() {
        Err(Errno::EINVAL)
    } else {
        k.proc_sys_write(ns, &parts, val)
    };
    match r {
        Ok(()) => {
            if !quiet {
                *out += &format!("{} = {}\n", key, val.trim());
            }
        }
        Err(Errno::ENOENT) if ignore => {}
        Err(Errno::ENOENT) => {
            *err += &format!(
                "sysctl: cannot stat /proc/sys/{}: {}\n",
                slashdot(&key, '.', '/'),
                Errno::ENOENT
            );
            *status = 1;
        }
        Err(e) => {
            *err += &format!("sysctl: setting key \"{key}\": {e}\n");
            *status = 1;
        }
    }
}

/// The `sysctl` command (procps-ng 4.0.2): options parsed with getopt_long
/// (`"bneNwfp::qoxaAXr:Vdh"`), then each `KEY` read and each `KEY=VALUE` written (with or
/// without `-w`). Failures set status 1 and the run goes on.
pub fn sysctl_cmd(k: &mut Kernel, ns: NsId, args: &[String]) -> ToolOutput {
    let mut out = String::new();
    let mut err = String::new();
    let mut status = 0;
    let mut write = false;
    let mut quiet = false;
    let mut names_only = false;
    let mut values_only = false;
    let mut ignore = false;
    let mut load: Option<Option<String>> = None;
    let mut g = Getopt::new(args, "bneNwfp::qoxaAXr:Vdh", &LONGS);
    while let Some(o) = g.next() {
        match o {
            Ok(o) => match o.opt {
                'w' => write = true,
                'q' => quiet = true,
                'n' => values_only = true,
                'N' => names_only = true,
                'e' => ignore = true,
                'o' | 'x' => {}
                'h' | 'd' => return ToolOutput::ok(USAGE.to_string()),
                'V' => return ToolOutput::ok("sysctl from procps-ng 4.0.2\n".to_string()),
                'p' | 'f' => load = Some(o.arg),
                'a' | 'A' | 'X' => return ToolError::not_modelled("sysctl -a").into(),
                'b' => return ToolError::not_modelled("sysctl -b").into(),
                'r' => return ToolError::not_modelled("sysctl -r").into(),
                _ => {
                    return ToolError::not_modelled(format!("sysctl --{}", o.long.unwrap_or("?")))
                        .into()
                }
            },
            // Recorded: `sysctl -z` prints glibc's message on stderr, the usage on stdout, and
            // exits 0 (procps' `case '?': Usage(stdout)`).
            Err(e) => {
                return ToolOutput {
                    stdout: USAGE.to_string(),
                    stderr: e.glibc_message("sysctl"),
                    status: 0,
                    not_modelled: None,
                }
            }
        }
    }
    let items = g.into_operands();
    // -p: the operands are files (default /etc/sysctl.conf); procps-ng 4.0.2 parses a whole
    // file first (syntax errors), then applies its settings.
    if let Some(first) = load {
        let files: Vec<String> = first.into_iter().chain(items).collect();
        let default = files.is_empty();
        let files = if default {
            vec!["/etc/sysctl.conf".to_string()]
        } else {
            files
        };
        for f in files {
            let Some(data) = k.vfs_read(&f) else {
                // A lab that wrote no /etc/sysctl.conf has the distribution's, all comments
                // (recorded: `sysctl -p` on this machine prints nothing, status 0).
                if default {
                    continue;
                }
                err += &format!("sysctl: cannot open \"{f}\": No such file or directory\n");
                status = 1;
                continue;
            };
            let text = String::from_utf8_lossy(&data).into_owned();
            let mut settings = Vec::new();
            for (n, line) in text.lines().enumerate() {
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
                    continue;
                }
                let t = t.strip_prefix('-').unwrap_or(t);
                match t.split_once('=') {
                    Some((key, val)) => settings.push((key.trim().to_string(), val.to_string())),
                    None => {
                        err += &format!("sysctl: {f}({}): invalid syntax, continuing...\n", n + 1);
                        status = 1;
                    }
                }
            }
            for (key, val) in settings {
                sysctl_set(
                    k,
                    ns,
                    &key,
                    &val,
                    quiet,
                    ignore,
                    &mut out,
                    &mut err,
                    &mut status,
                );
            }
        }
        return ToolOutput {
            stdout: out,
            stderr: err,
            status,
            not_modelled: None,
        };
    }
    if items.is_empty() {
        if write {
            return ToolOutput::err(
                "sysctl: no variables specified\nTry `sysctl --help' for more information.\n"
                    .into(),
                1,
            );
        }
        return ToolOutput::err(USAGE.to_string(), 1);
    }
    for it in items {
        if let Some((key, val)) = it.split_once('=') {
            sysctl_set(
                k,
                ns,
                key,
                val,
                quiet,
                ignore,
                &mut out,
                &mut err,
                &mut status,
            );
        } else if write {
            err += "sysctl: command line(0): invalid syntax, continuing...\n";
            status = 1;
        } else {
            let key = slashdot(&it, '/', '.');
            let comps = split_key(&key);
            let parts: Vec<&str> = comps.iter().map(String::as_str).collect();
            match k.proc_sys_read(ns, &parts) {
                // procps: -N wins over -n (recorded: `sysctl -nN KEY` prints the name).
                Ok(_) if names_only => out += &format!("{key}\n"),
                Ok(v) if values_only => out += &format!("{v}\n"),
                Ok(v) => out += &format!("{key} = {v}\n"),
                Err(_) if ignore => {}
                Err(e) => {
                    err += &format!(
                        "sysctl: cannot stat /proc/sys/{}: {e}\n",
                        slashdot(&key, '.', '/'),
                    );
                    status = 1;
                }
            }
        }
    }
    ToolOutput {
        stdout: out,
        stderr: err,
        status,
        not_modelled: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(k: &mut Kernel, ns: NsId, line: &str) -> ToolOutput {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        sysctl_cmd(k, ns, &args)
    }

    /// Texts and statuses recorded with procps-ng 4.0.2 in a namespace made for it
    /// (`ip netns add t; ip netns exec t sysctl ...`).
    #[test]
    fn procps_texts_and_statuses() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("t");
        let o = run(&mut k, ns, "-qw net.ipv4.ip_forward=1");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.status),
            ("", "", 0)
        );
        let o = run(&mut k, ns, "-w -q net.ipv4.ip_forward=1");
        assert_eq!((o.stdout.as_str(), o.status), ("", 0));
        let o = run(&mut k, ns, "-n net.ipv4.ip_forward");
        assert_eq!(o.stdout, "1\n");
        let o = run(&mut k, ns, "-N net.ipv4.ip_forward");
        assert_eq!(o.stdout, "net.ipv4.ip_forward\n");
        let o = run(&mut k, ns, "net.ipv4.ip_forward=1");
        assert_eq!(o.stdout, "net.ipv4.ip_forward = 1\n");
        let o = run(&mut k, ns, "-w net.ipv4.nosuch=1");
        assert_eq!(
            (o.stderr.as_str(), o.status),
            (
                "sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory\n",
                1
            )
        );
        let o = run(&mut k, ns, "-e net.ipv4.nosuch");
        assert_eq!((o.stderr.as_str(), o.status), ("", 0));
        let o = run(&mut k, ns, "-we net.ipv4.nosuch=1");
        assert_eq!((o.stderr.as_str(), o.status), ("", 0));
        let o = run(&mut k, ns, "-ne net.ipv4.nosuch net.ipv4.ip_forward");
        assert_eq!((o.stdout.as_str(), o.status), ("1\n", 0));
        let o = run(&mut k, ns, "-w net.ipv4.ip_forward=x net.ipv4.ip_forward");
        assert_eq!(
            (o.stderr.as_str(), o.status),
            (
                "sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument\nsysctl: command line(0): invalid syntax, continuing...\n",
                1
            )
        );
        let o = run(
            &mut k,
            ns,
            "-w net.ipv4.conf.all.forwarding=1 net.ipv4.ip_forward=",
        );
        assert_eq!(o.stdout, "net.ipv4.conf.all.forwarding = 1\n");
        assert_eq!(
            (o.stderr.as_str(), o.status),
            (
                "sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument\n",
                1
            )
        );
        let o = run(&mut k, ns, "-w");
        assert_eq!(
            (o.stderr.as_str(), o.status),
            (
                "sysctl: no variables specified\nTry `sysctl --help' for more information.\n",
                1
            )
        );
        let o = run(&mut k, ns, "-z");
        assert_eq!(
            (o.stderr.as_str(), o.status),
            ("sysctl: invalid option -- 'z'\n", 0)
        );
        assert!(o.stdout.starts_with("\nUsage:\n sysctl [options]"));
        let o = run(&mut k, ns, "");
        assert_eq!(o.status, 1);
        assert!(o.stderr.starts_with("\nUsage:\n"));
    }

    /// `sysctl -p FILE` (recorded with procps-ng 4.0.2 on this file in a fresh namespace):
    /// syntax errors while reading, then each setting in order.
    #[test]
    fn load_a_file_as_procps() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("t");
        let conf = "# comment\n; other\n\nnet.ipv4.ip_forward = 1\n  net.ipv4.conf.all.proxy_arp=1  \nnet.ipv4.nosuch = 3\n-net.ipv4.nosuch2 = 3\nbadline\nnet.ipv4.conf.all.rp_filter = x\nnet/ipv4/conf/all/arp_ignore = 2\n";
        k.vfs_write("/tmp/s.conf", conf.as_bytes());
        let o = run(&mut k, ns, "-p /tmp/s.conf");
        assert_eq!(
            o.stdout,
            "net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.proxy_arp = 1\nnet.ipv4.conf.all.arp_ignore = 2\n"
        );
        assert_eq!(
            o.stderr,
            "sysctl: /tmp/s.conf(8): invalid syntax, continuing...\nsysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory\nsysctl: cannot stat /proc/sys/net/ipv4/nosuch2: No such file or directory\nsysctl: setting key \"net.ipv4.conf.all.rp_filter\": Invalid argument\n"
        );
        assert_eq!(o.status, 1);
        let o = run(&mut k, ns, "-e -p /tmp/s.conf");
        assert_eq!(
            o.stderr,
            "sysctl: /tmp/s.conf(8): invalid syntax, continuing...\nsysctl: setting key \"net.ipv4.conf.all.rp_filter\": Invalid argument\n"
        );
        let o = run(&mut k, ns, "-q -p /tmp/s.conf");
        assert_eq!((o.stdout.as_str(), o.status), ("", 1));
        let o = run(&mut k, ns, "-p /tmp/nosuch");
        assert_eq!(
            (o.stderr.as_str(), o.status),
            (
                "sysctl: cannot open \"/tmp/nosuch\": No such file or directory\n",
                1
            )
        );
    }
}
