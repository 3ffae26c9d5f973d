//! `/proc/sys/net` reads and writes (and what `RTM_GETNETCONF` shows of them): devinet conf
//! (`conf/{all,default,IF}`, `devinet_conf_proc` with `devinet_sysctl_forward` →
//! `inet_forward_change`, `devinet_copy_dflt_conf`), neighbour parameters (`neigh/{default,IF}`)
//! and the other knobs the model keeps as text. Paths are the components under `/proc/sys`
//! (`["net", "ipv4", "conf", "eth0", "forwarding"]`).

use crate::errno::Errno;
use crate::kernel::{Kernel, NsId, ROOT_NS};
use crate::net::devconf::*;

/// `gc_thresh1`..`gc_thresh3` of `neigh/default` as an index of [`ArpTbl::gc_thresh`].
///
/// [`ArpTbl::gc_thresh`]: crate::net::neigh::ArpTbl::gc_thresh
fn gc_thresh_index(knob: &str) -> Option<usize> {
    ["gc_thresh1", "gc_thresh2", "gc_thresh3"]
        .iter()
        .position(|k| *k == knob)
}

impl Kernel {
    /// Reads `/proc/sys/PATH` in namespace `ns`.
    pub fn proc_sys_read(&self, ns: NsId, path: &[&str]) -> Result<String, Errno> {
        let net = self.net(ns);
        match path {
            // ip_forward is conf/all/forwarding's value, stored as written.
            ["net", "ipv4", "ip_forward"] => Ok(net.conf_all.get(CONF_FORWARDING).to_string()),
            ["net", "ipv4", "conf", dev, knob] => {
                let i = DevConf::index(knob).ok_or(Errno::ENOENT)?;
                match *dev {
                    "all" => Ok(net.conf_all.get(i).to_string()),
                    "default" => Ok(net.conf_default.get(i).to_string()),
                    d => {
                        let id = self.dev_by_name(ns, d).ok_or(Errno::ENOENT)?;
                        Ok(self.dev(id).conf.get(i).to_string())
                    }
                }
            }
            // arp_init registers `neigh/default` (the table's parameters) for init_net only: a
            // namespace created later has only its devices' directories.
            ["net", "ipv4", "neigh", "default", _] if ns != ROOT_NS => Err(Errno::ENOENT),
            ["net", "ipv4", "neigh", "default", knob] if gc_thresh_index(knob).is_some() => {
                let i = gc_thresh_index(knob).ok_or(Errno::ENOENT)?;
                Ok(self.arp_tbl.gc_thresh[i].to_string())
            }
            ["net", "ipv4", "neigh", dev, knob] => {
                let i = NeighParms::index(knob).ok_or(Errno::ENOENT)?;
                match *dev {
                    "default" => Ok(net.neigh_default.get(i).to_string()),
                    d => {
                        let id = self.dev_by_name(ns, d).ok_or(Errno::ENOENT)?;
                        Ok(self.dev_nparms(id).get(i).to_string())
                    }
                }
            }
            // A device's disable_ipv6 (net/addrconf.rs); `all` and `default` are misc knobs.
            ["net", "ipv6", "conf", dev, "disable_ipv6"] if self.dev_by_name(ns, dev).is_some() => {
                let d = self.dev_by_name(ns, dev).ok_or(Errno::ENOENT)?;
                Ok(if self.dev(d).disable_ipv6 { "1" } else { "0" }.into())
            }
            _ => net
                .misc_sysctl
                .get(&path.join("."))
                .cloned()
                .ok_or(Errno::ENOENT),
        }
    }

    /// Writes `value` (as `echo VALUE >`) to `/proc/sys/PATH` in namespace `ns`. Any write
    /// flushes the route caches (`rp_filter`, `accept_local`, `forwarding`, `route_localnet`,
    /// `fib_multipath_hash_policy` ... are read by route lookups).
    pub fn proc_sys_write(&mut self, ns: NsId, path: &[&str], value: &str) -> Result<(), Errno> {
        let r = self.proc_sys_write_knob(ns, path, value);
        self.rt_cache_flush();
        r
    }

