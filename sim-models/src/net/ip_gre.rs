//! GRE and GRETAP tunnels (`net/ipv4/ip_gre.c`, `net/ipv4/gre_demux.c`), on the shared tunnel
//! core of `net/ip_tunnel.rs`.
//!
//! A `gre` device is `ARPHRD_IPGRE`: no link-layer header, `IFF_NOARP` (and `IFF_POINTOPOINT`
//! with a fixed remote); libpcap captures it cooked (`LINKTYPE_LINUX_SLL`, "In"/"Out"). It is
//! a `DevKind::Ipip` device whose tunnel kind is [`TnlKind::Gre`], so the IPv4 stack treats it
//! as it treats an ipip tunnel. A `gretap` device is an Ethernet device (`DevKind::Gretap`):
//! random MAC, ARP, bridgeable; it carries whole frames as GRE protocol `ETH_P_TEB`.
//!
//! Transmit (`ipgre_xmit`, `gre_tap_xmit` → `__gre_xmit`): `gre_build_header` puts the GRE
//! header (flags, protocol, then checksum, key and sequence number as `o_flags` asks) in front
//! of the packet and `ip_tunnel_xmit` the outer IPv4 header. Receive (`gre_rcv`):
//! `gre_parse_header`, `ip_tunnel_lookup` in the gretap table for `ETH_P_TEB`, else the gre
//! table; none: ICMP port unreachable. `ip_tunnel_rcv` drops a packet whose checksum flag
//! differs from the tunnel's `icsum`, or that is out of sequence for `iseq`.
//!
//! The module: the first `type gre|gretap` request or `ip tunnel ... mode gre` loads `ip_gre`
//! (`request_module`), which puts DOWN fallback devices `gre0`, `gretap0` and `erspan0` in
//! every namespace, existing and future (`fb_tunnels_only_for_init_net=0`), as on the
//! recording VM.
//!
//! # Differences from Linux
//! The GRE checksum goes out as 0: the kernel leaves it to the device (`CHECKSUM_PARTIAL`,
//! which veth never computes), and a receiver on veth does not check it; so the model neither
//! computes nor verifies it. No PMTU handling (`tnl_update_pmtu`), no ECN decapsulation
//! checks, no `external` (collect_md) mode, no encapsulation (fou/gue), no ERSPAN traffic
//! (`erspan0` exists and is shown, `type erspan` is refused), no multicast (broadcast) GRE,
//! no `ignore-df`, no `fwmark`, no WCCP.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Event, Kernel, NsId};
use crate::net::ip_tunnel::*;
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use sim_core::Duration;
use std::net::Ipv4Addr;

/// `IPPROTO_GRE`.
pub const IPPROTO_GRE: u8 = 47;
/// `ETH_P_TEB`: transparent Ethernet bridging (gretap's payload).
pub const ETH_P_TEB: u16 = 0x6558;
/// `ETH_P_ERSPAN`, `ETH_P_ERSPAN2`.
pub const ETH_P_ERSPAN: u16 = 0x88be;
pub const ETH_P_ERSPAN2: u16 = 0x22eb;
/// `ARPHRD_IPGRE`.
pub const ARPHRD_IPGRE: u16 = 778;
/// pcap `LINKTYPE_LINUX_SLL`: what tcpdump records on a gre device (libpcap has no link type
/// for `ARPHRD_IPGRE` and captures it cooked).
pub const LINKTYPE_LINUX_SLL: u16 = 113;

/// `struct tnl_ptk_info`: what `gre_parse_header` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TnlPtkInfo {
    /// `TUNNEL_*` flags.
    pub flags: u16,
    pub proto: u16,
    pub key: u32,
    pub seq: u32,
    pub hdr_len: usize,
}

/// `gre_parse_header`: the GRE header at the start of `b` (version 0, no routing).
pub fn gre_parse_header(b: &[u8]) -> Option<TnlPtkInfo> {
    let f = u16::from_be_bytes([*b.first()?, *b.get(1)?]);
    if f & (GRE_VERSION | GRE_ROUTING) != 0 {
        return None;
    }
    let flags = gre_flags_to_tnl_flags(f);
    let hdr_len = gre_calc_hlen(flags) as usize;
    if b.len() < hdr_len {
        return None;
    }
    let proto = u16::from_be_bytes([b[2], b[3]]);
    let word = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let mut off = 4;
    if f & GRE_CSUM != 0 {
        off += 4;
    }
    let key = if f & GRE_KEY != 0 {
        off += 4;
        word(off - 4)
    } else {
        0
    };
    let seq = if f & GRE_SEQ != 0 { word(off) } else { 0 };
    Some(TnlPtkInfo {
        flags,
        proto,
        key,
        seq,
        hdr_len,
    })
}

