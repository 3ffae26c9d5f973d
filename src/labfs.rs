//! The lab's file system as programs see it ([`userland::Fs`]): all in memory, nothing of the
//! real machine. The lab's working directory (`/lab`) and whatever a lab writes elsewhere are
//! [`Lab::files`]; `/proc/sys` is the model's sysctls (in the namespace the command runs in);
//! `/sys/class/net/DEV/...` a few attributes of the namespace's devices; `/var/run/netns/NAME`
//! the named namespaces; `/etc/hosts`, `/etc/services` and `/etc/iproute2/rt_tables` Debian's
//! defaults until a lab writes them.

use crate::lab::Lab;
use sim_models::tools::sysctl;
use userland::{FsError, Meta};

/// Debian's `/etc/hosts` of a fresh machine.
const ETC_HOSTS: &str = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

/// netbase's `/etc/services` (the copy tcpdump's port names come from).
const ETC_SERVICES: &str = include_str!("../sim-models/src/tcpdump/services");

/// iproute2 6.1's `/etc/iproute2/rt_tables`.
const RT_TABLES: &str = "#\n# reserved values\n#\n255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n#\n# local\n#\n#1\tinr.ruhep\n";

/// Directories every lab has.
const DIRS: &[&str] = &[
    "/",
    "/dev",
    "/etc",
    "/etc/iproute2",
    "/lab",
    "/proc",
    "/proc/sys",
    "/run",
    "/run/netns",
    "/sys",
    "/sys/class",
    "/sys/class/net",
    "/tmp",
    "/var",
    "/var/run",
    "/var/run/netns",
];

fn errno_of(text: &str) -> FsError {
    match text {
        "No such file or directory" => FsError::NotFound,
        "Permission denied" => FsError::PermissionDenied,
        "Is a directory" => FsError::IsADirectory,
        _ => FsError::InvalidArgument,
    }
}

impl Lab {
    fn netns_name_of(path: &str) -> Option<&str> {
        path.strip_prefix("/var/run/netns/")
            .or_else(|| path.strip_prefix("/run/netns/"))
            .filter(|n| !n.is_empty() && !n.contains('/'))
    }

    /// `/sys/class/net/DEV/ATTR` of the current namespace.
    fn sys_class_net(&self, path: &str) -> Option<Result<String, FsError>> {
        let rest = path.strip_prefix("/sys/class/net/")?;
        let (dev, attr) = rest.split_once('/').unwrap_or((rest, ""));
        let k = &self.kernel;
        let Some(d) = k.dev_by_name(self.cur_ns, dev) else {
            return Some(Err(FsError::NotFound));
        };
        let nd = &k.devs[d];
        let nd = nd.as_ref()?;
        let v = match attr {
            "" => return Some(Err(FsError::IsADirectory)),
            "ifindex" => nd.ifindex.to_string(),
            "mtu" => nd.mtu.to_string(),
            "address" => sim_models::wire::fmt_mac(&nd.mac),
            "operstate" => {
                if !nd.up {
                    "down".to_string()
                } else if k.carrier(d) {
                    "up".to_string()
                } else {
                    "lowerlayerdown".to_string()
                }
            }
            "carrier" => {
                if !nd.up {
                    return Some(Err(FsError::InvalidArgument));
                }
                u8::from(k.carrier(d)).to_string()
            }
            "flags" => format!("0x{:x}", if nd.up { 0x1003 } else { 0x1002 }),
            "type" => if nd.name == "lo" { "772" } else { "1" }.to_string(),
            _ => return Some(Err(FsError::NotFound)),
        };
        Some(Ok(format!("{v}\n")))
    }

