//! `bird`: the BIRD 2 routing daemon, as a process in a namespace. It reads its configuration
//! (see [`config`]), runs the device, direct, kernel and BGP protocols over one routing table
//! (`master4`), speaks BGP-4 over TCP port 179 (see [`bgp`], [`fsm`]) and installs the best routes
//! the kernel protocol exports into the namespace's FIB as `proto bird metric 32`. `birdc` reads
//! its state through the control socket path (see [`show`]).
//!
//! # Differences from BIRD
//! * Interface and address changes are seen by polling once a second (BIRD gets netlink events
//!   at once); the kernel protocol does not scan or learn kernel routes.
//! * Best-route selection: preference, then shorter AS path, then the lower protocol index.
//! * `-P pidfile` is accepted but no file is written.

pub mod bgp;
pub mod cli;
pub mod config;
pub mod fsm;
pub mod show;

use crate::kernel::{Kernel, NsId, Pid};
use crate::net::fib::{RT_SCOPE_LINK, RT_SCOPE_UNIVERSE};
use crate::net::rtnetlink::dump::{AddrMsg, LinkMsg, IFA_F_SECONDARY, IFF_LOOPBACK};
use crate::net::rtnetlink::route::{RouteMsg, NLM_F_CREATE, NLM_F_EXCL};
use crate::net::rtnetlink::IfIndex;
use crate::net::sock::{SockEvent, SockOpts};
use bgp::{Attrs, Prefix, Update};
use config::{Config, Filter, ProtoCfg, ProtoKind, RouteView, RtSource};
use fsm::{Act, Input, ProtoState, Session};
use sim_core::{Duration, Instant};
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddrV4};

pub use crate::net::rtnetlink::route::RTPROT_BIRD;

/// How often the daemon looks at interfaces and addresses (stands in for netlink events).
pub const IFACE_POLL: Duration = Duration::from_secs(1);

/// One route in `master4`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rte {
    pub proto: usize,
    pub source: RtSource,
    pub pref: u32,
    pub gw: Option<Ipv4Addr>,
    pub dev: IfIndex,
    /// The BGP neighbour it came from.
    pub from: Option<Ipv4Addr>,
    pub attrs: Option<Attrs>,
    pub since: Instant,
}

/// Per-protocol counters for `show protocols all`.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub imp_updates: u64,
    pub imp_withdraws: u64,
    pub imp_filtered: u64,
    pub exp_updates: u64,
    pub exp_withdraws: u64,
}

#[derive(Debug)]
pub struct ProtoRt {
    pub cfg: ProtoCfg,
    pub state: ProtoState,
    pub since: Instant,
    pub bgp: Option<Session>,
    /// BGP: what the peer was last told, per prefix.
    pub sent: BTreeMap<Prefix, Attrs>,
    /// Kernel: routes installed in the FIB (gateway, device).
    pub installed: BTreeMap<Prefix, (Option<Ipv4Addr>, IfIndex)>,
    pub stats: Stats,
    /// BGP: the neighbour is on a connected network (BIRD's neighbour lock).
    pub nbr_ok: bool,
}

#[derive(Debug)]
pub struct Bird {
    pub conf_file: String,
    pub ctl: String,
    pub router_id: Ipv4Addr,
    pub protos: Vec<ProtoRt>,
    pub rib: BTreeMap<Prefix, Vec<Rte>>,
    pub started: Instant,
    pub listen: Option<usize>,
    /// The namespace bird runs in (its netlink socket's).
    pub ns: NsId,
}

impl Default for Bird {
    fn default() -> Bird {
        Bird {
            conf_file: String::new(),
            ctl: String::new(),
            router_id: Ipv4Addr::UNSPECIFIED,
            protos: Vec::new(),
            rib: BTreeMap::new(),
            started: Instant::EPOCH,
            listen: None,
            ns: 0,
        }
    }
}

