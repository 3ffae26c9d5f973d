//! The IPv4 tunnel core that ipip and GRE share (`net/ipv4/ip_tunnel.c`): the tunnel
//! parameters (`struct ip_tunnel_parm`), one table of tunnels per kind and namespace
//! (`struct ip_tunnel_net`: here the namespace's devices of that kind, newest first, as
//! `ip_tunnel_add` puts a tunnel at the head of its hash chain), `ip_tunnel_lookup` with GRE
//! keys, `ip_tunnel_find`, `ip_tunnel_bind_dev`'s MTU and `ip_tunnel_xmit`'s outer header.
//! The kinds' own parts are in `net/ipip.rs` and `net/ip_gre.rs`.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use std::net::Ipv4Addr;

/// `TUNNEL_CSUM`, `TUNNEL_KEY`, `TUNNEL_SEQ`: the kernel's internal tunnel flags
/// (`i_flags`/`o_flags` of `struct ip_tunnel`).
pub const TUNNEL_CSUM: u16 = 0x01;
pub const TUNNEL_KEY: u16 = 0x04;
pub const TUNNEL_SEQ: u16 = 0x08;
/// The GRE header's flag bits (`GRE_CSUM`, `GRE_KEY`, `GRE_SEQ`), which netlink
/// (`IFLA_GRE_IFLAGS`) and the tunnel ioctls carry.
pub const GRE_CSUM: u16 = 0x8000;
pub const GRE_KEY: u16 = 0x2000;
pub const GRE_SEQ: u16 = 0x1000;
/// `GRE_ROUTING` and `GRE_VERSION`: refused by `ipgre_tunnel_validate`.
pub const GRE_ROUTING: u16 = 0x4000;
pub const GRE_VERSION: u16 = 0x0007;

/// `gre_flags_to_tnl_flags`.
pub fn gre_flags_to_tnl_flags(f: u16) -> u16 {
    let mut t = 0;
    if f & GRE_CSUM != 0 {
        t |= TUNNEL_CSUM;
    }
    if f & GRE_KEY != 0 {
        t |= TUNNEL_KEY;
    }
    if f & GRE_SEQ != 0 {
        t |= TUNNEL_SEQ;
    }
    t
}

/// `gre_tnl_flags_to_gre_flags`.
pub fn gre_tnl_flags_to_gre_flags(t: u16) -> u16 {
    let mut f = 0;
    if t & TUNNEL_CSUM != 0 {
        f |= GRE_CSUM;
    }
    if t & TUNNEL_KEY != 0 {
        f |= GRE_KEY;
    }
    if t & TUNNEL_SEQ != 0 {
        f |= GRE_SEQ;
    }
    f
}

/// `gre_calc_hlen`: the GRE header's length for a set of tunnel flags.
pub fn gre_calc_hlen(t: u16) -> u32 {
    let mut l = 4;
    for f in [TUNNEL_CSUM, TUNNEL_KEY, TUNNEL_SEQ] {
        if t & f != 0 {
            l += 4;
        }
    }
    l
}

/// Which `ip_tunnel_net` a tunnel belongs to: its `rtnl_link_ops` (`IFLA_INFO_KIND`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TnlKind {
    /// `ipip` (`ARPHRD_TUNNEL`).
    Ipip,
    /// `gre` (`ARPHRD_IPGRE`).
    Gre,
    /// `gretap` (`ARPHRD_ETHER`, Ethernet frames in GRE, protocol `ETH_P_TEB`).
    Gretap,
    /// `erspan` (`ARPHRD_ETHER`): only the fallback `erspan0` is modelled.
    Erspan,
}

impl TnlKind {
    /// `IFLA_INFO_KIND`.
    pub fn name(self) -> &'static str {
        match self {
            TnlKind::Ipip => "ipip",
            TnlKind::Gre => "gre",
            TnlKind::Gretap => "gretap",
            TnlKind::Erspan => "erspan",
        }
    }

    /// An Ethernet device (`ether_setup`: gretap, erspan).
    pub fn is_ether(self) -> bool {
        matches!(self, TnlKind::Gretap | TnlKind::Erspan)
    }
}

