//! `tcpdump` inside a lab: captures from the moment it starts on one device (`-i IF`) or on
//! every device of its namespace (`-i any`, Linux cooked v2 headers), and prints what it saw,
//! ordered by simulated time, when it stops (killed, `-c N` reached, or the lab ends). The
//! packet text is the formatter's (`crate::tcpdump`), byte-identical to tcpdump 4.99's; the
//! banner and statistics are tcpdump's own lines on stderr.

use crate::kernel::{DevId, DevKind, Kernel, NsId, Pid};
use crate::tcpdump::filter::{self, Filter};
use crate::tcpdump::{Formatter, Opts, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW};
use crate::tools::ToolOutput;

/// Which packets a capture sees.
#[derive(Debug, Clone)]
pub enum Iface {
    Dev(DevId),
    /// `-i any`: every device of the namespace.
    Any,
}

#[derive(Debug)]
pub struct Tcpdump {
    pub iface: Iface,
    pub opts: Opts,
    pub filter: Filter,
    pub count: Option<u64>,
    pub wfile: Option<String>,
    /// Index into `capture.packets` where this capture starts.
    pub start: usize,
    /// Packets matched so far (only tracked for `-c`).
    pub seen: u64,
    /// Index into `capture.packets` where it stopped (`-c`).
    pub end: Option<usize>,
}

/// Packet types of `struct sockaddr_ll` (`PACKET_HOST` ...), as the capture tap records them.
pub const PACKET_HOST: u8 = 0;
pub const PACKET_BROADCAST: u8 = 1;
pub const PACKET_MULTICAST: u8 = 2;
pub const PACKET_OTHERHOST: u8 = 3;
pub const PACKET_OUTGOING: u8 = 4;

fn usage_err(msg: String) -> ToolOutput {
    ToolOutput::err(msg, 1)
}

/// Parses tcpdump's command line; `Ok` is the capture to start, `Err` the output of a
/// command that fails at once.
pub fn parse_args(k: &Kernel, ns: NsId, args: &[String]) -> Result<Tcpdump, ToolOutput> {
    let mut opts = Opts {
        eflag: false,
        vflag: 0,
        nflag: 0,
        aflag: false,
    };
    let mut iface_name: Option<String> = None;
    let mut count = None;
    let mut wfile = None;
    let mut expr: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.starts_with('-') && a.len() > 1 && expr.is_empty() {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                match c {
                    'n' => opts.nflag += 1,
                    'e' => opts.eflag = true,
                    'v' => opts.vflag += 1,
                    'A' => opts.aflag = true,
                    'l' | 'p' | 'U' => {}
                    'i' | 'c' | 'w' | 's' => {
                        let Some(val) = crate::tools::optarg(&chars[j + 1..], args, &mut i) else {
                            return Err(usage_err(format!(
                                "tcpdump: option requires an argument -- '{c}'\n{USAGE}"
                            )));
                        };
                        match c {
                            'i' => iface_name = Some(val),
                            'w' => wfile = Some(val),
                            'c' => match val.parse::<u64>() {
                                Ok(n) if n > 0 => count = Some(n),
                                _ => {
                                    return Err(usage_err(format!(
                                        "tcpdump: invalid packet count {val}\n"
                                    )))
                                }
                            },
                            _ => {
                                if val.parse::<u32>().is_err() {
                                    return Err(usage_err(format!(
                                        "tcpdump: invalid snaplen {val}\n"
                                    )));
                                }
                            }
                        }
                        j = chars.len();
                        continue;
                    }
                    _ => {
                        return Err(ToolOutput::err(
                            format!("nslab: tcpdump option -{c} is not modelled\n"),
                            2,
                        ))
                    }
                }
                j += 1;
            }
        } else {
            expr.push(a.clone());
        }
        i += 1;
    }
    let iface = match iface_name.as_deref() {
        Some("any") => Iface::Any,
        Some(name) => match k.dev_by_name(ns, name) {
            Some(d) => Iface::Dev(d),
            None => {
                return Err(usage_err(format!(
                    "tcpdump: {name}: No such device exists\n(No such device exists)\n"
                )))
            }
        },
        None => {
            // pcap_lookupdev: the first device that is up and not loopback, else lo.
            let devs = &k.net(ns).devs;
            let first = devs
                .iter()
                .copied()
                .find(|&d| k.dev(d).up && !matches!(k.dev(d).kind, DevKind::Loopback))
                .or_else(|| devs.first().copied());
            match first {
                Some(d) => Iface::Dev(d),
                None => return Err(usage_err("tcpdump: no devices available\n".to_string())),
            }
        }
    };
    if let Iface::Dev(d) = iface {
        if !k.dev(d).up {
            return Err(usage_err(format!(
                "tcpdump: {}: That device is not up\n",
                k.dev(d).name
            )));
        }
    }
    let filter =
        filter::parse(&expr.join(" ")).map_err(|e| usage_err(format!("tcpdump: {e}\n")))?;
    Ok(Tcpdump {
        iface,
        opts,
        filter,
        count,
        wfile,
        start: 0,
        seen: 0,
        end: None,
    })
}

