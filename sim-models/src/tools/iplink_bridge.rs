//! `ip link add|set ... type bridge OPTIONS` (iproute2 6.1 `ip/iplink_bridge.c`,
//! `bridge_parse_opt`): `forward_delay`, `hello_time`, `max_age`, `ageing_time`, `stp_state`,
//! `priority`, `mcast_snooping`, `vlan_filtering`, `vlan_protocol` and `vlan_default_pvid`
//! are modelled (STP: `net/br_stp.rs`); the other options are
//! known words that answer "not modelled". Texts recorded from iproute2 6.1.

use super::ip::{bad_arg, usage};
use super::ToolError;
use crate::net::bridge::BrDevOpts;

const EXPLAIN: &str = "Usage: ... bridge [ fdb_flush ]\n\
\t\t  [ forward_delay FORWARD_DELAY ]\n\
\t\t  [ hello_time HELLO_TIME ]\n\
\t\t  [ max_age MAX_AGE ]\n\
\t\t  [ ageing_time AGEING_TIME ]\n\
\t\t  [ stp_state STP_STATE ]\n\
\t\t  [ priority PRIORITY ]\n\
\t\t  [ group_fwd_mask MASK ]\n\
\t\t  [ group_address ADDRESS ]\n\
\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]\n\
\t\t  [ vlan_filtering VLAN_FILTERING ]\n\
\t\t  [ vlan_protocol VLAN_PROTOCOL ]\n\
\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]\n\
\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]\n\
\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]\n\
\t\t  [ mcast_snooping MULTICAST_SNOOPING ]\n\
\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]\n\
\t\t  [ mcast_router MULTICAST_ROUTER ]\n\
\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]\n\
\t\t  [ mcast_querier MULTICAST_QUERIER ]\n\
\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]\n\
\t\t  [ mcast_hash_max HASH_MAX ]\n\
\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]\n\
\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]\n\
\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]\n\
\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]\n\
\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]\n\
\t\t  [ mcast_query_interval QUERY_INTERVAL ]\n\
\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]\n\
\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]\n\
\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]\n\
\t\t  [ mcast_igmp_version IGMP_VERSION ]\n\
\t\t  [ mcast_mld_version MLD_VERSION ]\n\
\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]\n\
\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]\n\
\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]\n\
\n\
Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n";

/// Every option that takes a value, in the usage's order; iproute2 matches abbreviations
/// (`matches()`: `hello` is `hello_time`).
const OPTIONS: &[&str] = &[
    "forward_delay",
    "ageing_time",
    "stp_state",
    "mcast_snooping",
    "hello_time",
    "max_age",
    "priority",
    "group_fwd_mask",
    "group_address",
    "no_linklocal_learn",
    "vlan_filtering",
    "vlan_protocol",
    "vlan_default_pvid",
    "vlan_stats_enabled",
    "vlan_stats_per_port",
    "mcast_vlan_snooping",
    "mcast_router",
    "mcast_query_use_ifaddr",
    "mcast_querier",
    "mcast_hash_elasticity",
    "mcast_hash_max",
    "mcast_last_member_count",
    "mcast_startup_query_count",
    "mcast_last_member_interval",
    "mcast_membership_interval",
    "mcast_querier_interval",
    "mcast_query_interval",
    "mcast_query_response_interval",
    "mcast_startup_query_interval",
    "mcast_stats_enabled",
    "mcast_igmp_version",
    "mcast_mld_version",
    "nf_call_iptables",
    "nf_call_ip6tables",
    "nf_call_arptables",
];

/// `get_u32(..., 0)`: strtoul with base auto-detection over the whole word.
pub(crate) fn get_unsigned(s: &str, max: u64) -> Option<u64> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .filter(|&v| v <= max)
}

/// `bridge_parse_opt`.
pub fn parse_bridge_args(args: &[String]) -> Result<BrDevOpts, ToolError> {
    let mut o = BrDevOpts::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if w == "fdb_flush" {
            return Err(ToolError::not_modelled("bridge fdb_flush"));
        }
        if w == "help" {
            return Err(bad_arg(EXPLAIN));
        }
        let Some(&w) = OPTIONS.iter().find(|o| super::ip::matches(w, o)) else {
            return Err(bad_arg(format!(
                "bridge: unknown command \"{w}\"?\n{EXPLAIN}"
            )));
        };
        let Some(v) = args.get(i + 1) else {
            return Err(usage("Command line is not complete. Try option \"help\"\n"));
        };
        let invalid = || usage(format!("Error: argument \"{v}\" is wrong: invalid {w}\n"));
        match w {
            "forward_delay" => {
                o.forward_delay = Some(get_unsigned(v, u32::MAX.into()).ok_or_else(invalid)? as u32)
            }
            "hello_time" => {
                o.hello_time = Some(get_unsigned(v, u32::MAX.into()).ok_or_else(invalid)? as u32)
            }
            "max_age" => {
                o.max_age = Some(get_unsigned(v, u32::MAX.into()).ok_or_else(invalid)? as u32)
            }
            "priority" => {
                o.priority = Some(get_unsigned(v, u16::MAX.into()).ok_or_else(invalid)? as u16)
            }
            "ageing_time" => {
                o.ageing_time = Some(get_unsigned(v, u32::MAX.into()).ok_or_else(invalid)? as u32)
            }
            "stp_state" => {
                o.stp_state = Some(get_unsigned(v, u32::MAX.into()).ok_or_else(invalid)? as u32)
            }
            "mcast_snooping" => {
                o.mcast_snooping = Some(get_unsigned(v, 255).ok_or_else(invalid)? as u8)
            }
            "vlan_filtering" => {
                o.vlan_filtering = Some(get_unsigned(v, 255).ok_or_else(invalid)? as u8)
            }
            "vlan_default_pvid" => {
                o.vlan_default_pvid =
                    Some(get_unsigned(v, u16::MAX.into()).ok_or_else(invalid)? as u16)
            }
            // ll_proto_a2n: a protocol name or a number.
            "vlan_protocol" => {
                o.vlan_protocol = Some(match v.as_str() {
                    "802.1Q" | "802.1q" => crate::net::vlan::ETH_P_8021Q,
                    "802.1ad" | "802.1AD" => crate::net::vlan::ETH_P_8021AD,
                    _ => get_unsigned(v, u16::MAX.into()).ok_or_else(invalid)? as u16,
                })
            }
            _ => return Err(ToolError::not_modelled(format!("bridge option \"{w}\""))),
        }
        i += 2;
    }
    Ok(o)
}
