//! IPv4 output (`net/ipv4/ip_output.c`): `ip_local_out`/`ip_output` for locally generated
//! packets (`ip_send`), `ip_finish_output` and fragmentation (`ip_fragment`).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::netfilter::NfHook;
use crate::net::route::RouteErr;
use crate::wire::*;
use std::net::Ipv4Addr;

impl Kernel {
    /// Sends a locally generated IPv4 packet (`ip_local_out` → `ip_output`). The header's `src`
    /// may be unspecified: the route's source is used. Returns the error a socket would see.
    pub fn ip_send(
        &mut self,
        ns: NsId,
        mut ip: Ipv4Repr,
        payload: Vec<u8>,
    ) -> Result<(), RouteErr> {
        let rt = match self.ip_route_output(ns, ip.dst, ip.src, None) {
            Ok(rt) => rt,
            Err(e) => {
                self.kfree_skb_reason_ns(ns, SkbDropReason::IpOutNoRoutes, "ip_route_output_flow");
                return Err(e);
            }
        };
        if ip.src.is_unspecified() {
            ip.src = rt.src;
        }
        let mut pkt = ip.emit(&payload);
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
        if self
            .nf_hook(ns, NfHook::LocalOut, &mut pkt, None, Some(out))
            .dropped()
        {
            return Err(RouteErr::Perm);
        }
        if pkt[16..20] != ip.dst.octets() {
            // OUTPUT changed the destination (DNAT): ip_route_me_harder.
            match self.nf_reroute(ns, &pkt) {
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
            .nf_hook(ns, NfHook::PostRouting, &mut pkt, None, Some(out))
            .dropped()
        {
            return Err(RouteErr::Perm);
        }
        // A learned path MTU below the device's: fragment to it (ip_skb_dst_mtu).
        let dst = Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]);
        let pmtu = self.ip_path_mtu(ns, out, dst) as usize;
        if pkt.len() > pmtu && pmtu < self.dev(out).mtu as usize {
            match ip_fragment(&pkt, pmtu) {
                Some(frags) => {
                    for f in frags {
                        self.ip_finish_output(out, nh, f);
                    }
                }
                None => self.kfree_skb_reason(Some(out), SkbDropReason::PktTooBig, "ip_fragment"),
            }
            return Ok(());
        }
        self.ip_finish_output(out, nh, pkt);
        Ok(())
    }

    /// `ip_finish_output`: fragments when needed, then `neigh_output`.
    pub fn ip_finish_output(&mut self, out: DevId, nh: Ipv4Addr, pkt: Vec<u8>) {
        let mtu = self.dev(out).mtu as usize;
        if pkt.len() <= mtu {
            return self.ip_finish_output2(out, nh, pkt);
        }
        match ip_fragment(&pkt, mtu) {
            Some(frags) => {
                for f in frags {
                    self.ip_finish_output2(out, nh, f);
                }
            }
            None => self.kfree_skb_reason(Some(out), SkbDropReason::PktTooBig, "ip_fragment"),
        }
    }

    /// `ip_finish_output2`: an IPIP tunnel's neighbour is NUD_NOARP (straight to the device,
    /// which needs the nexthop); other devices resolve it.
    pub(crate) fn ip_finish_output2(&mut self, out: DevId, nh: Ipv4Addr, pkt: Vec<u8>) {
        if std::mem::take(&mut self.dst_pending_confirm) {
            // sock_confirm_neigh: a TCP socket saw forward progress (tcp_ack → sk_dst_confirm).
            self.neigh_confirm(out, nh);
        }
        if matches!(self.dev(out).kind, DevKind::Ipip(_)) {
            return self.ipip_output(out, nh, pkt);
        }
        self.neigh_output(out, nh, pkt)
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