const USAGE: &str =
    "Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n";

impl Kernel {
    /// Starts a capture process: the banner goes to stderr at once.
    pub fn tcpdump_spawn(&mut self, ns: NsId, mut t: Tcpdump) -> Pid {
        self.capture.enabled = true;
        t.start = self.capture.packets.len();
        let (name, lt) = match &t.iface {
            Iface::Any => ("any".to_string(), "LINUX_SLL2 (Linux cooked v2)"),
            Iface::Dev(d) => {
                let raw = self.capture.ifaces[self.dev(*d).cap].linktype == LINKTYPE_RAW;
                let lt = if raw {
                    "RAW (Raw IP)"
                } else {
                    "EN10MB (Ethernet)"
                };
                (self.dev(*d).name.clone(), lt)
            }
        };
        let mut banner = String::new();
        if matches!(t.iface, Iface::Any) {
            banner.push_str("tcpdump: data link type LINUX_SLL2\n");
        }
        if t.opts.vflag == 0 && t.wfile.is_none() {
            banner.push_str(
                "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n",
            );
        } else {
            banner.push_str("tcpdump: ");
        }
        banner.push_str(&format!(
            "listening on {name}, link-type {lt}, snapshot length 262144 bytes\n"
        ));
        let watch = t.count.is_some();
        let pid = self.spawn(ns, super::App::Tcpdump(Box::new(t)));
        if let Some(p) = self.proc_mut(pid) {
            p.stderr.extend_from_slice(banner.as_bytes());
        }
        if watch {
            self.capture.watchers.push(pid);
        }
        pid
    }

    /// The packets capture `t` of a process in `ns` sees, from `from` to `to`: (index, pkttype,
    /// ifindex, ifname) of each.
    fn tcpdump_select(
        &self,
        ns: NsId,
        t: &Tcpdump,
        from: usize,
        to: usize,
    ) -> Vec<(usize, u8, u32, String)> {
        // Which device records on each capture interface (current owners).
        let mut owner: Vec<Option<DevId>> = vec![None; self.capture.ifaces.len()];
        for (d, dev) in self.devs.iter().enumerate() {
            if let Some(dev) = dev {
                if let Some(o) = owner.get_mut(dev.cap) {
                    *o = Some(d);
                }
            }
        }
        let mut v = Vec::new();
        for i in from..to.min(self.capture.packets.len()) {
            let (cap, _, data) = &self.capture.packets[i];
            let Some(Some(d)) = owner.get(*cap as usize) else {
                continue;
            };
            let ok = match &t.iface {
                Iface::Dev(x) => x == d,
                Iface::Any => self.dev(*d).ns == ns,
            };
            let lt = self.capture.ifaces[*cap as usize].linktype;
            if !ok || !t.filter.matches_linktype(lt, data) {
                continue;
            }
            let dev = self.dev(*d);
            let pkttype = self.capture.pkttypes.get(i).copied().unwrap_or(PACKET_HOST);
            v.push((i, pkttype, dev.ifindex, dev.name.clone()));
        }
        v
    }

    /// Called by the capture tap for tcpdumps with `-c`: stops them at their N-th packet.
    pub(crate) fn tcpdump_tap(&mut self) {
        let idx = self.capture.packets.len() - 1;
        for pid in self.capture.watchers.clone() {
            let Some(p) = self.proc(pid) else { continue };
            let super::App::Tcpdump(t) = &p.app else {
                continue;
            };
            if p.exit.is_some() {
                continue;
            }
            let n = self.tcpdump_select(p.ns, t, idx, idx + 1).len() as u64;
            if n == 0 {
                continue;
            }
            let Some(super::App::Tcpdump(t)) = self.proc_mut(pid).map(|p| &mut p.app) else {
                continue;
            };
            t.seen += n;
            if t.count.is_some_and(|c| t.seen >= c) {
                t.end = Some(idx + 1);
                self.tcpdump_finish(pid);
            }
        }
    }

