//! `ping` as iputils 2024 behaves with a raw ICMP socket (`net.ipv4.ping_group_range = 1 0`):
//! its output lines, its timing (`-i`, `-c`, `-W`), its statistics and exit codes.

use super::App;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::ip_output::{headroom_buf, skb_with_headroom, IP_HEADROOM};
use crate::net::route::{OutRoute, RouteErr};
use crate::wire::*;
use sim_core::{Duration, Instant};
use std::net::Ipv4Addr;

#[derive(Clone, Debug)]
pub struct PingOpts {
    pub dst: Ipv4Addr,
    /// The destination as typed (`127.1` is printed as typed, then as its address).
    pub host: Option<String>,
    pub count: Option<u32>,
    pub interval: Duration,
    pub size: usize,
    /// `-M do` (always DF), `-M dont` (never), `-M want` (DF when it fits). None (iputils'
    /// -1): "want", but "do" for a multicast destination (ping4_run).
    pub pmtudisc: Option<PmtuDisc>,
    pub timeout: Option<Duration>,
    pub deadline: Option<Duration>,
    pub ttl: u8,
    /// `IP_MULTICAST_TTL`: the socket's `mc_ttl` (1, inet_create), which `-t` sets too; the
    /// TTL of packets to a multicast destination.
    pub mc_ttl: u8,
    pub quiet: bool,
    pub tos: u8,
    /// `-D`: each reply or error line starts with `[secs.usecs] ` (gettimeofday).
    pub timestamps: bool,
    /// `-O`: "no answer yet for icmp_seq=N" when a probe is sent before the last one's reply.
    pub outstanding: bool,
    /// `-I DEV`: the socket is bound to the device (`SO_BINDTODEVICE`).
    pub device: Option<String>,
    /// `-I ADDR`: the socket is bound to the source address.
    pub source: Option<Ipv4Addr>,
    /// `-b`: `SO_BROADCAST`, pinging a broadcast address is allowed.
    pub broadcast: bool,
    /// The sockets are bound to this VRF device by `ip vrf exec`'s cgroup (its ifindex);
    /// unlike `-I` it changes no output.
    pub vrf: Option<u32>,
    /// `-f`: flood output (`.` per echo sent, backspace per reply, `E` per error, no lines);
    /// without `-i` the interval is 0 (the next echo when the last is answered, else 10 ms).
    pub flood: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PmtuDisc {
    Want,
    Do,
    Dont,
}

#[derive(Debug)]
pub struct Ping {
    pub opts: PingOpts,
    pub ident: u16,
    pub ntransmitted: u32,
    pub nreceived: u32,
    pub nerrors: u32,
    /// iputils' `nrepeats`: replies to a sequence already answered (`(DUP!)`).
    pub nrepeats: u32,
    pub start: Instant,
    pub last_send: Instant,
    /// Round trips so far (iputils keeps sums, not samples: `tsum`, `tsum2`, `tmin`, `tmax`).
    pub rtts_us: RttStats,
    /// Send time and "answered" per sequence slot: iputils' `rcvd_tbl` holds `MAX_DUP_CHK`
    /// (65 536) slots indexed by the 16-bit sequence, so a long run holds no more.
    pub sent_at: Vec<Instant>,
    pub received: Vec<bool>,
    pub finishing: bool,
    /// The source address the header names (`-I`).
    pub from: Option<Ipv4Addr>,
    /// iputils' `pipesize`: the most echoes outstanding when one was answered (by a reply or
    /// an ICMP error), -1 before any; printed as `pipe N` when above 1.
    pub pipesize: i32,
    /// iputils' `oom_count`: sends refused with ENOBUFS in a row.
    pub oom_count: u32,
    /// iputils' `acked`: the highest sequence answered (`in_flight()` is
    /// `ntransmitted - acked`).
    pub acked: u16,
    /// iputils' `rtt`: the moving average of round trips in 1/8 µs (`rtt += t - rtt/8`),
    /// printed as the `ewma` of `-f`; 0 before any reply.
    pub rtt_ewma: i64,
    /// The ones'-complement sum (`csum_partial`) of an echo's bytes after its header and
    /// timeval (the fill pattern, the same in every echo: `-s` does not change), summed at
    /// the first echo; an echo's checksum then sums only its first 8 or 24 bytes.
    pattern_csum: Option<u32>,
    /// The destination in dotted decimal, the `from` of every reply line (a reply counts only
    /// when its source is the destination, `parse_reply`'s check): formatted once, kept in
    /// the state itself (no heap object per ping).
    dst_text: [u8; 15],
    dst_text_len: u8,
}

/// What a ping does once one of its echoes is answered ([`Ping::after_answer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AfterAnswer {
    /// Nothing until its timer.
    Wait,
    /// The last echo is answered while finishing: the statistics and exit.
    Finish,
    /// An unlimited flood with nothing in flight: the next echo now.
    FloodNext,
}

/// iputils' `MININTERVAL` (ms): a flood with an echo unanswered sends again after this.
const MININTERVAL: Duration = Duration::from_millis(10);

/// `MAX_DUP_CHK` (iputils): sequence slots remembered.
const MAX_DUP_CHK: usize = 0x10000;

/// Sequence slots made at the start for a ping with `-c` (at most `MAX_DUP_CHK`): its
/// `sent_at` and `received` are not grown by doubling while it runs.
const PING_SLOTS_RESERVED: usize = 1024;

/// Reply lines the output makes room for when it grows (a kept output, not taken after each
/// event): the echoes still to come, up to this many; and room for the statistics.
const PING_LINES_RESERVED: usize = 256;
const PING_STATS_RESERVED: usize = 320;

/// Running round-trip statistics (summed in arrival order, as the samples were).
#[derive(Debug, Default, Clone)]
pub struct RttStats {
    n: u64,
    min: Option<u64>,
    max: u64,
    sum: u64,
    sum2: f64,
}

impl RttStats {
    pub fn push(&mut self, us: u64) {
        self.n += 1;
        self.min = Some(self.min.map_or(us, |m| m.min(us)));
        self.max = self.max.max(us);
        self.sum += us;
        self.sum2 += (us as f64) * (us as f64);
    }
    pub fn len(&self) -> usize {
        self.n as usize
    }
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// The slot of sequence number `seq` (1-based while it has not wrapped).
fn seq_slot(seq: usize) -> usize {
    (seq + MAX_DUP_CHK - 1) % MAX_DUP_CHK
}

impl Ping {
    /// iputils' `print_timestamp`: `[secs.usecs] ` with `-D`, else nothing.
    fn push_timestamp(&self, out: &mut Vec<u8>, now: Instant) {
        if !self.opts.timestamps {
            return;
        }
        let us = now.as_nanos() / 1000;
        out.push(b'[');
        push_u64(out, us / 1_000_000);
        out.push(b'.');
        push_u64_width(out, us % 1_000_000, 6);
        out.extend_from_slice(b"] ");
    }