impl Bird {
    /// The preferred route for a prefix.
    pub fn best(&self, p: &Prefix) -> Option<&Rte> {
        let v = self.rib.get(p)?;
        let key = |r: &Rte| {
            (
                std::cmp::Reverse(r.pref),
                r.attrs.as_ref().map_or(0, |a| a.as_path.len()),
                r.proto,
            )
        };
        v.iter().min_by_key(|r| key(r))
    }
}

fn view<'a>(b: &'a Bird, p: &Prefix, r: &Rte) -> RouteView<'a> {
    RouteView {
        net: *p,
        source: r.source,
        proto: &b.protos[r.proto].cfg.name,
    }
}

fn channel_export(k: &ProtoKind) -> Option<&Filter> {
    match k {
        ProtoKind::Kernel { channel, .. } | ProtoKind::Direct { channel, .. } => {
            Some(&channel.export)
        }
        ProtoKind::Bgp(b) => Some(&b.channel.export),
        ProtoKind::Device { .. } => None,
    }
}

fn channel_import(k: &ProtoKind) -> Option<&Filter> {
    match k {
        ProtoKind::Kernel { channel, .. } | ProtoKind::Direct { channel, .. } => {
            Some(&channel.import)
        }
        ProtoKind::Bgp(b) => Some(&b.channel.import),
        ProtoKind::Device { .. } => None,
    }
}

/// BIRD's default router id (`if_choose_router_id`): the lowest primary address wider than
/// link scope on an interface that is up (lo's global addresses included).
pub fn default_router_id(k: &Kernel, ns: NsId) -> Option<Ipv4Addr> {
    bird_ifaddrs(k, ns)
        .into_iter()
        .filter(|(l, a)| l.is_up() && a.flags & IFA_F_SECONDARY == 0 && a.scope < RT_SCOPE_LINK)
        .map(|(_, a)| a.local)
        .min()
}

/// BIRD's netlink scan (`krt_do_scan`'s `RTM_GETLINK` then `RTM_GETADDR` dumps): each address
/// with the link message of its device.
fn bird_ifaddrs(k: &Kernel, ns: NsId) -> Vec<(LinkMsg, AddrMsg)> {
    let links = k.rtnl_link_dump(ns);
    k.rtnl_addr_dump(ns, None)
        .into_iter()
        .filter_map(|a| {
            let l = links.iter().find(|l| l.ifindex == a.ifindex)?;
            Some((l.clone(), a))
        })
        .collect()
}

impl Kernel {
    /// Starts a bird process with a parsed configuration.
    pub fn bird_spawn(&mut self, ns: NsId, cfg: Config, conf_file: &str, ctl: &str) -> Pid {
        let router_id = cfg
            .router_id
            .or_else(|| default_router_id(self, ns))
            .unwrap_or(Ipv4Addr::UNSPECIFIED);
        let now = self.now;
        let protos = cfg
            .protocols
            .into_iter()
            .map(|p| ProtoRt {
                bgp: match &p.kind {
                    ProtoKind::Bgp(b) => Some(Session::new(b.clone(), router_id, now)),
                    _ => None,
                },
                cfg: p,
                state: ProtoState::Down,
                since: now,
                sent: BTreeMap::new(),
                installed: BTreeMap::new(),
                stats: Stats::default(),
                nbr_ok: false,
            })
            .collect();
        let b = Bird {
            conf_file: conf_file.to_string(),
            ctl: ctl.to_string(),
            router_id,
            protos,
            rib: BTreeMap::new(),
            started: now,
            listen: None,
            ns,
        };
        self.spawn(ns, crate::apps::App::Bird(Box::new(b)))
    }

    /// The running bird whose control socket is `ctl`.
    pub fn bird_by_ctl(&self, ctl: &str) -> Option<(Pid, &Bird)> {
        self.procs.iter().enumerate().find_map(|(pid, p)| {
            let p = p.as_ref()?;
            match &p.app {
                crate::apps::App::Bird(b) if p.exit.is_none() && b.ctl == ctl => Some((pid, &**b)),
                _ => None,
            }
        })
    }

