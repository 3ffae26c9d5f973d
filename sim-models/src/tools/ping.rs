//! `ping`'s command line, as iputils 20221126's `main()` parses it: glibc getopt with its
//! optstring (clusters such as `-qc1`, options after the destination), its converters
//! (`strtol_or_err`, `ping_strtod`, `parsetos`) and their texts and exit statuses. What the
//! model cannot do answers "nslab: ping -X is not modelled yet" instead of being ignored.

use super::{Exec, ToolError, ToolOutput};
use crate::apps::ping::{PingOpts, PmtuDisc};
use crate::kernel::{Kernel, NsId};
use sim_core::Duration;
use std::net::Ipv4Addr;
use userland::getopt::{Getopt, GetoptError};

/// iputils 20221126 ping.c's optstring ("h?" "4bRT:" "6F:N:" "aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:").
const OPTSTRING: &str = "h?4bRT:6F:N:aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:";

/// iputils' `usage()` text (stderr, exit 2), recorded from `ping -h` (iputils 20221126).
const USAGE: &str = "
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
";

/// `ping -V` (iputils 20221126 as built by Debian 12).
const VERSION: &str = "ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n";

const LONG_MAX: i128 = i64::MAX as i128;
const INT_MAX: i128 = i32::MAX as i128;

/// C's `strtol(s, &end, base)` for base 10, 16 or 0 (`0x` hexadecimal, leading `0` octal):
/// leading white space, a sign, digits. Returns the value (clamped, with `erange` set, on
/// overflow of a `long`) and the byte length consumed (0 when there are no digits).
pub(crate) fn strtol(s: &str, base: u32) -> (i128, usize, bool) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i] == b' ' || (b'\t'..=b'\r').contains(&b[i])) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut radix = if base == 0 { 10 } else { base };
    if (base == 0 || base == 16)
        && b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x' | b'X'))
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        radix = 16;
        i += 2;
    } else if base == 0 && b.get(i) == Some(&b'0') {
        radix = 8;
    }
    let start = i;
    let mut v: i128 = 0;
    let mut erange = false;
    while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(radix)) {
        v = v * i128::from(radix) + i128::from(d);
        if v > LONG_MAX + 1 {
            erange = true;
            v = LONG_MAX + 1;
        }
        i += 1;
    }
    if i == start {
        return (0, 0, false);
    }
    let v = if neg { -v } else { v };
    if v > LONG_MAX {
        return (LONG_MAX, i, true);
    }
    (v, i, erange)
}

/// iputils' `strtol_or_err`: the whole word must be a number within [min, max].
fn strtol_or_err(s: &str, min: i128, max: i128) -> Result<i128, ToolError> {
    let (v, end, erange) = strtol(s, 10);
    if erange {
        return Err(ToolError::failed(
            1,
            format!("ping: invalid argument: '{s}': Numerical result out of range\n"),
        ));
    }
    if s.is_empty() || end == 0 || end != s.len() {
        return Err(ToolError::failed(
            1,
            format!("ping: invalid argument: '{s}'\n"),
        ));
    }
    if v < min || v > max {
        return Err(ToolError::failed(
            1,
            format!("ping: invalid argument: '{s}': out of range: {min} <= value <= {max}\n"),
        ));
    }
    Ok(v)
}

/// C's `strtod` on the longest prefix Rust's float parser accepts (decimal and exponent
/// forms, `inf`, `nan`; C's hexadecimal floats are not recognised). Returns the value and
/// the bytes consumed.
pub(crate) fn strtod(s: &str) -> (f64, usize) {
    let skip = s.len() - s.trim_start().len();
    let t = &s[skip..];
    for end in (1..=t.len()).rev() {
        if !t.is_char_boundary(end) {
            continue;
        }
        if let Ok(v) = t[..end].parse::<f64>() {
            return (v, skip + end);
        }
    }
    (0.0, 0)
}

/// iputils' `ping_strtod`: garbage after the number is warned about (and will become fatal
/// "in the future"), a non-finite value is an error; `warn` collects the warnings.
fn ping_strtod(s: &str, what: &str, warn: &mut String) -> Result<f64, ToolError> {
    if s.is_empty() {
        // errno is whatever it was before: 0 here.
        return Err(ToolError::failed(2, format!("ping: {what}: {s}\n")));
    }
    let (v, end) = strtod(s);
    if end != s.len() {
        warn.push_str(&format!(
            "ping: option argument contains garbage: {}\nping: this will become fatal error in the future\n",
            &s[end..]
        ));
    }
    if !v.is_finite() {
        return Err(ToolError::failed(
            2,
            format!("ping: {what}: {s}: Numerical result out of range\n"),
        ));
    }
    Ok(v)
}