    /// A real file next to the lab script (`/lab/lib.sh` is `lib.sh` in the script's
    /// directory), read-only: labs source their helpers (`source lib.sh`).
    pub(crate) fn real_file(&self, path: &str) -> Option<Vec<u8>> {
        let dir = self.script_dir.as_ref()?;
        // `/lab/../lib.sh` is `/lib.sh`
        let mut parts: Vec<&str> = Vec::new();
        for c in path.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        let norm = format!("/{}", parts.join("/"));
        let path = norm.as_str();
        // The lab's directory /lab is the script's; its parent `/` stands for the script
        // directory's parent where the model has no directory of its own (the selftests in
        // forwarding/ `source ../lib.sh`): read-only, files only.
        let (base, rel) = match path.strip_prefix("/lab/") {
            Some(rel) => (dir.clone(), rel),
            None => {
                let rel = path.strip_prefix('/')?;
                let top = rel.split('/').next().unwrap_or("");
                if DIRS.iter().any(|d| d.trim_start_matches('/') == top) {
                    return None;
                }
                // a relative script path leaves an empty directory: the current one
                let real = if dir.as_os_str().is_empty() {
                    std::env::current_dir().ok()?
                } else {
                    dir.canonicalize().ok()?
                };
                (real.parent()?.to_path_buf(), rel)
            }
        };
        if rel.split('/').any(|c| c == ".." || c.is_empty()) {
            return None;
        }
        let p = base.join(rel);
        p.is_file().then(|| std::fs::read(p).ok()).flatten()
    }

    fn is_dir(&self, path: &str) -> bool {
        if DIRS.contains(&path) || self.dirs.contains(path) {
            return true;
        }
        if let Some(dev) = path.strip_prefix("/sys/class/net/") {
            return self.kernel.dev_by_name(self.cur_ns, dev).is_some();
        }
        let prefix = format!("{}/", path.trim_end_matches('/'));
        self.files.keys().any(|k| k.starts_with(&prefix))
    }
}

impl userland::Fs for Lab {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, FsError> {
        if let Some(key) = sysctl::proc_path_to_key(path) {
            return sysctl::sysctl_read(&self.kernel, self.cur_ns, &key)
                .map(|v| format!("{v}\n").into_bytes())
                .map_err(errno_of);
        }
        if let Some(r) = self.sys_class_net(path) {
            return r.map(String::into_bytes);
        }
        // bond_procfs: one file per bond of the namespace.
        if let Some(name) = path.strip_prefix("/proc/net/bonding/") {
            return self
                .kernel
                .bond_procfs(self.cur_ns, name)
                .map(String::into_bytes)
                .ok_or(FsError::NotFound);
        }
        if let Some(d) = self.files.get(path) {
            return Ok(d.clone());
        }
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        match path {
            "/dev/null" => Ok(Vec::new()),
            "/etc/hosts" => Ok(ETC_HOSTS.as_bytes().to_vec()),
            "/etc/services" => Ok(ETC_SERVICES.as_bytes().to_vec()),
            "/etc/iproute2/rt_tables" => Ok(RT_TABLES.as_bytes().to_vec()),
            "/etc/hostname" => Ok(b"nslab\n".to_vec()),
            p if Lab::netns_name_of(p).is_some_and(|n| self.kernel.ns_by_name(n).is_some()) => {
                Ok(Vec::new())
            }
            // a program of the table at its path (`[ -x /usr/sbin/ip ]`); no content
            p if crate::shell::is_program_file(p) => Ok(Vec::new()),
            p => self.real_file(p).ok_or(FsError::NotFound),
        }
    }

    fn write(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        if let Some(key) = sysctl::proc_path_to_key(path) {
            let v = String::from_utf8_lossy(data).into_owned();
            return sysctl::sysctl_write(&mut self.kernel, self.cur_ns, &key, &v).map_err(errno_of);
        }
        if path == "/dev/null" {
            return Ok(());
        }
        if path.starts_with("/proc/") || path.starts_with("/sys/") {
            return Err(FsError::PermissionDenied);
        }
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        let parent = userland::abs_path(path, "..");
        if !self.is_dir(&parent) {
            return Err(FsError::NotFound);
        }
        if !self.write_lab_file(path.to_string(), data, append) {
            return Err(FsError::NoSpace);
        }
        Ok(())
    }

    fn stat(&mut self, path: &str) -> Result<Meta, FsError> {
        let now = self.kernel.now.0;
        if self.is_dir(path) {
            return Ok(Meta {
                is_dir: true,
                len: 4096,
                mode: 0o755,
                mtime_ns: now,
            });
        }
        let d = userland::Fs::read(self, path)?;
        Ok(Meta {
            is_dir: false,
            len: d.len() as u64,
            mode: if crate::shell::is_program_file(path) {
                0o755
            } else {
                0o644
            },
            mtime_ns: self.kernel.vfs.get(path).map_or(now, |(_, t)| t.0),
        })
    }