    fn bird_take(&mut self, pid: Pid) -> Option<(NsId, Box<Bird>)> {
        let p = self.proc_mut(pid)?;
        if p.exit.is_some() {
            return None;
        }
        let ns = p.ns;
        match &mut p.app {
            crate::apps::App::Bird(b) => Some((ns, std::mem::take(b))),
            _ => None,
        }
    }

    fn bird_put(&mut self, pid: Pid, b: Box<Bird>) {
        if let Some(p) = self.proc_mut(pid) {
            if let crate::apps::App::Bird(slot) = &mut p.app {
                *slot = b;
            }
        }
        self.bird_rearm(pid);
    }

    fn bird_rearm(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let crate::apps::App::Bird(b) = &p.app else {
            return;
        };
        let poll = self.now + IFACE_POLL;
        let next = b
            .protos
            .iter()
            .filter_map(|p| p.bgp.as_ref().and_then(|s| s.next_timer()))
            .min()
            .map_or(poll, |t| t.min(poll));
        let after = next.saturating_since(self.now);
        self.proc_arm(pid, after);
    }

    pub(crate) fn bird_start(&mut self, pid: Pid) {
        let Some((ns, mut b)) = self.bird_take(pid) else {
            return;
        };
        self.trace(ns, || format!("bird: started, router id {}", b.router_id));
        b.listen = self.bird_tcp_listen(pid, ns);
        let now = self.now;
        for i in 0..b.protos.len() {
            if b.protos[i].cfg.disabled {
                continue;
            }
            b.protos[i].since = now;
            b.protos[i].state = if b.protos[i].bgp.is_some() {
                ProtoState::Start
            } else {
                ProtoState::Up
            };
        }
        self.bird_poll(pid, ns, &mut b);
        self.bird_put(pid, b);
    }

    pub(crate) fn bird_timer(&mut self, pid: Pid) {
        let Some((ns, mut b)) = self.bird_take(pid) else {
            return;
        };
        self.bird_poll(pid, ns, &mut b);
        let now = self.now;
        for i in 0..b.protos.len() {
            let Some(s) = b.protos[i].bgp.as_mut() else {
                continue;
            };
            if s.next_timer().is_some_and(|t| t <= now) {
                let rng = &mut self.rng;
                let acts = s.timers(now, &mut || rng.next_u32());
                self.bird_exec(pid, ns, &mut b, i, acts);
            }
        }
        self.bird_put(pid, b);
    }

    /// A socket event for a bird process (from the TCP layer).
    pub(crate) fn bird_sock(&mut self, pid: Pid, sock: usize, ev: BirdSockEvent) {
        let Some((ns, mut b)) = self.bird_take(pid) else {
            return;
        };
        let now = self.now;
        let found = b
            .protos
            .iter()
            .position(|p| p.bgp.as_ref().is_some_and(|s| s.side_of(sock).is_some()));
        match ev {
            BirdSockEvent::Accepted { child, peer } => {
                let target = b.protos.iter().position(|p| {
                    p.bgp
                        .as_ref()
                        .is_some_and(|s| s.cfg.neighbor == peer && p.state != ProtoState::Down)
                });
                match target {
                    Some(i) => {
                        let hops = bgp_hops(&b.protos[i]);
                        self.tcp_set_ttl(child, hops);
                        let rng = &mut self.rng;
                        let acts = b.protos[i].bgp.as_mut().expect("bgp").input(
                            Input::Accepted(child),
                            now,
                            &mut || rng.next_u32(),
                        );
                        self.bird_exec(pid, ns, &mut b, i, acts);
                    }
                    None => {
                        self.trace(ns, || format!("bird: connection from {} rejected", peer));
                        self.bird_tcp_close(child);
                    }
                }
            }
            other => {
                if let Some(i) = found {
                    let inp = match other {
                        BirdSockEvent::Connected => Input::Connected(sock),
                        BirdSockEvent::Data(d) => Input::Data(sock, d),
                        _ => Input::Closed(sock),
                    };
                    let rng = &mut self.rng;
                    let acts = b.protos[i]
                        .bgp
                        .as_mut()
                        .expect("bgp")
                        .input(inp, now, &mut || rng.next_u32());
                    self.bird_exec(pid, ns, &mut b, i, acts);
                }
            }
        }
        self.bird_put(pid, b);
    }