/// `gre_build_header`: flags and protocol, then (checksum + reserved), key, sequence number.
/// The checksum stays 0 (see the module's differences).
pub fn gre_build_header(o_flags: u16, proto: u16, key: u32, seq: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(16);
    h.extend_from_slice(&gre_tnl_flags_to_gre_flags(o_flags).to_be_bytes());
    h.extend_from_slice(&proto.to_be_bytes());
    if o_flags & TUNNEL_CSUM != 0 {
        h.extend_from_slice(&[0; 4]);
    }
    if o_flags & TUNNEL_KEY != 0 {
        h.extend_from_slice(&key.to_be_bytes());
    }
    if o_flags & TUNNEL_SEQ != 0 {
        h.extend_from_slice(&seq.to_be_bytes());
    }
    h
}

impl Kernel {
    /// Loads `ip_gre` (`request_module("rtnl-link-gre")` and the like): `ipgre_init_net` for
    /// every namespace.
    pub fn ipgre_module_load(&mut self) {
        if self.gre_loaded {
            return;
        }
        self.gre_loaded = true;
        for ns in self.live_nets() {
            self.ipgre_init_net(ns);
        }
    }

    /// The three pernet inits in `ipgre_init`'s registration order (`ipgre_init_net`,
    /// `ipgre_tap_init_net`, `erspan_init_net` → `ip_tunnel_init_net`): DOWN fallback
    /// devices any/any, ttl inherit, nopmtudisc, their MTU from 1500.
    pub fn ipgre_init_net(&mut self, ns: NsId) {
        for (name, kind) in [
            ("gre0", TnlKind::Gre),
            ("gretap0", TnlKind::Gretap),
            ("erspan0", TnlKind::Erspan),
        ] {
            if self.dev_by_name(ns, name).is_some() {
                continue;
            }
            let mut t = IpTunnel::new(
                kind,
                TunnelParms {
                    pmtudisc: false,
                    proto: IPPROTO_GRE,
                    ..TunnelParms::new()
                },
            );
            t.fallback = true;
            let mtu = 1500 - t.overhead();
            let dk = if kind.is_ether() {
                DevKind::Gretap(Box::new(t))
            } else {
                DevKind::Ipip(Box::new(t))
            };
            self.dev_create(ns, name, dk, [0; 6], mtu);
        }
    }

    /// Registers a gre or gretap device (`ip_tunnel_newlink` for netlink, `ip_tunnel_create`
    /// for `ip tunnel add`): the MTU from `ip_tunnel_bind_dev` unless given, a gretap's random
    /// address unless given. The caller checked the name and `ip_tunnel_find`.
    #[allow(clippy::too_many_arguments)]
    pub fn ipgre_create(
        &mut self,
        ns: NsId,
        name: &str,
        kind: TnlKind,
        parms: TunnelParms,
        mtu: Option<u32>,
        mac: Option<Mac>,
        ioctl: bool,
    ) -> DevId {
        let mut t = IpTunnel::new(kind, parms);
        t.parms.proto = IPPROTO_GRE;
        t.mtu_limits = ioctl;
        let mtu = mtu.unwrap_or_else(|| self.ip_tunnel_bind_mtu(ns, &t.parms, t.overhead()));
        if kind.is_ether() {
            let random = mac.is_none();
            let mac = mac.unwrap_or_else(|| self.rng.eth_random_addr());
            let d = self.dev_create(ns, name, DevKind::Gretap(Box::new(t)), mac, mtu);
            self.dev_mut(d).mac_set = !random;
            d
        } else {
            self.dev_create(ns, name, DevKind::Ipip(Box::new(t)), [0; 6], mtu)
        }
    }

