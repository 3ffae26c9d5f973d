//! `ip link add ... type vlan` options (iproute2 6.1 `ip/iplink_vlan.c`, `vlan_parse_opt`):
//! `protocol`, `id`, `reorder_hdr`, `gvrp`, `mvrp`, `loose_binding`, `bridge_binding`,
//! `ingress-qos-map`, `egress-qos-map`, with its error texts (`invarg`: status 255; a bad
//! on/off or an unknown word returns -1 to `iplink_modify`: status 1).

use super::ip::{bad_arg, matches, usage};
use super::ToolError;
use crate::net::vlan::*;

const EXPLAIN: &str = "Usage: ... vlan id VLANID\n\
\t\t[ protocol VLANPROTO ]\n\
\t\t[ reorder_hdr { on | off } ]\n\
\t\t[ gvrp { on | off } ]\n\
\t\t[ mvrp { on | off } ]\n\
\t\t[ loose_binding { on | off } ]\n\
\t\t[ bridge_binding { on | off } ]\n\
\t\t[ ingress-qos-map QOS-MAP ]\n\
\t\t[ egress-qos-map QOS-MAP ]\n\
\n\
VLANID := 0-4095\n\
VLANPROTO: [ 802.1Q | 802.1ad ]\n\
QOS-MAP := [ QOS-MAP ] QOS-MAPPING\n\
QOS-MAPPING := FROM:TO\n";

/// The names iproute2's `vlan_print_flags` gives the IFLA_VLAN_FLAGS bits, in its order.
pub(crate) const VLAN_FLAG_NAMES: [(u32, &str); 5] = [
    (VLAN_FLAG_REORDER_HDR, "REORDER_HDR"),
    (VLAN_FLAG_GVRP, "GVRP"),
    (VLAN_FLAG_MVRP, "MVRP"),
    (VLAN_FLAG_LOOSE_BINDING, "LOOSE_BINDING"),
    (VLAN_FLAG_BRIDGE_BINDING, "BRIDGE_BINDING"),
];

/// `ll_proto_n2a` for IFLA_VLAN_PROTOCOL: `802.1Q`, `802.1ad`, else the number in hex.
pub(crate) fn vlan_proto_name(p: u16) -> String {
    match p {
        ETH_P_8021Q => "802.1Q".to_string(),
        ETH_P_8021AD => "802.1ad".to_string(),
        p => format!("0x{p:04x}"),
    }
}

fn invarg(msg: &str, arg: &str) -> ToolError {
    usage(format!("Error: argument \"{arg}\" is wrong: {msg}\n"))
}

/// `get_u16(..., 0)` / `get_u32`: strtoul with base auto-detection over the whole word.
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

/// `ll_proto_a2n`: a name from iproute2's table (case-insensitive; the ones a VLAN protocol is
/// given as, plus the common payload types), else a number.
fn ll_proto_a2n(s: &str) -> Option<u16> {
    let names: [(&str, u16); 6] = [
        ("802.1Q", ETH_P_8021Q),
        ("802.1ad", ETH_P_8021AD),
        ("ip", 0x0800),
        ("arp", 0x0806),
        ("ipv6", 0x86dd),
        ("all", 0x0003),
    ];
    names
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|x| x.1)
        .or_else(|| get_unsigned(s, 0xffff).map(|v| v as u16))
}

/// `vlan_parse_opt`.
pub fn parse_vlan_args(args: &[String]) -> Result<VlanData, ToolError> {
    let mut d = VlanData::default();
    let (mut flags, mut mask) = (0u32, 0u32);
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        let mut value = || -> Result<&str, ToolError> {
            i += 1;
            args.get(i)
                .map(|s| s.as_str())
                .ok_or_else(|| usage("Command line is not complete. Try option \"help\"\n"))
        };
        let on_off = [
            ("reorder_hdr", VLAN_FLAG_REORDER_HDR),
            ("gvrp", VLAN_FLAG_GVRP),
            ("mvrp", VLAN_FLAG_MVRP),
            ("loose_binding", VLAN_FLAG_LOOSE_BINDING),
            ("bridge_binding", VLAN_FLAG_BRIDGE_BINDING),
        ];
        if matches(w, "protocol") {
            let v = value()?;
            d.proto = Some(ll_proto_a2n(v).ok_or_else(|| invarg("protocol is invalid", v))?);
        } else if matches(w, "id") {
            let v = value()?;
            d.id = Some(get_unsigned(v, 0xffff).ok_or_else(|| invarg("id is invalid", v))? as u16);
        } else if let Some(&(name, bit)) = on_off.iter().find(|(n, _)| matches(w, n)) {
            let v = value()?;
            mask |= bit;
            match v {
                "on" => flags |= bit,
                "off" => flags &= !bit,
                _ => {
                    return Err(bad_arg(format!(
                        "Error: argument of \"{name}\" must be \"on\" or \"off\", not \"{v}\"\n"
                    )))
                }
            }
        } else if matches(w, "ingress-qos-map") || matches(w, "egress-qos-map") {
            let what = if matches(w, "ingress-qos-map") {
                "invalid ingress-qos-map"
            } else {
                "invalid egress-qos-map"
            };
            value()?;
            // vlan_parse_qos_map → parse_mapping: FROM:TO words up to the first that is not
            // one (which the option loop then reads: `continue`, no skip); a bad number stops
            // with invarg naming the word up to its colon.
            let mut map = Vec::new();
            while let Some((from, to)) = args.get(i).and_then(|a| a.split_once(':')) {
                let key = get_unsigned(from, u64::from(u32::MAX));
                let val = get_unsigned(to, u64::from(u32::MAX));
                match (key, val) {
                    (Some(k), Some(v)) => map.push((k as u32, v as u32)),
                    _ => return Err(invarg(what, from)),
                }
                i += 1;
            }
            let slot = if what.starts_with("invalid in") {
                &mut d.ingress_qos
            } else {
                &mut d.egress_qos
            };
            // A second occurrence is a second nest: the kernel reads only the last.
            *slot = Some(map);
            continue;
        } else if matches(w, "help") {
            return Err(bad_arg(EXPLAIN));
        } else {
            return Err(bad_arg(format!(
                "vlan: unknown command \"{w}\"?\n{EXPLAIN}"
            )));
        }
        i += 1;
    }
    if mask != 0 {
        d.flags = Some((flags, mask));
    }
    Ok(d)
}