    /// [`Ping::push_timestamp`] as a string (the error lines, which are rare).
    fn timestamp(&self, now: Instant) -> String {
        let mut v = Vec::new();
        self.push_timestamp(&mut v, now);
        String::from_utf8(v).unwrap_or_default()
    }
}

impl Ping {
    /// iputils' `acknowledge(seq)`: how many echoes were in flight when `seq` was answered.
    fn acknowledge(&mut self, seq: u16) {
        let diff = (self.ntransmitted as u16).wrapping_sub(seq);
        if diff <= 0x7fff {
            self.pipesize = self.pipesize.max(i32::from(diff) + 1);
            let tx = self.ntransmitted as u16;
            if (seq.wrapping_sub(self.acked) as i16) > 0 || tx.wrapping_sub(self.acked) > 0x7fff {
                self.acked = seq;
            }
        }
    }

    /// iputils' `in_flight()`: echoes sent after the highest one answered.
    fn in_flight(&self) -> u16 {
        let diff = (self.ntransmitted as u16).wrapping_sub(self.acked);
        if diff <= 0x7fff {
            diff
        } else {
            0
        }
    }

    /// What follows a send ([`Kernel::ping_schedule`]): the time to the next timer, or None
    /// for the statistics now (`-c` reached and every echo answered).
    fn next_timer(&mut self) -> Option<Duration> {
        let done_sending = self.opts.count.is_some_and(|c| self.ntransmitted >= c);
        if !done_sending {
            // pinger() with interval 0: with an echo in flight, the next after MININTERVAL
            // (sooner when the reply comes: ping_flood_next); a hard error waits
            // SCHINT(0), MININTERVAL too.
            return Some(if self.unlimited_flood() {
                MININTERVAL
            } else {
                self.opts.interval
            });
        }
        if self.nreceived + self.nerrors >= self.ntransmitted {
            return None;
        }
        self.finishing = true;
        // schedule_exit: with replies in, twice the longest round trip so far (at least the
        // interval); with none, the linger time (-W, default 10 s).
        Some(if self.nreceived > 0 && self.opts.deadline.is_none() {
            let iv_us = self.opts.interval.0 / 1000;
            Duration::from_micros((2 * self.rtts_us.max).max(iv_us))
        } else {
            self.opts.timeout.unwrap_or(Duration::from_secs(10))
        })
    }

    /// What follows an answer (a reply or an error) to one of the echoes.
    fn after_answer(&self) -> AfterAnswer {
        if self.finishing && self.nreceived + self.nerrors >= self.ntransmitted {
            AfterAnswer::Finish
        } else if self.unlimited_flood() && !self.finishing && self.in_flight() == 0 {
            AfterAnswer::FloodNext
        } else {
            AfterAnswer::Wait
        }
    }

    /// Unlimited flood: `-f` without `-i` (interval 0).
    fn unlimited_flood(&self) -> bool {
        self.opts.flood && self.opts.interval.0 == 0
    }
}

impl PingOpts {
    pub fn new(dst: Ipv4Addr) -> PingOpts {
        PingOpts {
            dst,
            host: None,
            count: None,
            interval: Duration::from_secs(1),
            size: 56,
            pmtudisc: None,
            timeout: None,
            deadline: None,
            ttl: 64,
            mc_ttl: 1,
            quiet: false,
            tos: 0,
            timestamps: false,
            outstanding: false,
            device: None,
            source: None,
            broadcast: false,
            vrf: None,
            flood: false,
        }
    }
}

impl Kernel {
    pub fn ping_spawn(&mut self, ns: NsId, opts: PingOpts) -> Pid {
        let ident = (self.rng.next_u32() & 0xffff) as u16;
        let now = self.now;
        let mut dst = LineBuf::<15>::new();
        dst.put_ipv4(opts.dst);
        let dst_text_len = dst.n as u8;
        // A slot per echo `-c` will send, made once (up to PING_SLOTS_RESERVED: a longer or
        // unlimited run grows as it goes), not grown by doubling while it runs.
        let slots = opts
            .count
            .map_or(0, |c| (c as usize).min(PING_SLOTS_RESERVED));
        self.spawn(
            ns,
            App::Ping(Ping {
                opts,
                ident,
                ntransmitted: 0,
                nreceived: 0,
                nerrors: 0,
                nrepeats: 0,
                start: now,
                last_send: now,
                rtts_us: RttStats::default(),
                sent_at: Vec::with_capacity(slots),
                received: Vec::with_capacity(slots),
                finishing: false,
                from: None,
                pipesize: -1,
                oom_count: 0,
                acked: 0,
                rtt_ewma: 0,
                pattern_csum: None,
                dst_text: dst.b,
                dst_text_len,
            }),
        )
    }

    fn ping_state(&mut self, pid: Pid) -> &mut Ping {
        match &mut self.proc_mut(pid).expect("live ping").app {
            App::Ping(p) => p,
            _ => unreachable!("ping_state on a process that is not ping"),
        }
    }

    fn ping_ref(&self, pid: Pid) -> &Ping {
        match &self.proc(pid).expect("live ping").app {
            App::Ping(p) => p,
            _ => unreachable!("ping_ref on a process that is not ping"),
        }
    }

    /// The ping's state and its stdout, so a line is formatted straight into the output
    /// (no `String` per line).
    fn ping_out(&mut self, pid: Pid) -> (&mut Ping, &mut Vec<u8>) {
        let (_, st, out) = self.ping_io(pid);
        (st, out)
    }

    /// [`Kernel::ping_out`] and the ping's namespace: everything an echo's send or a reply
    /// needs from the process, in one look-up of it. (Always inline: three calls an echo,
    /// each returning the tuple through memory, were ~120 instructions an echo.)
    #[inline(always)]
    fn ping_io(&mut self, pid: Pid) -> (NsId, &mut Ping, &mut Vec<u8>) {
        let p = self.proc_mut(pid).expect("live ping");
        if p.stdout.capacity() == 0 {
            // A line (or the statistics) in one allocation: the shell takes a background
            // job's output after each event, so each line may start on an empty buffer.
            p.stdout.reserve(256);
        }
        match &mut p.app {
            App::Ping(st) => (p.ns, st, &mut p.stdout),
            _ => unreachable!("ping_io on a process that is not ping"),
        }
    }

