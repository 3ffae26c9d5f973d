//! `tcpdump` inside a lab: captures from the moment it starts on one device (`-i IF`) or on
//! every device of its namespace (`-i any`, Linux cooked v2 headers), and prints what it saw,
//! ordered by simulated time, when it stops (killed, `-c N` reached, or the lab ends). The
//! packet text is the formatter's (`crate::tcpdump`), byte-identical to tcpdump 4.99's; the
//! banner and statistics are tcpdump's own lines on stderr.

use crate::kernel::{DevId, DevKind, Kernel, NsId, Pid};
use crate::tcpdump::filter::{self, Filter};
use crate::tcpdump::{Formatter, Opts, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW};
use crate::tools::{ToolError, ToolOutput};
use userland::getopt::{Getopt, HasArg, LongOpt};

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
    /// `-t`: no timestamp before each line.
    pub tflag: bool,
    /// Index into `capture.packets` where this capture starts.
    pub start: usize,
    /// Packets matched so far (only tracked for `-c`).
    pub seen: u64,
    /// Index into `capture.packets` where it stopped (`-c`).
    pub end: Option<usize>,
    /// `-l`: stdout line-buffered (each packet's line written at once).
    pub lflag: bool,
    /// The printer, fed each packet as it is captured (its TCP conversation table lives on).
    pub fm: Formatter,
    /// stdio's buffer of stdout: a pipe or file is fully buffered, written in [`BUFSIZ`]
    /// blocks as it fills, the rest at exit (recorded: a lab's `tcpdump -n -i lo &` printing
    /// 120 lines had written exactly 8192 bytes when the next command echoed).
    pub out: Vec<u8>,
    /// `-w`: the room left on the lab's disk for the file when the capture started
    /// ([`crate::limits::Limits::max_files`]), the bytes the file has reached, and, once it
    /// is full, its contents (cut at the room left, as on a full disk) — the frames are no
    /// longer held for it.
    pub wspace: u64,
    pub wbytes: u64,
    pub wfull: Option<Vec<u8>>,
}

/// A classic pcap file's header and each record's header (`pcap_dump`).
const PCAP_HDR: u64 = 24;
const PCAP_REC_HDR: u64 = 16;

/// glibc's stdio buffer for a pipe or a regular file (`st_blksize`, 4096 on the recorder).
pub const BUFSIZ: usize = 4096;

/// Packet types of `struct sockaddr_ll` (`PACKET_HOST` ...), as the capture tap records them.
pub const PACKET_HOST: u8 = 0;
pub const PACKET_BROADCAST: u8 = 1;
pub const PACKET_MULTICAST: u8 = 2;
pub const PACKET_OTHERHOST: u8 = 3;
pub const PACKET_OUTGOING: u8 = 4;

fn usage_err(msg: String) -> ToolOutput {
    ToolOutput::err(msg, 1)
}

/// tcpdump 4.99's `SHORTOPTS` as Debian 12 builds it (with `B:`, `D`, `I`, `j:`, `J`, `Q:`, `U`).
const SHORTOPTS: &str = "aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";

// tcpdump's `OPTION_*` values for options without a short form.
const OPTION_TSTAMP_MICRO: char = '\u{e000}';
const OPTION_TSTAMP_NANO: char = '\u{e001}';
const OPTION_TSTAMP_PRECISION: char = '\u{e002}';
const OPTION_IMMEDIATE_MODE: char = '\u{e003}';
const OPTION_COUNT: char = '\u{e004}';
const OPTION_FP_TYPE: char = '\u{e005}';
const OPTION_PRINT: char = '\u{e006}';
const OPTION_VERSION: char = '\u{e007}';

