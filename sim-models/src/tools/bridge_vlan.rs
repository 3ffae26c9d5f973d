//! `bridge [-n NS] [-d] vlan { add | del } dev DEV vid VID[-VID_END] [pvid] [untagged] [self]
//! [master]` and `bridge vlan [show] [dev DEV]` (iproute2 6.1 `bridge/vlan.c`: `vlan_modify`,
//! `vlan_show`). Texts recorded with iproute2 6.1 in the oracle VM (lab nslab-bridge-vlan).

use super::{ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};
use crate::net::br_vlan::{
    BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_RANGE_BEGIN, BRIDGE_VLAN_INFO_RANGE_END,
    BRIDGE_VLAN_INFO_UNTAGGED,
};
use crate::net::rtnetlink::br_netlink::{BridgeVlanInfo, BRIDGE_FLAGS_MASTER, BRIDGE_FLAGS_SELF};
use std::fmt::Write;

/// Every failure of `bridge` exits 255 (`return -1` from main).
fn fail(msg: impl Into<String>) -> ToolError {
    ToolError::usage(255, msg)
}

/// `bridge vlan ...` (the arguments after `vlan`).
pub fn bridge_vlan(
    k: &mut Kernel,
    ns: NsId,
    args: &[String],
    o: &super::bridge_link::BridgeOpts,
) -> ToolOutput {
    let r = match args.first().map(String::as_str) {
        None => Ok(vlan_show_as(k, ns, None, o)),
        Some(c) if super::ip::matches(c, "add") => vlan_modify(k, ns, &args[1..], false),
        Some(c) if super::ip::matches(c, "delete") => vlan_modify(k, ns, &args[1..], true),
        Some(c) if super::ip::matches(c, "show") || super::ip::matches(c, "list") => {
            show_args(k, ns, &args[1..], o)
        }
        Some(c) if super::ip::matches(c, "set") || super::ip::matches(c, "global") => {
            Err(ToolError::not_modelled(format!("bridge vlan {c}")))
        }
        Some(c) => Err(fail(format!(
            "Command \"{c}\" is unknown, try \"bridge vlan help\".\n"
        ))),
    };
    match r {
        Ok(s) => ToolOutput::ok(s),
        Err(e) => e.into(),
    }
}

/// `vlan_show` as text, or as JSON with `-j`.
fn vlan_show_as(
    k: &Kernel,
    ns: NsId,
    dev: Option<u32>,
    o: &super::bridge_link::BridgeOpts,
) -> String {
    if o.json {
        vlan_show_json(k, ns, dev, o.details, o.pretty)
    } else {
        vlan_show(k, ns, dev, o.details)
    }
}

fn show_args(
    k: &Kernel,
    ns: NsId,
    args: &[String],
    o: &super::bridge_link::BridgeOpts,
) -> Result<String, ToolError> {
    let mut dev = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "dev" => {
                i += 1;
                let Some(d) = args.get(i) else {
                    return Err(fail("Command line is not complete. Try option \"help\"\n"));
                };
                dev = Some(d.clone());
            }
            "vid" => return Err(ToolError::not_modelled("bridge vlan show vid")),
            w => {
                return Err(fail(format!(
                    "Command \"{w}\" is unknown, try \"bridge vlan help\".\n"
                )))
            }
        }
        i += 1;
    }
    let dev = match dev {
        Some(d) => match k.if_nametoindex(ns, &d) {
            Some(i) => Some(i),
            None => return Err(fail(format!("Cannot find device \"{d}\"\n"))),
        },
        None => None,
    };
    Ok(vlan_show_as(k, ns, dev, o))
}

/// `vlan_modify`: iproute2's own checks, then `RTM_SETLINK`/`RTM_DELLINK` (`AF_BRIDGE`).
/// Unknown words are skipped, as iproute2 6.1 does.
fn vlan_modify(k: &mut Kernel, ns: NsId, args: &[String], del: bool) -> Result<String, ToolError> {
    let mut dev: Option<&str> = None;
    let mut vid: i64 = -1;
    let mut vid_end: i64 = -1;
    let mut vflags = 0u16;
    let mut flags = 0u16;
    let mut i = 0;
    let next = |i: &mut usize| -> Result<&String, ToolError> {
        *i += 1;
        args.get(*i)
            .ok_or_else(|| fail("Command line is not complete. Try option \"help\"\n"))
    };
    while i < args.len() {
        match args[i].as_str() {
            "dev" => dev = Some(next(&mut i)?),
            "vid" => {
                let v = next(&mut i)?;
                match v.split_once('-') {
                    Some((a, b)) => {
                        vid = atoi(a);
                        vid_end = atoi(b);
                        vflags |= BRIDGE_VLAN_INFO_RANGE_BEGIN;
                    }
                    None => vid = atoi(v),
                }
            }
            "self" => flags |= BRIDGE_FLAGS_SELF,
            "master" => flags |= BRIDGE_FLAGS_MASTER,
            "pvid" => vflags |= BRIDGE_VLAN_INFO_PVID,
            "untagged" => vflags |= BRIDGE_VLAN_INFO_UNTAGGED,
            "tunnel_info" => return Err(ToolError::not_modelled("bridge vlan tunnel_info")),
            _ => {}
        }
        i += 1;
    }
    let Some(d) = dev.filter(|_| vid != -1) else {
        return Err(fail("Device and VLAN ID are required arguments.\n"));
    };
    // `%hu` of the ints.
    let hu = |v: i64| v as u16;
    if hu(vid) >= 4096 {
        return Err(fail(format!("Invalid VLAN ID \"{}\"\n", hu(vid))));
    }
    if vflags & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 {
        if vid_end == -1 || hu(vid_end) >= 4096 || hu(vid) >= hu(vid_end) {
            return Err(fail(format!(
                "Invalid VLAN range \"{}-{}\"\n",
                hu(vid),
                hu(vid_end)
            )));
        }
        if vflags & BRIDGE_VLAN_INFO_PVID != 0 {
            return Err(fail("pvid cannot be configured for a vlan range\n"));
        }
    }
    let Some(ifindex) = k.if_nametoindex(ns, d) else {
        return Err(fail(format!("Cannot find bridge device \"{d}\"\n")));
    };
    let vinfo = if vflags & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 {
        vec![
            BridgeVlanInfo {
                flags: vflags,
                vid: hu(vid),
            },
            BridgeVlanInfo {
                flags: (vflags & !BRIDGE_VLAN_INFO_RANGE_BEGIN) | BRIDGE_VLAN_INFO_RANGE_END,
                vid: hu(vid_end),
            },
        ]
    } else {
        vec![BridgeVlanInfo {
            flags: vflags,
            vid: hu(vid),
        }]
    };
    let flags = (flags != 0).then_some(flags);
    k.rtnl_bridge_setlink_vlan(ns, ifindex, flags, &vinfo, del)
        .map(|_| String::new())
        .map_err(|e| {
            let mut t = super::ip::rtnl_err(e);
            if t.kind != super::ErrorKind::NotModelled {
                t.status = 255;
            }
            t
        })
}

