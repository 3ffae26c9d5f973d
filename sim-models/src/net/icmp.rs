//! ICMP (`net/ipv4/icmp.c`): `icmp_rcv` (echo replies, errors to TCP and ping sockets,
//! PMTU updates) and `__icmp_send` with the kernel's source/TOS/quoting rules.
//!
//! Errors are rate-limited per destination as the kernel does (`icmpv4_xrlim_allow`: the
//! peer's token bucket, `icmp_ratelimit` 1000 ms for the types in `icmp_ratemask`).
//!
//! # Differences from Linux
//! No global ICMP limit (`icmp_global_allow`: `icmp_msgs_per_sec` 1000 with a burst of 50,
//! whose cost per message is random in 6.18). Redirects are accepted into route exceptions
//! (`ip_do_redirect`, net/route.rs).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::inetpeer::{inet_peer_xrlim_allow, jiffies, msecs_to_jiffies};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use std::net::Ipv4Addr;

/// `NR_ICMP_TYPES`.
const NR_ICMP_TYPES: u8 = 18;

impl Kernel {
    pub(crate) fn icmp_rcv(
        &mut self,
        ns: NsId,
        d: DevId,
        skb: SkBuff,
        hl: usize,
        ip: &Ipv4Repr,
        bcast: bool,
    ) {
        if skb.data().get(hl) == Some(&ICMP_ECHO) {
            return self.icmp_echo(ns, d, skb, hl, ip, bcast);
        }
        let msg = &skb.data()[hl..];
        // An echo reply goes to the ping sockets only (none of the error handlers below):
        // checked as IcmpRepr::parse checks, without its copy of the data.
        if msg.first() == Some(&ICMP_ECHOREPLY) && msg.len() >= 8 && checksum(msg) == 0 {
            self.trace(ns, || "icmp: echo reply → ping sockets".to_string());
            self.ping_rcv_echo_reply(ns, ip, msg);
            return self.consume_skb(skb);
        }
        let icmp = match IcmpRepr::parse(msg) {
            Ok(i) => i,
            Err(r) => return self.kfree_skb_reason(Some(d), r, "icmp_rcv"),
        };
        self.trace(ns, || {
            let what = match icmp.ty {
                0 => "echo reply".to_string(),
                3 => format!("destination unreachable (code {})", icmp.code),
                11 => "time exceeded".to_string(),
                t => format!("type {t} code {}", icmp.code),
            };
            format!("icmp: {what} → ping sockets")
        });
        // icmp_unreach → ipv4_update_pmtu for "fragmentation needed".
        if icmp.ty == ICMP_DEST_UNREACH && icmp.code == ICMP_FRAG_NEEDED {
            if let Ok((q, _)) = Ipv4Repr::parse_quoted(&icmp.data) {
                let mtu = u16::from_be_bytes([icmp.rest[2], icmp.rest[3]]);
                if q.src == ip.dst && mtu >= 68 {
                    let vrf = self.l3mdev_master_dev(d);
                    self.ip_rt_update_pmtu_in(ns, q.dst, u32::from(mtu), vrf);
                }
            }
        }
        if icmp.ty == ICMP_DEST_UNREACH || icmp.ty == ICMP_TIME_EXCEEDED {
            self.tcp_v4_err(ns, &icmp);
            self.udp_err(ns, &icmp);
        }
        // icmp_redirect → icmp_socket_deliver → the protocol's err handler →
        // ipv4_redirect → __ip_do_redirect.
        if icmp.ty == ICMP_REDIRECT {
            if let Ok((q, _)) = Ipv4Repr::parse_quoted(&icmp.data) {
                let new_gw = Ipv4Addr::from(icmp.rest);
                self.ip_do_redirect(d, icmp.code, ip.src, new_gw, q.dst, q.src);
            }
        }
        self.ping_rcv(ns, ip, &icmp)
    }