    /// SIGTERM: BGP sessions are closed with Cease, kernel routes stay unless... (BIRD removes
    /// the routes it exported on a clean shutdown).
    pub(crate) fn bird_shutdown(&mut self, pid: Pid) {
        let Some((ns, mut b)) = self.bird_take(pid) else {
            return;
        };
        for i in 0..b.protos.len() {
            if let Some(s) = b.protos[i].bgp.as_mut() {
                let acts = s.shutdown();
                self.bird_exec(pid, ns, &mut b, i, acts);
            }
            let inst: Vec<Prefix> = b.protos[i].installed.keys().copied().collect();
            for p in inst {
                self.bird_kernel_set(ns, &mut b, i, p, None);
            }
        }
        if let Some(l) = b.listen.take() {
            self.bird_tcp_close(l);
        }
        self.bird_put(pid, b);
        self.proc_exit(pid, 0);
    }

    fn bird_exec(&mut self, pid: Pid, ns: NsId, b: &mut Bird, i: usize, acts: Vec<Act>) {
        for a in acts {
            match a {
                Act::Connect => {
                    let Some(s) = b.protos[i].bgp.as_ref() else {
                        continue;
                    };
                    let dst = s.cfg.neighbor;
                    let local = s.cfg.local_ip;
                    // bgp_connect: s->ttl = hops (1 for a direct eBGP peer), s->tos =
                    // IP_PREC_INTERNET_CONTROL; sk_open's sk_setup sets IP_TTL and IP_TOS
                    // before connect(), so the SYN carries them
                    let opts = SockOpts {
                        ttl: Some(bgp_hops(&b.protos[i])),
                        tos: IP_PREC_INTERNET_CONTROL,
                        nodelay: false,
                    };
                    match self.bird_tcp_connect(pid, ns, local, dst, opts) {
                        Some(sock) => b.protos[i].bgp.as_mut().expect("bgp").set_out_sock(sock),
                        None => {
                            // connect() failed at once (no route): as a refused connection
                            let s = b.protos[i].bgp.as_mut().expect("bgp");
                            s.out.state = fsm::ConnState::Active;
                            s.last_error = Some("Socket: Network is unreachable".into());
                        }
                    }
                }
                Act::Send(s, bytes) => self.bird_tcp_send(s, &bytes),
                Act::Close(s) => self.bird_tcp_close(s),
                Act::Up => {
                    let name = b.protos[i].cfg.name.clone();
                    self.trace(ns, || format!("bird: {}: BGP session established", name));
                    b.protos[i].state = ProtoState::Up;
                    b.protos[i].since = self.now;
                    b.protos[i].sent.clear();
                    let prefixes: Vec<Prefix> = b.rib.keys().copied().collect();
                    for p in prefixes {
                        self.bird_export_bgp(ns, b, i, p);
                    }
                    // End-of-RIB: an empty UPDATE
                    if let Some(a) = b.protos[i].bgp.as_mut().and_then(|s| {
                        s.send(Update {
                            withdrawn: vec![],
                            attrs: None,
                            nlri: vec![],
                        })
                    }) {
                        self.bird_exec(pid, ns, b, i, vec![a]);
                    }
                }
                Act::Down => {
                    let name = b.protos[i].cfg.name.clone();
                    self.trace(ns, || format!("bird: {}: BGP session closed", name));
                    b.protos[i].state = ProtoState::Start;
                    b.protos[i].since = self.now;
                    b.protos[i].sent.clear();
                    let learned: Vec<Prefix> = b
                        .rib
                        .iter()
                        .filter(|(_, v)| v.iter().any(|r| r.proto == i))
                        .map(|(p, _)| *p)
                        .collect();
                    for p in learned {
                        self.bird_rib_set(pid, ns, b, i, p, None);
                    }
                }
                Act::Learned(u) => self.bird_import_update(pid, ns, b, i, u),
            }
        }
    }

