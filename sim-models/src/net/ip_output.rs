//! IPv4 output (`net/ipv4/ip_output.c`): `ip_local_out`/`ip_output` for locally generated
//! packets (`ip_send`), `ip_finish_output` and fragmentation (`ip_fragment`).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::dev::NetXmit;
use crate::net::netfilter::NfHook;
use crate::net::route::RouteErr;
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use std::net::Ipv4Addr;

/// The headroom a sender that builds its transport payload in place leaves in front of it
/// (`LL_RESERVED_SPACE` and an IPv4 header without options, as `ip_append_data` reserves
/// `hh_len` + the header): `ip_send_flow` then writes the IP header there and `neigh_output`
/// the Ethernet header, with no copy of the packet.
pub(crate) const IP_HEADROOM: usize = ETH_HLEN + 20;

/// The largest buffer `skb_small_head_cache` keeps: the kernel's cache is for heads up to
/// `SKB_SMALL_HEAD_CACHE_SIZE` (640 bytes on x86-64); a bigger one is freed.
const SKB_SMALL_HEAD_MAX: usize = 640;
/// How many buffers `skb_small_head_cache` keeps at most (at most 10 MB): as many as the
/// packets a round of thousands of pods has in flight at once, each sent in the same tick
/// and consumed in a later one.
const SKB_SMALL_HEAD_CACHED: usize = 16384;

/// A buffer for an skb built with [`skb_with_headroom`]: [`IP_HEADROOM`] zero bytes, room for
/// `payload_len` more; the payload is appended. Made of `cached`, a buffer its caller took
/// from `skb_small_head_cache` (the last one consumed, as `kmalloc_reserve` takes an object
/// from its slab), when there was one big enough, else allocated.
#[inline]
pub(crate) fn headroom_buf(cached: Option<Vec<u8>>, payload_len: usize) -> Vec<u8> {
    let size = IP_HEADROOM + payload_len;
    let mut v = match cached {
        Some(mut v) if v.capacity() >= size => {
            v.clear();
            v
        }
        _ => Vec::with_capacity(size),
    };
    v.resize(IP_HEADROOM, 0);
    v
}

impl Kernel {
    /// `consume_skb` → `skb_free_head`: a packet delivered and done with; its buffer goes
    /// back to `skb_small_head_cache` when it is small and no other copy shares it (a cache
    /// that is full, or a bigger buffer, is freed).
    #[inline]
    pub(crate) fn consume_skb(&mut self, skb: SkBuff) {
        if let Ok(v) = skb.into_head() {
            if v.capacity() <= SKB_SMALL_HEAD_MAX
                && self.skb_small_head_cache.len() < SKB_SMALL_HEAD_CACHED
            {
                self.skb_small_head_cache.push(v);
            }
        }
    }
}

/// The skb of a [`headroom_buf`] whose payload is written: its data is the payload, the
/// first [`IP_HEADROOM`] bytes headroom.
pub(crate) fn skb_with_headroom(buf: Vec<u8>) -> SkBuff {
    let mut skb = SkBuff::new(buf);
    skb.pull(IP_HEADROOM);
    skb
}

impl Kernel {
    /// Sends a locally generated IPv4 packet (`ip_local_out` → `ip_output`). The header's `src`
    /// may be unspecified: the route's source is used. Returns the error a socket would see.
    pub fn ip_send(&mut self, ns: NsId, ip: Ipv4Repr, payload: Vec<u8>) -> Result<(), RouteErr> {
        self.ip_send_skb(ns, ip, SkBuff::new(payload))
    }

    /// `ip_send_skb` → `ip_local_out`: `ip_send` for an skb whose data is the transport payload
    /// and which already carries the sender's state (a TCP segment's `dst_pending_confirm`, an
    /// ICMP error's attached connection, a tunnel's inner packet's mark).
    pub fn ip_send_skb(&mut self, ns: NsId, ip: Ipv4Repr, skb: SkBuff) -> Result<(), RouteErr> {
        self.ip_send_skb_oif(ns, ip, skb, None)
    }

