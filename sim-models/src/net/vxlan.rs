//! `drivers/net/vxlan/vxlan_core.c`: a VXLAN device (RFC 7348) over IPv4 — its forwarding
//! database of remote VTEPs, encapsulation (`vxlan_xmit` → `vxlan_xmit_one` →
//! `udp_tunnel_xmit_skb` → the normal IPv4 output path) and decapsulation (`vxlan_rcv`, called
//! from UDP delivery when a VXLAN socket owns the destination port).
//!
//! # Differences from Linux
//! IPv4 underlay only; no multicast group join (a `group` entry is sent to as a unicast
//! address would be), no `proxy`/`rsc`/`l2miss`/`l3miss`, no nexthop groups, no metadata mode,
//! `skb_tunnel_check_pmtu` updates the path MTU of a locally generated inner packet only (for
//! a bridged one the kernel answers the sender with an ICMP fragmentation needed built as if
//! from the destination, `iptunnel_pmtud_check_icmp`: not modelled, the packet goes on).
//! The outer UDP source port is a
//! deterministic symmetric hash of the inner flow, not the kernel's seeded `jhash` (the
//! oracle's normalization ignores it).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::neigh::{NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use sim_core::Instant;
use std::net::Ipv4Addr;

/// The IANA port, which iproute2 asks for with `dstport 4789`.
pub const IANA_VXLAN_UDP_PORT: u16 = 4789;
/// The kernel's default `vxlan_port` (module parameter `udp_port`): the pre-IANA Linux value.
pub const VXLAN_DEFAULT_PORT: u16 = 8472;
/// `VXLAN_HEADROOM`: outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14).
pub const VXLAN_HEADROOM: u32 = 50;
const VXLAN_HF_VNI: u8 = 0x08;
/// `enum ifla_vxlan_df`: the outer DF bit is clear, set, or the inner packet's.
pub const VXLAN_DF_UNSET: u8 = 0;
pub const VXLAN_DF_SET: u8 = 1;
pub const VXLAN_DF_INHERIT: u8 = 2;
/// The default `ageing` (seconds).
pub const FDB_AGE_DEFAULT: u32 = 300;

/// One remote VTEP of an fdb entry (`struct vxlan_rdst`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VxlanRdst {
    pub ip: Ipv4Addr,
    /// 0: the device's `dstport`.
    pub port: u16,
    /// None: the device's VNI.
    pub vni: Option<u32>,
    /// The underlay device to send on (`via`), 0 for none.
    pub ifindex: u32,
}

/// A forwarding database entry (`struct vxlan_fdb`).
#[derive(Clone, Debug)]
pub struct VxlanFdb {
    pub mac: Mac,
    pub remotes: Vec<VxlanRdst>,
    /// NUD_PERMANENT (`permanent`), NUD_NOARP (`static`) or NUD_REACHABLE (learned/`dynamic`).
    pub state: u8,
    pub updated: Instant,
}

/// A VXLAN device's configuration and fdb (`struct vxlan_dev`).
#[derive(Clone, Debug)]
pub struct Vxlan {
    pub vni: u32,
    pub dstport: u16,
    /// `local`; unspecified when not given.
    pub local: Ipv4Addr,
    /// `remote` or `group`; unspecified when not given.
    pub remote: Ipv4Addr,
    /// `dev`: the underlay device.
    pub link: Option<DevId>,
    pub learning: bool,
    /// 0: `auto` (the route's hop limit).
    pub ttl: u8,
    /// 0: none; 1: `inherit`.
    pub tos: u8,
    pub port_min: u16,
    pub port_max: u16,
    pub ageing: u32,
    pub udp_csum: bool,
    /// `df`: [`VXLAN_DF_UNSET`], [`VXLAN_DF_SET`] or [`VXLAN_DF_INHERIT`].
    pub df: u8,
    /// Entries newest first, as the kernel's `fdb_list` is dumped.
    pub fdb: Vec<VxlanFdb>,
}

