//! `ip link add ... type macvlan` options (iproute2 6.1 `ip/iplink_macvlan.c` (with `nodst`),
//! `macvlan_parse_opt`): `mode`, `flag`, `nopromisc`, `macaddr`, `bcqueuelen`, with its
//! error texts. A failed parse returns -1 to `iplink_modify`, which ip exits with as 1.

use super::ip::{bad_arg, ll_addr_a2n_len, matches};
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
                "add" => MACVLAN_MACADDR_ADD,
                "del" => MACVLAN_MACADDR_DEL,
                "flush" => MACVLAN_MACADDR_FLUSH,
                "set" => MACVLAN_MACADDR_SET,
                _ => return Err(bad_arg(EXPLAIN)),
            };
            d.macaddr_mode = Some(op);
            if op == MACVLAN_MACADDR_ADD || op == MACVLAN_MACADDR_DEL {
                let a = value()?;
                // ll_addr_a2n(mac, ETH_ALEN, ...) != ETH_ALEN: -1, silently when the bytes
                // parse but are not six.
                let b = ll_addr_a2n_len(a, 6)?;
                let mac = <[u8; 6]>::try_from(b.as_slice()).map_err(|_| bad_arg(""))?;
                d.macaddr = Some(mac);
            } else if op == MACVLAN_MACADDR_SET {
                // Every following word that is a six-byte address. (A word that is no
                // address at all ends the list as here, but iproute2 also prints
                // `"WORD" is invalid lladdr.` for it: not reproduced.)
                let mut list = Vec::new();
                while let Some(a) = args.get(i + 1) {
                    match ll_addr_a2n_len(a, 6)
                        .ok()
                        .and_then(|b| <[u8; 6]>::try_from(b.as_slice()).ok())
                    {
                        Some(mac) => {
                            list.push(mac);
                            i += 1;
                        }
                        None => break,
                    }
                }
                d.macaddr_data = Some(list);
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