/// tcpdump 4.99.3's `longopts` as Debian 12 builds it (no remote interfaces, no parser debug).
const LONGOPTS: [LongOpt; 25] = [
    LongOpt::new("buffer-size", HasArg::Required, 'B'),
    LongOpt::new("list-interfaces", HasArg::No, 'D'),
    LongOpt::new("help", HasArg::No, 'h'),
    LongOpt::new("interface", HasArg::Required, 'i'),
    LongOpt::new("monitor-mode", HasArg::No, 'I'),
    LongOpt::new("time-stamp-type", HasArg::Required, 'j'),
    LongOpt::new("list-time-stamp-types", HasArg::No, 'J'),
    LongOpt::new("micro", HasArg::No, OPTION_TSTAMP_MICRO),
    LongOpt::new("nano", HasArg::No, OPTION_TSTAMP_NANO),
    LongOpt::new(
        "time-stamp-precision",
        HasArg::Required,
        OPTION_TSTAMP_PRECISION,
    ),
    LongOpt::new("dont-verify-checksums", HasArg::No, 'K'),
    LongOpt::new("list-data-link-types", HasArg::No, 'L'),
    LongOpt::new("no-optimize", HasArg::No, 'O'),
    LongOpt::new("no-promiscuous-mode", HasArg::No, 'p'),
    LongOpt::new("direction", HasArg::Required, 'Q'),
    LongOpt::new("snapshot-length", HasArg::Required, 's'),
    LongOpt::new("absolute-tcp-sequence-numbers", HasArg::No, 'S'),
    LongOpt::new("packet-buffered", HasArg::No, 'U'),
    LongOpt::new("linktype", HasArg::Required, 'y'),
    LongOpt::new("immediate-mode", HasArg::No, OPTION_IMMEDIATE_MODE),
    LongOpt::new("relinquish-privileges", HasArg::Required, 'Z'),
    LongOpt::new("count", HasArg::No, OPTION_COUNT),
    LongOpt::new("fp-type", HasArg::No, OPTION_FP_TYPE),
    LongOpt::new("number", HasArg::No, '#'),
    LongOpt::new("print", HasArg::No, OPTION_PRINT),
];

/// `print_version()` of the recorder's tcpdump (Debian 12).
const VERSION: &str = "tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n";

/// tcpdump's `MAXIMUM_SNAPLEN`, the snapshot length the model captures with.
const MAXIMUM_SNAPLEN: i128 = 262144;

/// Parses tcpdump's command line (glibc `getopt_long`: clusters such as `-nei eth0`, options
/// after the expression, abbreviations such as `--interf`); `Ok` is the capture to start,
/// `Err` the output of a command that fails (or only prints) at once.
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
    let mut rfile: Option<String> = None;
    let mut tflag = false;
    let mut lflag = false;
    let mut longs = LONGOPTS.to_vec();
    longs.push(LongOpt::new("version", HasArg::No, OPTION_VERSION));
    let mut g = Getopt::new(args, SHORTOPTS, &longs);
    while let Some(r) = g.next() {
        let o = match r {
            Ok(o) => o,
            // `default: print_usage(stderr); exit_tcpdump(S_ERR_HOST_PROGRAM)`.
            Err(e) => {
                return Err(usage_err(format!(
                    "{}{VERSION}{USAGE}",
                    e.glibc_message("tcpdump")
                )))
            }
        };
        let arg = o.arg.as_deref().unwrap_or("");
        match o.opt {
            'n' => opts.nflag += 1,
            'e' => opts.eflag = true,
            'v' => opts.vflag += 1,
            'A' => opts.aflag = true,
            // Old no-op (-a); no promiscuous mode (-p), packet-buffered output (-U, for -w)
            // and immediate mode change nothing the model shows.
            'a' | 'p' | 'U' | OPTION_IMMEDIATE_MODE => {}
            'l' => lflag = true,
            'i' => iface_name = Some(arg.to_string()),
            'w' => wfile = Some(arg.to_string()),
            'r' => rfile = Some(arg.to_string()),
            't' if !tflag => tflag = true,
            't' => return Err(ToolError::not_modelled("tcpdump -tt").into()),
            'c' => {
                // atoi()
                let (v, _, _) = crate::tools::ping::strtol(arg, 10);
                let n = v as i64 as i32;
                if n <= 0 {
                    return Err(usage_err(format!("tcpdump: invalid packet count {arg}\n")));
                }
                count = Some(n as u64);
            }
            's' => {
                let (v, end, _) = crate::tools::ping::strtol(arg, 0);
                let n = v as i64 as i32 as i128;
                if end == 0 || end != arg.len() || !(0..=MAXIMUM_SNAPLEN).contains(&n) {
                    return Err(usage_err(format!(
                        "tcpdump: invalid snaplen {arg} (must be >= 0 and <= {MAXIMUM_SNAPLEN})\n"
                    )));
                }
                if n != 0 && n != MAXIMUM_SNAPLEN {
                    return Err(ToolError::not_modelled("tcpdump -s below 262144").into());
                }
            }
            'h' => {
                return Err(ToolOutput::ok(format!("{VERSION}{USAGE}")));
            }
            OPTION_VERSION => return Err(ToolOutput::ok(VERSION.to_string())),
            c => {
                let what = match (o.long, c) {
                    (Some(name), _) => format!("tcpdump --{name}"),
                    (None, c) => format!("tcpdump -{c}"),
                };
                return Err(ToolError::not_modelled(what).into());
            }
        }
    }
    let expr = g.into_operands();
    if let Some(path) = rfile {
        let filter =
            filter::parse(&expr.join(" ")).map_err(|e| usage_err(format!("tcpdump: {e}\n")))?;
        return Err(read_pcap(k, &path, &filter, opts, tflag, count));
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
        tflag,
        start: 0,
        seen: 0,
        end: None,
        lflag,
        fm: Formatter::with_opts(opts),
        out: Vec::new(),
        wspace: u64::MAX,
        wbytes: PCAP_HDR,
        wfull: None,
    })
}