    fn bird_import_update(&mut self, pid: Pid, ns: NsId, b: &mut Bird, i: usize, u: Update) {
        let Some(s) = b.protos[i].bgp.as_ref() else {
            return;
        };
        let (local_as, nbr) = (s.cfg.local_as, s.cfg.neighbor);
        for p in u.withdrawn {
            b.protos[i].stats.imp_withdraws += 1;
            self.bird_rib_set(pid, ns, b, i, p, None);
        }
        let Some(attrs) = u.attrs else { return };
        for p in u.nlri {
            b.protos[i].stats.imp_updates += 1;
            // AS path loop: treated as withdraw
            if attrs.as_path.contains(&local_as) {
                self.bird_rib_set(pid, ns, b, i, p, None);
                continue;
            }
            // eBGP direct: the next hop must be on a connected network (GW_DIRECT)
            let nh = attrs.next_hop.unwrap_or(Ipv4Addr::UNSPECIFIED);
            let Some(dev) = self.bird_connected_dev(ns, nh) else {
                self.trace(ns, || format!("bird: Invalid NEXT_HOP attribute {}", nh));
                self.bird_rib_set(pid, ns, b, i, p, None);
                continue;
            };
            let rte = Rte {
                proto: i,
                source: RtSource::Bgp,
                pref: 100,
                gw: Some(nh),
                dev,
                from: Some(nbr),
                attrs: Some(attrs.clone()),
                since: self.now,
            };
            let ok =
                channel_import(&b.protos[i].cfg.kind).is_none_or(|f| f.accepts(&view(b, &p, &rte)));
            if !ok {
                b.protos[i].stats.imp_filtered += 1;
                self.bird_rib_set(pid, ns, b, i, p, None);
                continue;
            }
            self.bird_rib_set(pid, ns, b, i, p, Some(rte));
        }
    }

    /// The device whose connected network holds `a` (an up interface's address prefix).
    fn bird_connected_dev(&self, ns: NsId, a: Ipv4Addr) -> Option<IfIndex> {
        bird_ifaddrs(self, ns)
            .into_iter()
            .find(|(l, ifa)| {
                l.is_up()
                    && l.flags & IFF_LOOPBACK == 0
                    && ifa.prefixlen < 32
                    && crate::net::fib::prefix_of(ifa.local, ifa.prefixlen)
                        == crate::net::fib::prefix_of(a, ifa.prefixlen)
                    && ifa.local != a
            })
            .map(|(_, ifa)| ifa.ifindex)
    }

    /// The address bird talks to a neighbour from (the source address toward it).
    pub fn bird_local_addr(&self, ns: NsId, nbr: Ipv4Addr) -> Option<Ipv4Addr> {
        self.bird_connected_dev(ns, nbr)
            .map(|d| self.rtnl_select_addr(ns, d, nbr, RT_SCOPE_UNIVERSE))
    }

    /// Replaces protocol `i`'s route for `p` and re-runs the exports of that prefix.
    fn bird_rib_set(
        &mut self,
        _pid: Pid,
        ns: NsId,
        b: &mut Bird,
        i: usize,
        p: Prefix,
        r: Option<Rte>,
    ) {
        let v = b.rib.entry(p).or_default();
        let old = v.iter().position(|x| x.proto == i);
        match (old, r) {
            (Some(pos), Some(r)) => {
                if v[pos].gw == r.gw && v[pos].dev == r.dev && v[pos].attrs == r.attrs {
                    return;
                }
                v[pos] = r;
            }
            (None, Some(r)) => v.push(r),
            (Some(pos), None) => {
                v.remove(pos);
            }
            (None, None) => {
                if v.is_empty() {
                    b.rib.remove(&p);
                }
                return;
            }
        }
        if b.rib.get(&p).is_some_and(|v| v.is_empty()) {
            b.rib.remove(&p);
        }
        for j in 0..b.protos.len() {
            match &b.protos[j].cfg.kind {
                ProtoKind::Kernel { .. } => {
                    let want = b.best(&p).and_then(|r| {
                        let f = channel_export(&b.protos[j].cfg.kind)?;
                        (r.proto != j && f.accepts(&view(b, &p, r))).then_some((r.gw, r.dev))
                    });
                    self.bird_kernel_set(ns, b, j, p, want);
                }
                ProtoKind::Bgp(_) => self.bird_export_bgp(ns, b, j, p),
                _ => {}
            }
        }
    }