    fn out(&mut self, pid: Pid, s: &str) {
        if let Some(p) = self.proc_mut(pid) {
            p.stdout.extend_from_slice(s.as_bytes());
        }
    }

    fn exit(&mut self, pid: Pid, code: i32) {
        if let Some(p) = self.proc_mut(pid) {
            p.exit = Some(code);
            p.token += 1;
        }
    }

    pub(crate) fn ping_start(&mut self, pid: Pid) {
        let ns = self.proc(pid).expect("live").ns;
        let st = self.ping_ref(pid);
        let (dst, source, vrf, broadcast) =
            (st.opts.dst, st.opts.source, st.opts.vrf, st.opts.broadcast);
        // Only `-I DEV` has a name to keep (no copy of the options for a plain ping).
        let device = st.opts.device.clone();
        // iputils' ping4_run: `-I DEV` binds the probe and the ICMP socket to the device,
        // `-I ADDR` binds them to the address (texts recorded with iputils 20221126).
        let oif = match &device {
            Some(name) => match self.dev_by_name(ns, name) {
                Some(d) => Some(d),
                None => {
                    let msg = format!("ping: SO_BINDTODEVICE {name}: No such device\n");
                    if let Some(p) = self.proc_mut(pid) {
                        p.write_err(msg.as_bytes());
                    }
                    self.exit(pid, 2);
                    return;
                }
            },
            // ip vrf exec: the cgroup's BPF program bound the sockets to the VRF.
            None => vrf.and_then(|i| self.dev_by_ifindex(ns, i)),
        };
        if let Some(src) = source {
            if !self.inet_addr_is_local(ns, src) {
                if let Some(p) = self.proc_mut(pid) {
                    p.write_err(b"ping: bind: Cannot assign requested address\n");
                }
                self.exit(pid, 2);
                return;
            }
        }
        let bound_src = source.unwrap_or(Ipv4Addr::UNSPECIFIED);
        // ping connect()s a probe UDP socket first: no route means it fails before sending.
        let connect = self.ip_route_output(ns, dst, bound_src, oif);
        match &connect {
            Ok(rt) => {
                if rt.rtype == crate::net::fib::RtnType::Broadcast {
                    // connect() of a socket without SO_BROADCAST to a broadcast address: EACCES.
                    let msg: &[u8] = if broadcast {
                        b"WARNING: pinging broadcast address\n"
                    } else {
                        b"ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n"
                    };
                    if let Some(p) = self.proc_mut(pid) {
                        p.write_err(msg);
                    }
                    if !broadcast {
                        self.exit(pid, 2);
                        return;
                    }
                }
                if let Some(dev) = &device {
                    // The selected source is checked against the device's addresses.
                    if !self
                        .rtnl_addr_dump(ns, oif.map(|d| self.dev(d).ifindex))
                        .iter()
                        .any(|a| a.local == rt.src)
                    {
                        let msg = format!(
                            "ping: Warning: source address might be selected on device other than: {dev}\n"
                        );
                        if let Some(p) = self.proc_mut(pid) {
                            p.write_err(msg.as_bytes());
                        }
                    }
                }
                if device.is_some() || source.is_some() {
                    self.ping_state(pid).from = Some(rt.src);
                }
            }
            Err(e) => {
                // iputils' ping4_run: EACCES is taken for a broadcast destination.
                let msg = match *e {
                    RouteErr::Acces => "ping: Do you want to ping broadcast? Then -b. If not, \
                                        check your local firewall rules\n"
                        .to_string(),
                    e => format!("ping: connect: {}\n", e.errno().strerror()),
                };
                if let Some(p) = self.proc_mut(pid) {
                    p.write_err(msg.as_bytes());
                }
                self.exit(pid, 2);
                return;
            }
        }
        // `PING HOST (DST) 56(84) bytes of data.`; with `-I`: `from SRC DEV: ` before the
        // sizes (DEV empty for an address).
        let now = self.now;
        // (The header, a reply line and the statistics of a short ping fit the buffer
        // `ping_out` makes.)
        let (st, out) = self.ping_out(pid);
        out.extend_from_slice(b"PING ");
        match &st.opts.host {
            Some(h) => out.extend_from_slice(h.as_bytes()),
            None => push_ipv4(out, dst),
        }
        out.extend_from_slice(b" (");
        push_ipv4(out, dst);
        out.extend_from_slice(b") ");
        if let Some(src) = st.from {
            out.extend_from_slice(b"from ");
            push_ipv4(out, src);
            out.push(b' ');
            out.extend_from_slice(device.as_deref().unwrap_or_default().as_bytes());
            out.extend_from_slice(b": ");
        }
        push_u64(out, st.opts.size as u64);
        out.push(b'(');
        push_u64(out, st.opts.size as u64 + 28);
        out.extend_from_slice(b") bytes of data.\n");
        st.start = now;
        // The first echo's route is the connect()'s: the same lookup at the same instant.
        self.ping_send_routed(pid, Some(connect));
    }

    fn ping_send(&mut self, pid: Pid) {
        self.ping_send_routed(pid, None);
    }

