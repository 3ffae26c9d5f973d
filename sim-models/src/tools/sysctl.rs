//! `sysctl` and `/proc/sys` for the knobs the model has, with the kernel's propagation rules
//! (`devinet_sysctl_forward`, `inet_forward_change`, `devinet_copy_dflt_conf`).

use crate::kernel::{Kernel, NsId};
use crate::net::devconf::*;

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
    let net = k.net(ns);
    match parts.as_slice() {
        ["net", "ipv4", "ip_forward"] => Ok(if net.ip_forward() { "1" } else { "0" }.into()),
        ["net", "ipv4", "conf", dev, knob] => {
            let i = DevConf::index(knob).ok_or("No such file or directory")?;
            match *dev {
                "all" => Ok(net.conf_all.get(i).to_string()),
                "default" => Ok(net.conf_default.get(i).to_string()),
                d => {
                    let id = k.dev_by_name(ns, d).ok_or("No such file or directory")?;
                    Ok(k.dev(id).conf.get(i).to_string())
                }
            }
        }
        ["net", "ipv4", "neigh", dev, knob] => {
            let i = NeighParms::index(knob).ok_or("No such file or directory")?;
            match *dev {
                "default" => Ok(net.neigh_default.get(i).to_string()),
                d => {
                    let id = k.dev_by_name(ns, d).ok_or("No such file or directory")?;
                    Ok(k.dev(id).nparms.get(i).to_string())
                }
            }
        }
        // IPv6 is off everywhere: a device's disable_ipv6 exists and reads 1.
        ["net", "ipv6", "conf", dev, "disable_ipv6"] if k.dev_by_name(ns, dev).is_some() => {
            Ok("1".into())
        }
        _ => net
            .misc_sysctl
            .get(&parts.join("."))
            .cloned()
            .ok_or("No such file or directory"),
    }
}

/// Writes a knob. `Err` carries the errno text.
pub fn sysctl_write(k: &mut Kernel, ns: NsId, key: &str, value: &str) -> Result<(), &'static str> {
    let comps = split_key(key);
    let parts: Vec<&str> = comps.iter().map(String::as_str).collect();
    let v = value.trim();
    let int = || {
        v.split_whitespace()
            .next()
            .unwrap_or("")
            .parse::<i64>()
            .map_err(|_| "Invalid argument")
    };
    match parts.as_slice() {
        ["net", "ipv4", "ip_forward"] => {
            inet_forward_change(k, ns, int()? != 0);
            Ok(())
        }
        ["net", "ipv4", "conf", dev, knob] => {
            let i = DevConf::index(knob).ok_or("No such file or directory")?;
            let val = int()?;
            match *dev {
                "all" if i == CONF_FORWARDING => inet_forward_change(k, ns, val != 0),
                "all" => k.net_mut(ns).conf_all.vals[i] = val,
                "default" => {
                    k.net_mut(ns).conf_default.vals[i] = val;
                    for d in k.net(ns).devs.clone() {
                        let c = &mut k.dev_mut(d).conf;
                        if c.set_mask & (1 << i) == 0 {
                            c.vals[i] = val;
                        }
                    }
                }
                d => {
                    let id = k.dev_by_name(ns, d).ok_or("No such file or directory")?;
                    let c = &mut k.dev_mut(id).conf;
                    c.vals[i] = if i == CONF_FORWARDING {
                        (val != 0) as i64
                    } else {
                        val
                    };
                    c.set_mask |= 1 << i;
                }
            }
            Ok(())
        }
        ["net", "ipv4", "neigh", dev, knob] => {
            let i = NeighParms::index(knob).ok_or("No such file or directory")?;
            let val = int()?;
            match *dev {
                "default" => {
                    k.net_mut(ns).neigh_default.vals[i] = val;
                    for d in k.net(ns).devs.clone() {
                        let p = &mut k.dev_mut(d).nparms;
                        if p.set_mask & (1 << i) == 0 {
                            p.vals[i] = val;
                        }
                    }
                }
                d => {
                    let id = k.dev_by_name(ns, d).ok_or("No such file or directory")?;
                    let p = &mut k.dev_mut(id).nparms;
                    p.vals[i] = val;
                    p.set_mask |= 1 << i;
                }
            }
            Ok(())
        }
        // IPv6 is not modelled: a device's disable_ipv6 can only stay 1.
        ["net", "ipv6", "conf", dev, "disable_ipv6"] if k.dev_by_name(ns, dev).is_some() => {
            if int()? != 0 {
                Ok(())
            } else {
                Err("Operation not supported")
            }
        }
        _ => {
            let key = parts.join(".");
            let net = k.net_mut(ns);
            match net.misc_sysctl.get_mut(&key) {
                Some(slot) => {
                    *slot = v.split_whitespace().collect::<Vec<_>>().join("\t");
                    Ok(())
                }
                None => Err("No such file or directory"),
            }
        }
    }
}