impl Vxlan {
    pub fn new(vni: u32) -> Vxlan {
        Vxlan {
            vni,
            dstport: VXLAN_DEFAULT_PORT,
            local: Ipv4Addr::UNSPECIFIED,
            remote: Ipv4Addr::UNSPECIFIED,
            link: None,
            learning: true,
            ttl: 0,
            tos: 0,
            port_min: 0,
            port_max: 0,
            ageing: FDB_AGE_DEFAULT,
            udp_csum: true,
            df: VXLAN_DF_UNSET,
            fdb: Vec::new(),
        }
    }

    pub fn find(&self, mac: &Mac) -> Option<usize> {
        self.fdb.iter().position(|f| &f.mac == mac)
    }

    /// Whether a learned entry has aged out (`vxlan_cleanup`).
    pub fn expired(&self, f: &VxlanFdb, now: Instant) -> bool {
        f.state & (NUD_PERMANENT | NUD_NOARP) == 0
            && self.ageing != 0
            && now.0 > f.updated.0 + u64::from(self.ageing) * 1_000_000_000
    }
}

/// What `bridge fdb add|append|replace` asks for (`NLM_F_*` flags of RTM_NEWNEIGH).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdbOp {
    Add,
    Append,
    Replace,
}

/// Why an fdb change failed, as the errno `RTNETLINK answers:` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdbErr {
    Exists,
    NoEnt,
    Inval,
    NotSupp,
    /// Extack of `vxlan_fdb_update_existing` for `replace` on a multicast/default entry.
    ReplaceNonUnicast,
}

impl FdbErr {
    /// What `bridge` prints for the error.
    pub fn text(self) -> &'static str {
        match self {
            FdbErr::Exists => "RTNETLINK answers: File exists\n",
            FdbErr::NoEnt => "RTNETLINK answers: No such file or directory\n",
            FdbErr::Inval => "RTNETLINK answers: Invalid argument\n",
            FdbErr::NotSupp => "RTNETLINK answers: Operation not supported\n",
            FdbErr::ReplaceNonUnicast => "Error: Cannot replace non-unicast fdb entries.\n",
        }
    }
}

/// A symmetric 32-bit flow hash of an inner Ethernet frame (addresses and ports ordered, as
/// `__flow_hash_consistentify` does), mixed like `jhash`'s final round.
fn inner_flow_hash(frame: &[u8]) -> u32 {
    let mut a = 0u32;
    let mut b = 0u32;
    let mut c = 0u32;
    let ethertype = frame
        .get(12..14)
        .map_or(0, |e| u16::from_be_bytes([e[0], e[1]]));
    let p = frame.get(ETH_HLEN..).unwrap_or(&[]);
    let addr = |x: &[u8]| u32::from_be_bytes([x[0], x[1], x[2], x[3]]);
    if ethertype == ETH_P_IP && p.len() >= 20 {
        let (s, d) = (addr(&p[12..16]), addr(&p[16..20]));
        let proto = p[9];
        let hl = (p[0] & 0x0f) as usize * 4;
        let (mut sp, mut dp) = (0u32, 0u32);
        if matches!(proto, IPPROTO_TCP | IPPROTO_UDP) && p.len() >= hl + 4 {
            sp = u16::from_be_bytes([p[hl], p[hl + 1]]).into();
            dp = u16::from_be_bytes([p[hl + 2], p[hl + 3]]).into();
        }
        let ((s, sp), (d, dp)) = if (d, dp) < (s, sp) {
            ((d, dp), (s, sp))
        } else {
            ((s, sp), (d, dp))
        };
        a = a.wrapping_add(s);
        b = b.wrapping_add(d);
        c = c.wrapping_add(u32::from(proto) << 16 | (sp ^ dp.rotate_left(16)));
    } else if ethertype == ETH_P_ARP && p.len() >= 28 {
        let (s, d) = (addr(&p[14..18]), addr(&p[24..28]));
        a = a.wrapping_add(s.min(d));
        b = b.wrapping_add(s.max(d));
        c = c.wrapping_add(u32::from(ETH_P_ARP));
    } else {
        for (i, x) in frame.iter().take(12).enumerate() {
            a = a.rotate_left(5) ^ u32::from(*x) ^ (i as u32);
        }
        c = c.wrapping_add(u32::from(ethertype));
    }
    // jhash_3words' __jhash_final.
    c ^= b;
    c = c.wrapping_sub(b.rotate_left(14));
    a ^= c;
    a = a.wrapping_sub(c.rotate_left(11));
    b ^= a;
    b = b.wrapping_sub(a.rotate_left(25));
    c ^= b;
    c = c.wrapping_sub(b.rotate_left(16));
    a ^= c;
    a = a.wrapping_sub(c.rotate_left(4));
    b ^= a;
    b = b.wrapping_sub(a.rotate_left(14));
    c ^= b;
    c = c.wrapping_sub(b.rotate_left(24));
    c
}