    /// `icmp_echo` → `icmp_reply`: an echo request (its message at `hl` in `skb`, checked as
    /// `icmp_rcv` checks every message) answered with the same identifier, sequence and data,
    /// type and code 0 (`IcmpRepr::emit`'s bytes), from the address it was sent to.
    ///
    /// The kernel's `icmp_reply` copies the data into a new skb; here the request's own buffer
    /// becomes the reply (its message rewritten in place, the skb's metadata fresh, as a new
    /// skb's is): the bytes sent are the same, with no allocation and no copy (the headers in
    /// front of the message are the reply's headroom, where `ip_send_route` writes its IP
    /// header and `neigh_output` its Ethernet header). A buffer a flood's copies share is
    /// copied first (`SkBuff::push`'s copy on write).
    fn icmp_echo(
        &mut self,
        ns: NsId,
        d: DevId,
        skb: SkBuff,
        hl: usize,
        ip: &Ipv4Repr,
        bcast: bool,
    ) {
        let msg = &skb.data()[hl..];
        if msg.len() < 8 {
            return self.kfree_skb_reason(Some(d), SkbDropReason::PktTooSmall, "icmp_rcv");
        }
        if checksum(msg) != 0 {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IcmpCsum, "icmp_rcv");
        }
        if bcast {
            // icmp_echo_ignore_broadcasts=1
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "icmp_rcv");
        }
        self.trace(ns, || {
            format!("icmp: echo request from {} → echo reply", ip.src)
        });
        // The whole buffer, headroom included, as a new skb's (fresh metadata), its data
        // the message.
        let head = skb.headroom();
        let mut buf = match skb.into_head() {
            Ok(buf) => buf,
            Err(mut skb) => {
                skb.push(head);
                skb.into_data()
            }
        };
        icmp_echo_to_reply(&mut buf[head + hl..]);
        let mut reply = SkBuff::new(buf);
        reply.pull(head + hl);
        let id = self.next_ip_id(ns);
        let out = Ipv4Repr {
            tos: ip.tos,
            total_len: 0,
            id,
            frag: 0,
            ttl: 64,
            proto: IPPROTO_ICMP,
            src: ip.dst,
            dst: ip.src,
            options: vec![],
        };
        // icmp_reply: routed in the VRF the request came in (flowi4_oif =
        // l3mdev_master_ifindex(skb->dev)).
        // (A device that is neither a VRF nor enslaved has none: one look at it.)
        let dv = self.dev(d);
        let oif = if dv.master.is_some() || matches!(dv.kind, DevKind::Vrf(_)) {
            self.l3mdev_master_dev(d)
        } else {
            None
        };
        let _ = self.ip_send_skb_oif(ns, out, reply, oif);
    }

    /// `__icmp_send`: an ICMP error about `skb_in` (an IPv4 packet), with the kernel's
    /// rules: never about ICMP errors, fragments or broadcasts; source is the offending packet's
    /// destination when that is local, else chosen by routing; TOS | 0xc0; up to 576 bytes.
    pub fn icmp_send(
        &mut self,
        ns: NsId,
        _in_dev: Option<DevId>,
        skb_in: &SkBuff,
        ty: u8,
        code: u8,
        rest: [u8; 4],
    ) {
        let offending = skb_in.data();
        let Ok((oip, hl)) = Ipv4Repr::parse(offending) else {
            return;
        };
        self.trace(ns, || {
            format!("icmp: error type {ty} code {code} to {}", oip.src)
        });
        if oip.frag & 0x1fff != 0
            || oip.dst.is_broadcast()
            || oip.dst.is_multicast()
            || oip.src.is_unspecified()
        {
            return;
        }
        if oip.proto == IPPROTO_ICMP {
            if let Some(&t) = offending.get(hl) {
                if !matches!(t, ICMP_ECHO | ICMP_ECHOREPLY | 13 | 14 | 15 | 16 | 17 | 18) {
                    return;
                }
            }
        }
        // icmpv4_global_allow: whether the peer limit applies (not for packets that came in
        // on loopback, nor for types outside icmp_ratemask).
        let in_lo = _in_dev.is_some_and(|d| matches!(self.dev(d).kind, DevKind::Loopback));
        let apply_ratelimit = !in_lo && !self.icmpv4_mask_allow(ns, ty, code);
        // A packet not for us: with icmp_errors_use_inbound_ifaddr the error comes from the
        // address of the device it came in on that suits its sender (inet_select_addr, link
        // scope), else routing picks one.
        // icmp_route_lookup: in the VRF the offending packet came in (flowi4_oif =
        // l3mdev_master_ifindex(skb_in->dev)).
        let vrf = _in_dev.and_then(|d| self.l3mdev_master_dev(d));
        let local = match vrf {
            Some(v) => self.inet_addr_type_dev_table(v, oip.dst) == crate::net::fib::RtnType::Local,
            None => self.inet_addr_is_local(ns, oip.dst),
        };
        let src = if local {
            oip.dst
        } else if let Some(d) =
            _in_dev.filter(|_| self.net(ns).misc_sysctl.icmp_errors_use_inbound_ifaddr)
        {
            self.inet_select_addr(d, oip.src, crate::net::fib::RT_SCOPE_LINK)
        } else {
            Ipv4Addr::UNSPECIFIED
        };
        // icmp_route_lookup, then the peer limit (icmpv4_xrlim_allow) on its result.
        let Ok(rt) = self.ip_route_output(ns, oip.src, src, vrf) else {
            return;
        };
        if apply_ratelimit && !self.icmpv4_xrlim_allow(ns, rt.dev, oip.src) {
            self.trace(ns, || format!("icmp: rate limit to {}: not sent", oip.src));
            return;
        }
        let quote = &offending[..offending.len().min(576 - 20 - 8)];
        let icmp = IcmpRepr {
            ty,
            code,
            rest,
            data: quote.to_vec(),
        };
        // icmp_push_reply → nf_ct_attach: the error belongs to the offending packet's connection.
        let mut skb = SkBuff::new(icmp.emit());
        skb.nf_ct_attach(skb_in);
        let id = self.next_ip_id(ns);
        let ip = Ipv4Repr {
            tos: (oip.tos & 0x1e) | 0xc0,
            total_len: 0,
            id,
            frag: 0,
            ttl: 64,
            proto: IPPROTO_ICMP,
            src,
            dst: oip.src,
            options: vec![],
        };
        let _ = self.ip_send_skb_oif(ns, ip, skb, vrf);
    }

    /// `icmpv4_mask_allow`: types the rate limits never apply to (unknown types, PMTU
    /// discovery's "fragmentation needed", types outside `icmp_ratemask`).
    fn icmpv4_mask_allow(&self, ns: NsId, ty: u8, code: u8) -> bool {
        if ty > NR_ICMP_TYPES {
            return true;
        }
        if ty == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED {
            return true;
        }
        let mask = self.net(ns).misc_sysctl.icmp_ratemask;
        mask & (1 << ty) == 0
    }

    /// `icmpv4_xrlim_allow`: no limit on loopback, else the destination's peer bucket with
    /// `icmp_ratelimit` (ms) per message.
    fn icmpv4_xrlim_allow(&mut self, ns: NsId, dst_dev: DevId, daddr: Ipv4Addr) -> bool {
        if matches!(self.dev(dst_dev).kind, DevKind::Loopback) {
            return true;
        }
        let timeout = msecs_to_jiffies(self.net(ns).misc_sysctl.icmp_ratelimit);
        let now = jiffies(self.now);
        let peer = self.inet_getpeer_v4(ns, daddr);
        inet_peer_xrlim_allow(peer, timeout, now)
    }

    /// `arp_error_report` → `icmp_send(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH)`.
    pub fn icmp_send_host_unreach(&mut self, ns: NsId, dev: DevId, skb: &SkBuff) {
        self.icmp_send(
            ns,
            Some(dev),
            skb,
            ICMP_DEST_UNREACH,
            ICMP_HOST_UNREACH,
            [0; 4],
        );
    }
}

