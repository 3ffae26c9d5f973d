//! `birdc` output, in BIRD 2.0.12's formats (`nest/proto.c` `proto_cmd_show`, `nest/rt-show.c`
//! `rt_show_rte`, `nest/cmds.c` `cmd_show_status`, `proto/bgp/bgp.c` `bgp_show_proto_info`), as
//! the non-verbose client prints them (reply codes stripped).

use super::fsm::ProtoState;
use super::{Bird, ProtoRt};
use crate::apps::bird::config::ProtoKind;
use crate::kernel::{Kernel, NsId};
use sim_core::Instant;
use std::fmt::Write;

pub const VERSION: &str = "2.0.12";

/// `hh:mm:ss.mmm` of a simulated instant (the day starts at the simulation's epoch).
pub fn tm_time(t: Instant) -> String {
    let ms = t.as_nanos() / 1_000_000;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        (ms / 3_600_000) % 24,
        (ms / 60_000) % 60,
        (ms / 1000) % 60,
        ms % 1000
    )
}

/// `YYYY-MM-DD hh:mm:ss.mmm`; the simulation's epoch is 1970-01-01 00:00.
pub fn tm_datetime(t: Instant) -> String {
    let days = (t.as_nanos() / 86_400_000_000_000) as i64;
    let (y, m, d) = crate::apps::http_server::civil(days);
    format!("{y}-{m:02}-{d:02} {}", tm_time(t))
}

fn state_name(p: &ProtoRt) -> &'static str {
    match p.state {
        ProtoState::Down => "down",
        ProtoState::Start => "start",
        ProtoState::Up => "up",
    }
}

fn table_name(p: &ProtoRt) -> &'static str {
    match p.cfg.kind {
        // only the kernel protocol sets a main channel (direct's are per address family)
        ProtoKind::Kernel { .. } => "master4",
        _ => "---",
    }
}

fn info(p: &ProtoRt) -> String {
    match &p.bgp {
        Some(s) => {
            let mut st = s.info_state().to_string();
            if p.state == ProtoState::Down {
                st = "Down".into();
            }
            match &s.last_error {
                Some(e) if s.up.is_none() => format!("{:<14}{}", st, e),
                _ => format!("{:<14}", st),
            }
        }
        None => String::new(),
    }
}

fn proto_line(p: &ProtoRt) -> String {
    format!(
        "{:<10} {:<10} {:<10} {:<6} {:<12}  {}\n",
        p.cfg.name,
        p.cfg.kind.class(),
        table_name(p),
        state_name(p),
        tm_time(p.since),
        info(p)
    )
}

/// `show protocols [all] [NAME]`.
pub fn show_protocols(
    k: &Kernel,
    ns: NsId,
    b: &Bird,
    all: bool,
    name: Option<&str>,
) -> Result<String, String> {
    let mut s = String::from("Name       Proto      Table      State  Since         Info\n");
    let mut n = 0;
    for (i, p) in b.protos.iter().enumerate() {
        if name.is_some_and(|x| x != p.cfg.name) {
            continue;
        }
        n += 1;
        s += &proto_line(p);
        if all {
            s += &proto_details(k, ns, b, i);
            s += "\n";
        }
    }
    if n == 0 {
        return Err(
            "syntax error, unexpected CF_SYM_UNDEFINED, expecting CF_SYM_KNOWN or TEXT or ALL"
                .into(),
        );
    }
    Ok(s)
}