    /// `ipgre_newlink` / `ipgre_tap_validate` → `ipgre_netlink_parms` → `ip_tunnel_newlink`.
    pub fn ipgre_newlink(
        &mut self,
        ns: NsId,
        name: &str,
        a: &crate::net::rtnetlink::link::LinkAttrs,
        g: &crate::net::rtnetlink::dump::GreInfo,
    ) -> Result<DevId, crate::net::rtnetlink::RtnlError> {
        use crate::errno::Errno;
        use crate::net::rtnetlink::RtnlError;
        if g.kind == TnlKind::Erspan || g.kind == TnlKind::Ipip {
            return Err(RtnlError::not_modelled("erspan devices"));
        }
        // ipgre_tunnel_validate.
        if (g.iflags | g.oflags) & (GRE_VERSION | GRE_ROUTING) != 0 {
            return Err(Errno::EINVAL.into());
        }
        // ipgre_tap_validate: a given address must be a valid unicast MAC. (A remote of 0 is
        // refused too, but iproute2 6.1 leaves an unspecified remote out of the request.)
        if g.kind == TnlKind::Gretap && a.mac.is_some_and(|m| m[0] & 1 != 0 || m == [0; 6]) {
            return Err(Errno::EADDRNOTAVAIL.into());
        }
        let parms = TunnelParms {
            local: g.local,
            remote: g.remote,
            link: g.link,
            ttl: g.ttl,
            tos: g.tos,
            pmtudisc: g.pmtudisc,
            proto: IPPROTO_GRE,
            i_flags: gre_flags_to_tnl_flags(g.iflags),
            o_flags: gre_flags_to_tnl_flags(g.oflags),
            i_key: g.ikey,
            o_key: g.okey,
        };
        if self.ip_tunnel_find(ns, g.kind, &parms).is_some() {
            return Err(Errno::EEXIST.into());
        }
        // ip_tunnel_newlink: a given MTU is clamped to 68..max.
        let probe = IpTunnel::new(g.kind, parms.clone());
        let mtu = a.mtu.map(|m| m.clamp(68, probe.max_mtu()));
        Ok(self.ipgre_create(ns, name, g.kind, parms, mtu, a.mac, false))
    }

    /// `__gre_xmit`: the GRE header (the next `o_seqno` with `oseq`) in front of `skb`.
    fn gre_push_header(&mut self, d: DevId, skb: &mut SkBuff, proto: u16) {
        let Some(t) = self.ip_tunnel_mut(d) else {
            return;
        };
        let seq = t.o_seqno;
        if t.parms.o_flags & TUNNEL_SEQ != 0 {
            t.o_seqno = t.o_seqno.wrapping_add(1);
        }
        let h = gre_build_header(t.parms.o_flags, proto, t.parms.o_key, seq);
        let mut v = h;
        v.extend_from_slice(skb.data());
        skb.set_data(v);
    }