/// C `atoi`: leading blanks, a sign, digits; 0 when there are none.
fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let v = digits
        .chars()
        .take(10)
        .fold(0i64, |a, c| a * 10 + i64::from(c as u8 - b'0'));
    let v = i64::from(v as i32);
    if neg {
        -v
    } else {
        v
    }
}

/// `vlan_show`: the header, then per device its VLANs (`print_vlan_info`); with `-d` the
/// per-VLAN options of the `RTM_GETVLAN` dump (`state forwarding mcast_router 1`), where a run
/// of consecutive VLANs with the same flags is one range.
pub fn vlan_show(k: &Kernel, ns: NsId, dev: Option<u32>, details: bool) -> String {
    let mut out = format!("{:<16}  vlan-id  \n", "port");
    for (name, rows) in vlan_rows(k, ns, dev, details) {
        for (n, (vid, end, flags)) in rows.into_iter().enumerate() {
            let name = if n == 0 { name.as_str() } else { "" };
            let _ = write!(out, "{name:<16}  {vid}");
            if end != vid {
                let _ = write!(out, "-{end}");
            }
            if flags & BRIDGE_VLAN_INFO_PVID != 0 {
                out.push_str(" PVID");
            }
            if flags & BRIDGE_VLAN_INFO_UNTAGGED != 0 {
                out.push_str(" Egress Untagged");
            }
            out.push('\n');
            if details {
                out.push_str("                    state forwarding mcast_router 1 \n");
            }
        }
    }
    out
}

/// One row of `bridge vlan show`: `(vid, vid_end, flags)`.
type VlanRow = (u16, u16, u16);

/// Each device's VLAN rows `(vid, vid_end, flags)`: one per VLAN, or with `-d` (the
/// `RTM_GETVLAN` dump) a run of consecutive VLANs with the same flags as one range.
fn vlan_rows(k: &Kernel, ns: NsId, dev: Option<u32>, details: bool) -> Vec<(String, Vec<VlanRow>)> {
    let mut v = Vec::new();
    for d in k.rtnl_bridge_vlan_dump(ns) {
        if dev.is_some_and(|i| i != d.ifindex) {
            continue;
        }
        let mut rows: Vec<(u16, u16, u16)> = Vec::new();
        for x in &d.vlans {
            match rows.last_mut() {
                Some(r)
                    if details
                        && r.1 + 1 == x.vid
                        && r.2 == x.flags
                        && x.flags & BRIDGE_VLAN_INFO_PVID == 0 =>
                {
                    r.1 = x.vid
                }
                _ => rows.push((x.vid, x.vid, x.flags)),
            }
        }
        v.push((d.name.clone(), rows));
    }
    v
}

/// `bridge -j [-d] vlan show`: iproute2 6.1's `{"ifname", "vlans": [{"vlan", "vlanEnd",
/// "flags", "state", "mcast_router"}]}` per device (recorded on the VM's 6.1 kernel).
fn vlan_show_json(k: &Kernel, ns: NsId, dev: Option<u32>, details: bool, pretty: bool) -> String {
    use super::show::json::{render, J};
    let devs = vlan_rows(k, ns, dev, details)
        .into_iter()
        .map(|(name, rows)| {
            let vlans = rows
                .into_iter()
                .map(|(vid, end, flags)| {
                    let mut m: Vec<(&'static str, J)> = vec![("vlan", J::Num(i64::from(vid)))];
                    if end != vid {
                        m.push(("vlanEnd", J::Num(i64::from(end))));
                    }
                    let mut f = Vec::new();
                    if flags & BRIDGE_VLAN_INFO_PVID != 0 {
                        f.push(J::Str("PVID".into()));
                    }
                    if flags & BRIDGE_VLAN_INFO_UNTAGGED != 0 {
                        f.push(J::Str("Egress Untagged".into()));
                    }
                    if !f.is_empty() {
                        m.push(("flags", J::Arr(f)));
                    }
                    if details {
                        m.push(("state", J::Str("forwarding".into())));
                        m.push(("mcast_router", J::Num(1)));
                    }
                    J::Obj(m)
                })
                .collect();
            J::Obj(vec![("ifname", J::Str(name)), ("vlans", J::Arr(vlans))])
        })
        .collect();
    render(&J::Arr(devs), pretty)
}