    fn read_dir(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        if !self.is_dir(path) {
            return if self.files.contains_key(path) {
                Err(FsError::NotADirectory)
            } else {
                Err(FsError::NotFound)
            };
        }
        let mut names: Vec<String> = Vec::new();
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        let mut add = |n: &str| {
            if !n.is_empty() && !names.iter().any(|m| m == n) {
                names.push(n.to_string());
            }
        };
        for k in self.files.keys().chain(self.dirs.iter()) {
            if let Some(rest) = k.strip_prefix(&prefix) {
                add(rest.split('/').next().unwrap_or(""));
            }
        }
        for d in DIRS {
            if let Some(rest) = d.strip_prefix(&prefix) {
                add(rest.split('/').next().unwrap_or(""));
            }
        }
        match path {
            "/var/run/netns" | "/run/netns" => {
                for n in self.kernel.nets.iter().flatten().skip(1) {
                    add(&n.name);
                }
            }
            "/sys/class/net" => {
                for &d in &self.kernel.net(self.cur_ns).devs {
                    if let Some(nd) = self.kernel.devs[d].as_ref() {
                        add(&nd.name);
                    }
                }
            }
            "/etc" => {
                for n in ["hostname", "hosts", "services"] {
                    add(n);
                }
            }
            _ => {}
        }
        names.sort();
        Ok(names)
    }

    fn remove(&mut self, path: &str) -> Result<(), FsError> {
        if self.files.remove(path).is_some() {
            return Ok(());
        }
        if self.dirs.contains(path) {
            let prefix = format!("{path}/");
            if self.files.keys().any(|k| k.starts_with(&prefix))
                || self.dirs.iter().any(|k| k.starts_with(&prefix))
            {
                return Err(FsError::NotEmpty);
            }
            self.dirs.remove(path);
            return Ok(());
        }
        if self.is_dir(path) {
            return Err(FsError::PermissionDenied);
        }
        Err(FsError::NotFound)
    }

    fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        if self.is_dir(path) || self.files.contains_key(path) {
            return Err(FsError::Exists);
        }
        let parent = userland::abs_path(path, "..");
        if !self.is_dir(&parent) {
            return Err(FsError::NotFound);
        }
        if path.starts_with("/proc/") || path.starts_with("/sys/") {
            return Err(FsError::PermissionDenied);
        }
        self.dirs.insert(path.to_string());
        Ok(())
    }
}

/// What a program does when its standard output is `/dev/full` (every write fails with
/// ENOSPC): `Some((stderr text, exit status))`, or `None` for programs that do not check
/// (iproute2, iptables, ss, conntrack: status unchanged, nothing printed). Recorded on this
/// host (coreutils 9.1, grep 3.8, sed 4.9, jq 1.6, procps-ng 4.0.2, iputils 20221126) with
/// `PROG ... > /dev/full`; a program not listed answers as coreutils' `close_stdout` does.
/// (gawk's text names the input file and record, which the shell does not know here: it gets
/// coreutils' form.)
pub fn dev_full_error(prog: &str) -> Option<(String, i32)> {
    let enospc = "No space left on device";
    Some(match prog {
        "ip" | "bridge" | "iptables" | "iptables-save" | "iptables-legacy" | "ss" | "conntrack"
        | "tc" | "brctl" | "route" | "arp" | "ifconfig" => return None,
        "wc" => ("wc: write error\n".to_string(), 1),
        "sort" => (
            format!("sort: fflush failed: 'standard output': {enospc}\nsort: write error\n"),
            2,
        ),
        "grep" | "ls" => (format!("{prog}: write error: {enospc}\n"), 2),
        "sed" => (format!("sed: couldn't flush stdout: {enospc}\n"), 4),
        "jq" => (format!("Error: writing output failed: {enospc}\n"), 2),
        "tee" => (format!("tee: 'standard output': {enospc}\n"), 1),
        "ping" => ("ping: write error\n".to_string(), 1),
        "env" => (format!("env: write error: {enospc}\n"), 125),
        "curl" => (String::new(), 23),
        _ => (format!("{prog}: write error: {enospc}\n"), 1),
    })
}