    /// Installs (or removes) protocol `j`'s kernel route for `p`.
    fn bird_kernel_set(
        &mut self,
        ns: NsId,
        b: &mut Bird,
        j: usize,
        p: Prefix,
        want: Option<(Option<Ipv4Addr>, IfIndex)>,
    ) {
        let metric = match &b.protos[j].cfg.kind {
            ProtoKind::Kernel { metric, .. } => *metric,
            _ => return,
        };
        let have = b.protos[j].installed.get(&p).copied();
        if have == want {
            return;
        }
        // krt_replace_rte: RTM_DELROUTE of the old route, RTM_NEWROUTE of the new one.
        if have.is_some() {
            let del = RouteMsg {
                proto: RTPROT_BIRD,
                priority: Some(metric),
                ..RouteMsg::new(p.0, p.1)
            };
            let _ = self.rtm_delroute(ns, &del);
            b.protos[j].installed.remove(&p);
            b.protos[j].stats.exp_withdraws += 1;
        }
        if let Some((gw, dev)) = want {
            let add = RouteMsg {
                proto: RTPROT_BIRD,
                scope: Some(if gw.is_some() {
                    RT_SCOPE_UNIVERSE
                } else {
                    RT_SCOPE_LINK
                }),
                priority: Some(metric),
                gw,
                oif: Some(dev),
                ..RouteMsg::new(p.0, p.1)
            };
            // A refused route is not installed (BIRD logs the kernel's error).
            if self
                .rtm_newroute(ns, &add, NLM_F_CREATE | NLM_F_EXCL)
                .is_ok()
            {
                b.protos[j].installed.insert(p, (gw, dev));
            }
            b.protos[j].stats.exp_updates += 1;
        }
        self.trace(ns, || {
            format!("bird: kernel route {}/{} {:?}", p.0, p.1, want.map(|w| w.0))
        });
    }

    /// Sends BGP protocol `j` what its export says about `p` now (announce, withdraw, nothing).
    fn bird_export_bgp(&mut self, ns: NsId, b: &mut Bird, j: usize, p: Prefix) {
        let Some(s) = b.protos[j].bgp.as_ref() else {
            return;
        };
        if s.up.is_none() {
            return;
        }
        let (local_as, nbr, nh_self) =
            (s.cfg.local_as, s.cfg.neighbor, s.cfg.channel.next_hop_self);
        let local_ip = s.cfg.local_ip;
        let peer_dev = self.bird_connected_dev(ns, nbr);
        let want = b.best(&p).and_then(|r| {
            if r.proto == j {
                return None; // bgp_preexport: not back to its source
            }
            let f = channel_export(&b.protos[j].cfg.kind)?;
            if !f.accepts(&view(b, &p, r)) {
                return None;
            }
            let mut a = r.attrs.clone().unwrap_or_default();
            if r.attrs.is_none() {
                a.origin = bgp::ORIGIN_IGP;
            }
            a.as_path.insert(0, local_as);
            let src_dev = b.protos[r.proto]
                .bgp
                .as_ref()
                .and_then(|s| self.bird_connected_dev(ns, s.cfg.neighbor));
            let keep = !nh_self
                && r.attrs.as_ref().is_some_and(|x| x.next_hop.is_some())
                && src_dev.is_some()
                && src_dev == peer_dev;
            let use_gw = !nh_self && r.gw.is_some() && peer_dev == Some(r.dev);
            a.next_hop = if keep {
                r.attrs.as_ref().and_then(|x| x.next_hop)
            } else if use_gw {
                r.gw
            } else {
                local_ip.or_else(|| {
                    peer_dev.map(|d| self.rtnl_select_addr(ns, d, nbr, RT_SCOPE_UNIVERSE))
                })
            };
            if a.next_hop == Some(nbr) || a.next_hop.is_none() {
                return None;
            }
            Some(a)
        });
        let have = b.protos[j].sent.get(&p).cloned();
        if have == want {
            return;
        }
        let u = match &want {
            Some(a) => Update {
                withdrawn: vec![],
                attrs: Some(a.clone()),
                nlri: vec![p],
            },
            None => Update {
                withdrawn: vec![p],
                attrs: None,
                nlri: vec![],
            },
        };
        match want {
            Some(a) => {
                b.protos[j].sent.insert(p, a);
                b.protos[j].stats.exp_updates += 1;
            }
            None => {
                b.protos[j].sent.remove(&p);
                b.protos[j].stats.exp_withdraws += 1;
            }
        }
        if let Some(Act::Send(sock, bytes)) = b.protos[j].bgp.as_mut().and_then(|s| s.send(u)) {
            self.bird_tcp_send(sock, &bytes);
        }
    }

