//! IPv4 forwarding (`net/ipv4/ip_forward.c`).
//!
//! # Differences from Linux
//! No ICMP redirects (`send_redirects` is accepted but never acts).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel};
use crate::net::fib::*;
use crate::net::netfilter::NfHook;
use crate::net::skbuff::SkBuff;
use crate::wire::*;

impl Kernel {
    /// `ip_forward` → `ip_forward_finish` → `ip_output`.
    pub(crate) fn ip_forward(&mut self, d: DevId, mut skb: SkBuff, ip: &Ipv4Repr, r: &Route) {
        let ns = self.dev(d).ns;
        if ip.ttl <= 1 {
            self.icmp_send(ns, Some(d), &skb, ICMP_TIME_EXCEEDED, 0, [0; 4]);
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpTtlExceeded, "ip_forward");
        }
        let Some(out) = r.dev else {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpOutNoRoutes, "ip_forward");
        };
        let mtu = self.dev(out).mtu as usize;
        if skb.len() > mtu && ip.df() {
            let rest = [0, 0, (mtu >> 8) as u8, mtu as u8];
            self.icmp_send(ns, Some(d), &skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, rest);
            return self.kfree_skb_reason(Some(d), SkbDropReason::PktTooBig, "ip_forward");
        }
        ip_decrease_ttl(skb.data_mut());
        if self
            .nf_hook(ns, NfHook::Forward, &mut skb, Some(d), Some(out))
            .dropped()
            || self
                .nf_hook(ns, NfHook::PostRouting, &mut skb, None, Some(out))
                .dropped()
        {
            return;
        }
        let nh = r.gw.unwrap_or(ip.dst);
        let on = self.trace_name(out);
        self.trace(ns, || {
            format!(
                "forward: ttl {} → {}, out {on} nexthop {nh}",
                ip.ttl,
                ip.ttl - 1
            )
        });
        self.ip_finish_output(out, nh, skb);
    }
}
