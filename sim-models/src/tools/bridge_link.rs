//! `bridge [-n NS] [-d] link [show [dev DEV]]` and `bridge link set dev DEV OPTIONS`
//! (iproute2 6.1 `bridge/link.c`: `brlink_modify` sends `RTM_SETLINK` with `IFLA_PROTINFO`),
//! `ip link set DEV type bridge_slave OPTIONS` (`ip/iplink_bridge_slave.c`) and `brctl
//! hairpin`. The options nslab models are the port flags of `net/bridge.rs`; the others
//! (`cost`, `priority`, `state`, `guard`, ...) answer "not modelled".

use super::show;
use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::bridge::BrPortOpts;

/// `bridge`'s global options that change what a show prints.
#[derive(Clone, Copy, Debug, Default)]
pub struct BridgeOpts {
    /// `-d`/`-details`.
    pub details: bool,
    /// `-j`/`-json`: the JSON of `tools/show/json.rs`.
    pub json: bool,
    /// `-p`/`-pretty`: the JSON writer's pretty layout.
    pub pretty: bool,
}

/// `bridge`'s global options before the object: `-n NS`, `-d`, `-j`, `-p` (bridge.c's
/// `matches(opt, "-json")`: any prefix of the option's name). Answers the namespace, the
/// options and where the object starts.
pub fn bridge_global_opts(
    k: &Kernel,
    ns: NsId,
    args: &[String],
) -> Result<(NsId, BridgeOpts, usize), ToolError> {
    let (mut ns, mut o, mut i) = (ns, BridgeOpts::default(), 0);
    while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
        let a = args[i].trim_start_matches('-');
        match a {
            "d" | "details" => o.details = true,
            _ if !a.is_empty() && "json".starts_with(a) => o.json = true,
            _ if !a.is_empty() && "pretty".starts_with(a) => o.pretty = true,
            "n" | "netns" => {
                i += 1;
                let Some(name) = args.get(i) else {
                    return Err(ToolError::usage(
                        255,
                        "Option \"-n\" requires an argument\n",
                    ));
                };
                match k.netns_get_by_name(name) {
                    Some(x) if name != "root" => ns = x,
                    _ => {
                        return Err(ToolError::usage(
                            255,
                            format!(
                            "Cannot open network namespace \"{name}\": No such file or directory\n"
                        ),
                        ))
                    }
                }
            }
            _ => return Err(ToolError::not_modelled(format!("bridge {}", args[i]))),
        }
        i += 1;
    }
    Ok((ns, o, i))
}

/// `bridge link ...` (the arguments after `link`).
pub fn bridge_link(k: &mut Kernel, ns: NsId, args: &[String], o: &BridgeOpts) -> ToolOutput {
    let r = match args.first().map(String::as_str) {
        None => Ok(link_show_text(k, ns, None, o)),
        Some(c) if super::ip::matches(c, "show") || super::ip::matches(c, "list") => {
            link_show(k, ns, &args[1..], o)
        }
        Some("set") | Some("change") => brlink_modify(k, ns, &args[1..]),
        Some(c) => Err(ToolError::usage(
            255,
            format!("Command \"{c}\" is unknown, try \"bridge link help\".\n"),
        )),
    };
    match r {
        Ok(s) => ToolOutput::ok(s),
        Err(e) => e.into(),
    }
}

fn link_show_text(k: &Kernel, ns: NsId, dev: Option<u32>, o: &BridgeOpts) -> String {
    if o.json {
        show::json::bridge_link_json(k, ns, dev, o.details, o.pretty)
    } else {
        show::bridge_link_show(k, ns, dev, o.details)
    }
}

fn link_show(k: &Kernel, ns: NsId, args: &[String], o: &BridgeOpts) -> Result<String, ToolError> {
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "dev" if i + 1 < args.len() => {
                i += 1;
                let n = &args[i];
                dev = Some(k.if_nametoindex(ns, n).ok_or_else(|| {
                    ToolError::usage(255, format!("Cannot find device \"{n}\"\n"))
                })?);
            }
            w => return Err(ToolError::not_modelled(format!("bridge link show {w}"))),
        }
        i += 1;
    }
    Ok(link_show_text(k, ns, dev, o))
}

/// iproute2's `parse_on_off` as `bridge` reports it (the caller returns -EINVAL: status 234).
fn on_off(name: &str, v: &str) -> Result<bool, ToolError> {
    match v {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(ToolError::usage(
            234,
            format!("Error: argument of \"{name}\" must be one of \"off\", \"on\", not \"{v}\"\n"),
        )),
    }
}

/// The port flag a keyword sets, if nslab models it.
fn flag<'a>(o: &'a mut BrPortOpts, w: &str) -> Option<&'a mut Option<bool>> {
    Some(match w {
        "hairpin" => &mut o.hairpin,
        "isolated" => &mut o.isolated,
        "learning" => &mut o.learning,
        "flood" => &mut o.flood,
        "mcast_flood" => &mut o.mcast_flood,
        "bcast_flood" => &mut o.bcast_flood,
        "neigh_suppress" => &mut o.neigh_suppress,
        _ => return None,
    })
}