/// iputils' `parsetos`.
fn parsetos(s: &str) -> Result<u8, ToolError> {
    let (digits, radix) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => (h, 16),
        None => (s, 10),
    };
    let (tos, end, _) = strtol(digits, radix);
    if end != digits.len() {
        return Err(ToolError::failed(2, format!("ping: bad TOS value: {s}\n")));
    }
    if tos > 255 {
        return Err(ToolError::failed(
            2,
            format!(
                "ping: the decimal value of TOS bits must be in range 0-255: {}\n",
                tos as i32
            ),
        ));
    }
    if tos < 0 {
        return Err(ToolError::not_modelled("ping -Q with a negative value"));
    }
    Ok(tos as u8)
}

fn usage(prefix: String) -> ToolError {
    ToolError::usage(2, format!("{prefix}{USAGE}"))
}

/// `ping ARGS`: a ping process, or the error iputils prints before it sends anything.
pub fn ping(k: &mut Kernel, ns: NsId, args: &[String]) -> Exec {
    let mut warn = String::new();
    match parse(args, &mut warn) {
        Ok(Parsed::Run(o)) => {
            // ip vrf exec: sockets created now are bound to the VRF (cgroup BPF).
            let mut o = o;
            o.vrf = k
                .exec_vrf
                .filter(|&(vns, i)| vns == ns && i != 0)
                .map(|(_, i)| i);
            let pid = k.ping_spawn(ns, o);
            // The warnings were printed while parsing, before anything the start printed.
            if warn.is_empty() {
            } else if let Some(p) = k.proc_mut(pid) {
                let rest = std::mem::take(&mut p.stderr);
                let marks = std::mem::take(&mut p.err_marks);
                p.write_err(warn.as_bytes());
                let w = p.stderr.len();
                p.stderr.extend(rest);
                p.err_marks
                    .extend(marks.into_iter().map(|(o, e)| (o, e + w)));
            }
            Exec::Spawned(pid)
        }
        Ok(Parsed::Version) => Exec::Done(ToolOutput::ok(VERSION.into())),
        Err(mut e) => {
            e.msg.insert_str(0, &warn);
            Exec::Done(e.into())
        }
    }
}

pub(crate) enum Parsed {
    Run(PingOpts),
    Version,
}