    /// Sends the next echo; `connect` is the route `ping_start` just looked up for the same
    /// flow (the first echo), else the route is looked up here.
    fn ping_send_routed(&mut self, pid: Pid, connect: Option<Result<OutRoute, RouteErr>>) {
        let now = self.now;
        // The echo's buffer: the last packet buffer consumed, if any (see `headroom_buf`).
        let cached = self.skb_small_head_cache.pop();
        let (ns, st, out) = self.ping_io(pid);
        if st.opts.outstanding
            && st.ntransmitted > 0
            && !st.received[seq_slot(st.ntransmitted as usize)]
        {
            st.push_timestamp(out, now);
            out.extend_from_slice(b"no answer yet for icmp_seq=");
            push_u64(out, u64::from(st.ntransmitted));
            out.push(b'\n');
        }
        st.ntransmitted += 1;
        let seq = st.ntransmitted as u16;
        st.last_send = now;
        if st.sent_at.len() < MAX_DUP_CHK {
            st.sent_at.push(now);
            st.received.push(false);
        } else {
            let i = seq_slot(st.ntransmitted as usize);
            st.sent_at[i] = now;
            st.received[i] = false;
        }
        let o = &st.opts;
        let (size, dst, source, vrf) = (o.size, o.dst, o.source, o.vrf);
        let (pmtudisc, quiet, flood) = (o.pmtudisc, o.quiet, o.flood);
        let (tos, ttl, mc_ttl) = (o.tos, o.ttl, o.mc_ttl);
        let ident = st.ident;
        let bound_dev = o.device.is_some();
        // The echo (IcmpRepr::emit's bytes, built in place): type, code, checksum, id, seq,
        // then the data: the send time as a timeval when it fits, the rest bytes 16, 17, ...
        // (iputils' fill pattern: data byte i is i mod 256), zeros with `-s` under 16. The
        // bytes past the header and timeval are the same in every echo: their sum is kept,
        // so the checksum sums only the first 8 (24 with a timeval) bytes per echo (an even
        // count: the pattern's 16-bit words are the message's). In a buffer with headroom
        // for the IP and Ethernet headers (ip_append_data's reserve), so the echo is not
        // copied again on its way out.
        let mut buf = headroom_buf(cached, 8 + size);
        echo_template(&mut buf, size);
        let payload = &mut buf[IP_HEADROOM..];
        let pattern = *st
            .pattern_csum
            .get_or_insert_with(|| csum_partial(&payload[echo_head(size)..], 0));
        echo_fill(payload, pattern, ident, seq, now);
        let payload_len = payload.len();
        let bound_src = source.unwrap_or(Ipv4Addr::UNSPECIFIED);
        let rt = match connect {
            Some(rt) => rt,
            None => {
                let oif = if bound_dev {
                    let name = self
                        .ping_ref(pid)
                        .opts
                        .device
                        .as_deref()
                        .unwrap_or_default();
                    self.dev_by_name(ns, name)
                } else {
                    vrf.and_then(|i| self.dev_by_ifindex(ns, i))
                };
                self.ip_route_output(ns, dst, bound_src, oif)
            }
        };
        let mtu = rt
            .as_ref()
            .map(|r| self.ip_path_mtu(ns, r.dev, dst) as usize)
            .unwrap_or(1500);
        // ping4_run: a multicast destination without -M is "do".
        let pmtudisc = pmtudisc.unwrap_or(if dst.is_multicast() {
            PmtuDisc::Do
        } else {
            PmtuDisc::Want
        });
        let df = match pmtudisc {
            PmtuDisc::Do => true,
            PmtuDisc::Dont => false,
            PmtuDisc::Want => payload_len + 20 <= mtu,
        };
        let next = if df && payload_len + 20 > mtu {
            let msg = format!("ping: local error: message too long, mtu={}\n", mtu);
            // Not printed with -q (iputils' receive_error_msg); `E` with -f.
            let (_, st, out) = self.ping_io(pid);
            if quiet {
            } else if flood {
                out.push(b'E');
            } else {
                out.extend_from_slice(msg.as_bytes());
            }
            st.nerrors += 1;
            st.next_timer()
        } else {
            let id = self.next_ip_id(ns);
            let ip = Ipv4Repr {
                tos,
                total_len: 0,
                id,
                frag: if df { IP_DF } else { 0 },
                // __ip_make_skb: a multicast destination gets the socket's mc_ttl.
                ttl: if dst.is_multicast() { mc_ttl } else { ttl },
                proto: IPPROTO_ICMP,
                src: bound_src,
                dst,
                options: vec![],
            };
            // `-Q` is setsockopt(IP_TOS): the socket's sk_priority becomes
            // rt_tos2priority(tos) (__ip_sock_set_tos), which __ip_make_skb gives the skb.
            let mut skb = skb_with_headroom(buf);
            skb.priority = crate::net::route::rt_tos2priority(tos);
            // Sent on the route looked up above (raw_sendmsg's one lookup).
            let sent = self.ip_send_route(ns, ip, skb, rt);
            let (_, st, out) = self.ping_io(pid);
            if sent == Err(RouteErr::NoBufs) {
                // pinger(): the device queue overflowed. The echo is not counted; the next
                // try comes after the interval (the token bucket is emptied), until
                // oom_count * interval/2 (at most 500 ms) reaches the linger time: then it
                // is a hard local error like the others.
                st.oom_count += 1;
                let interval_ms = st.opts.interval.0 / 1_000_000;
                let nores_ms = (interval_ms / 2).clamp(10, 500);
                let linger_ms = st.opts.timeout.map_or(10_000, |t| t.0 / 1_000_000);
                if u64::from(st.oom_count) * nores_ms < linger_ms {
                    st.ntransmitted -= 1;
                    st.sent_at.pop();
                    st.received.pop();
                    // The next try after SCHINT(interval/2) finds the bucket short of a
                    // token until the interval has passed: max(interval, MININTERVAL).
                    let iv = Duration(st.opts.interval.0.max(MININTERVAL.0));
                    self.proc_arm(pid, iv);
                    return;
                }
            } else if sent.is_ok() {
                st.oom_count = 0;
                // pinger(): a `.` per echo sent with -f (not with -q).
                if flood && !quiet {
                    out.push(b'.');
                }
            }
            // Hard local error: counted as sent, perror() unless -q (`E` with -f).
            if let (Err(_), false, true) = (sent, quiet, flood) {
                out.push(b'E');
            }
            let next = st.next_timer();
            if let (Err(e), false, false) = (sent, quiet, flood) {
                let msg = format!("ping: sendmsg: {}\n", e.errno().strerror());
                if let Some(p) = self.proc_mut(pid) {
                    p.write_err(msg.as_bytes());
                }
            }
            next
        };
        self.ping_schedule(pid, next);
    }

    /// After a send: the next probe after `-i`, or — when `-c` is reached — wait for the
    /// outstanding replies up to the linger time (`-W`, default 10 s), or the statistics at
    /// once when nothing is outstanding.
    fn ping_schedule(&mut self, pid: Pid, next: Option<Duration>) {
        match next {
            Some(after) => self.proc_arm(pid, after),
            None => self.ping_finish(pid),
        }
    }

    pub(crate) fn ping_timer(&mut self, pid: Pid) {
        let now = self.now;
        let st = self.ping_ref(pid);
        if let Some(dl) = st.opts.deadline {
            if now.0 >= st.start.0 + dl.0 {
                self.ping_finish(pid);
                return;
            }
        }
        if st.finishing {
            self.ping_finish(pid);
        } else {
            self.ping_send(pid);
        }
    }

    /// After a reply or an error was taken: the statistics once the last echo is answered
    /// while finishing (main_loop's exit), else [`Kernel::ping_flood_next`].
    fn ping_answered(&mut self, pid: Pid) {
        let next = self.ping_ref(pid).after_answer();
        self.ping_after_answer(pid, next);
    }