    /// Looks at interfaces: direct routes appear and go, BGP neighbours become reachable or
    /// are lost.
    fn bird_poll(&mut self, pid: Pid, ns: NsId, b: &mut Bird) {
        let now = self.now;
        for i in 0..b.protos.len() {
            if b.protos[i].state == ProtoState::Down && b.protos[i].bgp.is_none() {
                continue;
            }
            match b.protos[i].cfg.kind.clone() {
                ProtoKind::Direct { interfaces, .. } => {
                    let mut want: BTreeMap<Prefix, IfIndex> = BTreeMap::new();
                    for (l, ifa) in bird_ifaddrs(self, ns) {
                        if !l.is_up() {
                            continue;
                        }
                        if !interfaces.is_empty()
                            && !interfaces.iter().any(|pat| glob(pat, &l.name))
                        {
                            continue;
                        }
                        // dev_ifa_notify: every primary address wider than link scope.
                        if ifa.scope >= RT_SCOPE_LINK || ifa.flags & IFA_F_SECONDARY != 0 {
                            continue;
                        }
                        let p = (
                            crate::net::fib::prefix_of(ifa.local, ifa.prefixlen),
                            ifa.prefixlen,
                        );
                        want.entry(p).or_insert(ifa.ifindex);
                    }
                    let have: Vec<(Prefix, IfIndex)> = b
                        .rib
                        .iter()
                        .filter_map(|(p, v)| v.iter().find(|r| r.proto == i).map(|r| (*p, r.dev)))
                        .collect();
                    for (p, d) in &have {
                        if want.get(p) != Some(d) {
                            self.bird_rib_set(pid, ns, b, i, *p, None);
                        }
                    }
                    for (p, d) in want {
                        if !have.iter().any(|(q, e)| *q == p && *e == d) {
                            let r = Rte {
                                proto: i,
                                source: RtSource::Device,
                                pref: 240,
                                gw: None,
                                dev: d,
                                from: None,
                                attrs: None,
                                since: now,
                            };
                            self.bird_rib_set(pid, ns, b, i, p, Some(r));
                        }
                    }
                }
                ProtoKind::Bgp(cfg) => {
                    if b.protos[i].cfg.disabled {
                        continue;
                    }
                    let ok =
                        cfg.multihop > 0 || self.bird_connected_dev(ns, cfg.neighbor).is_some();
                    let was = b.protos[i].nbr_ok;
                    b.protos[i].nbr_ok = ok;
                    let rng = &mut self.rng;
                    let mut rnd = || rng.next_u32();
                    let acts = match (was, ok) {
                        (false, true) => {
                            b.protos[i].bgp.as_mut().expect("bgp").start(now, &mut rnd);
                            b.protos[i].state = ProtoState::Start;
                            b.protos[i].since = now;
                            Vec::new()
                        }
                        (true, false) => {
                            // Neighbor lost: the protocol stops and waits for the neighbour
                            let s = b.protos[i].bgp.as_mut().expect("bgp");
                            let was_up = s.up.is_some();
                            let mut acts = s.shutdown();
                            s.proto_state = ProtoState::Start;
                            s.last_error = Some("Error: Neighbor lost".into());
                            if was_up {
                                acts.push(Act::Down);
                            }
                            acts
                        }
                        _ => Vec::new(),
                    };
                    self.bird_exec(pid, ns, b, i, acts);
                }
                _ => {}
            }
        }
    }