/// `brlink_modify`: options parsed first, then the device looked up.
fn brlink_modify(k: &mut Kernel, ns: NsId, args: &[String]) -> Result<String, ToolError> {
    let mut o = BrPortOpts::default();
    let mut dev: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        let value = |i: usize| {
            args.get(i + 1).map(String::as_str).ok_or_else(|| {
                ToolError::usage(255, "Command line is not complete. Try option \"help\"\n")
            })
        };
        if w == "dev" {
            dev = Some(value(i)?);
        } else if w == "cost" {
            // `cost = atoi(*argv)`, sent only when positive.
            let c = atoi(value(i)?);
            o.cost = (c > 0).then_some(c as u32);
        } else if w == "priority" {
            // `priority = atoi(*argv)`, sent when not negative (as a u16).
            let p = atoi(value(i)?);
            o.priority = (p >= 0).then_some(u32::from(p as u16));
        } else if let Some(slot) = flag(&mut o, w) {
            *slot = Some(on_off(w, value(i)?)?);
        } else {
            return Err(ToolError::not_modelled(format!("bridge link set ... {w}")));
        }
        i += 2;
    }
    let Some(d) = dev else {
        return Err(ToolError::usage(255, "Device is a required argument.\n"));
    };
    let Some(ifindex) = k.if_nametoindex(ns, d) else {
        return Err(ToolError::usage(
            255,
            format!("Cannot find bridge device \"{d}\"\n"),
        ));
    };
    k.rtm_setlink_brport(ns, ifindex, &o).map_err(|e| {
        let mut t = super::ip::rtnl_err(e);
        // bridge exits 255 where ip exits 2.
        t.status = 255;
        t
    })?;
    Ok(String::new())
}

/// glibc `atoi`: leading blanks, a sign, digits; 0 when there are none.
fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, d) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n: i64 = d.bytes().take_while(u8::is_ascii_digit).fold(0i64, |a, b| {
        a.wrapping_mul(10).wrapping_add(i64::from(b - b'0'))
    });
    // int arithmetic as C would keep it.
    let n = n as i32 as i64;
    if neg {
        -n
    } else {
        n
    }
}

/// `ip link set DEV type bridge_slave OPTIONS` (`bridge_slave_parse_opt`): the same flags,
/// iproute2's `on`/`off` check (status 1).
pub fn parse_bridge_slave_args(args: &[String]) -> Result<BrPortOpts, ToolError> {
    let mut o = BrPortOpts::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if w == "cost" || w == "priority" {
            let v = args.get(i + 1).map(String::as_str).ok_or_else(|| {
                super::ip::usage("Command line is not complete. Try option \"help\"\n")
            })?;
            // get_u32 / get_u16, else invarg (status 255).
            let max = if w == "cost" { u32::MAX as u64 } else { 0xffff };
            let n = super::iplink_bridge::get_unsigned(v, max).ok_or_else(|| {
                ToolError::usage(
                    255,
                    format!("Error: argument \"{v}\" is wrong: {w} is invalid\n"),
                )
            })? as u32;
            if w == "cost" {
                o.cost = Some(n);
            } else {
                o.priority = Some(n);
            }
            i += 2;
            continue;
        }
        let Some(slot) = flag(&mut o, w) else {
            return Err(ToolError::not_modelled(format!(
                "ip link set ... type bridge_slave {w}"
            )));
        };
        let v = args.get(i + 1).map(String::as_str).ok_or_else(|| {
            super::ip::usage("Command line is not complete. Try option \"help\"\n")
        })?;
        *slot = Some(match v {
            "on" => true,
            "off" => false,
            _ => {
                return Err(super::ip::bad_arg(format!(
                    "Error: argument of \"{w}\" must be \"on\" or \"off\", not \"{v}\"\n"
                )))
            }
        });
        i += 2;
    }
    Ok(o)
}

/// `brctl hairpin BRIDGE PORT on|off` (bridge-utils 1.7.1 writes
/// `/sys/class/net/BRIDGE/brif/PORT/hairpin_mode`): status 1 on failure.
pub fn brctl_hairpin(
    k: &mut Kernel,
    ns: NsId,
    br: &str,
    port: &str,
    v: &str,
) -> Result<String, String> {
    let on = match v {
        "on" => true,
        "off" => false,
        _ => return Err("expect on/off for argument\n".into()),
    };
    let fail =
        || format!("can't set {port} to hairpin on bridge {br}: No such file or directory\n");
    let bri = k.if_nametoindex(ns, br).ok_or_else(fail)?;
    let pi = k.if_nametoindex(ns, port).ok_or_else(fail)?;
    let is_port = k
        .rtnl_link_get(ns, pi)
        .is_some_and(|l| l.master == Some(bri) && l.slave.is_some());
    if !is_port {
        return Err(fail());
    }
    let o = BrPortOpts {
        hairpin: Some(on),
        ..Default::default()
    };
    k.rtm_setlink_brport(ns, pi, &o).map_err(|_| fail())?;
    Ok(String::new())
}