    fn ping_after_answer(&mut self, pid: Pid, next: AfterAnswer) {
        match next {
            AfterAnswer::Wait => {}
            AfterAnswer::Finish => self.ping_finish(pid),
            AfterAnswer::FloodNext => self.ping_flood_next(pid),
        }
    }

    /// main_loop(): in an unlimited flood, once nothing is in flight (a reply or an error
    /// answered the last echo) pinger() sends the next one at once.
    fn ping_flood_next(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        if p.exit.is_some() {
            return;
        }
        let now = self.now;
        let st = self.ping_state(pid);
        if st.unlimited_flood() && !st.finishing && st.in_flight() == 0 {
            // -w: the SIGALRM of the deadline ends the loop (the interval timer that
            // ping_timer checks it on is re-armed by every send here).
            if st
                .opts
                .deadline
                .is_some_and(|dl| now.0 >= st.start.0 + dl.0)
            {
                self.ping_finish(pid);
                return;
            }
            self.ping_send(pid);
        }
    }

    /// An echo reply on the ping's socket (`parse_reply` for ICMP_ECHOREPLY): from `src` with
    /// `ttl`, identifier `id`, sequence `seq`, `data_len` bytes after the ICMP header.
    pub(crate) fn ping_echo_reply(
        &mut self,
        pid: Pid,
        src: Ipv4Addr,
        ttl: u8,
        id: u16,
        seq: u16,
        data_len: usize,
    ) {
        let now = self.now;
        let (_, st, out) = self.ping_io(pid);
        if id != st.ident || src != st.opts.dst {
            return;
        }
        let seq = seq as usize;
        if st.sent_at.len() < MAX_DUP_CHK && (seq == 0 || seq > st.sent_at.len()) {
            return;
        }
        st.acknowledge(seq as u16);
        let slot = seq_slot(seq);
        let rtt_us = now.0.saturating_sub(st.sent_at[slot].0) / 1000;
        let dup = st.received[slot];
        // gather_statistics: the round trip counts in the sums whether or not the
        // sequence was answered before; a repeat counts in `nrepeats`.
        st.rtts_us.push(rtt_us);
        if opts_timing(&st.opts) {
            let t = rtt_us as i64;
            st.rtt_ewma = if st.rtt_ewma == 0 {
                t * 8
            } else {
                st.rtt_ewma + t - st.rtt_ewma / 8
            };
        }
        if dup {
            st.nrepeats += 1;
        } else {
            st.received[slot] = true;
            st.nreceived += 1;
        }
        if st.opts.quiet {
        } else if st.opts.flood {
            out.extend_from_slice(b"\x08 \x08");
        } else {
            // `64 bytes from SRC: icmp_seq=1 ttl=64 time=0.012 ms`
            st.push_timestamp(out, now);
            // On the stack, then appended at once: at most 5 + 12 + 15 + 11 (to `icmp_seq=`)
            // + 5 + 5 + 3 + 6 + 20 + 3 + 7 + 1 bytes.
            let mut l = LineBuf::<128>::new();
            l.put_u64(data_len as u64 + 8);
            l.put(b" bytes from ");
            debug_assert_eq!(src, st.opts.dst);
            l.put(&st.dst_text[..usize::from(st.dst_text_len)]);
            l.put(b": icmp_seq=");
            l.put_u64(seq as u64);
            l.put(b" ttl=");
            l.put_u64(u64::from(ttl));
            l.put(b" time=");
            l.put_rtt(rtt_us);
            l.put(b" ms");
            if dup {
                l.put(b" (DUP!)");
            }
            l.put(b"\n");
            let line = l.as_bytes();
            if out.capacity() - out.len() < line.len() {
                // The output is kept (not taken after each event): room for the lines of
                // the echoes still to come and the statistics at once, not a doubling
                // every few lines.
                let to_come = st.opts.count.map_or(0, |c| c.saturating_sub(st.nreceived));
                out.reserve(
                    (line.len() + 2) * (to_come as usize).min(PING_LINES_RESERVED)
                        + PING_STATS_RESERVED,
                );
            }
            out.extend_from_slice(line);
        }
        let next = st.after_answer();
        self.ping_after_answer(pid, next);
    }

    pub(crate) fn ping_input(&mut self, pid: Pid, ip: &Ipv4Repr, icmp: &IcmpRepr) {
        let now = self.now;
        let st = self.ping_state(pid);
        let ident = st.ident;
        match icmp.ty {
            ICMP_ECHOREPLY => self.ping_echo_reply(
                pid,
                ip.src,
                ip.ttl,
                icmp.echo_id(),
                icmp.echo_seq(),
                icmp.data.len(),
            ),
            ICMP_REDIRECT => {
                // parse_reply: a redirect about one of our echoes is printed (from the raw
                // socket, hence "From X:"), neither counted nor acknowledged.
                let Ok((inner, hl)) = Ipv4Repr::parse_quoted(&icmp.data) else {
                    return;
                };
                if inner.proto != IPPROTO_ICMP
                    || icmp.data.len() < hl + 8
                    || inner.dst != st.opts.dst
                {
                    return;
                }
                let q = &icmp.data[hl..];
                if q[0] != ICMP_ECHO || u16::from_be_bytes([q[4], q[5]]) != ident {
                    return;
                }
                let seq = u16::from_be_bytes([q[6], q[7]]);
                let what = match icmp.code {
                    0 => "Redirect Network",
                    1 => "Redirect Host",
                    2 => "Redirect Type of Service and Network",
                    3 => "Redirect Type of Service and Host",
                    _ => "Redirect, Bad Code",
                };
                let line = format!(
                    "{}From {}: icmp_seq={} {}(New nexthop: {})\n",
                    st.timestamp(now),
                    ip.src,
                    seq,
                    what,
                    Ipv4Addr::from(icmp.rest)
                );
                // With -f a redirect prints nothing (not an error packet).
                if !st.opts.quiet && !st.opts.flood {
                    self.out(pid, &line);
                }
            }
            ICMP_DEST_UNREACH | ICMP_TIME_EXCEEDED => {
                // The quoted packet must be one of ours.
                let Ok((inner, hl)) = Ipv4Repr::parse_quoted(&icmp.data) else {
                    return;
                };
                if inner.proto != IPPROTO_ICMP || icmp.data.len() < hl + 8 {
                    return;
                }
                let q = &icmp.data[hl..];
                if q[0] != ICMP_ECHO || u16::from_be_bytes([q[4], q[5]]) != ident {
                    return;
                }
                let seq = u16::from_be_bytes([q[6], q[7]]);
                st.acknowledge(seq);
                st.nerrors += 1;
                let what = match (icmp.ty, icmp.code) {
                    (ICMP_DEST_UNREACH, ICMP_NET_UNREACH) => {
                        "Destination Net Unreachable".to_string()
                    }
                    (ICMP_DEST_UNREACH, ICMP_HOST_UNREACH) => {
                        "Destination Host Unreachable".to_string()
                    }
                    (ICMP_DEST_UNREACH, 2) => "Destination Protocol Unreachable".to_string(),
                    (ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) => {
                        "Destination Port Unreachable".to_string()
                    }
                    (ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED) => {
                        format!(
                            "Frag needed and DF set (mtu = {})",
                            u16::from_be_bytes([icmp.rest[2], icmp.rest[3]])
                        )
                    }
                    (ICMP_DEST_UNREACH, 9) => "Destination Net Prohibited".to_string(),
                    (ICMP_DEST_UNREACH, 10) => "Destination Host Prohibited".to_string(),
                    (ICMP_DEST_UNREACH, 13) => "Packet filtered".to_string(),
                    (ICMP_DEST_UNREACH, c) => format!("Dest Unreachable, Bad Code: {}", c),
                    (_, 0) => "Time to live exceeded".to_string(),
                    (_, _) => "Frag reassembly time exceeded".to_string(),
                };
                // iputils counts the error but prints nothing with -q.
                let line = format!(
                    "{}From {} icmp_seq={} {}\n",
                    st.timestamp(now),
                    ip.src,
                    seq,
                    what
                );
                if st.opts.quiet {
                } else if st.opts.flood {
                    self.out(pid, "\x08E");
                } else {
                    self.out(pid, &line);
                }
                self.ping_answered(pid);
            }
            _ => {}
        }
    }