/// `inet_forward_change`: `ip_forward` / `conf/all/forwarding` set every device, `all` and
/// `default`, and turn `accept_redirects` in `all` off when forwarding is on.
fn inet_forward_change(k: &mut Kernel, ns: NsId, on: bool) {
    let v = on as i64;
    let net = k.net_mut(ns);
    net.conf_all.vals[CONF_FORWARDING] = v;
    net.conf_all.vals[CONF_ACCEPT_REDIRECTS] = (!on) as i64;
    net.conf_default.vals[CONF_FORWARDING] = v;
    for d in k.net(ns).devs.clone() {
        k.dev_mut(d).conf.vals[CONF_FORWARDING] = v;
    }
}

/// The `sysctl` command.
pub fn sysctl_cmd(k: &mut Kernel, ns: NsId, args: &[String]) -> (String, String, i32) {
    let mut out = String::new();
    let mut err = String::new();
    let mut status = 0;
    let mut write = false;
    let mut quiet = false;
    let mut names_only = false;
    let mut values_only = false;
    let mut items = Vec::new();
    for a in args {
        match a.as_str() {
            "-w" | "--write" => write = true,
            "-q" | "--quiet" => quiet = true,
            "-n" | "--values" => values_only = true,
            "-N" | "--names" => names_only = true,
            "-e" | "--ignore" => {}
            s if s.starts_with('-') => {
                return (
                    String::new(),
                    format!(
                        "sysctl: invalid option -- '{}'\n",
                        s.trim_start_matches('-')
                    ),
                    1,
                );
            }
            s => items.push(s.to_string()),
        }
    }
    if items.is_empty() {
        return (String::new(), "sysctl: no variables specified\n".into(), 1);
    }
    for it in items {
        if let Some((key, val)) = it.split_once('=') {
            let key = slashdot(key.trim(), '/', '.');
            match sysctl_write(k, ns, &key, val) {
                Ok(()) => {
                    if !quiet {
                        out += &format!("{} = {}\n", key, val.trim());
                    }
                }
                Err(e) => {
                    err += &format!(
                        "sysctl: cannot stat /proc/sys/{}: {}\n",
                        slashdot(&key, '.', '/'),
                        e
                    );
                    status = 255;
                }
            }
        } else if write {
            err += &format!("sysctl: \"{}\" must be of the form name=value\n", it);
            status = 255;
        } else {
            let key = slashdot(&it, '/', '.');
            match sysctl_read(k, ns, &key) {
                Ok(v) if values_only => out += &format!("{}\n", v),
                Ok(_) if names_only => out += &format!("{}\n", key),
                Ok(v) => out += &format!("{} = {}\n", key, v),
                Err(e) => {
                    err += &format!(
                        "sysctl: cannot stat /proc/sys/{}: {}\n",
                        slashdot(&key, '.', '/'),
                        e
                    );
                    status = 255;
                }
            }
        }
    }
    (out, err, status)
}