/// Rewrites an echo request whose checksum is right into its reply: type and code 0, the
/// checksum the reply's bytes sum to. That checksum comes from the request's (RFC 1624's
/// incremental update, as `csum_replace2` makes one): the request's 16-bit words sum to 0, so
/// the reply's, without the first word (type 8, code) and the checksum, sum to minus those
/// two, and its checksum is their sum folded. When that is zero (the one case where the
/// reply's words could sum to nothing at all) the whole message is summed.
#[inline]
fn icmp_echo_to_reply(msg: &mut [u8]) {
    let (word0, csum) = (
        u32::from(u16::from_be_bytes([msg[0], msg[1]])),
        u32::from(u16::from_be_bytes([msg[2], msg[3]])),
    );
    msg[..4].copy_from_slice(&[ICMP_ECHOREPLY, 0, 0, 0]);
    let c = match (word0 + csum) % 0xffff {
        0 => checksum(msg),
        x => x as u16,
    };
    msg[2..4].copy_from_slice(&c.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::icmp_echo_to_reply;
    use crate::wire::checksum;

    /// The reply's checksum `icmp_echo` derives from the request's is the one the whole
    /// message sums to, for any request whose checksum is right (any code, identifier,
    /// sequence and data, the all-zero reply and a zero derived sum included).
    #[test]
    fn echo_reply_checksum_from_the_requests_is_the_full_sum() {
        let mut x = 0x1357_9bdfu32;
        let mut next = || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        };
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for len in [8usize, 9, 16, 63, 64, 100] {
            for _ in 0..300 {
                let mut m: Vec<u8> = (0..len).map(|_| next()).collect();
                m[0] = 8;
                if next() & 1 == 0 {
                    m[1] = 0;
                }
                cases.push(m);
            }
        }
        // All-zero identifier, sequence and data: the reply's words sum to nothing.
        cases.push(vec![8, 0, 0, 0, 0, 0, 0, 0]);
        cases.push(vec![8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // A request whose checksum field plus its first word is 0xffff.
        cases.push(vec![8, 0, 0, 0, 0xf7, 0xff, 0, 0]);
        for mut m in cases {
            m[2] = 0;
            m[3] = 0;
            let c = checksum(&m);
            m[2..4].copy_from_slice(&c.to_be_bytes());
            assert_eq!(checksum(&m), 0);
            // What icmp_echo built before: the type, code and checksum zeroed, then the sum.
            let mut want = m.clone();
            want[..4].copy_from_slice(&[0, 0, 0, 0]);
            let full = checksum(&want);
            want[2..4].copy_from_slice(&full.to_be_bytes());
            let mut got = m.clone();
            icmp_echo_to_reply(&mut got);
            assert_eq!(got, want, "{m:?}");
        }
    }
}
