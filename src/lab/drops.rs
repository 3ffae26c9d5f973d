//! `nslab run --drops`: every frame that was not delivered — where (namespace, device), the
//! kernel's drop reason and function, and, for a person reading it, which packet it was and
//! why in the lab's terms (forwarding off on `cni0`, the veth peer `veth-c1` down, no route).
//! The packet and the decision before the drop come from the trace (the runner turns it on
//! with `--drops`); without it the lines keep the kernel's words only.

use super::Lab;
use sim_models::dropreason::SkbDropReason;
use sim_models::net::rtnetlink::dump::{LinkInfo, LinkMsg};
use sim_models::tcpdump::{Formatter, Opts};
use sim_models::tools::sysctl;

/// The drop report (`### drops`, one entry per drop, then the counts per reason), or a line
/// saying that nothing was dropped.
pub fn drops_report(lab: &Lab) -> String {
    let mut s = String::from("### drops\n");
    let k = &lab.kernel;
    if k.drops.is_empty() && k.drop_counts.is_empty() {
        s += "no frame was dropped\n";
        return s;
    }
    let ifaces = lab.interfaces();
    let packets = lab.packets();
    for d in &k.drops {
        s += &format!(
            "{} {} {} drop {} in {}\n",
            d.time,
            if d.ns.is_empty() { "-" } else { &d.ns },
            if d.dev.is_empty() { "-" } else { &d.dev },
            d.reason,
            d.location
        );
        let note = d.note.and_then(|i| k.tracer.notes.get(i));
        if let Some(p) = note.and_then(|n| n.pkt).and_then(|i| packets.get(i)) {
            let opts = Opts {
                eflag: false,
                vflag: 0,
                nflag: 2,
                aflag: false,
            };
            let text = Formatter::with_opts(opts).format(ifaces[p.iface].linktype, p.data);
            s += &format!(
                "    packet: {} (last seen on {})\n",
                text.trim_end().replace('\n', " "),
                ifaces[p.iface].name
            );
        }
        s += &format!("    why: {}\n", why(lab, &d.ns, &d.dev, d.reason));
        // The decision just before the drop in the packet's journey (a route, a rule).
        if let (Some(i), Some(n)) = (d.note, note) {
            let before = k.tracer.notes[..i].iter().rev().find(|p| {
                p.journey == n.journey && !p.text.contains(": rx ") && !p.text.contains(": tx ")
            });
            if let Some(b) = before {
                s += &format!("    after: {} {}\n", b.ns, b.text);
            }
        }
    }
    for (r, n) in &k.drop_counts {
        s += &format!("{}: {}\n", r, n);
    }
    s
}

