//! IPIP tunnels (`net/ipv4/ipip.c`, `net/ipv4/ip_tunnel.c`, `net/ipv4/tunnel4.c`).
//!
//! A tunnel device is `ARPHRD_TUNNEL`: no link-layer header (its captures are raw IP,
//! `LINKTYPE_RAW`), `IFF_NOARP` (and `IFF_POINTOPOINT` with a fixed remote), no carrier
//! management. Sending through it (`ipip_tunnel_xmit` → `ip_tunnel_xmit`) prepends an outer IPv4
//! header whose destination is the tunnel's remote, or, for a `remote any` (NBMA) tunnel, the
//! route's nexthop; the outer packet leaves through the namespace's normal output path.
//! Receiving protocol 4 (`tunnel4_rcv` → `ipip_rcv`) finds the tunnel by `ip_tunnel_lookup`
//! and hands the inner packet to the tunnel device's receive path (`gro_cells_receive`).
//!
//! The module: loading it (`ipip_module_load`) creates the fallback `tunl0` in every namespace,
//! existing and future (`ipip_init_net`; `fb_tunnels_only_for_init_net=0`), as on the recording
//! VM, which loads `ipip` at boot. Until then protocol 4 has no handler.
//!
//! # Differences from Linux
//! No PMTU handling on the tunnel (`tnl_update_pmtu`), no ECN decapsulation checks, no GSO, no
//! `collect_md` (external) mode, no keys; a tunnel's `dev` (link) only selects the outer route's
//! output device.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::skbuff::SkBuff;
use crate::wire::*;
use sim_core::Duration;
use std::net::Ipv4Addr;

/// pcap `LINKTYPE_RAW`: what tcpdump records on an IPIP device.
pub const LINKTYPE_RAW: u16 = 101;
/// `ARPHRD_TUNNEL`.
pub const ARPHRD_TUNNEL: u16 = 768;
/// The outer header's length (`t_hlen` for ipip: no extra tunnel header).
pub const IPIP_HLEN: u32 = 20;
/// ICMP code "protocol unreachable".
pub const ICMP_PROT_UNREACH: u8 = 2;
/// `IP_MAX_MTU` - the outer header: the largest MTU of an ioctl-created tunnel.
pub const IPIP_MAX_MTU: u32 = 0xFFFF - IPIP_HLEN;

pub use crate::net::ip_tunnel::{IpTunnel, TnlKind, TunnelParms};

impl Kernel {
    /// Loads the `ipip` module (`request_module`): `ipip_init_net` for every namespace.
    pub fn ipip_module_load(&mut self) {
        if self.ipip_loaded {
            return;
        }
        self.ipip_loaded = true;
        for ns in self.live_nets() {
            self.ipip_init_net(ns);
        }
    }

    /// `ipip_init_net` → `ip_tunnel_init_net`: the fallback `tunl0` (any/any, ttl inherit,
    /// nopmtudisc, mtu 1480, DOWN).
    pub fn ipip_init_net(&mut self, ns: NsId) {
        if self.dev_by_name(ns, "tunl0").is_some() {
            return;
        }
        let mut t = IpTunnel::new(
            TnlKind::Ipip,
            TunnelParms {
                pmtudisc: false,
                proto: 0,
                ..TunnelParms::new()
            },
        );
        t.fallback = true;
        let mtu = 1500 - IPIP_HLEN;
        self.dev_create(ns, "tunl0", DevKind::Ipip(Box::new(t)), [0; 6], mtu);
    }

    pub fn ipip_tunnel(&self, d: DevId) -> Option<&IpTunnel> {
        self.ip_tunnel(d).filter(|t| t.kind == TnlKind::Ipip)
    }

