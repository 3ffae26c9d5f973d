//! `ip link add ... type ipvlan` options (iproute2 6.1 `ip/iplink_ipvlan.c`,
//! `ipvlan_parse_opt`): `mode l2|l3|l3s` and one of `bridge`, `private`, `vepa`. A failed parse
//! returns -1 to `iplink_modify`: status 1.

use super::ip::{bad_arg, matches};
use super::ToolError;
use crate::net::ipvlan::*;

const EXPLAIN: &str = "Usage: ... ipvlan [ mode MODE ] [ FLAGS ]\n\
\n\
MODE: l3 | l3s | l2\n\
FLAGS: bridge | private | vepa\n\
(first values are the defaults if nothing is specified).\n";

/// `ipvlan_parse_opt`.
pub fn parse_ipvlan_args(args: &[String]) -> Result<IpvlanData, ToolError> {
    let mut d = IpvlanData::default();
    let mut flags = 0u16;
    let mut mflag_given = false;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if matches(w, "mode") {
            i += 1;
            let Some(v) = args.get(i) else {
                return Err(super::ip::usage(
                    "Command line is not complete. Try option \"help\"\n",
                ));
            };
            d.mode =
                Some(match v.as_str() {
                    "l2" => IPVLAN_MODE_L2,
                    "l3" => IPVLAN_MODE_L3,
                    "l3s" => IPVLAN_MODE_L3S,
                    _ => return Err(bad_arg(
                        "Error: argument of \"mode\" must be either \"l2\", \"l3\" or \"l3s\"\n",
                    )),
                });
        } else if matches(w, "private") && !mflag_given {
            flags |= IPVLAN_F_PRIVATE;
            mflag_given = true;
        } else if matches(w, "vepa") && !mflag_given {
            flags |= IPVLAN_F_VEPA;
            mflag_given = true;
        } else if matches(w, "bridge") && !mflag_given {
            mflag_given = true;
        } else if matches(w, "help") {
            return Err(bad_arg(EXPLAIN));
        } else {
            return Err(bad_arg(format!(
                "ipvlan: unknown option \"{w}\"?\n{EXPLAIN}"
            )));
        }
        i += 1;
    }
    d.flags = Some(flags);
    Ok(d)
}