    /// `ip_send` from a socket bound to a device (`SO_BINDTODEVICE`: the route lookup's
    /// `flowi4_oif`).
    pub fn ip_send_oif(
        &mut self,
        ns: NsId,
        ip: Ipv4Repr,
        payload: Vec<u8>,
        oif: Option<DevId>,
    ) -> Result<(), RouteErr> {
        self.ip_send_skb_oif(ns, ip, SkBuff::new(payload), oif)
    }

    pub(crate) fn ip_send_skb_oif(
        &mut self,
        ns: NsId,
        ip: Ipv4Repr,
        skb: SkBuff,
        oif: Option<DevId>,
    ) -> Result<(), RouteErr> {
        self.ip_send_flow(ns, ip, skb, oif, false)
    }

    /// `ip_send` of a packet whose source need not be ours: netfilter's reset for a
    /// forwarded segment (nf_send_reset → ip_route_me_harder, whose FLOWI_FLAG_ANYSRC keeps
    /// a unicast source that is not local; the route is looked up as for no source).
    pub fn ip_send_anysrc(
        &mut self,
        ns: NsId,
        ip: Ipv4Repr,
        payload: Vec<u8>,
    ) -> Result<(), RouteErr> {
        self.ip_send_flow(ns, ip, SkBuff::new(payload), None, true)
    }

    /// `ip_local_out` of a packet built elsewhere whose source need not be ours, routed out of
    /// `oif` (an L3 ipvlan's packet in its parent's namespace: `ipvlan_process_v4_outbound`).
    /// The header is emitted again as it was (same id, TTL, flags).
    pub fn ip_send_anysrc_oif(
        &mut self,
        ns: NsId,
        ip: Ipv4Repr,
        skb: SkBuff,
        oif: DevId,
    ) -> Result<(), RouteErr> {
        self.ip_send_flow(ns, ip, skb, Some(oif), true)
    }

    fn ip_send_flow(
        &mut self,
        ns: NsId,
        ip: Ipv4Repr,
        skb: SkBuff,
        oif: Option<DevId>,
        anysrc: bool,
    ) -> Result<(), RouteErr> {
        let lookup_src = if anysrc && !self.inet_addr_is_local(ns, ip.src) {
            Ipv4Addr::UNSPECIFIED
        } else {
            ip.src
        };
        let rt = self.ip_route_output(ns, ip.dst, lookup_src, oif);
        self.ip_send_route(ns, ip, skb, rt)
    }