    // ---- the TCP socket calls bird makes (glue to net/sock.rs) ----

    fn bird_tcp_listen(&mut self, pid: Pid, ns: NsId) -> Option<usize> {
        let addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, bgp::BGP_PORT);
        match self.tcp_listen(pid, ns, addr) {
            Ok(s) => {
                // bgp_open: the listening socket has TTL 255 and TOS internetwork control;
                // accepted connections inherit them until bird sets their TTL
                self.tcp_set_ttl(s, 255);
                self.tcp_set_tos(s, IP_PREC_INTERNET_CONTROL);
                Some(s)
            }
            Err(e) => {
                self.trace(ns, || format!("bird: cannot listen on port 179: {}", e));
                None
            }
        }
    }

    fn bird_tcp_connect(
        &mut self,
        pid: Pid,
        ns: NsId,
        local: Option<Ipv4Addr>,
        dst: Ipv4Addr,
        opts: SockOpts,
    ) -> Option<usize> {
        let bind = local.map(|l| SocketAddrV4::new(l, 0));
        let peer = SocketAddrV4::new(dst, bgp::BGP_PORT);
        match self.tcp_connect_with(pid, ns, peer, bind, opts) {
            Ok(s) => Some(s),
            Err(e) => {
                self.trace(ns, || format!("bird: connect to {}: {}", dst, e));
                None
            }
        }
    }

    fn bird_tcp_send(&mut self, s: usize, bytes: &[u8]) {
        self.tcp_send(s, bytes);
    }

    fn bird_tcp_close(&mut self, s: usize) {
        self.tcp_close(s);
    }

    /// A socket event from the TCP layer for a bird process.
    pub(crate) fn bird_sock_event(&mut self, pid: Pid, sock: usize, ev: SockEvent) {
        let ev = match ev {
            SockEvent::Connected => BirdSockEvent::Connected,
            SockEvent::Accepted { child, peer } => BirdSockEvent::Accepted {
                child,
                peer: *peer.ip(),
            },
            SockEvent::Data(d) => BirdSockEvent::Data(d),
            SockEvent::Eof | SockEvent::Closed | SockEvent::Error(_) => BirdSockEvent::Closed,
            SockEvent::Datagram { .. } => return,
        };
        self.bird_sock(pid, sock, ev);
    }
}

/// What the TCP layer reports to bird (a mirror of the socket events bird uses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BirdSockEvent {
    Connected,
    Accepted { child: usize, peer: Ipv4Addr },
    Data(Vec<u8>),
    Closed,
}

/// `IP_PREC_INTERNET_CONTROL`: the TOS of BGP's packets.
pub const IP_PREC_INTERNET_CONTROL: u8 = 0xc0;

/// The TTL bird gives a session's socket: the multihop value, 1 for a direct peer.
fn bgp_hops(p: &ProtoRt) -> u8 {
    p.bgp
        .as_ref()
        .map_or(1, |s| s.cfg.multihop.clamp(1, 255) as u8)
}

/// BIRD's interface patterns: `*` matches any run of characters.
pub fn glob(pat: &str, s: &str) -> bool {
    match pat.find('*') {
        None => pat == s,
        Some(i) => {
            let (pre, rest) = (&pat[..i], &pat[i + 1..]);
            if !s.starts_with(pre) {
                return false;
            }
            let s = &s[pre.len()..];
            (0..=s.len()).any(|k| s.is_char_boundary(k) && glob(rest, &s[k..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_patterns() {
        assert!(glob("br0", "br0"));
        assert!(!glob("br0", "br01"));
        assert!(glob("eth*", "eth12"));
        assert!(glob("*", "x"));
        assert!(!glob("e*1", "eth2"));
    }
}