    fn proc_sys_write_knob(&mut self, ns: NsId, path: &[&str], value: &str) -> Result<(), Errno> {
        let v = value.trim();
        // proc_dointvec: the first integer of the text.
        let int = || {
            v.split_whitespace()
                .next()
                .unwrap_or("")
                .parse::<i64>()
                .map_err(|_| Errno::EINVAL)
        };
        match path {
            ["net", "ipv4", "ip_forward"] => {
                self.inet_forward_change(ns, int()?);
                Ok(())
            }
            ["net", "ipv4", "conf", dev, knob] => {
                let i = DevConf::index(knob).ok_or(Errno::ENOENT)?;
                let val = int()?;
                match *dev {
                    "all" if i == CONF_FORWARDING => self.inet_forward_change(ns, val),
                    "all" => self.net_mut(ns).conf_all.vals[i] = val,
                    "default" => {
                        // devinet_copy_dflt_conf: devices that never set the knob follow.
                        self.net_mut(ns).conf_default.vals[i] = val;
                        for d in self.net(ns).devs.clone() {
                            let c = &mut self.dev_mut(d).conf;
                            if c.set_mask & (1 << i) == 0 {
                                c.vals[i] = val;
                            }
                        }
                    }
                    d => {
                        let id = self.dev_by_name(ns, d).ok_or(Errno::ENOENT)?;
                        let c = &mut self.dev_mut(id).conf;
                        c.vals[i] = val;
                        c.set_mask |= 1 << i;
                    }
                }
                Ok(())
            }
            ["net", "ipv4", "neigh", "default", _] if ns != ROOT_NS => Err(Errno::ENOENT),
            // The table's own knobs (neigh_sysctl_register points init_net's `default`
            // gc_thresh1/2/3 at `arp_tbl`, the one table of every namespace). proc_dointvec
            // takes an int; the model keeps the thresholds unsigned, so a negative value is
            // taken as 0 (both make every `entries >= thresh` true).
            ["net", "ipv4", "neigh", "default", knob] if gc_thresh_index(knob).is_some() => {
                let i = gc_thresh_index(knob).ok_or(Errno::ENOENT)?;
                let val = int()?;
                let val = i32::try_from(val).map_err(|_| Errno::EINVAL)?;
                self.arp_tbl.gc_thresh[i] = usize::try_from(val).unwrap_or(0);
                Ok(())
            }
            ["net", "ipv4", "neigh", dev, knob] => {
                let i = NeighParms::index(knob).ok_or(Errno::ENOENT)?;
                let val = int()?;
                match *dev {
                    "default" => {
                        self.net_mut(ns).neigh_default.vals[i] = val;
                        // (a device without a copy of its own follows the default already)
                        for d in self.net(ns).devs.clone() {
                            if let Some(p) = self.dev_mut(d).nparms.as_deref_mut() {
                                if p.set_mask & (1 << i) == 0 {
                                    p.vals[i] = val;
                                }
                            }
                        }
                    }
                    d => {
                        let id = self.dev_by_name(ns, d).ok_or(Errno::ENOENT)?;
                        // the device's own copy from now on
                        let dflt = self.net(self.dev(id).ns).neigh_default.clone();
                        let p = self
                            .dev_mut(id)
                            .nparms
                            .get_or_insert_with(|| Box::new(dflt));
                        p.vals[i] = val;
                        p.set_mask |= 1 << i;
                    }
                }
                Ok(())
            }
            // proc_dou8vec_minmax without bounds (recorded: 255 is taken, 256 and -1 are
            // refused); any value but 0 turns timestamps on.
            ["net", "ipv4", "tcp_timestamps"] => {
                let n = int()?;
                if !(0..=255).contains(&n) {
                    return Err(Errno::EINVAL);
                }
                self.net_mut(ns)
                    .misc_sysctl
                    .insert("net.ipv4.tcp_timestamps".into(), n.to_string());
                Ok(())
            }
            // ipv4_sysctl_rtcache_flush: rt_cache_flush + fnhe_genid_bump (any value).
            ["net", "ipv4", "route", "flush"] => {
                self.fnhe_genid_bump(ns);
                Ok(())
            }
            // addrconf_disable_ipv6: a device's knob (dev_disable_change); `all` also sets
            // `default` and every device (addrconf_disable_change); `default` only new devices.
            ["net", "ipv6", "conf", dev, "disable_ipv6"] => {
                let off = int()? != 0;
                let v = if off { "1" } else { "0" };
                match *dev {
                    "all" | "default" => {
                        let net = self.net_mut(ns);
                        net.misc_sysctl
                            .insert("net.ipv6.conf.default.disable_ipv6".into(), v.into());
                        if *dev == "all" {
                            net.misc_sysctl
                                .insert("net.ipv6.conf.all.disable_ipv6".into(), v.into());
                            for d in self.net(ns).devs.clone() {
                                self.addrconf_set_disable(d, off);
                            }
                        }
                    }
                    name => {
                        let d = self.dev_by_name(ns, name).ok_or(Errno::ENOENT)?;
                        self.addrconf_set_disable(d, off);
                    }
                }
                Ok(())
            }
            _ => {
                let key = path.join(".");
                let val = v.split_whitespace().collect::<Vec<_>>().join("\t");
                if self.net_mut(ns).misc_sysctl.set_existing(&key, val) {
                    Ok(())
                } else {
                    Err(Errno::ENOENT)
                }
            }
        }
    }

