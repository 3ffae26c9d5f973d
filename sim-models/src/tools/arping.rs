//! `arping [-AbDfhqUV] [-c count] [-w timeout] [-i interval] [-s source] [-I device]
//! destination` (iputils 20221126): the options parsed with glibc getopt; the run is the
//! `apps::arping` process. Texts recorded on this machine.

use super::{Exec, ToolError, ToolOutput};
use crate::apps::arping::ArpingOpts;
use crate::kernel::{Kernel, NsId};
use sim_core::Duration;
use std::net::Ipv4Addr;
use userland::getopt::Getopt;

const USAGE: &str = "
Usage:
  arping [options] <destination>

Options:
  -f            quit on first reply
  -q            be quiet
  -b            keep on broadcasting, do not unicast
  -D            duplicate address detection mode
  -U            unsolicited ARP mode, update your neighbours
  -A            ARP answer mode, update your neighbours
  -V            print version and exit
  -c <count>    how many packets to send
  -w <timeout>  how long to wait for a reply
  -i <interval> set interval between packets (default: 1 second)
  -I <device>   which ethernet device to use
  -s <source>   source ip address
  <destination> dns name or ip address

For more details see arping(8).
";

fn usage() -> ToolError {
    ToolError::usage(2, USAGE)
}

/// A number as iputils' `strtol_or_err`/`strtod` want it.
fn number(v: &str) -> Result<f64, ToolError> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| ToolError::failed(2, format!("arping: invalid argument: '{v}'\n")))
}

pub fn arping(k: &mut Kernel, ns: NsId, args: &[String]) -> Exec {
    match parse(args) {
        Ok(o) => Exec::Spawned(k.arping_spawn(ns, o)),
        Err(e) => Exec::Done(ToolOutput::from(e)),
    }
}

fn parse(args: &[String]) -> Result<ArpingOpts, ToolError> {
    let mut o = ArpingOpts::new(Ipv4Addr::UNSPECIFIED);
    let mut g = Getopt::new(args, "h?bfDUAqc:w:i:s:I:V", &[]);
    while let Some(r) = g.next() {
        let opt = match r {
            Ok(opt) => opt,
            Err(e) => {
                let mut msg = e.glibc_message("arping");
                msg.push_str(USAGE);
                return Err(ToolError::usage(2, msg));
            }
        };
        let arg = opt.arg.as_deref().unwrap_or("");
        match opt.opt {
            'b' => o.broadcast_only = true,
            'D' => {
                o.dad = true;
                o.quit_on_reply = true;
            }
            'U' => o.unsolicited = true,
            'A' => {
                o.advert = true;
                o.unsolicited = true;
            }
            'q' => o.quiet = true,
            'f' => o.quit_on_reply = true,
            'c' => o.count = Some(number(arg)? as u32),
            'w' => o.deadline = Some(Duration::from_millis((number(arg)? * 1000.0) as u64)),
            'i' => o.interval = Duration::from_millis((number(arg)? * 1000.0) as u64),
            'I' => o.device = Some(arg.to_string()),
            's' => match arg.parse::<Ipv4Addr>() {
                Ok(a) => o.source = Some(a),
                Err(_) => {
                    return Err(ToolError::failed(
                        2,
                        format!("arping: invalid source {arg}\n"),
                    ))
                }
            },
            'V' => return Err(ToolError::not_modelled("arping -V")),
            _ => return Err(usage()),
        }
    }
    let ops = g.into_operands();
    let Some(target) = ops.first() else {
        return Err(usage());
    };
    if ops.len() > 1 {
        return Err(usage());
    }
    o.dst = target.parse::<Ipv4Addr>().map_err(|_| {
        ToolError::failed(2, format!("arping: {target}: Name or service not known\n"))
    })?;
    if o.interval == Duration::ZERO {
        return Err(ToolError::not_modelled("arping -i 0"));
    }
    Ok(o)
}
