//! `ip link add|set ... type bond OPTIONS` (iproute2 6.1 `ip/iplink_bond.c`, `bond_parse_opt`):
//! `mode`, `active_slave`, `clear_active_slave`, `miimon`, `primary`, `primary_reselect`,
//! `xmit_hash_policy` and `num_grat_arp`/`num_unsol_na` are modelled; the other options are
//! known words that answer "not modelled". Texts recorded with iproute2 6.1 in the oracle VM
//! (labs nslab-bond, nslab-bond-primary) and on this machine (the parse errors' statuses).

use super::ip::{find_dev, matches, usage};
use super::ToolError;
use crate::kernel::{Kernel, NsId};
use crate::net::bonding::{
    BondOpts, BOND_MODE_NAMES, BOND_PRI_RESELECT_NAMES, BOND_XMIT_POLICY_NAMES,
};

/// The options of `bond_parse_opt` nslab does not model (all take a value).
const OTHER_OPTIONS: &[&str] = &[
    "updelay",
    "downdelay",
    "peer_notify_delay",
    "use_carrier",
    "arp_interval",
    "arp_validate",
    "arp_all_targets",
    "arp_ip_target",
    "ns_ip6_target",
    "arp_missed_max",
    "fail_over_mac",
    "lacp_active",
    "lacp_rate",
    "ad_select",
    "resend_igmp",
    "all_slaves_active",
    "min_links",
    "lp_interval",
    "packets_per_slave",
    "tlb_dynamic_lb",
    "ad_actor_sys_prio",
    "ad_user_port_key",
    "ad_actor_system",
];

fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

/// `get_index(tbl, arg)`: a name of the table or its index as a number.
fn get_index(tbl: &[&str], arg: &str) -> Option<u8> {
    if let Some(i) = tbl.iter().position(|n| *n == arg) {
        return u8::try_from(i).ok();
    }
    arg.parse::<u8>()
        .ok()
        .filter(|&i| usize::from(i) < tbl.len())
}

/// `get_u8(&val, arg, 10)`: strtoul in base 10 (an optional `+`), at most 255.
fn get_u8_base10(arg: &str) -> Option<u8> {
    let d = arg.strip_prefix('+').unwrap_or(arg);
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    d.trim_start_matches('0')
        .parse::<u16>()
        .ok()
        .map_or(d.bytes().all(|b| b == b'0').then_some(0), |n| {
            u8::try_from(n).ok()
        })
}

/// `bond_parse_opt`. Device names (`active_slave`, `primary`) are looked up in `ns`
/// (`ll_name_to_index`: `Cannot find device`, status 1).
pub fn parse_bond_args(k: &Kernel, ns: NsId, args: &[String]) -> Result<BondOpts, ToolError> {
    let mut o = BondOpts::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if matches(w, "clear_active_slave") {
            // The only option without a value: IFLA_BOND_ACTIVE_SLAVE 0.
            o.active_slave = Some(0);
            i += 1;
            continue;
        }
        let next = || {
            args.get(i + 1)
                .ok_or_else(|| usage("Command line is not complete. Try option \"help\"\n"))
        };
        if matches(w, "mode") {
            let v = next()?;
            o.mode = Some(get_index(&BOND_MODE_NAMES, v).ok_or_else(|| invarg("invalid mode", v))?);
        } else if matches(w, "active_slave") {
            o.active_slave = Some(find_dev(k, ns, next()?)?);
        } else if matches(w, "miimon") {
            let v = next()?;
            o.miimon = Some(v.parse::<u32>().map_err(|_| invarg("invalid miimon", v))?);
        } else if matches(w, "xmit_hash_policy") {
            let v = next()?;
            o.xmit_hash_policy = Some(
                get_index(&BOND_XMIT_POLICY_NAMES, v)
                    .ok_or_else(|| invarg("invalid xmit_hash_policy", v))?,
            );
        } else if matches(w, "primary") {
            o.primary = Some(find_dev(k, ns, next()?)?);
        } else if matches(w, "primary_reselect") {
            let v = next()?;
            o.primary_reselect = Some(
                get_index(&BOND_PRI_RESELECT_NAMES, v)
                    .ok_or_else(|| invarg("invalid primary_reselect", v))?,
            );
        } else if matches(w, "num_grat_arp") || matches(w, "num_unsol_na") {
            let v = next()?;
            o.num_peer_notif = Some(
                get_u8_base10(v).ok_or_else(|| invarg("invalid num_grat_arp|num_unsol_na", v))?,
            );
        } else if let Some(opt) = OTHER_OPTIONS.iter().find(|x| matches(w, x)) {
            return Err(ToolError::not_modelled(format!("bond option \"{opt}\"")));
        } else {
            return Err(ToolError::not_modelled(format!("bond option \"{w}\"")));
        }
        i += 2;
    }
    Ok(o)
}
