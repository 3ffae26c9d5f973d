//! `ip link add|set ... type bond OPTIONS` (iproute2 6.1 `ip/iplink_bond.c`, `bond_parse_opt`):
//! `mode`, `miimon` and `xmit_hash_policy` are modelled; the other options are known words that
//! answer "not modelled". Texts recorded with iproute2 6.1 in the oracle VM (lab nslab-bond).

use super::ip::{matches, usage};
use super::ToolError;
use crate::net::bonding::{BondOpts, BOND_MODE_NAMES, BOND_XMIT_POLICY_NAMES};

/// The options of `bond_parse_opt` nslab does not model (all take a value).
const OTHER_OPTIONS: &[&str] = &[
    "active_slave",
    "clear_active_slave",
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
    "primary",
    "primary_reselect",
    "fail_over_mac",
    "lacp_active",
    "lacp_rate",
    "ad_select",
    "num_grat_arp",
    "num_unsol_na",
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

/// `bond_parse_opt`.
pub fn parse_bond_args(args: &[String]) -> Result<BondOpts, ToolError> {
    let mut o = BondOpts::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        let next = || {
            args.get(i + 1)
                .ok_or_else(|| usage("Command line is not complete. Try option \"help\"\n"))
        };
        if matches(w, "mode") {
            let v = next()?;
            o.mode = Some(get_index(&BOND_MODE_NAMES, v).ok_or_else(|| invarg("invalid mode", v))?);
        } else if matches(w, "miimon") {
            let v = next()?;
            o.miimon = Some(v.parse::<u32>().map_err(|_| invarg("invalid miimon", v))?);
        } else if matches(w, "xmit_hash_policy") {
            let v = next()?;
            o.xmit_hash_policy = Some(
                get_index(&BOND_XMIT_POLICY_NAMES, v)
                    .ok_or_else(|| invarg("invalid xmit_hash_policy", v))?,
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