fn proto_details(k: &Kernel, ns: NsId, b: &Bird, i: usize) -> String {
    let p = &b.protos[i];
    let mut s = String::new();
    if let Some(sess) = &p.bgp {
        let _ = writeln!(s, "  BGP state:          {}", sess.info_state());
        let _ = writeln!(s, "    Neighbor address: {}", sess.cfg.neighbor);
        let _ = writeln!(s, "    Neighbor AS:      {}", sess.cfg.remote_as);
        let _ = writeln!(s, "    Local AS:         {}", sess.cfg.local_as);
        if sess.up.is_some() {
            if let Some(id) = sess.remote_id {
                let _ = writeln!(s, "    Neighbor ID:      {}", id);
            }
            s += "    Local capabilities\n";
            s += &caps_text(&super::bgp::bird_open(sess.cfg.local_as, 0, sess.local_id).caps);
            s += "    Neighbor capabilities\n";
            s += &caps_text(&sess.remote_caps);
            let internal = sess.cfg.local_as == sess.cfg.remote_as;
            let _ = writeln!(
                s,
                "    Session:          {} AS4",
                if internal {
                    "internal multihop"
                } else {
                    "external"
                }
            );
            if let Some(src) = sess
                .cfg
                .local_ip
                .or_else(|| k.bird_local_addr(ns, sess.cfg.neighbor))
            {
                let _ = writeln!(s, "    Source address:   {}", src);
            }
            let c = match sess.up {
                Some(super::fsm::Side::Out) => &sess.out,
                _ => &sess.inc,
            };
            let left = |t: Option<Instant>| {
                t.map_or(0.0, |t| {
                    t.saturating_since(k.ktime_get_real()).as_nanos() as f64 / 1e9
                })
            };
            let _ = writeln!(
                s,
                "    Hold timer:       {:.3}/{}",
                left(c.hold_timer),
                c.hold_time
            );
            let _ = writeln!(
                s,
                "    Keepalive timer:  {:.3}/{}",
                left(c.keepalive_timer),
                c.keepalive_time
            );
        } else if sess.out.state == super::fsm::ConnState::Active {
            if let Some(t) = sess.out.connect_timer {
                let _ = writeln!(
                    s,
                    "    Connect delay:    {:.3}/{}",
                    t.saturating_since(k.ktime_get_real()).as_nanos() as f64 / 1e9,
                    sess.cfg.connect_delay_time
                );
            }
        }
        if sess.up.is_none() {
            if let Some(e) = &sess.last_error {
                let (kind, msg) = e.split_once(": ").unwrap_or(("Error", e));
                let m = if kind == "Received" {
                    format!("Received: {}", msg)
                } else {
                    msg.to_string()
                };
                let _ = writeln!(s, "    Last error:       {}", m);
            }
        }
    }
    let (import, export, pref) = match &p.cfg.kind {
        ProtoKind::Kernel { channel, .. } => (&channel.import, &channel.export, 10),
        ProtoKind::Direct { channel, .. } => (&channel.import, &channel.export, 240),
        ProtoKind::Bgp(c) => (&c.channel.import, &c.channel.export, 100),
        ProtoKind::Device { .. } => return s,
    };
    let fname = |f: &super::config::Filter| match f {
        super::config::Filter::All => "ACCEPT",
        super::config::Filter::None => "REJECT",
        super::config::Filter::Stmts(_) => "(unnamed)",
    };
    let imported = b
        .rib
        .values()
        .filter(|v| v.iter().any(|r| r.proto == i))
        .count();
    let preferred = b
        .rib
        .keys()
        .filter(|pfx| b.best(pfx).is_some_and(|r| r.proto == i))
        .count();
    let exported = if p.bgp.is_some() {
        p.sent.len()
    } else {
        p.installed.len()
    };
    s += "  Channel ipv4\n";
    let up = p.state == ProtoState::Up;
    let _ = writeln!(s, "    State:          {}", if up { "UP" } else { "DOWN" });
    s += "    Table:          master4\n";
    let _ = writeln!(s, "    Preference:     {}", pref);
    let _ = writeln!(s, "    Input filter:   {}", fname(import));
    let _ = writeln!(s, "    Output filter:  {}", fname(export));
    if up {
        let _ = writeln!(
            s,
            "    Routes:         {} imported, {} exported, {} preferred",
            imported, exported, preferred
        );
    }
    s
}

/// `bgp_show_capabilities`' lines for a capability list.
fn caps_text(caps: &[super::bgp::Cap]) -> String {
    use super::bgp::Cap;
    let mut s = String::new();
    let afs: Vec<&str> = caps
        .iter()
        .filter_map(|c| match c {
            Cap::Mp(1, 1) => Some("ipv4"),
            Cap::Mp(2, 1) => Some("ipv6"),
            Cap::Mp(..) => Some("unknown"),
            _ => None,
        })
        .collect();
    if !afs.is_empty() {
        let _ = writeln!(
            s,
            "      Multiprotocol\n        AF announced: {}",
            afs.join(" ")
        );
    }
    for c in caps {
        let line = match c {
            Cap::RouteRefresh => "Route refresh",
            Cap::GracefulRestart { .. } => "Graceful restart",
            Cap::As4(_) => "4-octet AS numbers",
            Cap::EnhancedRefresh => "Enhanced refresh",
            Cap::Llgr => "Long-lived graceful restart",
            _ => continue,
        };
        let _ = writeln!(s, "      {}", line);
    }
    s
}