    /// Stops a capture: prints (or writes with `-w`) what it saw, then the statistics.
    pub(crate) fn tcpdump_finish(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let super::App::Tcpdump(t) = &p.app else {
            return;
        };
        let ns = p.ns;
        let end = t.end.unwrap_or(self.capture.packets.len());
        let mut sel = self.tcpdump_select(ns, t, t.start, end);
        if let Some(c) = t.count {
            sel.truncate(c as usize);
        }
        let any = matches!(t.iface, Iface::Any);
        let mut out = String::new();
        let mut fm = Formatter::with_opts(t.opts);
        let mut frames: Vec<(u64, Vec<u8>)> = Vec::new();
        // One device's link type (an IPIP tunnel's captures are raw IP), or cooked for `any`.
        let dev_lt = match &t.iface {
            Iface::Dev(d) => self.capture.ifaces[self.dev(*d).cap].linktype,
            Iface::Any => LINKTYPE_LINUX_SLL2,
        };
        for (i, pkttype, ifindex, name) in &sel {
            let (cap, ts, data) = &self.capture.packets[*i];
            let (lt, frame) = if any {
                let raw = self.capture.ifaces[*cap as usize].linktype == LINKTYPE_RAW;
                (LINKTYPE_LINUX_SLL2, sll2(data, raw, *pkttype, *ifindex))
            } else {
                (dev_lt, data.clone())
            };
            if t.wfile.is_some() {
                frames.push((*ts, frame));
                continue;
            }
            if any {
                let text = fm.print_line(*ts, lt, &frame, frame.len());
                // tcpdump names the interface and direction before the packet.
                let (time, rest) = text.split_once(' ').unwrap_or((&text, ""));
                let dir = match *pkttype {
                    PACKET_HOST => "In",
                    PACKET_BROADCAST => "B",
                    PACKET_MULTICAST => "M",
                    PACKET_OTHERHOST => "P",
                    _ => "Out",
                };
                out.push_str(&format!("{time} {name:<5} {dir:<3} {rest}"));
            } else {
                out.push_str(&fm.print_line(*ts, lt, &frame, frame.len()));
            }
        }
        let n = sel.len();
        let pl = |n: usize| if n == 1 { "" } else { "s" };
        let stats = format!(
            "{n} packet{} captured\n{n} packet{} received by filter\n0 packets dropped by kernel\n",
            pl(n),
            pl(n)
        );
        let wfile = t.wfile.clone().map(|f| (f, pcap_file(dev_lt, &frames)));
        self.capture.watchers.retain(|&x| x != pid);
        if let Some(p) = self.proc_mut(pid) {
            p.stdout.extend_from_slice(out.as_bytes());
            p.stderr.extend_from_slice(stats.as_bytes());
            p.exit = Some(0);
            if let Some((path, data)) = wfile {
                self.vfs_write(&path, &data);
            }
        }
    }
}

/// A `LINKTYPE_LINUX_SLL2` frame for a frame seen on a device: an Ethernet frame (its source
/// address and ethertype move to the header), or a raw IP packet of a tunnel (`ARPHRD_TUNNEL`,
/// no address, protocol IPv4).
fn sll2(frame: &[u8], raw: bool, pkttype: u8, ifindex: u32) -> Vec<u8> {
    const ARPHRD_TUNNEL: u16 = 768;
    let mut v = Vec::with_capacity(frame.len() + 20);
    let proto = if raw {
        [0x08, 0x00]
    } else if frame.len() >= 14 {
        [frame[12], frame[13]]
    } else {
        [0, 0]
    };
    v.extend_from_slice(&proto);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&ifindex.to_be_bytes());
    let hatype = if raw { ARPHRD_TUNNEL } else { 1 }; // ARPHRD_ETHER
    v.extend_from_slice(&hatype.to_be_bytes());
    v.push(pkttype);
    v.push(if raw { 0 } else { 6 });
    let mut addr = [0u8; 8];
    if !raw && frame.len() >= 12 {
        addr[..6].copy_from_slice(&frame[6..12]);
    }
    v.extend_from_slice(&addr);
    if raw {
        v.extend_from_slice(frame);
    } else {
        v.extend_from_slice(frame.get(14..).unwrap_or(&[]));
    }
    v
}

/// A classic pcap file (microseconds, snaplen 262144), as `tcpdump -w` writes.
pub fn pcap_file(linktype: u16, frames: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&4u16.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    v.extend_from_slice(&262_144u32.to_le_bytes());
    v.extend_from_slice(&u32::from(linktype).to_le_bytes());
    for (ts, f) in frames {
        v.extend_from_slice(&((ts / 1_000_000_000) as u32).to_le_bytes());
        v.extend_from_slice(&((ts % 1_000_000_000 / 1000) as u32).to_le_bytes());
        v.extend_from_slice(&(f.len() as u32).to_le_bytes());
        v.extend_from_slice(&(f.len() as u32).to_le_bytes());
        v.extend_from_slice(f);
    }
    v
}