    /// `ip_send_skb_oif` on the route its caller just looked up for this packet's flow
    /// (`ip_route_output(ns, ip.dst, ip.src, oif)` at the same instant): a raw socket's
    /// `raw_sendmsg` looks the route up once, and ping reads the path MTU from it before the
    /// packet goes out on it.
    pub(crate) fn ip_send_route(
        &mut self,
        ns: NsId,
        mut ip: Ipv4Repr,
        mut skb: SkBuff,
        rt: Result<crate::net::route::OutRoute, RouteErr>,
    ) -> Result<(), RouteErr> {
        // (Read where the caller put it: moving the route out of the `Result` copied it.)
        let rt = match &rt {
            Ok(rt) => rt,
            Err(e) => {
                self.kfree_skb_reason_ns(ns, SkbDropReason::IpOutNoRoutes, "ip_route_output_flow");
                return Err(*e);
            }
        };
        if ip.src.is_unspecified() {
            ip.src = rt.src;
        }
        // The header in front of the payload, with room for the link-layer header
        // (LL_RESERVED_SPACE) so neigh_output need not copy the packet again: in the skb's
        // headroom when its sender left it (`IP_HEADROOM`), else in a new buffer.
        let hl = ip.header_len();
        if skb.headroom() >= ETH_HLEN + hl {
            let len = skb.len();
            ip.emit_header(skb.push(hl), len);
        } else {
            let pkt = ip.emit_with_headroom(ETH_HLEN, skb.data());
            skb.set_data_headroom(pkt, ETH_HLEN);
        }
        let (mut out, mut nh) = (rt.dev, rt.gw.unwrap_or(ip.dst));
        if self.tracer.enabled {
            let (on, t) = (
                self.dev(rt.dev).name.clone(),
                crate::trace::table_name(rt.table),
            );
            let via = rt.gw.map(|g| format!(" via {g}")).unwrap_or_default();
            self.trace(ns, || {
                format!(
                    "fib: output {} → table {t}: {}/{}{via} dev {on} src {} → nexthop {nh}",
                    ip.dst, rt.route_dst, rt.route_plen, ip.src
                )
            });
        }
        // __ip_local_out → l3mdev_ip_out: out of a VRF's slave, the VRF's taps see it.
        if self.dev(out).master.is_some() {
            self.l3mdev_ip_out(out, skb.data());
        }
        if self
            .nf_hook(ns, NfHook::LocalOut, &mut skb, None, Some(out))
            .dropped()
        {
            return Err(RouteErr::Perm);
        }
        if skb.data()[16..20] != ip.dst.octets() {
            // OUTPUT changed the destination (DNAT): ip_route_me_harder.
            match self.nf_reroute(ns, skb.data()) {
                Some((d, n)) => (out, nh) = (d, n),
                None => {
                    self.kfree_skb_reason_ns(
                        ns,
                        SkbDropReason::IpOutNoRoutes,
                        "ip_route_me_harder",
                    );
                    return Err(RouteErr::NetUnreach);
                }
            }
        }
        if self
            .nf_hook(ns, NfHook::PostRouting, &mut skb, None, Some(out))
            .dropped()
        {
            return Err(RouteErr::Perm);
        }
        // A learned path MTU below the device's: fragment to it (ip_skb_dst_mtu).
        let d = skb.data();
        let dst = Ipv4Addr::new(d[16], d[17], d[18], d[19]);
        let pmtu = self.ip_path_mtu(ns, out, dst) as usize;
        // The common case straight to neigh_output: no fragment (within the path MTU and the
        // device's, not a reassembled packet), no neighbour to confirm, not an IPIP tunnel —
        // what ip_finish_output and ip_finish_output2 test first. (Each inlined level still
        // copied the skb, callgrind.)
        let odev = self.dev(out);
        let len = skb.len();
        let rc = if len <= pmtu
            && len <= odev.mtu as usize
            && skb.frag_max_size == 0
            && !skb.dst_pending_confirm
            && !matches!(odev.kind, DevKind::Ipip(_))
        {
            self.neigh_output(out, nh, skb)
        } else if len > pmtu && pmtu < odev.mtu as usize {
            self.ip_do_fragment(out, nh, skb, pmtu, Self::ip_finish_output)
        } else {
            self.ip_finish_output(out, nh, skb)
        };
        // ip_send_skb: net_xmit_errno (a device's drop is ENOBUFS).
        match rc {
            NetXmit::Success => Ok(()),
            NetXmit::Drop => Err(RouteErr::NoBufs),
            NetXmit::NetDown => Err(RouteErr::NetDown),
        }
    }

    /// `ip_finish_output`: fragments when needed, then `neigh_output`. (Always inline: the
    /// common case is a test of the length before `neigh_output`'s fast path, and out of
    /// line it cost a call and a copy of the skb a packet.)
    #[inline(always)]
    pub fn ip_finish_output(&mut self, out: DevId, nh: Ipv4Addr, skb: SkBuff) -> NetXmit {
        // (`ip_send_route` goes straight to `neigh_output` when neither this function's test
        // nor `ip_finish_output2`'s applies: a test added to either belongs there too.)
        let mut mtu = self.dev(out).mtu as usize;
        if skb.len() > mtu || skb.frag_max_size != 0 {
            // ip_do_fragment: a packet conntrack reassembled goes out in pieces no larger
            // than its largest fragment was.
            if skb.frag_max_size != 0 && usize::from(skb.frag_max_size) < mtu {
                mtu = usize::from(skb.frag_max_size);
            }
            if skb.len() > mtu {
                return self.ip_do_fragment(out, nh, skb, mtu, Self::ip_finish_output2);
            }
        }
        self.ip_finish_output2(out, nh, skb)
    }