/// `struct ip_tunnel_parm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TunnelParms {
    /// `iph.saddr` (0 = any).
    pub local: Ipv4Addr,
    /// `iph.daddr` (0 = any: an NBMA tunnel, the outer destination is the route's nexthop).
    pub remote: Ipv4Addr,
    /// `parms.link`: ifindex of the underlay device (`dev PHYS`), 0 for none.
    pub link: u32,
    /// `iph.ttl`; 0 = inherit (the inner packet's TTL).
    pub ttl: u8,
    /// `iph.tos`; bit 0 = inherit.
    pub tos: u8,
    /// `iph.frag_off & IP_DF` (`pmtudisc`): DF on every outer header.
    pub pmtudisc: bool,
    /// `iph.protocol`: `IPPROTO_IPIP`, `IPPROTO_GRE`, or 0 ("any": ipip's fallback and
    /// netlink-created ipip tunnels).
    pub proto: u8,
    /// `i_flags` / `o_flags` (`TUNNEL_CSUM | TUNNEL_KEY | TUNNEL_SEQ`; GRE only).
    pub i_flags: u16,
    pub o_flags: u16,
    /// `i_key` / `o_key` (host order; GRE only).
    pub i_key: u32,
    pub o_key: u32,
}

impl TunnelParms {
    /// `ip tunnel add`'s defaults: any/any, ttl inherit, pmtudisc, no GRE options.
    pub fn new() -> TunnelParms {
        TunnelParms {
            local: Ipv4Addr::UNSPECIFIED,
            remote: Ipv4Addr::UNSPECIFIED,
            link: 0,
            ttl: 0,
            tos: 0,
            pmtudisc: true,
            proto: IPPROTO_IPIP,
            i_flags: 0,
            o_flags: 0,
            i_key: 0,
            o_key: 0,
        }
    }
}

impl Default for TunnelParms {
    fn default() -> Self {
        Self::new()
    }
}

/// `struct ip_tunnel`.
#[derive(Clone, Debug)]
pub struct IpTunnel {
    pub kind: TnlKind,
    pub parms: TunnelParms,
    /// The namespace's fallback device (`tunl0`, `gre0`, `gretap0`, `erspan0`): never deleted.
    pub fallback: bool,
    /// Created by `ip tunnel add` (`ip_tunnel_create` leaves min_mtu 68 and max_mtu
    /// `IP_MAX_MTU - t_hlen`); netlink-created and fallback devices report 0/0 (Ethernet
    /// kinds: 68/0).
    pub mtu_limits: bool,
    /// `o_seqno`: the next outgoing sequence number (`atomic_fetch_inc`: the first is 0).
    pub o_seqno: u32,
    /// `i_seqno`: the sequence number expected next (0: none seen yet).
    pub i_seqno: u32,
}

impl IpTunnel {
    pub fn new(kind: TnlKind, parms: TunnelParms) -> IpTunnel {
        IpTunnel {
            kind,
            parms,
            fallback: false,
            mtu_limits: false,
            o_seqno: 0,
            i_seqno: 0,
        }
    }

    /// `tunnel->hlen`: the tunnel header after the outer IPv4 header (GRE's, with options;
    /// erspan's fixed 8 + its v1 header).
    pub fn hlen(&self) -> u32 {
        match self.kind {
            TnlKind::Ipip => 0,
            TnlKind::Gre | TnlKind::Gretap => gre_calc_hlen(self.parms.o_flags),
            TnlKind::Erspan => 16,
        }
    }

    /// `hlen + sizeof(iphdr)` plus the Ethernet header of the tap kinds: what the tunnel
    /// takes from its underlay's MTU (`ip_tunnel_bind_dev`).
    pub fn overhead(&self) -> u32 {
        self.hlen() + 20 + if self.kind.is_ether() { 14 } else { 0 }
    }

    /// The largest MTU (`__ip_tunnel_change_mtu`: `IP_MAX_MTU - t_hlen`, less the Ethernet
    /// header for the tap kinds).
    pub fn max_mtu(&self) -> u32 {
        0xFFFF - self.overhead()
    }
}

/// `ip_tunnel_key_match`: a keyed tunnel takes only packets with its key, a keyless one only
/// packets without a key.
fn ip_tunnel_key_match(p: &TunnelParms, flags: u16, key: u32) -> bool {
    if p.i_flags & TUNNEL_KEY != 0 {
        flags & TUNNEL_KEY != 0 && key == p.i_key
    } else {
        flags & TUNNEL_KEY == 0
    }
}

