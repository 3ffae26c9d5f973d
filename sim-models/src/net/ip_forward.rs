//! IPv4 forwarding (`net/ipv4/ip_forward.c`), with the ICMP redirect the input route asked
//! for (`IPSKB_DOREDIRECT` → `ip_rt_send_redirect`, net/route.rs).
//!
//! # Differences from Linux
//! `shared_media`/`secure_redirects` are not knobs (their defaults, 1, apply).

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel};
use crate::net::netfilter::NfHook;
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use std::net::Ipv4Addr;

impl Kernel {
    /// `ip_forward` → `ip_forward_finish` → `ip_output`.
    pub(crate) fn ip_forward(
        &mut self,
        d: DevId,
        mut skb: SkBuff,
        ip: &Ipv4Repr,
        dev: Option<DevId>,
        gw: Option<Ipv4Addr>,
    ) {
        let ns = self.dev(d).ns;
        if ip.ttl <= 1 {
            self.icmp_send(ns, Some(d), &skb, ICMP_TIME_EXCEEDED, 0, [0; 4]);
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpTtlExceeded, "ip_forward");
        }
        let Some(out) = dev else {
            return self.kfree_skb_reason(Some(d), SkbDropReason::IpOutNoRoutes, "ip_forward");
        };
        let mtu = self.dev(out).mtu as usize;
        if skb.len() > mtu && ip.df() {
            let rest = [0, 0, (mtu >> 8) as u8, mtu as u8];
            self.icmp_send(ns, Some(d), &skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, rest);
            return self.kfree_skb_reason(Some(d), SkbDropReason::PktTooBig, "ip_forward");
        }
        ip_decrease_ttl(skb.data_mut());
        // IPSKB_DOREDIRECT (set by the input route): an ICMP redirect about the packet as it
        // will leave (TTL already decreased), before the FORWARD hook.
        if self.ip_route_doredirect(d, out, ip.src) {
            let gw = gw.unwrap_or(ip.dst);
            self.ip_rt_send_redirect(out, &skb, gw);
        }
        if self.net(ns).misc_sysctl.ip_forward_update_priority {
            skb.priority = crate::net::route::rt_tos2priority(ip.tos);
        }
        if self
            .nf_hook(ns, NfHook::Forward, &mut skb, Some(d), Some(out))
            .dropped()
            || self
                .nf_hook(ns, NfHook::PostRouting, &mut skb, None, Some(out))
                .dropped()
        {
            return;
        }
        let nh = gw.unwrap_or(ip.dst);
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