pub(crate) fn parse(args: &[String], warn: &mut String) -> Result<Parsed, ToolError> {
    let mut o = PingOpts::new(Ipv4Addr::UNSPECIFIED);
    let mut g = Getopt::new(args, OPTSTRING, &[]);
    let mut ttl_zero = false;
    let mut interval_set = false;
    while let Some(r) = g.next() {
        let opt = match r {
            Ok(opt) => opt,
            Err(e @ (GetoptError::InvalidOption(_) | GetoptError::MissingArgument { .. })) => {
                return Err(usage(e.glibc_message("ping")))
            }
            Err(e) => return Err(usage(e.glibc_message("ping"))),
        };
        let arg = opt.arg.as_deref().unwrap_or("");
        match opt.opt {
            'h' | '?' => return Err(usage(String::new())),
            'V' => return Ok(Parsed::Version),
            'c' => {
                let n = strtol_or_err(arg, 1, LONG_MAX)?;
                o.count = Some(u32::try_from(n).unwrap_or(u32::MAX));
            }
            'i' => {
                let v = ping_strtod(arg, "bad timing interval", warn)?;
                if v > (INT_MAX / 1000) as f64 {
                    return Err(ToolError::failed(
                        2,
                        format!("ping: bad timing interval: {arg}\n"),
                    ));
                }
                // iputils keeps milliseconds: (int)(optval * 1000).
                let ms = (v * 1000.0) as i64;
                if ms == 0 {
                    // Root may flood with -i (interval 0, iputils' output lines unchanged);
                    // the model floods only with -f (apps/ping.rs), so this says not
                    // modelled. Labs run as root: "minimal interval ... 2ms" does not apply.
                    return Err(ToolError::not_modelled("ping -i below 0.001 (flooding)"));
                }
                o.interval = Duration::from_millis(ms as u64);
                interval_set = true;
            }
            's' => {
                let n = strtol_or_err(arg, 0, INT_MAX)?;
                if n > 65507 {
                    return Err(ToolError::not_modelled("ping -s above 65507"));
                }
                o.size = n as usize;
            }
            'M' => {
                o.pmtudisc = Some(match arg {
                    "do" => PmtuDisc::Do,
                    "dont" => PmtuDisc::Dont,
                    "want" => PmtuDisc::Want,
                    _ => {
                        return Err(ToolError::failed(
                            2,
                            format!("ping: invalid -M argument: {arg}\n"),
                        ))
                    }
                })
            }
            'W' => {
                let v = ping_strtod(arg, "bad linger time", warn)?;
                if v < 0.0 || v > (INT_MAX / 1000) as f64 {
                    return Err(ToolError::failed(
                        2,
                        format!("ping: bad linger time: {arg}\n"),
                    ));
                }
                o.timeout = Some(Duration::from_millis((v * 1000.0) as u64));
            }
            'w' => {
                let n = strtol_or_err(arg, 0, INT_MAX)?;
                o.deadline = Some(Duration::from_secs(n as u64));
            }
            't' => {
                let n = strtol_or_err(arg, 0, 255)?;
                ttl_zero = n == 0;
                // iputils sets both IP_MULTICAST_TTL and IP_TTL.
                o.ttl = n as u8;
                o.mc_ttl = n as u8;
            }
            'Q' => o.tos = parsetos(arg)?,
            'q' => o.quiet = true,
            'f' => o.flood = true,
            'D' => o.timestamps = true,
            'O' => o.outstanding = true,
            'b' => o.broadcast = true,
            // iputils: an address binds the source, anything else names the device.
            'I' => match arg.parse::<Ipv4Addr>() {
                Ok(a) => o.source = Some(a),
                Err(_) => o.device = Some(arg.to_string()),
            },
            // No names are resolved (-n) and only IPv4 exists (-4): nothing changes.
            'n' | '4' => {}
            c => return Err(ToolError::not_modelled(format!("ping -{c}"))),
        }
    }
    let ops = g.into_operands();
    let Some(target) = ops.last() else {
        return Err(ToolError::usage(
            1,
            "ping: usage error: Destination address required\n",
        ));
    };
    if ops.len() > 1 {
        // iputils makes the other operands a source route.
        return Err(ToolError::not_modelled(
            "ping with several hosts (source route)",
        ));
    }
    // setup(): -f without -i floods (interval 0); labs run as root, so iputils' "cannot
    // flood; minimal interval allowed for user is 2ms" does not apply.
    if o.flood && !interval_set {
        o.interval = Duration::from_nanos(0);
        // A flood sends an echo per round trip (tens of µs on a veth pair): one that only
        // ^C ends would run the simulation for a simulated day of them.
        if o.count.is_none() && o.deadline.is_none() {
            return Err(ToolError::not_modelled(
                "ping -f without -c or -w (a flood that only ^C ends)",
            ));
        }
    }
    if ttl_zero {
        // setsockopt(IP_TTL, 0) is refused by the kernel.
        return Err(ToolError::failed(
            2,
            "ping: cannot set unicast time-to-live: Invalid argument\n",
        ));
    }
    // getaddrinfo's numeric form is inet_aton's (`127.1`, `0x7f.1`, `2130706433`); a
    // dotted string it refuses is looked up as a name, which the lab's resolver has not.
    match inet_aton(target) {
        Some(ip) => {
            o.dst = ip;
            o.host = Some(target.clone());
        }
        None => {
            return Err(ToolError::failed(
                2,
                format!("ping: {target}: Name or service not known\n"),
            ))
        }
    }
    Ok(Parsed::Run(o))
}

/// glibc `inet_aton`: one to four parts, each decimal, octal (`0`) or hex (`0x`); the last
/// part fills the remaining bytes (`192.168.100` is 192.168.0.100, `127.1` is 127.0.0.1).
pub fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    // At most four parts, none empty (no vectors: every ping parses its destination).
    let mut v = [0u64; 4];
    let mut n = 0;
    for p in s.split('.') {
        if n == 4 || p.is_empty() {
            return None;
        }
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or(p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (p, 10)
        };
        v[n] = if digits.is_empty() && radix == 16 {
            0
        } else if digits.len() > 12 {
            return None;
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        n += 1;
    }
    let (head, last) = (&v[..n - 1], v[n - 1]);
    if head.iter().any(|&x| x > 255) {
        return None;
    }
    let rest_bits = 8 * (4 - head.len() as u32);
    if last >= 1u64 << rest_bits {
        return None;
    }
    let mut a: u64 = 0;
    for (i, &x) in head.iter().enumerate() {
        a |= x << (24 - 8 * i as u32);
    }
    a |= last;
    u32::try_from(a).ok().map(Ipv4Addr::from)
}