/// The UDP checksum over the IPv4 pseudo-header and `udp` (header with a zero checksum field
/// plus payload); 0 is sent as 0xffff.
pub fn udp4_checksum(src: Ipv4Addr, dst: Ipv4Addr, udp: &[u8]) -> u16 {
    match crate::net::tcp::l4_checksum(src, dst, IPPROTO_UDP, udp) {
        0 => 0xffff,
        c => c,
    }
}

impl Kernel {
    fn vxlan(&self, d: DevId) -> Option<&Vxlan> {
        match &self.dev(d).kind {
            DevKind::Vxlan(v) => Some(v),
            _ => None,
        }
    }

    fn vxlan_mut(&mut self, d: DevId) -> Option<&mut Vxlan> {
        match &mut self.dev_mut(d).kind {
            DevKind::Vxlan(v) => Some(v),
            _ => None,
        }
    }

    /// `vxlan_xmit`: finds the fdb entry for the destination MAC (else the all-zeros default
    /// entry) and sends one encapsulated copy per remote — the entry's later remotes first, its
    /// first remote last, as the kernel clones the skb.
    pub fn vxlan_xmit(&mut self, d: DevId, skb: SkBuff) {
        let ns = self.dev(d).ns;
        let frame = skb.data();
        let Some(vx) = self.vxlan(d) else { return };
        if frame.len() < ETH_HLEN {
            return self.kfree_skb_reason(Some(d), SkbDropReason::PktTooSmall, "vxlan_xmit");
        }
        let mut dst = [0u8; 6];
        dst.copy_from_slice(&frame[..6]);
        let now = self.now;
        let hit = vx
            .find(&dst)
            .filter(|&i| !vx.expired(&vx.fdb[i], now))
            .map(|i| (i, false))
            .or_else(|| vx.find(&ETH_ZERO).map(|i| (i, true)));
        let Some((i, default)) = hit else {
            self.trace(ns, || {
                format!("vxlan: no fdb entry for {} and no default", fmt_mac(&dst))
            });
            self.dev_mut(d).stats.tx_dropped += 1;
            return self.kfree_skb_reason(Some(d), SkbDropReason::VxlanNoRemote, "vxlan_xmit");
        };
        let remotes = vx.fdb[i].remotes.clone();
        self.trace(ns, || {
            format!(
                "vxlan: {} via fdb entry {} -> {}",
                fmt_mac(&dst),
                if default {
                    "00:00:00:00:00:00 (default)".to_string()
                } else {
                    fmt_mac(&dst)
                },
                remotes
                    .iter()
                    .map(|r| r.ip.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        });
        if remotes.is_empty() {
            return self.kfree_skb_reason(Some(d), SkbDropReason::VxlanNoRemote, "vxlan_xmit");
        }
        for r in remotes.iter().skip(1).chain(remotes.first()) {
            self.vxlan_xmit_one(d, &skb, r);
        }
    }

    /// `vxlan_xmit_one` → `vxlan_build_skb` → `udp_tunnel_xmit_skb` → `iptunnel_xmit` →
    /// `ip_local_out`.
    fn vxlan_xmit_one(&mut self, d: DevId, skb: &SkBuff, rd: &VxlanRdst) {
        let ns = self.dev(d).ns;
        let frame = skb.data();
        let Some(vx) = self.vxlan(d) else { return };
        if rd.ip.is_unspecified() {
            self.dev_mut(d).stats.tx_dropped += 1;
            return self.kfree_skb_reason(Some(d), SkbDropReason::VxlanNoRemote, "vxlan_xmit_one");
        }
        let dport = if rd.port != 0 { rd.port } else { vx.dstport };
        let vni = rd.vni.unwrap_or(vx.vni);
        let local = vx.local;
        let (mut lo, mut hi) = (u32::from(vx.port_min), u32::from(vx.port_max));
        let inner_tos = if frame.len() >= ETH_HLEN + 20
            && u16::from_be_bytes([frame[12], frame[13]]) == ETH_P_IP
        {
            frame[ETH_HLEN + 1]
        } else {
            0
        };
        // ip_tunnel_ecn_encap: the configured TOS (or the inner one with `tos inherit`), with
        // the inner ECN bits.
        let tos_cfg = if vx.tos == 1 { inner_tos & !3 } else { vx.tos };
        let ecn = inner_tos & 3;
        let tos = (tos_cfg & !3) | if ecn == 3 { 2 } else { ecn };
        let ttl_cfg = if vx.ttl == 0 && rd.ip.is_multicast() {
            1
        } else {
            vx.ttl
        };
        let udp_csum = vx.udp_csum;
        let df_cfg = vx.df;
        // udp_flow_src_port
        if lo >= hi {
            let range = self.net(ns).misc_sysctl.ip_local_port_range;
            lo = range.0.unwrap_or(32768);
            hi = range.1.unwrap_or(60999);
        }
        let mut hash = inner_flow_hash(frame);
        hash ^= hash << 16;
        let sport = ((u64::from(hash) * u64::from(hi - lo)) >> 32) as u32 + lo;
        let sport = sport as u16;
        let rt = match self.ip_route_output(ns, rd.ip, local, None) {
            Ok(rt) => rt,
            Err(_) => {
                self.trace(ns, || format!("vxlan: no route to VTEP {}", rd.ip));
                self.dev_mut(d).stats.tx_dropped += 1;
                return self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::IpOutNoRoutes,
                    "vxlan_xmit_one",
                );
            }
        };
        let src = if local.is_unspecified() {
            rt.src
        } else {
            local
        };
        // skb_tunnel_check_pmtu(skb, &rt->dst, VXLAN_HEADROOM, bridge port): an inner IPv4
        // packet bigger than the underlay path's MTU less the headroom lowers the path MTU of
        // its own route (skb_dst_update_pmtu_no_confirm: only a locally generated packet has
        // one); the packet still goes.
        let inner_ip =
            frame.len() >= ETH_HLEN + 20 && u16::from_be_bytes([frame[12], frame[13]]) == ETH_P_IP;
        if inner_ip {
            let mtu = self
                .ip_path_mtu(ns, rt.dev, rd.ip)
                .saturating_sub(VXLAN_HEADROOM);
            let i = &frame[ETH_HLEN..];
            let (isrc, idst) = (
                Ipv4Addr::new(i[12], i[13], i[14], i[15]),
                Ipv4Addr::new(i[16], i[17], i[18], i[19]),
            );
            if frame.len() - ETH_HLEN > mtu as usize && self.inet_addr_is_local(ns, isrc) {
                self.ip_rt_update_pmtu(ns, idst, mtu);
            }
        }
        // vxlan_xmit_one: the outer DF bit.
        let df = match df_cfg {
            VXLAN_DF_SET => IP_DF,
            VXLAN_DF_INHERIT if inner_ip => {
                u16::from_be_bytes([frame[ETH_HLEN + 6], frame[ETH_HLEN + 7]]) & IP_DF
            }
            // an IPv6 inner packet (ETH_P_IPV6) always sets DF
            VXLAN_DF_INHERIT if u16::from_be_bytes([frame[12], frame[13]]) == 0x86dd => IP_DF,
            _ => 0,
        };
        let ttl = if ttl_cfg != 0 {
            ttl_cfg
        } else {
            self.default_ttl(ns)
        };
        let mut udp = Vec::with_capacity(16 + frame.len());
        udp.extend_from_slice(&sport.to_be_bytes());
        udp.extend_from_slice(&dport.to_be_bytes());
        udp.extend_from_slice(&((16 + frame.len()) as u16).to_be_bytes());
        udp.extend_from_slice(&[0, 0]);
        udp.extend_from_slice(&[VXLAN_HF_VNI, 0, 0, 0]);
        udp.extend_from_slice(&(vni << 8).to_be_bytes());
        udp.extend_from_slice(frame);
        if udp_csum {
            let c = udp4_checksum(src, rd.ip, &udp);
            udp[6..8].copy_from_slice(&c.to_be_bytes());
        }
        self.trace(ns, || {
            format!(
                "vxlan: encap vni {vni} {src}:{sport} -> {}:{dport} ttl {ttl}",
                rd.ip
            )
        });
        if !self.iptunnel_xmit_check(d, frame.len()) {
            return;
        }
        let id = self.next_ip_id(ns);
        let ip = Ipv4Repr {
            tos,
            total_len: 0,
            id,
            frag: df,
            ttl,
            proto: IPPROTO_UDP,
            src,
            dst: rd.ip,
            options: vec![],
        };
        // iptunnel_xmit → skb_scrub_packet(skb, xnet): no connection, mark and
        // dst_pending_confirm stay.
        let mut out = SkBuff::new(udp);
        out.mark = skb.mark;
        out.dst_pending_confirm = skb.dst_pending_confirm;
        if self.ip_send_skb(ns, ip, out).is_err() {
            self.dev_mut(d).stats.tx_dropped += 1;
        }
    }

    /// The VXLAN sockets' UDP encap hook (`vxlan_rcv`): when a VXLAN device that is up in the
    /// namespace listens on the packet's UDP destination port, the packet is consumed here
    /// (decapsulated, or dropped with a reason) and `true` is returned; `false` lets UDP go on
    /// to its own sockets / port unreachable.
    pub fn vxlan_udp_rcv(&mut self, d: DevId, skb: &SkBuff, hl: usize, ip: &Ipv4Repr) -> bool {
        let ns = self.dev(d).ns;
        let pkt = skb.data();
        let udp = &pkt[hl..];
        if udp.len() < 8 {
            return false;
        }
        let dport = u16::from_be_bytes([udp[2], udp[3]]);
        let socks = self.vxlan_socks(ns, dport);
        if socks.is_empty() {
            return false;
        }
        let ulen = u16::from_be_bytes([udp[4], udp[5]]) as usize;
        if ulen < 8 || ulen > udp.len() {
            self.kfree_skb_reason(Some(d), SkbDropReason::PktTooSmall, "__udp4_lib_rcv");
            return true;
        }
        let udp = &udp[..ulen];
        let csum = u16::from_be_bytes([udp[6], udp[7]]);
        if csum != 0 {
            let mut z = udp.to_vec();
            z[6] = 0;
            z[7] = 0;
            if udp4_checksum(ip.src, ip.dst, &z) != csum {
                self.kfree_skb_reason(Some(d), SkbDropReason::UdpCsum, "__udp4_lib_rcv");
                return true;
            }
        }
        let payload = &udp[8..];
        if payload.len() < 8 + ETH_HLEN {
            self.kfree_skb_reason(Some(d), SkbDropReason::PktTooSmall, "vxlan_rcv");
            return true;
        }
        if payload[0] & VXLAN_HF_VNI == 0 {
            self.kfree_skb_reason(Some(d), SkbDropReason::VxlanInvalidHdr, "vxlan_rcv");
            return true;
        }
        let vni = u32::from_be_bytes([payload[4], payload[5], payload[6], payload[7]]) >> 8;
        let Some(vd) = socks
            .into_iter()
            .find(|&x| self.vxlan(x).is_some_and(|v| v.vni == vni))
        else {
            self.trace(ns, || {
                format!("vxlan: no device for vni {vni} on port {dport}")
            });
            self.kfree_skb_reason(Some(d), SkbDropReason::VxlanVniNotFound, "vxlan_rcv");
            return true;
        };
        // iptunnel_pull_header → skb_scrub_packet: the inner frame keeps dst_pending_confirm.
        let mut inner = SkBuff::new(payload[8..].to_vec());
        inner.dst_pending_confirm = skb.dst_pending_confirm;
        let mut smac = [0u8; 6];
        smac.copy_from_slice(&inner.data()[6..12]);
        let vname = self.trace_name(vd);
        self.trace(ns, || {
            format!(
                "vxlan: decap vni {vni} from {}:{} to {vname}",
                ip.src,
                u16::from_be_bytes([udp[0], udp[1]]),
            )
        });
        // vxlan_set_mac: ignore our own frames looping back.
        if smac == self.dev(vd).mac {
            self.kfree_skb_reason(Some(vd), SkbDropReason::LocalMac, "vxlan_set_mac");
            return true;
        }
        if self.vxlan(vd).is_some_and(|v| v.learning) && self.vxlan_snoop(vd, ip.src, smac) {
            self.kfree_skb_reason(Some(vd), SkbDropReason::VxlanEntryExists, "vxlan_set_mac");
            return true;
        }
        // gro_cells_receive → the device's receive path (tap, bridge port, protocols).
        self.netif_receive_skb(vd, inner);
        true
    }

    /// The up VXLAN devices of a namespace whose socket is bound to `port` (`vxlan_find_sock`).
    fn vxlan_socks(&self, ns: NsId, port: u16) -> Vec<DevId> {
        self.net(ns)
            .devs
            .iter()
            .copied()
            .filter(|&x| self.dev(x).up && self.vxlan(x).is_some_and(|v| v.dstport == port))
            .collect()
    }

    /// `vxlan_snoop`: learns (or moves) the source MAC of a received frame to the outer source
    /// address. Returns true when the frame must be dropped (a static entry points elsewhere).
    fn vxlan_snoop(&mut self, d: DevId, src: Ipv4Addr, mac: Mac) -> bool {
        let ns = self.dev(d).ns;
        let now = self.now;
        let up = self.dev(d).up;
        let Some(vx) = self.vxlan_mut(d) else {
            return false;
        };
        if let Some(i) = vx.find(&mac) {
            let f = &mut vx.fdb[i];
            if f.remotes
                .first()
                .is_some_and(|r| r.ip == src && r.ifindex == 0)
            {
                f.updated = now;
                return false;
            }
            if f.state & (NUD_PERMANENT | NUD_NOARP) != 0 {
                return true;
            }
            if let Some(r) = f.remotes.first_mut() {
                r.ip = src;
            }
            f.updated = now;
            self.trace(ns, || format!("vxlan: {} moved to {src}", fmt_mac(&mac)));
            return false;
        }
        if !mac_is_multicast(&mac) && mac != ETH_ZERO && up {
            vx.fdb.insert(
                0,
                VxlanFdb {
                    mac,
                    remotes: vec![VxlanRdst {
                        ip: src,
                        port: 0,
                        vni: None,
                        ifindex: 0,
                    }],
                    state: NUD_REACHABLE,
                    updated: now,
                },
            );
            self.trace(ns, || format!("vxlan: learned {} dst {src}", fmt_mac(&mac)));
        }
        false
    }

    /// `vxlan_fdb_add` (RTM_NEWNEIGH with `NLM_F_EXCL`, `NLM_F_APPEND` or `NLM_F_REPLACE`).
    pub fn vxlan_fdb_add(
        &mut self,
        d: DevId,
        mac: Mac,
        rd: VxlanRdst,
        state: u8,
        op: FdbOp,
    ) -> Result<(), FdbErr> {
        let now = self.now;
        let Some(vx) = self.vxlan_mut(d) else {
            return Err(FdbErr::Inval);
        };
        if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 || rd.ip.is_unspecified() {
            return Err(FdbErr::Inval);
        }
        let Some(i) = vx.find(&mac) else {
            // vxlan_fdb_update_create: replace may not create a multicast/default entry.
            if op == FdbOp::Replace && (mac_is_multicast(&mac) || mac == ETH_ZERO) {
                return Err(FdbErr::NotSupp);
            }
            vx.fdb.insert(
                0,
                VxlanFdb {
                    mac,
                    remotes: vec![rd],
                    state,
                    updated: now,
                },
            );
            return Ok(());
        };
        if op == FdbOp::Add {
            return Err(FdbErr::Exists);
        }
        let multi = mac_is_multicast(&mac) || mac == ETH_ZERO;
        if op == FdbOp::Replace && multi {
            return Err(FdbErr::ReplaceNonUnicast);
        }
        // vxlan_fdb_update_existing
        let f = &mut vx.fdb[i];
        if f.state != state {
            f.state = state;
            f.updated = now;
        }
        match op {
            // vxlan_fdb_replace: the first remote changes (unless it is already listed).
            FdbOp::Replace if !f.remotes.contains(&rd) => match f.remotes.first_mut() {
                Some(r) => *r = rd,
                None => f.remotes.push(rd),
            },
            FdbOp::Append if multi && !f.remotes.contains(&rd) => f.remotes.push(rd),
            _ => {}
        }
        Ok(())
    }

    /// `vxlan_fdb_delete`: the whole entry, or only the remote named by `dst`.
    pub fn vxlan_fdb_del(
        &mut self,
        d: DevId,
        mac: Mac,
        dst: Option<Ipv4Addr>,
    ) -> Result<(), FdbErr> {
        let Some(vx) = self.vxlan_mut(d) else {
            return Err(FdbErr::Inval);
        };
        let Some(i) = vx.find(&mac) else {
            return Err(FdbErr::NoEnt);
        };
        if let Some(ip) = dst {
            let f = &mut vx.fdb[i];
            // No such remote: nothing to do, and no error either.
            let Some(r) = f.remotes.iter().position(|r| r.ip == ip) else {
                return Ok(());
            };
            // The last remote takes the entry with it.
            if f.remotes.len() > 1 {
                f.remotes.remove(r);
                return Ok(());
            }
        }
        vx.fdb.remove(i);
        Ok(())
    }

    /// `vxlan_handle_lowerdev_unregister`: VXLAN devices over a device that goes away are
    /// deleted with it.
    pub fn vxlan_lowerdev_unregister(&mut self, lower: DevId) {
        let ns = self.dev(lower).ns;
        let uppers: Vec<DevId> = self
            .net(ns)
            .devs
            .iter()
            .copied()
            .filter(|&x| self.vxlan(x).is_some_and(|v| v.link == Some(lower)))
            .collect();
        for u in uppers {
            if self.dev_alive(u) {
                self.dev_del(u);
            }
        }
    }

    /// Drops learned entries that aged out (`vxlan_cleanup`), as a dump would not show them.
    pub fn vxlan_fdb_cleanup(&mut self, d: DevId) {
        let now = self.now;
        if let Some(vx) = self.vxlan_mut(d) {
            let keep: Vec<VxlanFdb> = vx
                .fdb
                .iter()
                .filter(|f| !vx.expired(f, now))
                .cloned()
                .collect();
            vx.fdb = keep;
        }
    }
}

/// iproute2's `state_n2a` for `bridge fdb show`.
pub fn fdb_state_name(state: u8) -> &'static str {
    if state & NUD_PERMANENT != 0 {
        "permanent"
    } else if state & NUD_NOARP != 0 {
        "static"
    } else if state & crate::net::neigh::NUD_STALE != 0 {
        "stale"
    } else {
        ""
    }
}
