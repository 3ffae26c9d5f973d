//! `ip vrf` (iproute2's `ip/ipvrf.c`) and the `type vrf` options of `ip link add`
//! (`ip/iplink_vrf.c`), with iproute2 6.1's texts and statuses.
//!
//! `ip vrf exec VRF PROG` puts PROG in the VRF's cgroup, whose BPF program binds every socket
//! PROG creates to the VRF device (`sk_bound_dev_if`): the model keeps the VRF in
//! `Kernel::exec_vrf` while PROG starts (ping reads it as the device its sockets are bound
//! to). Which programs honour it: `ping` and `ip` (whose commands make no sockets a VRF
//! would bind); any other program under `ip vrf exec` says it is not modelled.

use super::ip::{invarg, matches, usage};
use super::{Exec, ToolError, ToolOutput};
use crate::kernel::{Kernel, NsId};

/// `usage` (recorded with iproute2 6.1: tab-indented).
const USAGE: &str = "Usage:\tip vrf show [NAME] ...\n\tip vrf exec [NAME] cmd ...\n\tip vrf identify [PID]\n\tip vrf pids [NAME]\n";

/// `vrf_explain`.
const EXPLAIN: &str = "Usage: ... vrf table TABLEID\n";

/// `vrf_parse_opt`: `table TABLEID` (`rtnl_rttable_a2n`: a number or a table name), `help`.
/// Answers `IFLA_VRF_TABLE` (None when no option was given: no `IFLA_INFO_DATA`).
pub fn parse_vrf_args(args: &[String]) -> Result<Option<u32>, ToolError> {
    let mut table = None;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if matches(w, "table") {
            i += 1;
            let Some(v) = args.get(i) else {
                // NEXT_ARG: incomplete_command.
                return Err(usage("Command line is not complete. Try option \"help\"\n"));
            };
            let t = super::ip::parse_table(v)
                .or_else(|| super::iprule::get_u32_base0(v))
                .ok_or_else(|| invarg("invalid table ID\n", v))?;
            table = Some(t);
        } else if matches(w, "help") {
            // parse_opt's -1: `ip` exits 1 (do_cmd negates the handler's status).
            return Err(ToolError::usage(1, EXPLAIN));
        } else {
            return Err(ToolError::usage(
                1,
                format!("vrf: unknown option \"{w}\"?\n{EXPLAIN}"),
            ));
        }
        i += 1;
    }
    Ok(table)
}

/// `do_ipvrf` (the `exec` subcommand is [`vrf_exec`]).
pub fn ip_vrf(k: &mut Kernel, ns: NsId, args: &[String]) -> Result<ToolOutput, ToolError> {
    let Some(cmd) = args.first() else {
        return ipvrf_show(k, ns, &[]);
    };
    let rest = &args[1..];
    if matches(cmd, "identify") {
        return ipvrf_identify(k, ns, rest);
    }
    if matches(cmd, "pids") {
        return Err(ToolError::not_modelled("ip vrf pids"));
    }
    if matches(cmd, "exec") {
        // Reached only when the caller could not start a program (tools::run handles exec).
        return Err(ToolError::not_modelled("ip vrf exec here"));
    }
    if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        return ipvrf_show(k, ns, rest);
    }
    if matches(cmd, "help") {
        return Err(usage(USAGE));
    }
    Err(usage(format!(
        "Command \"{cmd}\" is unknown, try \"ip vrf help\".\n"
    )))
}

/// `ipvrf_show`: every VRF with its table, or `NAME TABLE` for one.
fn ipvrf_show(k: &Kernel, ns: NsId, args: &[String]) -> Result<ToolOutput, ToolError> {
    if args.len() > 1 {
        return Err(usage(USAGE));
    }
    if let Some(name) = args.first() {
        return match super::ip::ipvrf_get_table(k, ns, name) {
            Some(t) => Ok(ToolOutput::ok(format!("{name} {t}\n"))),
            // `return 1`, negated by do_cmd: 255.
            None => Err(ToolError::failed(255, "Invalid VRF\n")),
        };
    }
    let mut out = format!("{:<16}  {:>5}\n", "Name", "Table");
    out.push_str("-----------------------\n");
    let mut n = 0;
    for l in k.rtnl_link_dump(ns) {
        if let Some(crate::net::rtnetlink::dump::LinkInfo::Vrf { table }) = l.info {
            out.push_str(&format!("{:<16} {:>5}\n", l.name, table));
            n += 1;
        }
    }
    if n == 0 {
        out.push_str("No VRF has been configured\n");
    }
    Ok(ToolOutput::ok(out))
}

/// `ipvrf_identify`: the VRF of the calling process's cgroup (nothing printed in none).
fn ipvrf_identify(k: &Kernel, ns: NsId, args: &[String]) -> Result<ToolOutput, ToolError> {
    if args.len() > 1 {
        return Err(invarg("Extra arguments specified\n", &args[1]));
    }
    if let Some(p) = args.first() {
        if p.parse::<u32>().is_err() {
            return Err(invarg("Invalid pid\n", p));
        }
        return Err(ToolError::not_modelled("ip vrf identify PID"));
    }
    let name = match k.exec_vrf {
        Some((vns, i)) if vns == ns && i != 0 => k.rtnl_link_get(ns, i).map(|l| l.name),
        _ => None,
    };
    Ok(ToolOutput::ok(
        name.map(|n| format!("{n}\n")).unwrap_or_default(),
    ))
}

/// `ip [-n NS] vrf exec VRF PROG ARGS...` (`ipvrf_exec` → `vrf_switch`): PROG runs with its
/// sockets bound to VRF (`Kernel::exec_vrf`; `default`: to none). None when `args` is not an
/// `ip vrf exec`.
pub fn vrf_exec(k: &mut Kernel, ns: NsId, args: &[String]) -> Option<Exec> {
    let mut ns = ns;
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
        if matches!(args[i].as_str(), "-n" | "-ne" | "-net" | "-netn" | "-netns") {
            // ip_main checks the namespace; an unknown one is its error.
            let x = k.netns_get_by_name(args.get(i + 1)?)?;
            if args[i + 1] == "root" {
                return None;
            }
            ns = x;
            i += 1;
        }
        i += 1;
    }
    let obj = args.get(i)?;
    if !matches(obj, "vrf") {
        return None;
    }
    let cmd = args.get(i + 1)?;
    if !matches(cmd, "exec") {
        return None;
    }
    let err = |m: &str| Some(Exec::Done(ToolOutput::err(m.to_string(), 1)));
    let Some(name) = args.get(i + 2) else {
        return err("No VRF name specified\n");
    };
    let prog: Vec<String> = args[i + 3..].to_vec();
    if prog.is_empty() {
        return err("No command specified\n");
    }
    let ifindex = if name == "default" {
        0
    } else {
        match (
            super::ip::ipvrf_get_table(k, ns, name),
            k.if_nametoindex(ns, name),
        ) {
            (Some(_), Some(i)) => i,
            // (Recorded: 255 here, 1 for the missing arguments above.)
            _ => {
                return Some(Exec::Done(ToolOutput::err(
                    "Invalid VRF name\n".to_string(),
                    255,
                )))
            }
        }
    };
    let base = prog[0].rsplit('/').next().unwrap_or(&prog[0]);
    if !matches!(base, "ping" | "ip") {
        return Some(Exec::Done(
            ToolError::not_modelled(format!("ip vrf exec with {base}")).into(),
        ));
    }
    k.exec_vrf = Some((ns, ifindex));
    Some(Exec::InNetns(ns, prog))
}
