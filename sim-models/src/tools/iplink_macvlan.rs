//! `ip link add ... type macvlan` options (iproute2 6.1 `ip/iplink_macvlan.c` (with `nodst`),
//! `macvlan_parse_opt`): `mode`, `flag`, `nopromisc`, `macaddr`, `bcqueuelen`, with its
//! error texts. A failed parse returns -1 to `iplink_modify`, which ip exits with as 1.

use super::ip::{bad_arg, matches};
use super::ToolError;
use crate::net::macvlan::*;

const EXPLAIN: &str =
    "Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n\
\n\
MODE: private | vepa | bridge | passthru | source\n\
MODE_FLAG: null | nopromisc | nodst\n\
MODE_OPTS: for mode \"source\":\n\
\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }\n\
BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n";

/// iproute2's `NEXT_ARG()` failing: `incomplete_command`, status 255.
fn incomplete() -> ToolError {
    super::ip::usage("Command line is not complete. Try option \"help\"\n")
}

/// `get_u32(..., 0)`: strtoul with base auto-detection, the whole word, no sign games.
fn get_u32(s: &str) -> Option<u32> {
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
    u32::from_str_radix(digits, radix).ok()
}

/// `macvlan_parse_opt`.
pub fn parse_macvlan_args(args: &[String]) -> Result<MacvlanData, ToolError> {
    let mut d = MacvlanData::default();
    let mut mode = 0u32;
    let mut flags = 0u16;
    let mut has_flags = false;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        let mut value = || -> Result<&str, ToolError> {
            i += 1;
            args.get(i).map(|s| s.as_str()).ok_or_else(incomplete)
        };
        if matches(w, "mode") {
            let v = value()?;
            mode = match v {
                "private" => MACVLAN_MODE_PRIVATE,
                "vepa" => MACVLAN_MODE_VEPA,
                "bridge" => MACVLAN_MODE_BRIDGE,
                "passthru" => MACVLAN_MODE_PASSTHRU,
                "source" => MACVLAN_MODE_SOURCE,
                _ => {
                    return Err(bad_arg(format!(
                        "Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \"passthru\" or \"source\", not \"{v}\"\n"
                    )))
                }
            };
        } else if matches(w, "flag") {
            let v = value()?;
            match v {
                "nopromisc" => flags |= MACVLAN_FLAG_NOPROMISC,
                "nodst" => flags |= MACVLAN_FLAG_NODST,
                "null" => {}
                _ => return Err(bad_arg(format!(
                    "Error: argument of \"flag\" must be \"nopromisc\", \"nodst\" or \"null\", not \"{v}\"\n"
                ))),
            }
            has_flags = true;
        } else if matches(w, "macaddr") {
            let v = value()?;
            let op = match v {
                "add" => 1,
                "del" => 2,
                "flush" => 3,
                "set" => 4,
                _ => return Err(bad_arg(EXPLAIN)),
            };
            d.macaddr_mode = Some(op);
            // The addresses themselves: source-mode lists are not modelled (the kernel model
            // refuses the request), so they are only skipped here.
            if op == 1 || op == 2 {
                value()?;
            } else if op == 4 {
                while args.get(i + 1).is_some_and(|a| a.contains(':')) {
                    i += 1;
                }
            }
        } else if matches(w, "nopromisc") {
            flags |= MACVLAN_FLAG_NOPROMISC;
            has_flags = true;
        } else if matches(w, "nodst") {
            flags |= MACVLAN_FLAG_NODST;
            has_flags = true;
        } else if matches(w, "bcqueuelen") {
            let v = value()?;
            d.bc_queue_len = Some(get_u32(v).ok_or_else(|| {
                bad_arg(format!(
                    "Error: argument of \"bcqueuelen\" must be a positive integer [0-4294967295], not \"{v}\"\n"
                ))
            })?);
        } else if matches(w, "help") {
            return Err(bad_arg(EXPLAIN));
        } else {
            return Err(bad_arg(format!(
                "macvlan: unknown option \"{w}\"?\n{EXPLAIN}"
            )));
        }
        i += 1;
    }
    if mode != 0 {
        d.mode = Some(mode);
    }
    if has_flags {
        if flags & MACVLAN_FLAG_NOPROMISC != 0 && mode != MACVLAN_MODE_PASSTHRU {
            return Err(bad_arg(format!(
                "macvlan: nopromisc flag only valid in passthru mode\n{EXPLAIN}"
            )));
        }
        d.flags = Some(flags);
    }
    Ok(d)
}