/// The drop reason in the lab's terms.
fn why(lab: &Lab, ns: &str, dev: &str, reason: SkbDropReason) -> String {
    use SkbDropReason::*;
    let on = if dev.is_empty() {
        String::new()
    } else {
        format!(" on {dev}")
    };
    match reason {
        NotSpecified => "dropped without a specific reason (e.g. a multicast packet nothing routes)".into(),
        NoSocket => format!("nothing listens on the destination port in {ns} (the sender gets ICMP port unreachable or a TCP reset)"),
        PktTooSmall => "the frame is too short for its headers".into(),
        OtherHost => format!("the frame is addressed to another MAC than {dev}'s: not for this host"),
        IpCsum | IcmpCsum | UdpCsum => "a checksum is wrong".into(),
        IpInhdr => "the IP header is invalid".into(),
        IpTtlExceeded => "its TTL ran out (a routing loop, or too many hops)".into(),
        IpRpfilter => format!("reverse-path filter{on}: {ns} would not reach the source back through {dev} (net.ipv4.conf.{dev}.rp_filter)"),
        IpInAddrErrors => {
            let fwd = lab
                .kernel
                .ns_by_name(if ns.is_empty() { "root" } else { ns })
                .and_then(|n| sysctl::sysctl_read(&lab.kernel, n, &format!("net.ipv4.conf.{dev}.forwarding")).ok());
            format!(
                "the packet is for another host and forwarding is off on {dev} (net.ipv4.conf.{dev}.forwarding={}): {ns} does not route it",
                fwd.as_deref().map(str::trim).unwrap_or("0")
            )
        }
        IpInNoRoutes => format!("{ns} has no route for the destination"),
        IpOutNoRoutes => format!("{ns} has no route to the destination (ip route)"),
        IpLocalSource => format!("its source address is one of {ns}'s own: it came back (a loop or a duplicate address)"),
        IpInvalidSource => "its source address cannot be a sender's (martian: loopback, multicast or broadcast)".into(),
        NeighFailed => format!("the next hop did not answer ARP{on}: the neighbour entry is FAILED (wrong address, or the peer is down or not on this link)"),
        NeighQueueFull => format!("too many packets were waiting for an ARP answer{on}"),
        NeighCreateFail => format!("the neighbour table is full (gc_thresh3 entries that gc cannot free): no entry for the next hop{on}"),
        NeighDead => "the neighbour entry was deleted while the packet waited".into(),
        UnhandledProto => "no protocol handler for this frame type".into(),
        IpNoproto => format!("{ns} has no handler for this IP protocol (e.g. an IPIP packet without a tunnel device)"),
        DevReady | VethPeerDown => {
            let up = link(lab, ns, dev).is_some_and(|l| l.is_up());
            match veth_peer(lab, ns, dev) {
                Some(p) if up || reason == VethPeerDown => format!(
                    "{dev} has no carrier: the other end of {dev}, {p}, is down (ip link set {} up)",
                    p.rsplit(':').next().unwrap_or(&p)
                ),
                _ if !up && !dev.is_empty() => format!("{dev} is down (ip link set {dev} up)"),
                _ => format!("{dev} is down or has no carrier"),
            }
        }
        PktTooBig => format!("larger than the MTU{on} with don't-fragment set"),
        MacInvalidSource => "its source MAC is invalid (multicast or zero)".into(),
        BridgeNoPort => format!("the bridge {dev} has no port to forward it to"),
        BridgeLoop => "the frame came back to the bridge it left (a loop)".into(),
        NetfilterDrop => format!("an iptables rule in {ns} dropped it (-j DROP, or a REJECT)"),
        Unconfigured => format!("{dev} has no IPv4 configuration"),
        VxlanInvalidHdr => "its VXLAN header is invalid".into(),
        VxlanVniNotFound => format!("no VXLAN device in {ns} has this VNI"),
        VxlanEntryExists => "the vxlan fdb entry already exists".into(),
        VxlanNoRemote => format!("{dev}'s fdb has no remote VTEP for this destination (bridge fdb)"),
        LocalMac => "its source MAC is the receiving bridge's own".into(),
        FragReasmTimeout => "not all its fragments arrived within 30 s".into(),
        DupFrag => "a duplicate fragment".into(),
        TcpOfoDrop => "an out-of-order TCP segment the receiver could not keep".into(),
        TcpListenOverflow => "the listening socket's accept queue is full".into(),
        TcpCsum => "its TCP checksum is wrong (corrupted on the way, e.g. netem corrupt)".into(),
        TcpOldData => "TCP data the receiver already had (a retransmission it did not need)".into(),
        #[allow(unreachable_patterns)]
        other => format!("{other}"),
    }
}

/// The device `dev` of namespace `ns` as `ip link` sees it now.
fn link(lab: &Lab, ns: &str, dev: &str) -> Option<LinkMsg> {
    let k = &lab.kernel;
    k.ns_by_name(if ns.is_empty() { "root" } else { ns })
        .and_then(|n| k.rtnl_link_dump(n).into_iter().find(|l| l.name == dev))
}

/// `ns:name` of a veth's peer when it is down (found by its ifindex pointing back at the
/// device).
fn veth_peer(lab: &Lab, ns: &str, dev: &str) -> Option<String> {
    let k = &lab.kernel;
    let me = link(lab, ns, dev)?;
    for n in k.netns_dump() {
        let id = k.ns_by_name(&n.name)?;
        for l in k.rtnl_link_dump(id) {
            if matches!(l.info, Some(LinkInfo::Veth))
                && Some(l.ifindex) == me.link
                && l.link == Some(me.ifindex)
                && l.name != dev
            {
                return Some(format!("{}:{}", n.name, l.name));
            }
        }
    }
    None
}