    /// `ipgre_xmit` (a gre device; the capture already saw the inner packet): GRE protocol
    /// `ETH_P_IP`, then `ip_tunnel_xmit`.
    pub fn ipgre_xmit(&mut self, d: DevId, mut skb: SkBuff, nh: Option<Ipv4Addr>) {
        let ns = self.dev(d).ns;
        let Ok((iip, _)) = Ipv4Repr::parse(skb.data()) else {
            self.trace(ns, || "gre: not an IPv4 packet, tx_dropped".to_string());
            self.dev_mut(d).stats.tx_dropped += 1;
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "ipgre_xmit");
        };
        self.gre_push_header(d, &mut skb, ETH_P_IP);
        self.ip_tunnel_xmit(d, skb, Some(&iip), IPPROTO_GRE, nh);
    }

    /// `gre_tap_xmit`: a whole Ethernet frame as GRE protocol `ETH_P_TEB`; the outer header
    /// inherits from an IPv4 payload (`skb->protocol`).
    pub fn gre_tap_xmit(&mut self, d: DevId, mut skb: SkBuff) {
        if self.ip_tunnel(d).is_some_and(|t| t.kind != TnlKind::Gretap) {
            // erspan_xmit: not modelled; the fallback erspan0 has nowhere to send.
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "erspan_xmit");
        }
        let inner = match EthRepr::parse(skb.data()) {
            Ok(e) if e.ethertype == ETH_P_IP => {
                Ipv4Repr::parse(&skb.data()[ETH_HLEN..]).ok().map(|x| x.0)
            }
            _ => None,
        };
        self.gre_push_header(d, &mut skb, ETH_P_TEB);
        self.ip_tunnel_xmit(d, skb, inner.as_ref(), IPPROTO_GRE, None);
    }

    /// `gre_rcv` (`ip_local_deliver` for protocol 47): the GRE header of the packet whose IPv4
    /// header `ip` is `hl` bytes long, the tunnel, `ip_tunnel_rcv`'s checks, then the inner
    /// packet is received on the tunnel device (`gro_cells_receive`, a NAPI poll later).
    pub fn gre_rcv(&mut self, d: DevId, mut skb: SkBuff, hl: usize, ip: &Ipv4Repr) {
        let ns = self.dev(d).ns;
        if !self.gre_loaded {
            // No protocol 47 handler (`ip_protocol_deliver_rcu`).
            self.trace(ns, || {
                "gre: no handler for protocol 47 (module not loaded)".into()
            });
            self.icmp_send(
                ns,
                Some(d),
                &skb,
                ICMP_DEST_UNREACH,
                crate::net::ipip::ICMP_PROT_UNREACH,
                [0; 4],
            );
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::IpNoproto,
                "ip_protocol_deliver_rcu",
            );
        }
        // gre_demux: version 1 (PPTP) has no handler; gre_parse_header refuses routing.
        let Some(tpi) = skb.data().get(hl..).and_then(gre_parse_header) else {
            self.trace(ns, || "gre: bad or unhandled GRE header, dropped".into());
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "gre_rcv");
        };
        let link = self.dev(d).ifindex;
        let t = match tpi.proto {
            ETH_P_ERSPAN | ETH_P_ERSPAN2 => None,
            ETH_P_TEB => self.ip_tunnel_lookup(
                ns,
                TnlKind::Gretap,
                link,
                tpi.flags,
                ip.src,
                ip.dst,
                tpi.key,
            ),
            _ => self.ip_tunnel_lookup(ns, TnlKind::Gre, link, tpi.flags, ip.src, ip.dst, tpi.key),
        };
        let Some(t) = t else {
            self.trace(ns, || {
                format!(
                    "gre: no tunnel for {} > {} key {}, port unreachable",
                    ip.src, ip.dst, tpi.key
                )
            });
            self.icmp_send(
                ns,
                Some(d),
                &skb,
                ICMP_DEST_UNREACH,
                ICMP_PORT_UNREACH,
                [0; 4],
            );
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "gre_rcv");
        };
        let tn = self.trace_name(t);
        // ip_tunnel_rcv: the checksum flag must be as `icsum` says, the sequence in order.
        let tp = self.ip_tunnel(t).expect("tunnel").clone();
        if (tpi.flags & TUNNEL_CSUM) != (tp.parms.i_flags & TUNNEL_CSUM) {
            self.trace(ns, || {
                format!("gre: checksum flag mismatch on {tn}, rx_crc_errors")
            });
            return self.kfree_skb_reason(Some(t), SkbDropReason::NotSpecified, "ip_tunnel_rcv");
        }
        if tp.parms.i_flags & TUNNEL_SEQ != 0 {
            let expected = tp.i_seqno;
            if tpi.flags & TUNNEL_SEQ == 0
                || (expected != 0 && (tpi.seq.wrapping_sub(expected) as i32) < 0)
            {
                self.trace(ns, || {
                    format!("gre: out of sequence on {tn}, rx_fifo_errors")
                });
                return self.kfree_skb_reason(
                    Some(t),
                    SkbDropReason::NotSpecified,
                    "ip_tunnel_rcv",
                );
            }
            if let Some(x) = self.ip_tunnel_mut(t) {
                x.i_seqno = tpi.seq.wrapping_add(1);
            }
        }
        let tap = tp.kind.is_ether();
        if !tap && tpi.proto != ETH_P_IP {
            // Another protocol (IPv6, MPLS...) on a gre device: no IPv4 handler takes it.
            self.trace(ns, || {
                format!(
                    "gre: protocol 0x{:04x} on {tn} not modelled, dropped",
                    tpi.proto
                )
            });
            return self.kfree_skb_reason(Some(t), SkbDropReason::NotSpecified, "ip_tunnel_rcv");
        }
        // __iptunnel_pull_header, skb_scrub_packet.
        skb.pull(hl + tpi.hdr_len);
        skb.scrub(false);
        self.trace(ns, || format!("gre: decap {} > {} on {tn}", ip.src, ip.dst));
        self.schedule_in(Duration::from_nanos(1_000), Event::NetifRx { dev: t, skb });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_layout_follows_the_flags() {
        let f = TUNNEL_CSUM | TUNNEL_KEY | TUNNEL_SEQ;
        let h = gre_build_header(f, ETH_P_IP, 6, 1);
        assert_eq!(
            h,
            [0xb0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 1].to_vec()
        );
        let p = gre_parse_header(&h).unwrap();
        assert_eq!(
            (p.flags, p.proto, p.key, p.seq, p.hdr_len),
            (f, ETH_P_IP, 6, 1, 16)
        );
        let h = gre_build_header(TUNNEL_KEY, ETH_P_TEB, 7, 0);
        assert_eq!(h, [0x20, 0, 0x65, 0x58, 0, 0, 0, 7].to_vec());
        // Routing and version bits are refused; a short header too.
        assert!(gre_parse_header(&[0x40, 0, 8, 0]).is_none());
        assert!(gre_parse_header(&[0, 1, 8, 0]).is_none());
        assert!(gre_parse_header(&[0x20, 0, 8, 0, 0]).is_none());
    }

    #[test]
    fn lookup_matches_the_key_and_the_fallback_takes_keyless_packets() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        k.ipgre_module_load();
        let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        let (l, r) = (ip("10.0.0.1"), ip("10.0.0.2"));
        let mk = |k: &mut Kernel, name: &str, key: Option<u32>| {
            let p = TunnelParms {
                local: l,
                remote: r,
                i_flags: if key.is_some() { TUNNEL_KEY } else { 0 },
                i_key: key.unwrap_or(0),
                ..TunnelParms::new()
            };
            assert_eq!(k.ip_tunnel_find(ns, TnlKind::Gre, &p), None);
            let d = k.ipgre_create(ns, name, TnlKind::Gre, p, None, None, false);
            k.dev_set_up(d, true);
            d
        };
        let plain = mk(&mut k, "g0", None);
        let keyed = mk(&mut k, "g5", Some(5));
        let look = |k: &Kernel, flags: u16, key: u32| {
            k.ip_tunnel_lookup(ns, TnlKind::Gre, 9, flags, r, l, key)
        };
        assert_eq!(look(&k, 0, 0), Some(plain));
        assert_eq!(look(&k, TUNNEL_KEY, 5), Some(keyed));
        // A key nobody has: no tunnel (gre0 is down); a gretap packet is another table.
        assert_eq!(look(&k, TUNNEL_KEY, 6), None);
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Gretap, 9, TUNNEL_KEY, r, l, 5),
            None
        );
        // From elsewhere, keyless: the fallback gre0 once it is up.
        let gre0 = k.dev_by_name(ns, "gre0").unwrap();
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Gre, 9, 0, ip("10.9.9.9"), l, 0),
            None
        );
        k.dev_set_up(gre0, true);
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Gre, 9, 0, ip("10.9.9.9"), l, 0),
            Some(gre0)
        );
    }

    #[test]
    fn loading_the_module_adds_three_down_fallbacks_everywhere() {
        let mut k = Kernel::new(1);
        let a = k.netns_add("a");
        k.ipgre_module_load();
        let b = k.netns_add("b");
        for ns in [0, a, b] {
            let mtus: Vec<(String, u32, bool)> = ["gre0", "gretap0", "erspan0"]
                .iter()
                .map(|n| {
                    let d = k.dev_by_name(ns, n).expect("fallback");
                    (n.to_string(), k.dev(d).mtu, k.dev(d).up)
                })
                .collect();
            assert_eq!(
                mtus,
                [
                    ("gre0".into(), 1476, false),
                    ("gretap0".into(), 1462, false),
                    ("erspan0".into(), 1450, false)
                ]
            );
        }
        k.ipgre_module_load();
        assert_eq!(k.net(a).devs.len(), 4);
    }
}