    /// `ip_do_fragment`: the fragments go out one by one through `output`; the first one the
    /// device refuses ends it (the rest are not sent) and its status is the packet's.
    fn ip_do_fragment(
        &mut self,
        out: DevId,
        nh: Ipv4Addr,
        skb: SkBuff,
        mtu: usize,
        output: fn(&mut Kernel, DevId, Ipv4Addr, SkBuff) -> NetXmit,
    ) -> NetXmit {
        match ip_fragment(skb.data(), mtu) {
            Some(frags) => {
                for f in frags {
                    let rc = output(self, out, nh, skb.copy_metadata(f));
                    if rc != NetXmit::Success {
                        return rc;
                    }
                }
                NetXmit::Success
            }
            None => {
                self.kfree_skb_reason(Some(out), SkbDropReason::PktTooBig, "ip_fragment");
                NetXmit::Success
            }
        }
    }

    /// `ip_finish_output2`: an IPIP tunnel's neighbour is NUD_NOARP (straight to the device,
    /// which needs the nexthop); other devices resolve it.
    #[inline]
    pub(crate) fn ip_finish_output2(&mut self, out: DevId, nh: Ipv4Addr, skb: SkBuff) -> NetXmit {
        if skb.dst_pending_confirm {
            // sock_confirm_neigh: a TCP socket saw forward progress (tcp_ack → sk_dst_confirm);
            // the flag travels with the skb, so a router forwarding the segment confirms its
            // own neighbour too.
            self.neigh_confirm(out, nh);
        }
        if matches!(self.dev(out).kind, DevKind::Ipip(_)) {
            self.ipip_output(out, nh, skb);
            return NetXmit::Success;
        }
        self.neigh_output(out, nh, skb)
    }
}

/// `ip_fragment`: splits a packet without DF into fragments that fit `mtu`. None if DF is set.
pub fn ip_fragment(pkt: &[u8], mtu: usize) -> Option<Vec<Vec<u8>>> {
    let (ip, hl) = Ipv4Repr::parse(pkt).ok()?;
    if ip.df() || mtu < hl + 8 {
        return None;
    }
    let data = &pkt[hl..];
    let chunk = (mtu - hl) & !7;
    let base_off = (ip.frag & 0x1fff) as usize * 8;
    let orig_mf = ip.frag & IP_MF != 0;
    let mut out = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let end = (off + chunk).min(data.len());
        let last = end == data.len();
        let mut h = ip.clone();
        h.frag = (((base_off + off) / 8) as u16) | if !last || orig_mf { IP_MF } else { 0 };
        out.push(h.emit(&data[off..end]));
        off = end;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cached buffer big enough is reused (the same allocation), its old bytes gone: the
    /// new buffer is the headroom's zeros, as a fresh one is; one too small is not used.
    #[test]
    fn headroom_buf_reuses_a_cached_buffer_that_fits() {
        let old = vec![0xa5; 200];
        let at = old.as_ptr();
        let v = headroom_buf(Some(old), 64);
        assert_eq!(v, vec![0; IP_HEADROOM]);
        assert_eq!(v.as_ptr(), at);
        let v = headroom_buf(Some(vec![0xa5; 10]), 64);
        assert_eq!(v, vec![0; IP_HEADROOM]);
        assert!(v.capacity() >= IP_HEADROOM + 64);
        assert_eq!(headroom_buf(None, 8), vec![0; IP_HEADROOM]);
    }

    /// `consume_skb` caches a small buffer the skb owns, not one a flood's copies share nor
    /// a big one, and the next `headroom_buf` gets the last one cached.
    #[test]
    fn consume_skb_caches_small_owned_buffers() {
        let mut k = Kernel::new(1);
        let small = vec![1u8; 98];
        let at = small.as_ptr();
        k.consume_skb(SkBuff::new(small));
        let mut shared = SkBuff::new(vec![2u8; 98]);
        let copy = shared.clone_shared();
        k.consume_skb(shared);
        k.consume_skb(SkBuff::new(vec![3u8; SKB_SMALL_HEAD_MAX + 1]));
        assert_eq!(k.skb_small_head_cache.len(), 1);
        drop(copy);
        let v = headroom_buf(k.skb_small_head_cache.pop(), 64);
        assert_eq!(v.as_ptr(), at);
        assert_eq!(v, vec![0; IP_HEADROOM]);
    }
}