    /// Prints the statistics and exits (0 if any reply came back, else 1).
    pub(crate) fn ping_finish(&mut self, pid: Pid) {
        let (st, out) = self.ping_out(pid);
        let tx = st.ntransmitted;
        let rx = st.nreceived;
        out.extend_from_slice(b"\n--- ");
        match &st.opts.host {
            Some(h) => out.extend_from_slice(h.as_bytes()),
            None => push_ipv4(out, st.opts.dst),
        }
        out.extend_from_slice(b" ping statistics ---\n");
        push_u64(out, u64::from(tx));
        out.extend_from_slice(b" packets transmitted, ");
        push_u64(out, u64::from(rx));
        out.extend_from_slice(b" received");
        if st.nrepeats > 0 {
            out.extend_from_slice(b", +");
            push_u64(out, u64::from(st.nrepeats));
            out.extend_from_slice(b" duplicates");
        }
        if st.nerrors > 0 {
            out.extend_from_slice(b", +");
            push_u64(out, u64::from(st.nerrors));
            out.extend_from_slice(b" errors");
        }
        // iputils: `%g` of a float percentage (33.3333, not 33).
        out.extend_from_slice(b", ");
        if tx > 0 {
            push_g(
                out,
                (((tx - rx.min(tx)) as f64 * 100.0) / tx as f64) as f32 as f64,
            );
        } else {
            out.push(b'0');
        }
        let elapsed_ms = (st.last_send.0.max(st.start.0) - st.start.0) / 1_000_000;
        out.extend_from_slice(b"% packet loss, time ");
        push_u64(out, elapsed_ms);
        out.extend_from_slice(b"ms\n");
        // finish(): the statistics line ends, then the rtt and pipe parts share one line
        // (empty when there are neither).
        let mut comma: &[u8] = b"";
        if rx > 0 {
            let r = &st.rtts_us;
            let n = r.n as f64;
            let (min, max, sum, sum2) = (r.min.unwrap_or(0), r.max, r.sum, r.sum2);
            let avg = sum as f64 / n;
            let mdev = (sum2 / n - avg * avg).max(0.0).sqrt();
            // `%.3f` of each in ms (whole microseconds without the float formatting).
            out.extend_from_slice(b"rtt min/avg/max/mdev = ");
            push_ms3(out, min);
            out.push(b'/');
            push_ms3_f(out, avg);
            out.push(b'/');
            push_ms3(out, max);
            out.push(b'/');
            push_ms3_f(out, mdev);
            out.extend_from_slice(b" ms");
            comma = b", ";
        }
        if st.pipesize > 1 {
            out.extend_from_slice(comma);
            out.extend_from_slice(b"pipe ");
            push_u64(out, st.pipesize as u64);
            comma = b", ";
        }
        // finish(): with -f (or interval 0) the mean gap between sends and the ewma.
        if rx > 0 && st.opts.flood && tx > 1 {
            use std::io::Write as _;
            let elapsed_us = (st.last_send.0.max(st.start.0) - st.start.0) / 1000;
            let ipg = elapsed_us / u64::from(tx - 1);
            let e = st.rtt_ewma / 8;
            out.extend_from_slice(comma);
            let _ = write!(
                out,
                "ipg/ewma {}.{:03}/{}.{:03} ms",
                ipg / 1000,
                ipg % 1000,
                e / 1000,
                e % 1000
            );
        }
        out.push(b'\n');
        let code = if rx > 0 { 0 } else { 1 };
        self.exit(pid, code);
    }
}

/// C's `%g` (6 significant digits, trailing zeros removed) for a non-negative value < 1e6.
fn fmt_g(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let int_digits = (v.abs().log10().floor() as i32 + 1).max(1);
    let decimals = (6 - int_digits).max(0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// [`fmt_g`] appended to `out`; a whole number (0 % or 100 % loss, the common cases) is its
/// digits, which is what `%g` prints for it, without the float formatting.
fn push_g(out: &mut Vec<u8>, v: f64) {
    if (0.0..1e6).contains(&v) && v.fract() == 0.0 {
        push_u64(out, v as u64);
    } else {
        out.extend_from_slice(fmt_g(v).as_bytes());
    }
}

/// iputils times a round trip only when the echo carries a timeval (`-s` of 16 or more).
fn opts_timing(o: &PingOpts) -> bool {
    o.size >= 16
}

/// iputils' `time=` formatting from microseconds, appended to `out`.
#[cfg(test)]
fn push_rtt(out: &mut Vec<u8>, us: u64) {
    let mut l = LineBuf::<32>::new();
    l.put_rtt(us);
    l.put(b" ms");
    out.extend_from_slice(l.as_bytes());
}

/// A piece of a line formatted on the stack, then appended to the output at once: a store
/// per digit and per fixed text, not a `Vec` length update (and a copy) per piece. Holds `N`
/// bytes; its callers' pieces are bounded well below (what would pass `N` is dropped).
struct LineBuf<const N: usize> {
    b: [u8; N],
    n: usize,
}

impl<const N: usize> LineBuf<N> {
    fn new() -> Self {
        LineBuf { b: [0; N], n: 0 }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.b[..self.n]
    }

    fn put(&mut self, s: &[u8]) {
        if let Some(d) = self.b.get_mut(self.n..self.n + s.len()) {
            d.copy_from_slice(s);
            self.n += s.len();
        }
    }

    /// `%lu`.
    fn put_u64(&mut self, v: u64) {
        // Most numbers of a line (an octet, the size, ttl, sequence) have at most three
        // digits: those as one fixed-size store.
        let d = |x: u64| b'0' + (x % 10) as u8;
        if v < 10 {
            return self.put(&[d(v)]);
        }
        if v < 100 {
            return self.put(&[d(v / 10), d(v)]);
        }
        if v < 1000 {
            return self.put(&[d(v / 100), d(v / 10), d(v)]);
        }
        let len = v.checked_ilog10().map_or(1, |l| l as usize + 1);
        if let Some(d) = self.b.get_mut(self.n..self.n + len) {
            let mut v = v;
            for c in d.iter_mut().rev() {
                *c = b'0' + (v % 10) as u8;
                v /= 10;
            }
            self.n += len;
        }
    }

    /// `inet_ntoa`: dotted decimal.
    fn put_ipv4(&mut self, a: Ipv4Addr) {
        let [a, b, c, d] = a.octets();
        self.put_u64(u64::from(a));
        self.put(b".");
        self.put_u64(u64::from(b));
        self.put(b".");
        self.put_u64(u64::from(c));
        self.put(b".");
        self.put_u64(u64::from(d));
    }

    /// iputils' `time=` value of a round trip of `us` microseconds (without ` ms`): `%.3f`
    /// of the milliseconds below 1 ms, `%.2f` below 10 ms, `%.1f` below 100 ms, else whole
    /// milliseconds rounded.
    fn put_rtt(&mut self, us: u64) {
        use std::io::Write as _;
        if us >= 100_000 {
            self.put_u64((us + 500) / 1000);
        } else if us >= 1_000 {
            // The float's text as core::fmt rounds it (what the recorded outputs show).
            let mut rest = &mut self.b[self.n..];
            let room = rest.len();
            let ms = us as f64 / 1000.0;
            let _ = if us >= 10_000 {
                write!(rest, "{ms:.1}")
            } else {
                write!(rest, "{ms:.2}")
            };
            self.n += room - rest.len();
        } else {
            // `%.3f` of a whole number of microseconds below 1000 (see push_ms3): `0.` and
            // the three digits.
            self.put(&[
                b'0',
                b'.',
                b'0' + (us / 100) as u8,
                b'0' + (us / 10 % 10) as u8,
                b'0' + (us % 10) as u8,
            ]);
        }
    }
}

/// `%.3f` of `us / 1000.0` for a whole number of microseconds: the digits of `us / 1000`,
/// a point and `us % 1000` in three digits. The same text as the float's: `us / 1000.0` is
/// within a few ulps of the decimal `us / 1000`, far from a rounding boundary of the third
/// decimal (half a thousandth away) while `us` is below 2^40.
fn push_ms3(out: &mut Vec<u8>, us: u64) {
    if us < 1 << 40 {
        push_u64(out, us / 1000);
        // The point and `%03lu` of the thousandths as one store.
        let r = us % 1000;
        out.extend_from_slice(&[
            b'.',
            b'0' + (r / 100) as u8,
            b'0' + (r / 10 % 10) as u8,
            b'0' + (r % 10) as u8,
        ]);
    } else {
        use std::io::Write as _;
        let _ = write!(out, "{:.3}", us as f64 / 1000.0);
    }
}

/// `%.3f` of a round-trip figure in microseconds computed in floating point (`avg`, `mdev`
/// of the statistics): a whole number below 2^40 as [`push_ms3`], anything else through the
/// float formatting (the same text either way).
fn push_ms3_f(out: &mut Vec<u8>, us: f64) {
    if us >= 0.0 && us < (1u64 << 40) as f64 && us.fract() == 0.0 && us.is_sign_positive() {
        push_ms3(out, us as u64);
    } else {
        use std::io::Write as _;
        let _ = write!(out, "{:.3}", us / 1000.0);
    }
}

/// The bytes at the start of an echo of `size` data bytes that differ between echoes: the
/// header, and the timeval when it fits.
fn echo_head(size: usize) -> usize {
    if size >= 16 {
        24
    } else {
        8
    }
}

/// Writes an echo's identifier, sequence, timeval (the send time `now`, when it fits) and
/// checksum into `msg`, an [`echo_template`] whose bytes past [`echo_head`] sum to
/// `rest_csum`.
fn echo_fill(msg: &mut [u8], rest_csum: u32, ident: u16, seq: u16, now: Instant) {
    msg[4..6].copy_from_slice(&ident.to_be_bytes());
    msg[6..8].copy_from_slice(&seq.to_be_bytes());
    let head = echo_head(msg.len() - 8);
    if head == 24 {
        let us = now.as_nanos() / 1000;
        msg[8..16].copy_from_slice(&(us / 1_000_000).to_le_bytes());
        msg[16..24].copy_from_slice(&(us % 1_000_000).to_le_bytes());
    }
    let c = csum_fold(csum_partial(&msg[..head], rest_csum));
    msg[2..4].copy_from_slice(&c.to_be_bytes());
}

/// Appends an echo of `size` data bytes with id, sequence, timeval and checksum zero: type
/// ICMP_ECHO, then zeros up to data byte 16 and data byte i = i mod 256 after (iputils'
/// fill pattern past the timeval; all zeros when `-s` is under 16).
fn echo_template(buf: &mut Vec<u8>, size: usize) {
    // Up to 256 data bytes (the default 56 among them) in one copy of the whole template.
    if (16..=256).contains(&size) {
        buf.extend_from_slice(&ECHO_TEMPLATE[..8 + size]);
        return;
    }
    buf.extend_from_slice(&[ICMP_ECHO, 0, 0, 0, 0, 0, 0, 0]);
    if size < 16 {
        buf.resize(buf.len() + size, 0);
        return;
    }
    buf.extend_from_slice(&[0; 16]);
    // A table's slices at a time.
    let mut i = 16;
    while i < size {
        let n = (size - i).min(256 - i % 256);
        buf.extend_from_slice(&BYTE_SEQ[i % 256..i % 256 + n]);
        i += n;
    }
}

/// [`echo_template`]'s echo with 256 data bytes: ICMP_ECHO, seven zeros, sixteen zeros, then
/// data bytes 16 to 255 (each its index); a shorter echo of 16 bytes or more is its start.
const ECHO_TEMPLATE: [u8; 8 + 256] = {
    let mut t = [0u8; 8 + 256];
    t[0] = ICMP_ECHO;
    let mut i = 16;
    while i < 256 {
        t[8 + i] = i as u8;
        i += 1;
    }
    t
};

/// The bytes 0, 1, ..., 255: an echo's data pattern is sliced from it.
const BYTE_SEQ: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i as u8;
        i += 1;
    }
    t
};

/// `%lu`: the decimal digits of `v`, appended (no `core::fmt` machinery: a ping prints a
/// handful of numbers per line, and its lines are most of what a short ping costs).
fn push_u64(out: &mut Vec<u8>, v: u64) {
    // Most of a reply line's numbers (an address's octets, the size, ttl, sequence) have at
    // most three digits: those as one fixed-size store, without the copy of a digit buffer.
    let d = |x: u64| b'0' + (x % 10) as u8;
    if v < 10 {
        return out.push(d(v));
    }
    if v < 100 {
        return out.extend_from_slice(&[d(v / 10), d(v)]);
    }
    if v < 1000 {
        return out.extend_from_slice(&[d(v / 100), d(v / 10), d(v)]);
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// `%0Nlu`: `v` zero-padded to at least `width` digits.
fn push_u64_width(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut digits = 1;
    let mut x = v / 10;
    while x > 0 {
        digits += 1;
        x /= 10;
    }
    for _ in digits..width {
        out.push(b'0');
    }
    push_u64(out, v);
}

/// `inet_ntoa`: dotted decimal.
fn push_ipv4(out: &mut Vec<u8>, a: Ipv4Addr) {
    for (i, o) in a.octets().into_iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        push_u64(out, u64::from(o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo from the template is the message iputils' pinger() builds: the header, the
    /// timeval (when `-s` leaves room for it), data byte i = i mod 256 after it, a valid
    /// checksum, whatever the size.
    #[test]
    fn echo_from_the_template_is_the_whole_message() {
        let now = Instant(1_234_567_890_123);
        for size in [0usize, 1, 8, 15, 16, 17, 56, 255, 256, 300, 1472, 4000] {
            let mut want = vec![ICMP_ECHO, 0, 0, 0, 0x12, 0x34, 0, 7];
            if size >= 16 {
                want.extend_from_slice(&1234u64.to_le_bytes());
                want.extend_from_slice(&567_890u64.to_le_bytes());
                want.extend((16..size).map(|i| i as u8));
            } else {
                want.resize(8 + size, 0);
            }
            let c = checksum(&want);
            want[2..4].copy_from_slice(&c.to_be_bytes());
            let mut msg = Vec::new();
            echo_template(&mut msg, size);
            let rest = csum_partial(&msg[echo_head(size)..], 0);
            echo_fill(&mut msg, rest, 0x1234, 7, now);
            assert_eq!(msg, want, "-s {size}");
            assert_eq!(checksum(&msg), 0, "-s {size}");
        }
    }

    /// The hand-written number formatting gives `format!`'s text (the outputs compared with
    /// iputils go through it).
    #[test]
    fn pushed_numbers_are_the_format_macros_text() {
        let s = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut v = Vec::new();
            f(&mut v);
            String::from_utf8(v).unwrap()
        };
        for us in [
            0u64,
            1,
            9,
            10,
            999,
            1000,
            1005,
            9999,
            10_000,
            99_999,
            123_456_789,
        ] {
            assert_eq!(s(&|o| push_u64(o, us)), us.to_string());
            assert_eq!(
                s(&|o| push_ms3(o, us)),
                format!("{:.3}", us as f64 / 1000.0)
            );
            assert_eq!(
                s(&|o| push_ms3_f(o, us as f64)),
                format!("{:.3}", us as f64 / 1000.0)
            );
            assert_eq!(s(&|o| push_u64_width(o, us, 6)), format!("{us:06}"));
            assert_eq!(
                s(&|o| push_g(o, us as f64 / 1000.0)),
                fmt_g(us as f64 / 1000.0)
            );
        }
        // iputils' `time=` rules (`%.3f` below 1 ms, `%.2f` below 10 ms, `%.1f` below
        // 100 ms, whole milliseconds from 100 ms), as printf prints them.
        let rtt = |us: u64| {
            let ms = us as f64 / 1000.0;
            if us >= 100_000 {
                format!("{} ms", (us + 500) / 1000)
            } else if us >= 10_000 {
                format!("{ms:.1} ms")
            } else if us >= 1_000 {
                format!("{ms:.2} ms")
            } else {
                format!("{ms:.3} ms")
            }
        };
        for us in (0..200_000).chain([u64::MAX / 1000]) {
            assert_eq!(s(&|o| push_rtt(o, us)), rtt(us), "{us} us");
        }
        let mut l = LineBuf::<128>::new();
        for v in [0, 7, 10, 99, 100, 65_535, u64::MAX] {
            l.put_u64(v);
            l.put(b" ");
        }
        for a in ["0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.100.7"] {
            l.put_ipv4(a.parse().unwrap());
            l.put(b" ");
        }
        assert_eq!(
            l.as_bytes(),
            &b"0 7 10 99 100 65535 18446744073709551615 \
               0.0.0.0 10.0.0.1 255.255.255.255 192.168.100.7 "[..]
        );
        for v in [0.0, 100.0, 33.3333, 50.0, 66.6667, 0.5] {
            assert_eq!(s(&|o| push_g(o, v)), fmt_g(v));
        }
        for x in [0.25, 1.5, 12.3456, 999.9995] {
            assert_eq!(s(&|o| push_ms3_f(o, x)), format!("{:.3}", x / 1000.0));
        }
        for v in (0..100_000).chain([u64::MAX, u64::MAX / 7, 1 << 40]) {
            assert_eq!(s(&|o| push_u64(o, v)), v.to_string());
        }
        for a in ["0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.100.7"] {
            let a: Ipv4Addr = a.parse().unwrap();
            assert_eq!(s(&|o| push_ipv4(o, a)), a.to_string());
        }
    }
}