impl Kernel {
    /// The tunnel state of an ipip, gre, gretap or erspan device.
    pub fn ip_tunnel(&self, d: DevId) -> Option<&IpTunnel> {
        match &self.dev(d).kind {
            DevKind::Ipip(t) | DevKind::Gretap(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn ip_tunnel_mut(&mut self, d: DevId) -> Option<&mut IpTunnel> {
        match &mut self.dev_mut(d).kind {
            DevKind::Ipip(t) | DevKind::Gretap(t) => Some(t),
            _ => None,
        }
    }

    /// The tunnels of one kind in a namespace, newest first (the order of `itn->tunnels`
    /// hash chains: `ip_tunnel_add` adds at the head).
    fn ip_tunnel_devs_newest_first(&self, ns: NsId, kind: TnlKind) -> Vec<DevId> {
        let mut v: Vec<DevId> = self
            .net(ns)
            .devs
            .iter()
            .copied()
            .filter(|&d| self.ip_tunnel(d).is_some_and(|t| t.kind == kind))
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    /// `ip_tunnel_find`: a tunnel of the kind with the same endpoints, link and input key (the
    /// identity `ip tunnel add` and `ip link add` refuse to duplicate with EEXIST).
    pub fn ip_tunnel_find(&self, ns: NsId, kind: TnlKind, p: &TunnelParms) -> Option<DevId> {
        self.ip_tunnel_devs_newest_first(ns, kind)
            .into_iter()
            .find(|&d| {
                let q = &self.ip_tunnel(d).expect("tunnel").parms;
                q.local == p.local
                    && q.remote == p.remote
                    && q.link == p.link
                    && ip_tunnel_key_match(q, p.i_flags, p.i_key)
            })
    }

    /// `ip_tunnel_bind_dev`: the MTU a new tunnel gets from the device that would carry its
    /// outer packets (the route to the remote, else the link device, else 1500), less
    /// `overhead` (the outer and tunnel headers, and the Ethernet header of a tap kind).
    pub fn ip_tunnel_bind_mtu(&self, ns: NsId, p: &TunnelParms, overhead: u32) -> u32 {
        let mut tdev = None;
        if !p.remote.is_unspecified() {
            let oif = self.dev_by_ifindex(ns, p.link).filter(|_| p.link != 0);
            if let Ok(rt) = self.ip_route_output(ns, p.remote, p.local, oif) {
                tdev = Some(rt.dev);
            }
        }
        if tdev.is_none() && p.link != 0 {
            tdev = self.dev_by_ifindex(ns, p.link);
        }
        let mtu = tdev.map_or(1500, |d| self.dev(d).mtu.min(0xFFFF));
        mtu.saturating_sub(overhead).max(68)
    }

    /// `ip_tunnel_lookup`: the tunnel of `kind` that receives a packet from `remote` to `local`
    /// with GRE `flags`/`key` arriving on the device with ifindex `link`. In order: exact
    /// local+remote; remote with local any; local (or a multicast remote) with remote any;
    /// any/any with the packet's key; each with a matching key, preferring a tunnel bound to
    /// `link`, otherwise the first candidate; finally the fallback device. Only tunnels that
    /// are up qualify.
    #[allow(clippy::too_many_arguments)]
    pub fn ip_tunnel_lookup(
        &self,
        ns: NsId,
        kind: TnlKind,
        link: u32,
        flags: u16,
        remote: Ipv4Addr,
        local: Ipv4Addr,
        key: u32,
    ) -> Option<DevId> {
        let devs = self.ip_tunnel_devs_newest_first(ns, kind);
        let any = Ipv4Addr::UNSPECIFIED;
        let up = |d: DevId| self.dev(d).up;
        let parms = |d: DevId| &self.ip_tunnel(d).expect("tunnel").parms;
        let mut cand: Option<DevId> = None;
        type Pass<'a> = Box<dyn Fn(&TunnelParms) -> bool + 'a>;
        let keyed = move |p: &TunnelParms| ip_tunnel_key_match(p, flags, key);
        let passes: [Pass; 4] = [
            Box::new(move |p: &TunnelParms| p.local == local && p.remote == remote && keyed(p)),
            Box::new(move |p: &TunnelParms| p.remote == remote && p.local == any && keyed(p)),
            Box::new(move |p: &TunnelParms| {
                ((p.local == local && p.remote == any)
                    || (p.remote == local && local.is_multicast()))
                    && keyed(p)
            }),
            // The any/any pass compares the key alone (not the key flag).
            Box::new(move |p: &TunnelParms| p.local == any && p.remote == any && p.i_key == key),
        ];
        for (i, pass) in passes.iter().enumerate() {
            for &d in &devs {
                let p = parms(d);
                if !up(d) || !pass(p) {
                    continue;
                }
                if p.link == link {
                    return Some(d);
                }
                // The first pass keeps the last candidate, the others the first.
                if cand.is_none() || i == 0 {
                    cand = Some(d);
                }
            }
        }
        if cand.is_some() {
            return cand;
        }
        devs.into_iter()
            .find(|&d| self.ip_tunnel(d).is_some_and(|t| t.fallback) && up(d))
    }

    /// `ip_tunnel_xmit` → `iptunnel_xmit`: the outer IPv4 header in front of `skb` (which
    /// holds the tunnel header and the inner packet), then the normal output path. `inner` is
    /// the inner IPv4 header when the payload is IPv4 (`skb->protocol == ETH_P_IP`): the
    /// outer TTL (`ttl inherit`), TOS (`tos inherit`, and the inner ECN bits) and DF follow
    /// it; otherwise TTL inherit is `ip4_dst_hoplimit`. The outer source is the tunnel's local
    /// or the route's source; the destination the remote, or for `remote any` (NBMA) the
    /// route's nexthop `nh`.
    pub fn ip_tunnel_xmit(
        &mut self,
        d: DevId,
        mut skb: SkBuff,
        inner: Option<&Ipv4Repr>,
        protocol: u8,
        nh: Option<Ipv4Addr>,
    ) {
        let ns = self.dev(d).ns;
        let Some(t) = self.ip_tunnel(d) else {
            return;
        };
        let p = t.parms.clone();
        let tk = t.kind.name();
        let dst = if p.remote.is_unspecified() {
            match nh.filter(|n| !n.is_unspecified()) {
                Some(n) => n,
                None => {
                    self.trace(ns, || {
                        format!("{tk}: NBMA tunnel without a nexthop, tx error")
                    });
                    return self.kfree_skb_reason(
                        Some(d),
                        SkbDropReason::NotSpecified,
                        "ip_tunnel_xmit",
                    );
                }
            }
        } else {
            p.remote
        };
        let mut tos = p.tos;
        if tos & 1 != 0 {
            tos = inner.map_or(tos & !1, |i| i.tos);
        }
        let oif = self.dev_by_ifindex(ns, p.link).filter(|_| p.link != 0);
        let rt = match self.ip_route_output(ns, dst, p.local, oif) {
            Ok(rt) => rt,
            Err(_) => {
                self.trace(ns, || format!("{tk}: no route to {dst}, tx_carrier_errors"));
                return self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::IpOutNoRoutes,
                    "ip_tunnel_xmit",
                );
            }
        };
        if rt.dev == d {
            self.trace(ns, || {
                format!("{tk}: route to {dst} loops into the tunnel, collisions")
            });
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "ip_tunnel_xmit");
        }
        if !self.iptunnel_xmit_check(d, skb.len()) {
            return;
        }
        let df = p.pmtudisc || inner.is_some_and(|i| i.df());
        // ip_tunnel_ecn_encap → INET_ECN_encapsulate: the inner ECN bits (CE becomes ECT(0)).
        let inner_ecn = inner.map_or(0, |i| i.tos & 3);
        let tos = (tos & !3) | if inner_ecn == 3 { 2 } else { inner_ecn };
        let ttl = match (p.ttl, inner) {
            (0, Some(i)) => i.ttl,
            (0, None) => self.net(ns).misc_sysctl.ip_default_ttl,
            (t, _) => t,
        };
        let src = if p.local.is_unspecified() {
            rt.src
        } else {
            p.local
        };
        let id = self.next_ip_id(ns);
        let outer = Ipv4Repr {
            tos,
            total_len: 0,
            id,
            frag: if df { IP_DF } else { 0 },
            ttl,
            proto: protocol,
            src,
            dst,
            options: vec![],
        };
        let tname = self.trace_name(d);
        self.trace(ns, || {
            format!(
                "{tk}: encap on {tname} outer {src} > {dst} ttl {ttl}{}",
                if df { " DF" } else { "" }
            )
        });
        // iptunnel_xmit → skb_scrub_packet(skb, xnet): the inner packet's connection is not
        // the outer one's; dst_pending_confirm stays.
        skb.scrub(false);
        if oif.is_none() {
            // ip_local_out: the outer packet takes the namespace's output path (and its hooks).
            let _ = self.ip_send_skb(ns, outer, skb);
            return;
        }
        // Bound to an underlay device: the route found with that oif.
        let pkt = outer.emit(skb.data());
        skb.set_data(pkt);
        let nh = rt.gw.unwrap_or(dst);
        self.ip_finish_output(rt.dev, nh, skb);
    }
}