/// `show route [all]`.
pub fn show_route(k: &Kernel, b: &Bird, all: bool) -> String {
    let mut s = String::from("Table master4:\n");
    for (pfx, v) in &b.rib {
        let best = b.best(pfx);
        let mut first = true;
        let mut order: Vec<&super::Rte> = Vec::new();
        if let Some(bst) = best {
            order.push(bst);
        }
        order.extend(v.iter().filter(|r| Some(*r) != best));
        for r in order {
            let net = if first {
                format!("{}/{}", pfx.0, pfx.1)
            } else {
                String::new()
            };
            first = false;
            let from = match (r.from, r.gw) {
                (Some(f), Some(g)) if f != g => format!(" from {}", f),
                _ => String::new(),
            };
            let primary = if Some(r) == best { " *" } else { "" };
            let inf = match &r.attrs {
                Some(a) => format!(
                    " ({}) [{}{}]",
                    r.pref,
                    a.as_path
                        .last()
                        .map_or(String::new(), |x| format!("AS{}", x)),
                    ["i", "e", "?"][usize::from(a.origin.min(2))]
                ),
                None => format!(" ({})", r.pref),
            };
            let _ = writeln!(
                s,
                "{:<20} unicast [{} {}{}]{}{}",
                net,
                b.protos[r.proto].cfg.name,
                tm_time(r.since),
                from,
                primary,
                inf
            );
            let dev = k.if_indextoname(b.ns, r.dev).unwrap_or_default();
            match r.gw {
                Some(g) => {
                    let _ = writeln!(s, "\tvia {} on {}", g, dev);
                }
                None => {
                    let _ = writeln!(s, "\tdev {}", dev);
                }
            }
            if all {
                match &r.attrs {
                    Some(a) => {
                        s += "\tType: BGP univ\n";
                        let _ = writeln!(
                            s,
                            "\tBGP.origin: {}",
                            ["IGP", "EGP", "Incomplete"][usize::from(a.origin.min(2))]
                        );
                        let path: Vec<String> = a.as_path.iter().map(|x| x.to_string()).collect();
                        let _ = writeln!(s, "\tBGP.as_path: {}", path.join(" "));
                        if let Some(nh) = a.next_hop {
                            let _ = writeln!(s, "\tBGP.next_hop: {}", nh);
                        }
                        s += "\tBGP.local_pref: 100\n";
                    }
                    None => s += "\tType: device univ\n",
                }
            }
        }
    }
    s
}

/// `show status`.
pub fn show_status(k: &Kernel, b: &Bird) -> String {
    format!(
        "BIRD {v}\nRouter ID is {id}\nCurrent server time is {now}\nLast reboot on {boot}\nLast reconfiguration on {boot}\nDaemon is up and running\n",
        v = VERSION,
        id = b.router_id,
        now = tm_datetime(k.ktime_get_real()),
        boot = tm_datetime(b.started)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::Duration;

    #[test]
    fn times() {
        let t = Instant::EPOCH + Duration::from_millis(11 * 3_600_000 + 46 * 60_000 + 36_977);
        assert_eq!(tm_time(t), "11:46:36.977");
        assert_eq!(tm_datetime(t), "1970-01-01 11:46:36.977");
    }
}

#[cfg(test)]
mod date_tests {
    use super::tm_datetime;
    use sim_core::Instant;

    #[test]
    fn datetimes_carry_into_months_and_years() {
        assert_eq!(tm_datetime(Instant(0)), "1970-01-01 00:00:00.000");
        let day = 86_400_000_000_000u64;
        assert_eq!(
            tm_datetime(Instant(40 * day + 1_500_000_000)),
            "1970-02-10 00:00:01.500"
        );
        assert_eq!(tm_datetime(Instant(365 * day)), "1971-01-01 00:00:00.000");
    }
}