    /// Registers a tunnel device (`ip_tunnel_create` for `ip tunnel add`, `ip_tunnel_newlink`
    /// for `ip link add type ipip`). The caller checked the name and `ip_tunnel_find`.
    pub fn ipip_create(
        &mut self,
        ns: NsId,
        name: &str,
        parms: TunnelParms,
        mtu: Option<u32>,
        ioctl: bool,
    ) -> DevId {
        let mtu = mtu.unwrap_or_else(|| self.ip_tunnel_bind_mtu(ns, &parms, IPIP_HLEN));
        let mut t = IpTunnel::new(TnlKind::Ipip, parms);
        t.mtu_limits = ioctl;
        self.dev_create(ns, name, DevKind::Ipip(Box::new(t)), [0; 6], mtu)
    }

    /// The tunnel device's transmit after the IP layer chose it (`ip_finish_output2` →
    /// `neigh_output` of a NUD_NOARP neighbour → `dev_queue_xmit`): the capture sees the inner
    /// packet; `nh` is the route's nexthop (`rt_nexthop`), the outer destination of an NBMA
    /// tunnel.
    pub fn ipip_output(&mut self, d: DevId, nh: Ipv4Addr, skb: SkBuff) {
        if !self.dev_running(d) {
            self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "__dev_queue_xmit");
            return;
        }
        self.tap_out_skb(d, &skb);
        let dev = self.dev_mut(d);
        dev.stats.tx_packets += 1;
        dev.stats.tx_bytes += skb.len() as u64;
        self.ip_tunnel_start_xmit(d, skb, Some(nh));
    }

    /// The `ndo_start_xmit` of a link-layer-less tunnel: `ipip_tunnel_xmit` or `ipgre_xmit`.
    pub fn ip_tunnel_start_xmit(&mut self, d: DevId, skb: SkBuff, nh: Option<Ipv4Addr>) {
        if self.ip_tunnel(d).is_some_and(|t| t.kind == TnlKind::Gre) {
            self.ipgre_xmit(d, skb, nh);
        } else {
            self.ipip_tunnel_xmit(d, skb, nh);
        }
    }

    /// `ipip_tunnel_xmit` → `ip_tunnel_xmit`: the inner packet must be IPv4; the outer header
    /// is the shared core's (`net/ip_tunnel.rs`).
    pub fn ipip_tunnel_xmit(&mut self, d: DevId, inner: SkBuff, nh: Option<Ipv4Addr>) {
        let ns = self.dev(d).ns;
        let (iip, _) = match Ipv4Repr::parse(inner.data()) {
            Ok(x) => x,
            Err(_) => {
                self.trace(ns, || "ipip: not an IPv4 packet, tx error".to_string());
                return self.kfree_skb_reason(
                    Some(d),
                    SkbDropReason::NotSpecified,
                    "ipip_tunnel_xmit",
                );
            }
        };
        self.ip_tunnel_xmit(d, inner, Some(&iip), IPPROTO_IPIP, nh);
    }

    /// `tunnel4_rcv` → `ipip_rcv` → `ip_tunnel_rcv`: the outer header is removed and the inner
    /// packet is received on the matching tunnel (`gro_cells_receive`, a NAPI poll later). No
    /// matching tunnel: ICMP port unreachable (`tunnel4_rcv`) and the packet is freed.
    pub fn ipip_rcv(&mut self, d: DevId, mut skb: SkBuff, hl: usize, ip: &Ipv4Repr) {
        let ns = self.dev(d).ns;
        if !self.ipip_loaded {
            // No protocol 4 handler (`ip_protocol_deliver_rcu`).
            self.trace(ns, || {
                "ipip: no handler for protocol 4 (module not loaded)".into()
            });
            self.icmp_send(
                ns,
                Some(d),
                &skb,
                ICMP_DEST_UNREACH,
                ICMP_PROT_UNREACH,
                [0; 4],
            );
            return self.kfree_skb_reason(
                Some(d),
                SkbDropReason::IpNoproto,
                "ip_protocol_deliver_rcu",
            );
        }
        let link = self.dev(d).ifindex;
        let Some(t) = self.ip_tunnel_lookup(ns, TnlKind::Ipip, link, 0, ip.src, ip.dst, 0) else {
            self.trace(ns, || {
                format!("ipip: no tunnel for {} > {}", ip.src, ip.dst)
            });
            self.icmp_send(
                ns,
                Some(d),
                &skb,
                ICMP_DEST_UNREACH,
                ICMP_PORT_UNREACH,
                [0; 4],
            );
            return self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "tunnel4_rcv");
        };
        let proto = self.ipip_tunnel(t).map_or(0, |x| x.parms.proto);
        if proto != IPPROTO_IPIP && proto != 0 {
            return self.kfree_skb_reason(Some(t), SkbDropReason::NotSpecified, "ipip_tunnel_rcv");
        }
        // ip_tunnel_rcv: the outer header pulled, the skb scrubbed (skb_scrub_packet).
        skb.pull(hl);
        skb.scrub(false);
        let tname = self.trace_name(t);
        self.trace(ns, || {
            format!("ipip: decap {} > {} on {tname}", ip.src, ip.dst)
        });
        // (ip_tunnel_lookup returns only tunnels that are up.)
        self.schedule_in(
            Duration::from_nanos(1_000),
            crate::kernel::Event::NetifRx { dev: t, skb },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packets waiting in `ns`'s neighbour queues (for ARP to resolve).
    fn queued(k: &Kernel, ns: NsId) -> Vec<Vec<u8>> {
        k.net(ns)
            .neigh
            .entries
            .values()
            .flat_map(|n| n.queue.iter().map(|s| s.data().to_vec()))
            .collect()
    }

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn tunnel(k: &mut Kernel, ns: NsId, name: &str, local: &str, remote: &str) -> DevId {
        let p = TunnelParms {
            local: ip(local),
            remote: ip(remote),
            ..TunnelParms::new()
        };
        let d = k.ipip_create(ns, name, p, None, true);
        k.dev_set_up(d, true);
        d
    }

    #[test]
    fn loading_the_module_adds_a_down_tunl0_everywhere() {
        let mut k = Kernel::new(1);
        let a = k.netns_add("a");
        k.ipip_module_load();
        let b = k.netns_add("b");
        for ns in [0, a, b] {
            let d = k.dev_by_name(ns, "tunl0").expect("tunl0");
            assert_eq!(k.dev(d).ifindex, 2);
            assert!(!k.dev(d).up);
            assert_eq!(k.dev(d).mtu, 1480);
            assert!(k.ipip_tunnel(d).unwrap().fallback);
        }
        // Idempotent.
        k.ipip_module_load();
        assert_eq!(k.net(a).devs.len(), 2);
    }

    #[test]
    fn lookup_prefers_exact_then_remote_then_local_then_wildcard_then_fallback() {
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        k.ipip_module_load();
        let tunl0 = k.dev_by_name(ns, "tunl0").unwrap();
        let (l, r) = (ip("10.0.0.1"), ip("10.0.0.2"));
        // Nothing up: no tunnel, not even tunl0 (down).
        assert_eq!(k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, r, l, 0), None);
        k.dev_set_up(tunl0, true);
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, r, l, 0),
            Some(tunl0)
        );
        let local_only = tunnel(&mut k, ns, "lo_only", "10.0.0.1", "0.0.0.0");
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, r, l, 0),
            Some(local_only)
        );
        let remote_only = tunnel(&mut k, ns, "re_only", "0.0.0.0", "10.0.0.2");
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, r, l, 0),
            Some(remote_only)
        );
        let exact = tunnel(&mut k, ns, "exact", "10.0.0.1", "10.0.0.2");
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, r, l, 0),
            Some(exact)
        );
        // Another sender matches only the local-only tunnel.
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, ip("10.9.9.9"), l, 0),
            Some(local_only)
        );
        // A tunnel that is down is skipped.
        k.dev_set_up(exact, false);
        assert_eq!(
            k.ip_tunnel_lookup(ns, TnlKind::Ipip, 9, 0, r, l, 0),
            Some(remote_only)
        );
    }

    #[test]
    fn outer_header_ttl_df_and_tos_follow_the_tunnel_parameters() {
        use crate::net::fib::*;
        let mut k = Kernel::new(1);
        let ns = k.netns_add("n");
        k.capture.set_enabled(true);
        let dummy = k.dev_create(ns, "d0", DevKind::Dummy, [2, 0, 0, 0, 0, 1], 1500);
        k.dev_set_up(dummy, true);
        let ifa = crate::kernel::IfAddr {
            local: ip("192.0.2.1"),
            address: ip("192.0.2.1"),
            plen: 24,
            broadcast: None,
            scope: RT_SCOPE_UNIVERSE,
            label: "d0".into(),
            secondary: false,
            has_peer: false,
            rt_priority: 0,
        };
        k.dev_mut(dummy).addrs.push(ifa.clone());
        k.inet_addr_lst_rebuild(ns);
        k.fib_add_ifaddr(dummy, &ifa);
        let inherit = tunnel(&mut k, ns, "t1", "192.0.2.1", "192.0.2.9");
        let fixed = {
            let p = TunnelParms {
                local: ip("192.0.2.1"),
                remote: ip("192.0.2.8"),
                ttl: 17,
                tos: 0x10,
                pmtudisc: true,
                ..TunnelParms::new()
            };
            let d = k.ipip_create(ns, "t2", p, None, true);
            k.dev_set_up(d, true);
            d
        };
        let nopmtu = {
            let p = TunnelParms {
                local: ip("192.0.2.1"),
                pmtudisc: false,
                tos: 1,
                ..TunnelParms::new()
            };
            let d = k.ipip_create(ns, "t3", p, None, true);
            k.dev_set_up(d, true);
            d
        };
        let inner = |ttl: u8, df: bool, tos: u8| {
            Ipv4Repr {
                tos,
                total_len: 0,
                id: 7,
                frag: if df { IP_DF } else { 0 },
                ttl,
                proto: IPPROTO_ICMP,
                src: ip("10.1.1.1"),
                dst: ip("10.2.2.2"),
                options: vec![],
            }
            .emit(&[8, 0, 0, 0, 0, 0, 0, 0])
        };
        // The outer packets wait on d0 for ARP: read them from the neighbour queue.
        k.tracer.enabled = true;
        k.ipip_tunnel_xmit(inherit, SkBuff::new(inner(42, false, 0x03)), None);
        assert_eq!(
            k.tracer.notes[0].text,
            "ipip: encap on t1 outer 192.0.2.1 > 192.0.2.9 ttl 42 DF"
        );
        let q = queued(&k, ns);
        let (o, _) = Ipv4Repr::parse(&q[0]).unwrap();
        assert_eq!(
            (o.ttl, o.df(), o.tos, o.dst, o.src),
            (42, true, 0x02, ip("192.0.2.9"), ip("192.0.2.1"))
        );
        k.ipip_tunnel_xmit(fixed, SkBuff::new(inner(42, false, 0x01)), None);
        k.ipip_tunnel_xmit(
            nopmtu,
            SkBuff::new(inner(5, false, 0x28)),
            Some(ip("192.0.2.7")),
        );
        k.ipip_tunnel_xmit(
            nopmtu,
            SkBuff::new(inner(5, true, 0x28)),
            Some(ip("192.0.2.7")),
        );
        let q = queued(&k, ns)
            .into_iter()
            .map(|p| Ipv4Repr::parse(&p).unwrap().0)
            .map(|o| (o.dst, o.ttl, o.df(), o.tos))
            .collect::<Vec<_>>();
        assert!(q.contains(&(ip("192.0.2.8"), 17, true, 0x11)));
        assert!(q.contains(&(ip("192.0.2.7"), 5, false, 0x28)));
        assert!(q.contains(&(ip("192.0.2.7"), 5, true, 0x28)));
        // An NBMA tunnel without a nexthop cannot send.
        let before = k.drops.len();
        k.ipip_tunnel_xmit(nopmtu, SkBuff::new(inner(5, true, 0)), None);
        assert_eq!(k.drops.len(), before + 1);
    }

    /// Two namespaces on a veth (10.0.0.1 in `a`, 10.0.0.2 in `b`), built with `ip` argv.
    fn pair() -> (Kernel, NsId, NsId) {
        let mut k = Kernel::new(1);
        let a = k.netns_add("a");
        let b = k.netns_add("b");
        for (ns, cmd) in [
            (a, "ip link add v1 type veth peer name v2 netns b"),
            (a, "ip addr add 10.0.0.1/24 dev v1"),
            (a, "ip link set v1 up"),
            (b, "ip addr add 10.0.0.2/24 dev v2"),
            (b, "ip link set v2 up"),
        ] {
            let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
            match crate::tools::run(&mut k, ns, &argv) {
                crate::tools::Exec::Done(o) => assert_eq!(o.status, 0, "{cmd}: {}", o.stderr),
                _ => panic!("{cmd}"),
            }
        }
        (k, a, b)
    }

    fn send_ipip(k: &mut Kernel, ns: NsId) {
        let inner = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id: 1,
            frag: 0,
            ttl: 64,
            proto: IPPROTO_ICMP,
            src: ip("192.168.0.1"),
            dst: ip("192.168.0.2"),
            options: vec![],
        }
        .emit(&[8, 0, 0xf7, 0xff, 0, 0, 0, 0]);
        let outer = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id: 2,
            frag: 0,
            ttl: 64,
            proto: IPPROTO_IPIP,
            src: ip("10.0.0.1"),
            dst: ip("10.0.0.2"),
            options: vec![],
        };
        k.ip_send(ns, outer, inner).unwrap();
        k.run_until(k.now + Duration::from_millis(10));
    }

    fn icmp_back(k: &Kernel) -> Vec<(u8, u8)> {
        k.capture
            .packets
            .iter()
            .filter_map(|(_, _, f)| {
                let (ip, hl) = Ipv4Repr::parse(f.get(ETH_HLEN..)?).ok()?;
                (ip.proto == IPPROTO_ICMP && ip.src == self::ip("10.0.0.2"))
                    .then(|| (f[ETH_HLEN + hl], f[ETH_HLEN + hl + 1]))
            })
            .collect()
    }

    #[test]
    fn without_the_module_protocol_4_is_unreachable_and_with_it_a_tunnel_takes_it() {
        // (Each ICMP error is seen twice: leaving v2 and arriving on v1.)
        let (mut k, a, _) = pair();
        send_ipip(&mut k, a);
        assert_eq!(
            icmp_back(&k),
            vec![(ICMP_DEST_UNREACH, ICMP_PROT_UNREACH); 2]
        );
        assert!(k.drops.iter().any(|d| d.reason == SkbDropReason::IpNoproto));
        // Module loaded, tunl0 down, no tunnel: tunnel4_rcv's port unreachable.
        let (mut k, a, _) = pair();
        k.ipip_module_load();
        send_ipip(&mut k, a);
        assert_eq!(
            icmp_back(&k),
            vec![(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH); 2]
        );
        // tunl0 up: it takes the packet; the inner packet is received on it (raw IP capture).
        let (mut k, a, b) = pair();
        k.ipip_module_load();
        let t = k.dev_by_name(b, "tunl0").unwrap();
        k.dev_set_up(t, true);
        k.tracer.enabled = true;
        send_ipip(&mut k, a);
        assert!(
            k.tracer
                .notes
                .iter()
                .any(|n| n.ns == "b" && n.text == "ipip: decap 10.0.0.1 > 10.0.0.2 on tunl0"),
            "{:?}",
            k.tracer.notes
        );
        assert!(icmp_back(&k).is_empty());
        let (_, _, f) = k
            .capture
            .packets
            .iter()
            .find(|(c, _, _)| *c as usize == k.dev(t).cap)
            .expect("inner packet on tunl0");
        assert_eq!(Ipv4Repr::parse(f).unwrap().0.dst, ip("192.168.0.2"));
        assert_eq!(k.dev(t).stats.rx_packets, 1);
    }
}