    /// `inet_forward_change`: `ip_forward` / `conf/all/forwarding` set every device, `all` and
    /// `default` to the value as written (recorded: `sysctl -w net.ipv4.ip_forward=2` reads
    /// back 2 everywhere), and turn `accept_redirects` in `all` off when forwarding is on.
    fn inet_forward_change(&mut self, ns: NsId, v: i64) {
        let net = self.net_mut(ns);
        net.conf_all.vals[CONF_FORWARDING] = v;
        net.conf_all.vals[CONF_ACCEPT_REDIRECTS] = (v == 0) as i64;
        net.conf_default.vals[CONF_FORWARDING] = v;
        for d in self.net(ns).devs.clone() {
            self.dev_mut(d).conf.vals[CONF_FORWARDING] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_forward_propagates_to_all_default_and_devices() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("a");
        k.proc_sys_write(ns, &["net", "ipv4", "ip_forward"], "1\n")
            .unwrap();
        for dev in ["all", "default", "lo"] {
            let p = ["net", "ipv4", "conf", dev, "forwarding"];
            assert_eq!(k.proc_sys_read(ns, &p).unwrap(), "1");
        }
        let p = ["net", "ipv4", "conf", "all", "accept_redirects"];
        assert_eq!(k.proc_sys_read(ns, &p).unwrap(), "0");
        assert_eq!(
            k.proc_sys_write(ns, &["net", "ipv4", "nosuch"], "1"),
            Err(Errno::ENOENT)
        );
        assert_eq!(
            k.proc_sys_write(ns, &["net", "ipv4", "ip_forward"], "x"),
            Err(Errno::EINVAL)
        );
        // Recorded (`sysctl -w net.ipv4.ip_forward=2`, then reading them): values as written.
        k.proc_sys_write(ns, &["net", "ipv4", "ip_forward"], "2")
            .unwrap();
        for p in [
            &["net", "ipv4", "ip_forward"][..],
            &["net", "ipv4", "conf", "default", "forwarding"],
            &["net", "ipv4", "conf", "lo", "forwarding"],
        ] {
            assert_eq!(k.proc_sys_read(ns, p).unwrap(), "2");
        }
        let p = ["net", "ipv4", "conf", "lo", "forwarding"];
        k.proc_sys_write(ns, &p, "3").unwrap();
        assert_eq!(k.proc_sys_read(ns, &p).unwrap(), "3");
    }
}