/// `print_usage()` after the version lines (tcpdump 4.99.3 as Debian 12 builds it).
const USAGE: &str =
    "Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
";

impl Kernel {
    /// Starts a capture process: the banner goes to stderr at once.
    pub fn tcpdump_spawn(&mut self, ns: NsId, mut t: Tcpdump) -> Pid {
        self.capture.set_enabled(true);
        t.start = self.capture.len();
        let (name, lt) = match &t.iface {
            Iface::Any => ("any".to_string(), "LINUX_SLL2 (Linux cooked v2)"),
            Iface::Dev(d) => {
                let cap_lt = self.capture.ifaces[self.dev(*d).cap].linktype;
                let lt = if cap_lt == LINKTYPE_RAW {
                    "RAW (Raw IP)"
                } else if cap_lt == crate::tcpdump::LINKTYPE_LINUX_SLL {
                    "LINUX_SLL (Linux cooked v1)"
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
        let wfile = t.wfile.is_some();
        if wfile {
            // The lab's disk: what its other files leave of `max_files`.
            let used: u64 = self.vfs.values().map(|(d, _)| d.len() as u64).sum();
            t.wspace = self.limits.max_files.saturating_sub(used);
        }
        let pid = self.spawn(ns, super::App::Tcpdump(Box::new(t)));
        if let Some(p) = self.proc_mut(pid) {
            p.stderr.extend_from_slice(banner.as_bytes());
        }
        // Each packet is printed as it is captured (the tap tells every capture); with -w
        // the frames from here on are held until the file is written at the end.
        self.capture.watch(pid);
        if wfile {
            let start = self.capture.len();
            self.capture.hold_from(pid, start);
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
        for i in from.max(self.capture.base)..to.min(self.capture.len()) {
            let Some((cap, _, data)) = self.capture.get(i) else {
                continue;
            };
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
            let pkttype = self.capture.pkttype(i).unwrap_or(PACKET_HOST);
            v.push((i, pkttype, dev.ifindex, dev.name.clone()));
        }
        v
    }

    /// Called by the capture tap with the newest frame, which device `d` saw: each running
    /// capture that matches it prints its line into its stdout buffer (written out in
    /// [`BUFSIZ`] blocks, or at once with `-l`), and one with `-c` stops at its N-th packet.
    pub(crate) fn tcpdump_tap(&mut self, d: DevId) {
        let idx = self.capture.len() - 1;
        let mut w = 0;
        while let Some(&pid) = self.capture.watchers().get(w) {
            w += 1;
            let Some(dev) = self.devs.get(d).and_then(Option::as_ref) else {
                return;
            };
            let Some(p) = self.procs.get_mut(pid).and_then(Option::as_mut) else {
                continue;
            };
            let ns = p.ns;
            let super::App::Tcpdump(t) = &mut p.app else {
                continue;
            };
            if p.exit.is_some() {
                continue;
            }
            let ok = match &t.iface {
                Iface::Dev(x) => *x == d,
                Iface::Any => dev.ns == ns,
            };
            let Some((cap, ts, data)) = self.capture.get(idx) else {
                continue;
            };
            let cap_lt = self.capture.ifaces[*cap as usize].linktype;
            if !ok || !t.filter.matches_linktype(cap_lt, data) {
                continue;
            }
            t.seen += 1;
            let mut full = false;
            if t.wfile.is_some() && t.wfull.is_none() {
                let sll = if matches!(t.iface, Iface::Any) { 20 } else { 0 };
                t.wbytes += PCAP_REC_HDR + sll + data.len() as u64;
                full = t.wbytes > t.wspace;
            }
            if t.wfile.is_none() {
                let pkttype = self.capture.pkttype(idx).unwrap_or(PACKET_HOST);
                let any = matches!(t.iface, Iface::Any);
                let line = tcpdump_line(
                    &mut t.fm,
                    t.tflag,
                    any,
                    cap_lt,
                    *ts,
                    data,
                    pkttype,
                    dev.ifindex,
                    &dev.name,
                );
                t.out.extend_from_slice(line.as_bytes());
                let n = if t.lflag {
                    t.out.len()
                } else {
                    t.out.len() / BUFSIZ * BUFSIZ
                };
                if n > 0 {
                    let block: Vec<u8> = t.out.drain(..n).collect();
                    p.stdout.extend_from_slice(&block);
                    self.touched.mark(pid);
                }
            }
            let done = t.count.is_some_and(|c| t.seen >= c);
            if done {
                t.end = Some(idx + 1);
            }
            if full {
                self.tcpdump_file_full(pid, idx + 1);
            }
            if done {
                self.tcpdump_finish(pid);
                // (it left the watchers)
                w -= 1;
            }
        }
    }

    /// `tcpdump -w`'s file reached the room left on the lab's disk with frame `end - 1`: it
    /// holds what fits, cut mid-record as a full disk cuts it (recorded with a 64 KiB tmpfs:
    /// the file is exactly 65536 bytes, and tcpdump, which does not check `pcap_dump`'s
    /// writes, says nothing and exits 0 with all packets counted). Its contents are made now
    /// and the capture stops holding frames for it; the lab notes the full disk once.
    fn tcpdump_file_full(&mut self, pid: Pid, end: usize) {
        let Some(p) = self.proc(pid) else { return };
        let super::App::Tcpdump(t) = &p.app else {
            return;
        };
        let (mut data, _) = self.tcpdump_wfile_data(p.ns, t, end);
        data.truncate(t.wspace.min(usize::MAX as u64) as usize);
        self.capture.unhold(pid);
        self.limits.files_full = true;
        if let Some(p) = self.proc_mut(pid) {
            if let super::App::Tcpdump(t) = &mut p.app {
                t.wfull = Some(data);
            }
        }
    }

    /// The pcap file of capture `t`'s frames from its start to `end`, and how many it holds.
    fn tcpdump_wfile_data(&self, ns: NsId, t: &Tcpdump, end: usize) -> (Vec<u8>, usize) {
        let mut sel = self.tcpdump_select(ns, t, t.start, end);
        if let Some(c) = t.count {
            sel.truncate(c as usize);
        }
        let any = matches!(t.iface, Iface::Any);
        let dev_lt = match &t.iface {
            // (A device deleted while tcpdump ran has no capture interface left: Ethernet.)
            Iface::Dev(d) => match self.devs.get(*d).and_then(Option::as_ref) {
                Some(dev) => self.capture.ifaces[dev.cap].linktype,
                None => crate::tcpdump::LINKTYPE_ETHERNET,
            },
            Iface::Any => LINKTYPE_LINUX_SLL2,
        };
        let mut frames: Vec<(u64, Vec<u8>)> = Vec::new();
        for (i, pkttype, ifindex, _) in &sel {
            let Some((cap, ts, data)) = self.capture.get(*i) else {
                continue;
            };
            let frame = if any {
                let lt = self.capture.ifaces[*cap as usize].linktype;
                sll2(data, lt, *pkttype, *ifindex)
            } else {
                data.clone()
            };
            frames.push((*ts, frame));
        }
        (pcap_file(dev_lt, &frames), sel.len())
    }

    /// Stops a capture: prints (or writes with `-w`) what it saw, then the statistics.
    pub(crate) fn tcpdump_finish(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let super::App::Tcpdump(t) = &p.app else {
            return;
        };
        let ns = p.ns;
        let end = t.end.unwrap_or(self.capture.len());
        // Printed captures have their lines already; -w ones write what they held, or what
        // fitted on the disk (every matching packet still counts as captured).
        let (wdata, n) = match (&t.wfile, &t.wfull) {
            (Some(_), Some(d)) => (
                Some(d.clone()),
                t.count.map_or(t.seen, |c| t.seen.min(c)) as usize,
            ),
            (Some(_), None) => {
                let (d, n) = self.tcpdump_wfile_data(ns, t, end);
                (Some(d), n)
            }
            _ => (None, t.seen as usize),
        };
        let out = t.out.clone();
        let pl = |n: usize| if n == 1 { "" } else { "s" };
        let stats = format!(
            "{n} packet{} captured\n{n} packet{} received by filter\n0 packets dropped by kernel\n",
            pl(n),
            pl(n)
        );
        let wfile = t.wfile.clone().zip(wdata);
        self.capture.forget(pid);
        if let Some(p) = self.proc_mut(pid) {
            p.stdout.extend_from_slice(&out);
            p.stderr.extend_from_slice(stats.as_bytes());
            if let super::App::Tcpdump(t) = &mut p.app {
                t.out.clear();
            }
            p.exit = Some(0);
            if let Some((path, data)) = wfile {
                self.vfs_write(&path, &data);
            }
        }
    }
}

/// One packet's line as tcpdump prints it: a frame seen on a device whose capture link type
/// is `cap_lt`; with `-i any` (`any`) as a cooked frame, the interface's name and the
/// direction before the packet.
#[allow(clippy::too_many_arguments)]
fn tcpdump_line(
    fm: &mut Formatter,
    tflag: bool,
    any: bool,
    cap_lt: u16,
    ts: u64,
    data: &[u8],
    pkttype: u8,
    ifindex: u32,
    name: &str,
) -> String {
    if any {
        let frame = sll2(data, cap_lt, pkttype, ifindex);
        let text = fm.print_line(ts, LINKTYPE_LINUX_SLL2, &frame, frame.len());
        // tcpdump names the interface and direction before the packet.
        let (time, rest) = text.split_once(' ').unwrap_or((&text, ""));
        let dir = match pkttype {
            PACKET_HOST => "In",
            PACKET_BROADCAST => "B",
            PACKET_MULTICAST => "M",
            PACKET_OTHERHOST => "P",
            _ => "Out",
        };
        if tflag {
            format!("{name:<5} {dir:<3} {rest}")
        } else {
            format!("{time} {name:<5} {dir:<3} {rest}")
        }
    } else {
        let text = fm.print_line(ts, cap_lt, data, data.len());
        if tflag {
            text.split_once(' ')
                .map_or(text.as_str(), |x| x.1)
                .to_string()
        } else {
            text
        }
    }
}

/// A `LINKTYPE_LINUX_SLL2` frame for a frame seen on a device whose capture has link type
/// `lt`: an Ethernet frame (its source address and ethertype move to the header), or a raw IP
/// packet of a tunnel (an ipip device's `ARPHRD_TUNNEL`, a gre device's cooked capture:
/// `ARPHRD_IPGRE`; no address, protocol IPv4).
fn sll2(frame: &[u8], lt: u16, pkttype: u8, ifindex: u32) -> Vec<u8> {
    const ARPHRD_TUNNEL: u16 = 768;
    let gre = lt == crate::tcpdump::LINKTYPE_LINUX_SLL;
    let raw = lt == LINKTYPE_RAW || gre;
    let frame = if gre {
        frame.get(16..).unwrap_or(&[])
    } else {
        frame
    };
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
    let hatype = if gre {
        crate::net::ip_gre::ARPHRD_IPGRE
    } else if raw {
        ARPHRD_TUNNEL
    } else {
        1 // ARPHRD_ETHER
    };
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

/// The link type's name as `pcap_datalink_val_to_name` and `_description` give it.
fn linktype_text(lt: u16) -> String {
    match lt {
        crate::tcpdump::LINKTYPE_ETHERNET => "EN10MB (Ethernet)".into(),
        LINKTYPE_RAW => "RAW (Raw IP)".into(),
        LINKTYPE_LINUX_SLL2 => "LINUX_SLL2 (Linux cooked v2)".into(),
        crate::tcpdump::LINKTYPE_LINUX_SLL => "LINUX_SLL (Linux cooked v1)".into(),
        n => format!("DLT_{n}"),
    }
}

/// `tcpdump -r FILE`: a classic pcap file of the lab's (as `tcpdump -w` wrote it: either byte
/// order, microsecond or nanosecond stamps), its packets that match the filter printed as a
/// live capture prints them; the banner on stderr. Texts recorded with tcpdump 4.99.3.
fn read_pcap(
    k: &Kernel,
    path: &str,
    filter: &Filter,
    opts: Opts,
    tflag: bool,
    count: Option<u64>,
) -> ToolOutput {
    let Some(data) = k.vfs_read(path) else {
        return usage_err(format!("tcpdump: {path}: No such file or directory\n"));
    };
    let unknown = || usage_err("tcpdump: unknown file format\n".to_string());
    if data.len() < 24 {
        return unknown();
    }
    let magic = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
    let (le, nano) = match magic {
        0xa1b2_c3d4 => (true, false),
        0xa1b2_3c4d => (true, true),
        0xd4c3_b2a1 => (false, false),
        0x4d3c_b2a1 => (false, true),
        _ => return unknown(),
    };
    let rd = |b: &[u8]| {
        let a = [b[0], b[1], b[2], b[3]];
        if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    };
    let snaplen = rd(&data[16..20]);
    let lt = (rd(&data[20..24]) & 0xffff) as u16;
    let mut err = format!(
        "reading from file {path}, link-type {}, snapshot length {snaplen}\n",
        linktype_text(lt)
    );
    let mut out = String::new();
    let mut fm = Formatter::with_opts(opts);
    let mut off = 24;
    let mut shown = 0u64;
    while off + 16 <= data.len() {
        let (sec, frac, caplen, len) = (
            rd(&data[off..]),
            rd(&data[off + 4..]),
            rd(&data[off + 8..]) as usize,
            rd(&data[off + 12..]) as usize,
        );
        off += 16;
        let Some(frame) = data.get(off..off + caplen) else {
            err.push_str("tcpdump: truncated dump file; tried to read more bytes than there are\n");
            return ToolOutput {
                stdout: out,
                stderr: err,
                status: 1,
                not_modelled: None,
            };
        };
        off += caplen;
        if !filter.matches_linktype(lt, frame) {
            continue;
        }
        let ts = u64::from(sec) * 1_000_000_000 + u64::from(frac) * if nano { 1 } else { 1000 };
        let text = fm.print_line(ts, lt, frame, len);
        if tflag {
            out.push_str(text.split_once(' ').map_or(text.as_str(), |x| x.1));
        } else {
            out.push_str(&text);
        }
        shown += 1;
        if count.is_some_and(|c| shown >= c) {
            break;
        }
    }
    ToolOutput {
        stdout: out,
        stderr: err,
        status: 0,
        not_modelled: None,
    }
}
