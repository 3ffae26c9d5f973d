//! The machine: every network namespace, every device, the event queue and the capture.
//!
//! Devices live in one arena indexed by [`DevId`] (never reused), and each [`Net`] lists its own
//! devices in ifindex order. A veth knows its peer's `DevId`, a bridge port its master's; no global
//! graph exists. Frames cross devices only as an [`SkBuff`](crate::net::skbuff::SkBuff) through
//! [`Event::NetifRx`] (as `veth_xmit` → `netif_rx` defers to the backlog), scrubbed as the kernel
//! scrubs it on that path: bytes plus the few fields the kernel's skb keeps; inside one namespace
//! layers call each other directly, passing the skb down.

use crate::apps::Process;
use crate::dropreason::SkbDropReason;
use crate::net::bridge::Bridge;
use crate::net::devconf::{DevConf, MiscSysctl, NeighParms, CONF_FORWARDING};
use crate::net::fib::Fib;
use crate::net::neigh::NeighTable;
use crate::wire::{Mac, ETH_P_IP};
use sim_core::{Duration, EventId, EventQueue, Instant, Next, SimRng};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

pub type NsId = usize;
pub type DevId = usize;
pub type Pid = usize;

/// Latency of one device hop (veth → peer, bridge port → port): the time the backlog takes.
pub const HOP_DELAY: Duration = Duration::from_micros(10);

pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_LOOPBACK: u16 = 772;

#[derive(Debug)]
pub enum DevKind {
    Loopback,
    Veth {
        peer: Option<DevId>,
    },
    Bridge(Box<Bridge>),
    Dummy,
    Vxlan(Box<crate::net::vxlan::Vxlan>),
    /// An IPv4 tunnel without a link layer: ipip (`tunl0` is the per-namespace fallback
    /// device) or GRE (`gre0`); `IpTunnel::kind` says which (`net/ip_tunnel.rs`).
    Ipip(Box<crate::net::ipip::IpTunnel>),
    /// An Ethernet-over-GRE tunnel (`gretap`, and the fallback `erspan0`; `net/ip_gre.rs`).
    Gretap(Box<crate::net::ipip::IpTunnel>),
    /// A macvlan over a lower Ethernet device (`net/macvlan.rs`).
    Macvlan(Box<crate::net::macvlan::Macvlan>),
    /// An 802.1Q/802.1ad VLAN device over a real device (`net/vlan.rs`).
    Vlan(Box<crate::net::vlan::VlanDev>),
    /// An ipvlan over a parent Ethernet device (`net/ipvlan.rs`).
    Ipvlan(Box<crate::net::ipvlan::Ipvlan>),
    /// A bond over slave devices (`net/bonding.rs`).
    Bond(Box<crate::net::bonding::Bond>),
    /// A VRF (L3 master device, `net/vrf.rs`): its slaves' routes live in its table.
    Vrf(Box<crate::net::vrf::Vrf>),
}

impl DevKind {
    pub fn kind_name(&self) -> &'static str {
        match self {
            DevKind::Loopback => "loopback",
            DevKind::Veth { .. } => "veth",
            DevKind::Bridge(_) => "bridge",
            DevKind::Dummy => "dummy",
            DevKind::Vxlan(_) => "vxlan",
            DevKind::Ipip(t) | DevKind::Gretap(t) => t.kind.name(),
            DevKind::Macvlan(_) => "macvlan",
            DevKind::Vlan(_) => "vlan",
            DevKind::Ipvlan(_) => "ipvlan",
            DevKind::Bond(_) => "bond",
            DevKind::Vrf(_) => "vrf",
        }
    }
}

/// An IPv4 address on a device (`struct in_ifaddr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfAddr {
    pub local: Ipv4Addr,
    /// The peer address for point-to-point addresses (`peer`), else equal to `local`.
    pub address: Ipv4Addr,
    pub plen: u8,
    pub broadcast: Option<Ipv4Addr>,
    pub scope: u8,
    pub label: String,
    pub secondary: bool,
    pub has_peer: bool,
    /// `ifa_rt_priority` (`IFA_RT_PRIORITY`, `ip addr add ... metric N`): the metric of the
    /// prefix route the address brings.
    pub rt_priority: u32,
}

#[derive(Clone, Debug, Default)]
pub struct DevStats {
    pub rx_packets: u64,
    pub rx_bytes: u64,
    pub tx_packets: u64,
    pub tx_bytes: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub tx_errors: u64,
}

/// `struct net_device`.
///
/// Laid out (`repr(C)`) in groups of the cache lines a frame's hop reads at 10 000 pods, where
/// none of a hop's devices is in the cache and each line it reads costs an access to L3 or
/// memory (issue 16, eighth pass). Group 0: what every transmit and receive reads (the kind
/// with a veth's peer, master, namespace, the tc and qdisc pointers, MTU, IFF_UP). Group 1:
/// the receive's other rx-handler pointers, the address, a bridge port's state and flags and
/// `addrs` (`ip_rcv`'s source check). Group 2: the counters and the capture interface.
/// Groups 3-4: `conf` (`accept_local`, `rp_filter`, which every received packet's
/// `fib_validate_source` reads; `forwarding`, which a flooded ARP request reads), the
/// ifindex and `nparms`. The name and the rest of the configuration after them.
///
/// Not `align(64)`: aligned (448 bytes), each group was one line, a bridge port's hop read 3
/// lines and a pod's `eth0` 5, and the 10 000-pod echo round was ~15 % faster; but the arena
/// of 200 000 devices (100 000 pods) grew 16 MB and each of its growths copied it (an
/// over-aligned `Vec` cannot `realloc` in place), which took the 100 000-pod run to 1 006 MB,
/// past the 1 GB goal. Unaligned, a group may straddle two lines.
#[derive(Debug)]
#[repr(C)]
pub struct NetDevice {
    pub kind: DevKind,
    pub master: Option<DevId>,
    pub ns: NsId,
    /// The clsact or ingress qdisc with its filters (`net/cls_api.rs`); `None`: none.
    pub tc_ingress: Option<Box<crate::net::cls_api::TcIngress>>,
    /// A root qdisc set with `tc qdisc add` (`net/sch_generic.rs`); `None`: the default.
    pub qdisc: Option<Box<crate::net::sch_generic::Qdisc>>,
    pub mtu: u32,
    /// IFF_UP.
    pub up: bool,
    /// The address was set by the user (`addr_assign_type == NET_ADDR_SET`).
    pub mac_set: bool,
    /// `dev->qdisc` is the default one (`noqueue`): `dev_activate` attached it at the first
    /// open and `dev_deactivate` keeps it; only `dev_shutdown` (a namespace move) resets it.
    pub qdisc_attached: bool,
    /// `net.ipv6.conf.DEV.disable_ipv6`.
    pub disable_ipv6: bool,
    // (line 1)
    /// The macvlans over this device (`struct macvlan_port`, its rx handler).
    pub macvlan_port: Option<Box<crate::net::macvlan::MacvlanPort>>,
    /// The VLAN devices over this device (`dev->vlan_info`).
    pub vlan_info: Option<Box<crate::net::vlan::VlanGroup>>,
    /// The ipvlans over this device (`struct ipvl_port`, its rx handler).
    pub ipvlan_port: Option<Box<crate::net::ipvlan::IpvlanPort>>,
    pub mac: Mac,
    /// The carrier `ip link set DEV carrier on|off` set (dummy's `ndo_change_carrier`); `None`
    /// until then (a dummy's operstate stays UNKNOWN until a linkwatch event).
    pub carrier_set: Option<bool>,
    /// While a port of a bridge whose STP never ran: its `p->state` (`BR_STATE_FORWARDING`
    /// while the bridge is up and the port runs, else `BR_STATE_DISABLED`), kept by
    /// `Kernel::br_port_state_update` on the events that change it (`net/bridge.rs`).
    pub br_state: u8,
    /// While a bridge port: its `net_bridge_port`'s flags (`br_port_get_rcu(dev)->flags`;
    /// read through `Kernel::br_port_flags`, which gives the defaults for a non-port).
    pub brport_flags: crate::net::bridge::BrPortFlags,
    pub addrs: Vec<IfAddr>,
    // (line 2)
    pub stats: DevStats,
    /// The capture interface currently recording this device.
    pub cap: usize,
    // (lines 3 and 4)
    pub conf: DevConf,
    pub ifindex: u32,
    /// `in_dev->arp_parms`: `None` while every knob follows the namespace's `neigh/default`
    /// (the copy `neigh_parms_alloc` makes, which a write to `default` updates for the knobs
    /// the device did not set); a copy of its own once one of its knobs is written. Read
    /// through [`Kernel::dev_nparms`].
    pub nparms: Option<Box<NeighParms>>,
    pub name: String,
    /// Unicast addresses added with `bridge fdb add MAC dev X` (`dev->uc`, `ndo_dflt_fdb_add`).
    pub uc: Vec<Mac>,
    /// IPv6 addresses (`idev->addr_list`, configuration only: see net/addrconf.rs).
    pub inet6: Vec<crate::net::addrconf::Inet6Ifaddr>,
}

/// One network namespace (`struct net`).
///
/// Laid out (`repr(C)`, aligned to a cache line) for the lines a frame's visit reads. A
/// flooded ARP request's receive reads three fields: `Fib::may_be_local`'s keys (at bytes
/// 56..92 of `fib`: `fib` starts at 8, so they are in line 1), `packet_socks` (line 1 too)
/// and `neigh`'s root (line 2). An echo's visit (issue 16, eighth pass) reads besides them
/// `ip_id` and the FIB's tables and rules (line 0), `inet_addr_lst`,
/// `icmp_socks`, `fnhe`, `conf_all`'s `accept_local` (line 3) and `rp_filter` (line 5,
/// with `nf`'s table list): five lines, where the compiler's order of the cold fields
/// between them made it nine.
#[derive(Debug)]
#[repr(C, align(64))]
pub struct Net {
    pub next_ifindex: u32,
    pub ip_id: u16,
    /// `ip netns del` removed its name while processes were still in it: the namespace lives
    /// on, nameless, until its last process exits (see [`Kernel::netns_del`]).
    pub detached: bool,
    pub fib: Fib,
    /// Processes with an `AF_PACKET` socket in this namespace (arping).
    pub packet_socks: Vec<Pid>,
    pub neigh: NeighTable,
    /// The local addresses of the namespace's devices (`inet_addr_lst`, the kernel's hash of
    /// every `in_ifaddr` by `ifa_local`, which `inet_lookup_ifaddr_rcu` searches): what
    /// `inet_lookup_ifaddr` asks, without a walk over `devs` and each device's `addrs` (four
    /// cache lines a received packet at 10 000 pods). Rebuilt by
    /// [`Kernel::inet_addr_lst_rebuild`] wherever a device's `addrs` or the devices of a
    /// namespace holding addresses change.
    pub(crate) inet_addr_lst: crate::net::devinet::InetAddrLst,
    /// Processes with a raw ICMP socket in this namespace (ping), so an arriving ICMP message
    /// is offered to them without scanning every process of the machine.
    pub icmp_socks: Vec<Pid>,
    /// Route exceptions (`fib_nh_exception`: redirected gateways), net/route.rs.
    pub fnhe: crate::net::route::FnheTable,
    /// (bytes 240..352: `accept_local` in line 3, `rp_filter` in line 5)
    pub conf_all: DevConf,
    /// Netfilter: iptables tables (line 5) and the conntrack table.
    pub nf: crate::net::netfilter::Netfilter,
    pub name: String,
    pub devs: Vec<DevId>,
    pub conf_default: DevConf,
    pub neigh_default: NeighParms,
    /// `net.ipv4.ip_local_port_range`, `net.ipv4.ping_group_range` etc. (string-valued knobs).
    pub misc_sysctl: crate::net::devconf::MiscSysctl,
    /// The last index of each tc action kind (`tcf_idr_create`: one sequence a namespace).
    pub tc_action_index: std::collections::BTreeMap<&'static str, u32>,
    /// IPv4 reassembly queues and learned path MTUs.
    pub ipfrag: crate::net::ipfrag::IpFragState,
    /// `net->ipv4.peers`: ICMP rate-limit buckets per remote address (net/inetpeer.rs).
    pub peers: crate::net::inetpeer::InetPeerBase,
    /// Nexthop objects (`ip nexthop`), net/nexthop.rs.
    pub nexthops: crate::net::nexthop::NexthopTable,
    /// TCP/UDP socket lookup tables (net/sock.rs).
    pub socks: crate::net::sock::SockTables,
    /// The devices of `devs` by name and by ifindex (`dev_get_by_name`'s and
    /// `dev_get_by_index`'s hash tables): kept by `dev_create`, `dev_del`, `dev_change_net`
    /// and `dev_change_name`.
    /// (`SmallMap`s: a pod's two devices in two small vectors, not two 11-entry tree nodes)
    dev_names: crate::small_map::SmallMap<String, DevId>,
    dev_ifindex: crate::small_map::SmallMap<u32, DevId>,
    /// IPv6 routes, configuration only (net/ip6_route.rs).
    pub rt6: Vec<crate::net::ip6_route::Rt6Info>,
    /// IPv6 policy rules (`ip -6 rule`), configuration only: never consulted.
    pub rules6: crate::net::fib_rules::FibRules,
    /// `net->netns_ids`: the nsids this namespace names its peers by, as `ip netns set`
    /// assigned them (`rtnl_net_newid`) or a link message about a device whose link is in
    /// another namespace allocated them (`peernet2id_alloc`); O(log n) lookups both ways.
    pub netns_ids: crate::net::rtnetlink::netns::NetnsIds,
}

impl Net {
    pub fn ip_forward(&self) -> bool {
        self.conf_all.get(CONF_FORWARDING) != 0
    }
}

#[derive(Debug)]
pub enum Event {
    /// A frame arrives at a device (`netif_rx`).
    NetifRx {
        dev: DevId,
        skb: crate::net::skbuff::SkBuff,
    },
    /// The same frame arriving at several devices at one instant, in this order: a bridge
    /// flood's copies (one shared buffer, `SkBuff::clone_shared`), which were consecutive
    /// `NetifRx` events; one queued event instead of one per port (`Kernel::netif_rx_schedule`).
    NetifRxBatch(Box<RxBatch>),
    /// A neighbour entry's timer (`neigh_timer_handler`).
    NeighTimer { ns: NsId, dev: DevId, ip: Ipv4Addr },
    /// A delayed proxy-ARP reply (`pneigh_enqueue` → `proxy_timer`).
    ProxyArp { dev: DevId, frame: Vec<u8> },
    /// A process's timer.
    ProcTimer { pid: Pid, token: u64 },
    /// A reassembly queue's timeout (`ip_expire`).
    IpFragTimer {
        ns: NsId,
        key: crate::net::ipfrag::FragKey,
        generation: u64,
    },
    /// A TCP connection's timer (retransmit, delayed ACK, TIME_WAIT); stale generations are
    /// ignored.
    TcpTimer {
        sock: crate::net::sock::SockId,
        which: crate::net::tcp::TcpTimer,
        gen: u64,
    },
    /// A qdisc's watchdog timer (`qdisc_watchdog`): its next frame is due.
    QdiscWatchdog { dev: DevId },
    /// A bond's MII monitor (`bond_mii_monitor`).
    BondMiimon { dev: DevId },
    /// The ARP table's periodic gc (`neigh_periodic_work`).
    NeighPeriodicWork,
    /// A bridge's or a bridge port's STP timer (`net/br_stp_timer.rs`).
    BrStpTimer {
        br: DevId,
        port: Option<DevId>,
        which: crate::net::br_stp::BrStpTimer,
    },
}

/// The receivers of one flooded frame (`Event::NetifRxBatch`).
#[derive(Debug)]
pub struct RxBatch {
    pub skb: crate::net::skbuff::SkBuff,
    /// The devices still to receive it, in order.
    pub devs: DevRuns,
}

/// A list of device ids kept as arithmetic runs (`start, start + step, ...`): a bridge's ports'
/// peers are usually created in a regular pattern, so a flood to 10 000 ports is a few runs
/// instead of 10 000 ids (W1 N=10 000 cold holds 10^8 copies in flight at once).
#[derive(Debug, Default)]
pub struct DevRuns {
    /// `(start, step, count)`, front first.
    runs: std::collections::VecDeque<(DevId, isize, usize)>,
    len: usize,
}

impl DevRuns {
    pub fn push(&mut self, d: DevId) {
        self.len += 1;
        if let Some((start, step, count)) = self.runs.back_mut() {
            if *count == 1 {
                *step = d as isize - *start as isize;
                *count = 2;
                return;
            }
            let next = step
                .checked_mul(*count as isize)
                .and_then(|x| (*start as isize).checked_add(x));
            if next == Some(d as isize) {
                *count += 1;
                return;
            }
        }
        self.runs.push_back((d, 0, 1));
    }

    pub fn pop_front(&mut self) -> Option<DevId> {
        let (start, step, count) = self.runs.front_mut()?;
        let d = *start;
        *count -= 1;
        if *count == 0 {
            self.runs.pop_front();
        } else {
            *start = (*start as isize + *step) as DevId;
        }
        self.len -= 1;
        Some(d)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A capture interface: one IDB of the pcapng.
#[derive(Clone, Debug)]
pub struct CapIface {
    pub name: String,
    pub linktype: u16,
    pub mac: Option<Mac>,
    pub kind: &'static str,
    pub npkts: u64,
    /// Its interface id in the run's pcapng stream once its IDB is written there, for the
    /// tap's fast path ([`NO_IDB`]: none yet, no stream, or a link type whose frames the tap
    /// rewrites (`LINUX_SLL`), which never take the fast path). Reset when the stream changes
    /// ([`Capture::set_stream`]).
    stream_id: u32,
    /// `stream_id` for the receive tap's fast path: [`NO_IDB`] always when the device's
    /// received frames are not captured (`rx`), so the tap's fast path needs no test of the
    /// device's kind.
    rx_stream_id: u32,
    /// The device's received frames are captured: not on lo or a VRF (on lo the packet
    /// socket sees each frame once, on transmit; a VRF's only received frames are those it
    /// looped back).
    rx: bool,
}

impl CapIface {
    fn new(name: String, linktype: u16, mac: Option<Mac>, kind: &DevKind) -> Self {
        CapIface {
            name,
            linktype,
            mac,
            kind: kind.kind_name(),
            npkts: 0,
            stream_id: NO_IDB,
            rx_stream_id: NO_IDB,
            rx: captures_rx(kind),
        }
    }
}

/// Whether a device's received frames are captured ([`CapIface::rx`]).
fn captures_rx(kind: &DevKind) -> bool {
    !matches!(kind, DevKind::Loopback | DevKind::Vrf(_))
}

/// The capture: every frame a device transmits or receives, as the packet taps see them.
///
/// Frames are numbered from 0 in capture order. With `keep` (the default, for the `Lab` API
/// and tests) every frame stays in `packets`; without it only what a running in-lab `tcpdump`
/// still has to print is held (`readers`), and `stream` writes each frame to the run's pcapng
/// as it happens, so memory does not grow with the length of a run.
///
/// `enabled`, `keep`, `watchers`, `readers` and `stream` are set through methods only: each
/// change recomputes the one flag the taps test for their fast path, the stream's
/// [`StreamSlot`] (see [`Capture::update_stream_only`]).
#[derive(Debug)]
pub struct Capture {
    enabled: bool,
    pub ifaces: Vec<CapIface>,
    /// The frames held, from frame number `base` on: (capture interface, time, bytes).
    /// Written by the taps and [`Capture::release_before`] only.
    pub packets: Vec<(u32, u64, Vec<u8>)>,
    /// Per packet held, its `sockaddr_ll` packet type (`PACKET_HOST`, ... `PACKET_OUTGOING`),
    /// as `tcpdump -i any` shows it.
    pub pkttypes: Vec<u8>,
    /// Running `tcpdump -c N` processes, told of each new packet.
    watchers: Vec<Pid>,
    /// Keep every frame (else frames no reader needs are released).
    keep: bool,
    /// The number of the first frame held in `packets`.
    pub base: usize,
    /// Running in-lab tcpdumps and the first frame each still needs.
    readers: BTreeMap<Pid, usize>,
    /// The run's pcapng, written as frames happen (`nslab run --pcap`), and whether the taps'
    /// fast path is open ([`StreamSlot::Open`]).
    stream: StreamSlot,
    /// Bytes of the frames held (for the run's memory limit).
    pub held_bytes: u64,
    /// Per device (`DevId`), its capture interface: [`NetDevice::cap`] again, for the
    /// transmit tap's fast path, which reads nothing else of the device (three instructions
    /// a frame fewer than the device's lookup). [`NO_CAP`] for none (no such device, or one
    /// unregistered). Set with `cap` (`dev_create`, `cap_refresh`), cleared by
    /// `unregister_netdevice`.
    dev_caps: Vec<u32>,
}

/// No capture interface in [`Capture::dev_caps`].
const NO_CAP: u32 = u32::MAX;

/// The run's pcapng stream, if any, and whether the taps' fast path is open: capturing, no
/// frame to hold (not `keep`, no reader, no watcher, none held from before) and a stream to
/// write to. Recomputed by every change of those ([`Capture::update_stream_only`]: the
/// setters, the taps' slow path, `release_before`); the tracer, which lives outside the
/// capture, is tested by the tap itself. The flag is the enum's tag, so the fast path tests
/// it and the stream's presence at once (a flag of its own and the `Option` were two tests,
/// five instructions a frame; this is two).
#[derive(Debug)]
enum StreamSlot {
    None,
    /// Frames take the slow path.
    Closed(CaptureStream),
    /// The fast path is open.
    Open(CaptureStream),
}

impl StreamSlot {
    fn get_mut(&mut self) -> Option<&mut CaptureStream> {
        match self {
            StreamSlot::Closed(s) | StreamSlot::Open(s) => Some(s),
            StreamSlot::None => None,
        }
    }
}

impl Default for Capture {
    fn default() -> Self {
        Capture {
            enabled: false,
            ifaces: Vec::new(),
            packets: Vec::new(),
            pkttypes: Vec::new(),
            watchers: Vec::new(),
            keep: true,
            base: 0,
            readers: BTreeMap::new(),
            stream: StreamSlot::None,
            held_bytes: 0,
            dev_caps: Vec::new(),
        }
    }
}

/// The pcapng a run writes as it goes: capture interface → pcapng interface id (an IDB is
/// written at an interface's first frame), and whether frames are written yet (`--pcap-traffic`
/// starts at the `# --- traffic ---` marker, [`CaptureStream::start`]).
#[derive(Debug)]
pub struct CaptureStream {
    pub w: sim_core::pcapng::PcapngStream,
    /// Per capture interface, its pcapng interface id ([`NO_IDB`]: none written yet).
    pub ids: Vec<u32>,
    active: bool,
}

/// A capture interface without an IDB in the stream yet.
const NO_IDB: u32 = u32::MAX;

/// The taps' fast path's write of an skb's frame: by its shared buffer when a flood's copies
/// share it, else its bytes.
#[inline(always)]
fn tap_write(
    w: &mut sim_core::pcapng::PcapngStream,
    id: u32,
    ts: u64,
    skb: &crate::net::skbuff::SkBuff,
) {
    match skb.shared_buf() {
        Some(b) => w.add_shared(id, ts, b, skb.headroom()),
        None => w.add_packet(id, ts, skb.data(), None),
    }
}

impl CaptureStream {
    pub fn new(w: sim_core::pcapng::PcapngStream, active: bool) -> Self {
        CaptureStream {
            w,
            ids: Vec::new(),
            active,
        }
    }

    /// Frames are written from now on (`--pcap-traffic`'s marker). A stream is never stopped:
    /// the interfaces' `stream_id`s, set only while it writes, stay valid.
    pub fn start(&mut self) {
        self.active = true;
    }

    /// Whether frames are written.
    pub fn active(&self) -> bool {
        self.active
    }

    /// The slow path's write (the taps' fast path writes straight to `w` with the interface's
    /// `stream_id`).
    fn write(&mut self, ifaces: &mut [CapIface], cap: usize, ts: u64, frame: &[u8]) {
        if !self.active {
            return;
        }
        let id = match self.ids.get(cap) {
            Some(&id) if id != NO_IDB => id,
            _ => self.add_interface(ifaces, cap),
        };
        self.w.add_packet(id, ts, frame, None);
    }

    /// The IDB of an interface's first frame (once per interface, off the per-frame path).
    #[cold]
    fn add_interface(&mut self, ifaces: &mut [CapIface], cap: usize) -> u32 {
        if self.ids.len() <= cap {
            self.ids.resize(cap + 1, NO_IDB);
        }
        let ci = &mut ifaces[cap];
        let id = self.w.add_interface(&ci.name, ci.linktype, ci.mac);
        self.ids[cap] = id;
        set_stream_id(ci, id);
        id
    }

    /// Ends the file: an IDB for every interface that captured nothing (so the file lists
    /// every interface, as the in-memory file does), then everything buffered is written: the
    /// first write error.
    fn finish(&mut self, ifaces: &mut [CapIface]) -> Result<(), String> {
        self.ids.resize(ifaces.len(), NO_IDB);
        for (cap, ci) in ifaces.iter_mut().enumerate() {
            if self.ids[cap] == NO_IDB {
                let id = self.w.add_interface(&ci.name, ci.linktype, ci.mac);
                self.ids[cap] = id;
                set_stream_id(ci, id);
            }
        }
        self.w.flush()
    }
}

/// An interface's frames may take the taps' fast path (straight to the stream, with this id)
/// unless the tap rewrites them (libpcap's cooked header carries the packet type).
fn set_stream_id(ci: &mut CapIface, id: u32) {
    if ci.linktype != crate::net::ip_gre::LINKTYPE_LINUX_SLL {
        ci.stream_id = id;
        if ci.rx {
            ci.rx_stream_id = id;
        }
    }
}

/// Records the kernel log holds (about 1 MiB of lines: `CONFIG_LOG_BUF_SHIFT` makes it 128
/// KiB to 1 MiB on distribution kernels).
pub const LOG_BUF_RECORDS: usize = 8192;

/// Frames held before the capture looks for frames no reader needs any more.
const CAPTURE_RELEASE_BATCH: usize = 4096;

impl Capture {
    /// Recomputes the taps' fast-path flag from what it stands for. Every change of
    /// `enabled`, `keep`, `readers`, `watchers`, `stream` or `packets` ends here (the fields
    /// are private to this module for that reason); a flag left false by mistake would only
    /// send frames the slow way, one left true would skip a reader's frames, so everything
    /// that can make it false calls this.
    fn update_stream_only(&mut self) {
        let open = self.enabled
            && !self.keep
            && self.readers.is_empty()
            && self.watchers.is_empty()
            && self.packets.is_empty();
        // (The stream moves only when the flag changes.)
        if open != matches!(self.stream, StreamSlot::Open(_)) {
            self.stream = match std::mem::replace(&mut self.stream, StreamSlot::None) {
                StreamSlot::Closed(s) | StreamSlot::Open(s) if open => StreamSlot::Open(s),
                StreamSlot::Closed(s) | StreamSlot::Open(s) => StreamSlot::Closed(s),
                StreamSlot::None => StreamSlot::None,
            };
        }
    }

    /// Device `d`'s capture interface is `cap` ([`Capture::dev_caps`]; `NO_CAP`: none).
    fn set_dev_cap(&mut self, d: DevId, cap: usize) {
        if self.dev_caps.len() <= d {
            self.dev_caps.resize(d + 1, NO_CAP);
        }
        self.dev_caps[d] = u32::try_from(cap).unwrap_or(NO_CAP);
    }

    /// Whether the taps record frames.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Turns the taps on or off.
    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
        self.update_stream_only();
    }

    /// Keep every frame (the default), or only what a reader still needs.
    pub fn set_keep(&mut self, keep: bool) {
        self.keep = keep;
        self.update_stream_only();
    }

    /// Running `tcpdump`s told of each new packet.
    pub fn watchers(&self) -> &[Pid] {
        &self.watchers
    }

    /// Tells `pid` of each new packet from now on.
    pub fn watch(&mut self, pid: Pid) {
        self.watchers.push(pid);
        self.update_stream_only();
    }

    /// Holds the frames from number `start` on for `pid` (`tcpdump -w`).
    pub fn hold_from(&mut self, pid: Pid, start: usize) {
        self.readers.insert(pid, start);
        self.update_stream_only();
    }

    /// `pid` no longer needs frames held.
    pub fn unhold(&mut self, pid: Pid) {
        self.readers.remove(&pid);
        self.update_stream_only();
    }

    /// `pid` is told of no more packets and needs none held (it exited).
    pub fn forget(&mut self, pid: Pid) {
        self.watchers.retain(|&w| w != pid);
        self.unhold(pid);
    }

    /// The run's pcapng stream, if any.
    pub fn stream_mut(&mut self) -> Option<&mut CaptureStream> {
        self.stream.get_mut()
    }

    /// Writes the frames from now on to `s` (`None`: to no stream). The interfaces' ids in
    /// the stream before are forgotten: the new stream writes its own IDBs.
    pub fn set_stream(&mut self, s: Option<CaptureStream>) {
        for ci in &mut self.ifaces {
            ci.stream_id = NO_IDB;
            ci.rx_stream_id = NO_IDB;
        }
        self.stream = match s {
            Some(s) => StreamSlot::Closed(s),
            None => StreamSlot::None,
        };
        self.update_stream_only();
    }

    /// Ends the streamed pcapng ([`CaptureStream::finish`]): the first write error.
    pub fn finish_stream(&mut self) -> Result<(), String> {
        match self.stream.get_mut() {
            Some(s) => s.finish(&mut self.ifaces),
            None => Ok(()),
        }
    }

    /// Frames captured so far (numbered 0..len; those before `base` are no longer held).
    pub fn len(&self) -> usize {
        self.base + self.packets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Frame number `i`, if it is still held.
    pub fn get(&self, i: usize) -> Option<&(u32, u64, Vec<u8>)> {
        i.checked_sub(self.base).and_then(|j| self.packets.get(j))
    }

    /// The `sockaddr_ll` packet type of frame `i`, if it is still held.
    pub fn pkttype(&self, i: usize) -> Option<u8> {
        i.checked_sub(self.base)
            .and_then(|j| self.pkttypes.get(j))
            .copied()
    }

    /// Releases the frames before number `i`.
    pub fn release_before(&mut self, i: usize) {
        let n = i.saturating_sub(self.base).min(self.packets.len());
        if n > 0 {
            let freed: usize = self.packets[..n].iter().map(|p| p.2.len()).sum();
            self.held_bytes = self.held_bytes.saturating_sub(freed as u64);
            self.packets.drain(..n);
            self.pkttypes.drain(..n.min(self.pkttypes.len()));
            self.base += n;
            self.update_stream_only();
        }
    }
}

/// A frame that was dropped, with where and why.
#[derive(Clone, Debug)]
pub struct DropRecord {
    pub time: Instant,
    pub ns: String,
    pub dev: String,
    pub reason: SkbDropReason,
    pub location: &'static str,
    /// With the tracer on: the index of this drop's note in `tracer.notes` (its journey, its
    /// packet, the decisions before it), for `nslab run --drops`.
    pub note: Option<usize>,
}

/// The simulated machine.
pub struct Kernel {
    pub now: Instant,
    pub queue: EventQueue<Event>,
    /// Frame receives folded into `Event::NetifRxBatch`es beyond each batch's first: the queue
    /// holds `queue.len() + rx_batched` events as the run's limits count them.
    pub rx_batched: usize,
    pub rng: SimRng,
    pub nets: Vec<Option<Net>>,
    pub devs: Vec<Option<NetDevice>>,
    pub capture: Capture,
    pub drops: Vec<DropRecord>,
    pub drop_counts: BTreeMap<SkbDropReason, u64>,
    /// Processes by pid (pids are not reused; an exited, reaped process leaves an empty
    /// slot of one pointer, so a loop of a million short commands costs 8 MB, not the size
    /// of its largest program state each).
    pub procs: Vec<Option<Box<Process>>>,
    /// TCP and UDP sockets (net/sock.rs): the live ones by `SockId` (ids are never reused;
    /// a freed socket's memory is).
    pub socks: crate::net::sock::SockArena,
    /// The files processes see (path → contents, mtime): the lab's working directory, synced
    /// by the front end; paths processes wrote are listed in `vfs_written`.
    pub vfs: BTreeMap<String, (Vec<u8>, Instant)>,
    pub vfs_written: Vec<String>,
    /// Kernel log lines (printk), e.g. from netfilter LOG.
    pub klog: Vec<(Instant, String)>,
    /// `arp_tbl`'s kernel-wide counts and gc list (one table for every namespace).
    pub arp_tbl: crate::net::neigh::ArpTbl,
    pub events_processed: u64,
    /// Keep individual drop records (tests and `--drops` want them; benchmarks only count).
    pub record_drops: bool,
    /// Packet-path trace (`--trace`); off unless enabled.
    pub tracer: crate::trace::Tracer,
    /// The `ipip` module is loaded: every namespace has a `tunl0` (see `net/ipip.rs`).
    pub ipip_loaded: bool,
    /// `ip_gre` (and `gre`) loaded: `gre0`, `gretap0`, `erspan0` in every namespace.
    pub gre_loaded: bool,
    /// `CONFIG_BRIDGE_VLAN_FILTERING`: bridges have VLAN groups and per-VLAN fdb entries and
    /// accept `vlan_filtering 1` (the oracle VM's 6.1 kernel); off, as the recording host's
    /// kernel (see `net/br_vlan.rs`).
    pub br_vlan_config: bool,
    /// `softnet_data.xmit.recursion`: how deep `dev_queue_xmit` calls are nested (a tunnel or
    /// bridge transmitting through another device); see `net/dev.rs`.
    pub xmit_recursion: u8,
    /// The run's frame budget, storm detector and time limit (`limits.rs`).
    pub limits: crate::limits::Limits,
    /// Processes changed since the front end last drained this (their output or exit).
    pub touched: crate::apps::Touched,
    /// The live namespaces by name (`ns_by_name`), and the free slots of `nets` other than
    /// the initial namespace's (`netns_add` takes the lowest): kept by `netns_add`/`netns_del`.
    pub(crate) ns_names: BTreeSet<(String, NsId)>,
    ns_free: BTreeSet<NsId>,
    /// `qdisc_alloc_handle`'s static `autohandle` (one counter for the machine).
    pub qdisc_autohandle: u32,
    /// New namespaces start with IPv6 enabled (a stock kernel) instead of disabled (the kernel
    /// oracle's recorder): see net/addrconf.rs.
    pub ipv6_netns: bool,
    /// The lab configured IPv6 (an address, route or rule), kept as configuration only.
    pub ipv6_configured: bool,
    /// An IPv6 address was refused because the namespace started with IPv6 disabled (the
    /// recorder's setting, not `--ipv6`): the front end says how to enable it.
    pub ipv6_disabled_refused: bool,
    /// The VRF cgroup of the program being started (`ip vrf exec VRF PROG`: its sockets are
    /// bound to the VRF device, `net/vrf.rs`): the namespace and the VRF's ifindex (0: the
    /// `default` VRF). The lab clears it before each command.
    pub exec_vrf: Option<(NsId, u32)>,
    /// `skb_small_head_cache`: the buffers of consumed packets, reused by the next packet a
    /// sender builds (`net/ip_output.rs`), as the kernel's slab cache of small skb heads.
    pub(crate) skb_small_head_cache: Vec<Vec<u8>>,
    /// `rt_genid`: the route caches' generation (`net/route.rs`, [`Kernel::rt_cache_flush`]).
    pub rt_genid: u32,
}

pub const ROOT_NS: NsId = 0;

impl Kernel {
    /// `mod_timer(timer, jiffies + timeout)`: the instant a kernel timer armed now runs on the
    /// timer wheel (`crate::timer`), for the timers the kernel keeps there (neighbour, TCP).
    pub fn mod_timer_at(&self, timeout: Duration) -> Instant {
        crate::timer::mod_timer(self.now, timeout)
    }

    /// A machine with the initial namespace (labelled `root`) holding `lo`.
    pub fn new(seed: u64) -> Kernel {
        let mut k = Kernel {
            now: Instant::EPOCH,
            queue: EventQueue::new(),
            rx_batched: 0,
            rng: SimRng::new(seed),
            nets: Vec::new(),
            devs: Vec::new(),
            capture: Capture {
                enabled: true,
                ..Default::default()
            },
            drops: Vec::new(),
            drop_counts: BTreeMap::new(),
            procs: Vec::new(),
            klog: Vec::new(),
            arp_tbl: Default::default(),
            socks: Default::default(),
            vfs: BTreeMap::new(),
            vfs_written: Vec::new(),
            events_processed: 0,
            record_drops: true,
            tracer: Default::default(),
            ipip_loaded: false,
            gre_loaded: false,
            br_vlan_config: false,
            xmit_recursion: 0,
            limits: crate::limits::Limits::unlimited(),
            touched: Default::default(),
            ns_names: BTreeSet::new(),
            ns_free: BTreeSet::new(),
            qdisc_autohandle: 0x8000_0000,
            ipv6_netns: false,
            ipv6_configured: false,
            ipv6_disabled_refused: false,
            exec_vrf: None,
            skb_small_head_cache: Vec::new(),
            rt_genid: 0,
        };
        let root = Net {
            name: "root".into(),
            devs: Vec::new(),
            next_ifindex: 1,
            fib: Fib::default(),
            neigh: NeighTable::default(),
            inet_addr_lst: Default::default(),
            conf_all: DevConf::default(),
            conf_default: DevConf::default(),
            neigh_default: NeighParms::default(),
            ip_id: 0,
            misc_sysctl: MiscSysctl::new(default_misc_sysctl()),
            nf: Default::default(),
            icmp_socks: Vec::new(),
            packet_socks: Vec::new(),
            tc_action_index: Default::default(),
            ipfrag: Default::default(),
            peers: Default::default(),
            fnhe: Default::default(),
            nexthops: Default::default(),
            socks: Default::default(),
            detached: false,
            dev_names: Default::default(),
            dev_ifindex: Default::default(),
            rt6: Vec::new(),
            rules6: crate::net::ip6_route::fib6_default_rules(),
            netns_ids: Default::default(),
        };
        k.ns_names.insert((root.name.clone(), ROOT_NS));
        k.nets.push(Some(root));
        k.init_loopback(ROOT_NS);
        // The initial namespace is a running machine's: `lo` is up with 127.0.0.1/8 (as in the
        // recorder's `nsl-root`). Namespaces from `ip netns add` start with `lo` down.
        let lo = k.dev_by_name(ROOT_NS, "lo").expect("just created");
        let ifa = IfAddr {
            local: Ipv4Addr::new(127, 0, 0, 1),
            address: Ipv4Addr::new(127, 0, 0, 1),
            plen: 8,
            broadcast: None,
            scope: crate::net::fib::RT_SCOPE_HOST,
            label: "lo".into(),
            secondary: false,
            has_peer: false,
            rt_priority: 0,
        };
        k.dev_mut(lo).addrs.push(ifa);
        k.inet_addr_lst_rebuild(ROOT_NS);
        k.dev_set_up(lo, true);
        k
    }

    /// The namespaces alive now, in id order (what `register_pernet_device` runs a module's
    /// pernet init for when it loads).
    pub(crate) fn live_nets(&self) -> Vec<NsId> {
        (0..self.nets.len())
            .filter(|&n| self.nets[n].is_some())
            .collect()
    }

    pub fn net(&self, ns: NsId) -> &Net {
        self.nets[ns].as_ref().expect("live netns")
    }
    pub fn net_mut(&mut self, ns: NsId) -> &mut Net {
        self.nets[ns].as_mut().expect("live netns")
    }
    /// The neighbour parameters of device `d` (`in_dev->arp_parms`): its own once one of its
    /// knobs was written, else its namespace's `neigh/default`.
    pub fn dev_nparms(&self, d: DevId) -> &NeighParms {
        let dev = self.dev(d);
        dev.nparms
            .as_deref()
            .unwrap_or(&self.net(dev.ns).neigh_default)
    }

    pub fn dev(&self, d: DevId) -> &NetDevice {
        self.devs[d].as_ref().expect("live device")
    }
    pub fn dev_mut(&mut self, d: DevId) -> &mut NetDevice {
        self.devs[d].as_mut().expect("live device")
    }
    pub fn dev_alive(&self, d: DevId) -> bool {
        self.devs.get(d).is_some_and(|x| x.is_some())
    }

    /// Finds a namespace by label (`root` is the initial one).
    pub fn ns_by_name(&self, name: &str) -> Option<NsId> {
        // The lowest-numbered namespace of that name, as a scan of `nets` would find (a
        // namespace `ip netns del` detached has left the index).
        // The first key from (name, 0) on, if it has that name: the bound borrows `name`
        // (`NsNameKey`), no `String` per lookup (one per `ip netns exec`, so per ping started
        // in a pod), and one search of the tree (an upper bound would be a second).
        let lo: (&str, NsId) = (name, 0);
        let (n, ns) = self
            .ns_names
            .range::<dyn NsNameKey, _>((
                std::ops::Bound::Included(&lo as &dyn NsNameKey),
                std::ops::Bound::Unbounded,
            ))
            .next()
            .filter(|(n, _)| n == name)?;
        debug_assert!(
            n == name
                && self.nets[*ns]
                    .as_ref()
                    .is_some_and(|x| x.name == name && !x.detached)
        );
        Some(*ns)
    }

    pub fn dev_by_name(&self, ns: NsId, name: &str) -> Option<DevId> {
        let net = self.net(ns);
        let d = net.dev_names.get(name).copied();
        debug_assert_eq!(
            d,
            net.devs.iter().copied().find(|&d| self.dev(d).name == name),
            "device name index out of date"
        );
        d
    }

    pub fn dev_by_ifindex(&self, ns: NsId, ifindex: u32) -> Option<DevId> {
        let net = self.net(ns);
        let d = net.dev_ifindex.get(&ifindex).copied();
        debug_assert_eq!(
            d,
            net.devs
                .iter()
                .copied()
                .find(|&d| self.dev(d).ifindex == ifindex),
            "device ifindex index out of date"
        );
        d
    }

    /// `dev_change_name`: the device's new name (the caller checked it is free).
    pub fn dev_change_name(&mut self, d: DevId, name: &str) {
        let ns = self.dev(d).ns;
        let old = std::mem::replace(&mut self.dev_mut(d).name, name.to_string());
        let net = self.net_mut(ns);
        net.dev_names.remove(&old);
        net.dev_names.insert(name.to_string(), d);
        // (a route lookup finds `lo` by name)
        self.rt_cache_flush();
    }

    /// Starts this machine's namespaces with IPv6 enabled (`disable_ipv6` 0 on `all`,
    /// `default` and the devices), as on a stock kernel, instead of disabled as the kernel
    /// oracle's recorder sets them up (net/addrconf.rs). Applies to the namespaces that exist
    /// now and to every later one.
    pub fn set_ipv6_netns(&mut self, enabled: bool) {
        self.ipv6_netns = enabled;
        let v = if enabled { "0" } else { "1" };
        for ns in 0..self.nets.len() {
            let Some(net) = self.nets[ns].as_mut() else {
                continue;
            };
            for knob in ["all", "default"] {
                net.misc_sysctl
                    .insert(format!("net.ipv6.conf.{knob}.disable_ipv6"), v.into());
            }
            for d in net.devs.clone() {
                self.addrconf_set_disable(d, !enabled);
            }
        }
    }

    /// `ip netns add`: a new namespace whose IPv4 conf is copied from the initial namespace's
    /// (as with `net.core.devconf_inherit_init_net=0`), holding a DOWN `lo`.
    pub fn netns_add(&mut self, name: &str) -> NsId {
        let init = self.net(ROOT_NS);
        let net = Net {
            name: name.to_string(),
            devs: Vec::new(),
            next_ifindex: 1,
            fib: Fib::default(),
            neigh: NeighTable::default(),
            inet_addr_lst: Default::default(),
            conf_all: init.conf_all.clone(),
            conf_default: init.conf_default.clone(),
            neigh_default: NeighParms::default(),
            ip_id: 0,
            misc_sysctl: default_misc_sysctl_v6(self.ipv6_netns),
            nf: Default::default(),
            icmp_socks: Vec::new(),
            packet_socks: Vec::new(),
            tc_action_index: Default::default(),
            ipfrag: Default::default(),
            peers: Default::default(),
            fnhe: Default::default(),
            nexthops: Default::default(),
            socks: Default::default(),
            detached: false,
            dev_names: Default::default(),
            dev_ifindex: Default::default(),
            rt6: Vec::new(),
            rules6: crate::net::ip6_route::fib6_default_rules(),
            netns_ids: Default::default(),
        };
        // The lowest free slot (never the initial namespace's).
        let free = if self.nets[ROOT_NS].is_some() {
            self.ns_free.pop_first()
        } else {
            None
        };
        let id = match free {
            Some(i) => {
                self.nets[i] = Some(net);
                i
            }
            None => {
                self.nets.push(Some(net));
                self.nets.len() - 1
            }
        };
        self.ns_names.insert((name.to_string(), id));
        self.init_loopback(id);
        if self.ipip_loaded {
            self.ipip_init_net(id);
        }
        if self.gre_loaded {
            self.ipgre_init_net(id);
        }
        self.rt_cache_flush();
        id
    }

    /// `ip netns del`: the name goes (the bind mount under /var/run/netns). A namespace
    /// nothing else holds is destroyed at once; one with a running process in it lives on,
    /// nameless, with its devices and sockets, until its last process exits
    /// ([`Kernel::netns_release`]), as Linux keeps a namespace while a task is in it.
    pub fn netns_del(&mut self, ns: NsId) {
        let busy = self
            .procs
            .iter()
            .flatten()
            .any(|p| p.ns == ns && p.exit.is_none());
        if busy {
            self.net_mut(ns).detached = true;
            let name = self.net(ns).name.clone();
            self.ns_names.remove(&(name, ns));
            return;
        }
        self.netns_destroy(ns);
    }

    /// The last process of a nameless (deleted) namespace has exited: the namespace goes.
    pub fn netns_release(&mut self, ns: NsId) {
        let detached = self
            .nets
            .get(ns)
            .and_then(Option::as_ref)
            .is_some_and(|n| n.detached);
        if detached {
            self.netns_del(ns);
        }
    }

    /// `cleanup_net`: devices are destroyed; a veth's peer goes with it; physical-like devices
    /// would move back to init_net (none are modelled).
    fn netns_destroy(&mut self, ns: NsId) {
        let devs = self.net(ns).devs.clone();
        for d in devs.into_iter().rev() {
            if self.dev_alive(d) {
                self.dev_del(d);
            }
        }
        self.neigh_flush_ns(ns);
        if let Some(net) = self.nets[ns].take() {
            // (a detached namespace left the index when its name went)
            self.ns_names.remove(&(net.name, ns));
        }
        if ns != ROOT_NS {
            self.ns_free.insert(ns);
        }
        // unhash_nsid: every namespace forgets the id it named the dead one by.
        for n in self.nets.iter_mut().flatten() {
            n.netns_ids.remove_peer(ns);
        }
        self.socks.remove_ns(ns);
        self.rt_cache_flush();
        // A process that has exited but whose parent has not reaped it yet keeps its output
        // (what it wrote is in the pipe, not in the namespace): the lab takes it and reaps it
        // as for any other job. Several jobs of a deleted namespace exiting in one step would
        // otherwise lose the last ones' output when the first one's reap destroys it.
        for p in self.procs.iter_mut() {
            // (bird is never reaped: the state dump reads a daemon in its namespace)
            if p.as_ref().is_some_and(|p| {
                p.ns == ns && (p.exit.is_none() || matches!(p.app, crate::apps::App::Bird(_)))
            }) {
                *p = None;
            }
        }
    }

    fn init_loopback(&mut self, ns: NsId) {
        let d = self.dev_create(ns, "lo", DevKind::Loopback, [0; 6], 65536);
        self.dev_mut(d).mac_set = true;
    }

    /// Registers a device (`register_netdevice`): next ifindex, conf from `conf/default`.
    pub fn dev_create(&mut self, ns: NsId, name: &str, kind: DevKind, mac: Mac, mtu: u32) -> DevId {
        let id = self.devs.len();
        // dev_new_index: the first free index from the namespace's counter (a device moved in
        // may hold the next one).
        let mut ifindex = self.net(ns).next_ifindex;
        while self.dev_by_ifindex(ns, ifindex).is_some() {
            ifindex += 1;
        }
        let net = self.net_mut(ns);
        net.next_ifindex = ifindex + 1;
        let conf = net.conf_default.clone();
        net.devs.push(id);
        net.dev_names.insert(name.to_string(), id);
        net.dev_ifindex.insert(ifindex, id);
        // LINKTYPE_ETHERNET (Linux captures on lo are Ethernet-framed too); an IPIP tunnel
        // (ARPHRD_TUNNEL, no link-layer header) is captured as LINKTYPE_RAW.
        let linktype = dev_linktype(&kind);
        let has_mac = !matches!(kind, DevKind::Loopback | DevKind::Ipip(_));
        let disable_ipv6 = self.ipv6_default_disabled(ns);
        let cap = self.capture.ifaces.len();
        self.capture.ifaces.push(CapIface::new(
            format!("{}:{}", self.net(ns).name, name),
            linktype,
            if has_mac { Some(mac) } else { None },
            &kind,
        ));
        self.capture.set_dev_cap(id, cap);
        self.devs.push(Some(NetDevice {
            ns,
            ifindex,
            name: name.to_string(),
            kind,
            mac,
            mac_set: false,
            mtu,
            up: false,
            qdisc_attached: false,
            qdisc: None,
            tc_ingress: None,
            master: None,
            addrs: Vec::new(),
            conf,
            nparms: None,
            stats: DevStats::default(),
            cap,
            uc: Vec::new(),
            macvlan_port: None,
            vlan_info: None,
            ipvlan_port: None,
            inet6: Vec::new(),
            disable_ipv6,
            carrier_set: None,
            brport_flags: Default::default(),
            br_state: crate::net::br_stp::BR_STATE_DISABLED,
        }));
        // (a new ifindex, name and device of the namespace: what a route lookup may read)
        self.rt_cache_flush();
        id
    }

    /// Starts a new capture interface for a device whose identity (`ns:name`, MAC) changed, or
    /// updates the current one in place when it has recorded nothing yet.
    pub fn cap_refresh(&mut self, d: DevId) {
        let dev = self.dev(d);
        let name = format!("{}:{}", self.net(dev.ns).name, dev.name);
        let mac = if matches!(dev.kind, DevKind::Loopback | DevKind::Ipip(_)) {
            None
        } else {
            Some(dev.mac)
        };
        let cap = dev.cap;
        let linktype = dev_linktype(&dev.kind);
        let ci = &mut self.capture.ifaces[cap];
        if ci.name == name && ci.mac == mac {
            return;
        }
        if ci.npkts == 0 {
            ci.name = name;
            ci.mac = mac;
        } else {
            let new = self.capture.ifaces.len();
            // A new interface: no IDB in the stream yet (its first frame writes one).
            let ci = CapIface::new(name, linktype, mac, &self.dev(d).kind);
            self.capture.ifaces.push(ci);
            self.dev_mut(d).cap = new;
            self.capture.set_dev_cap(d, new);
        }
    }

    /// Records a frame received on a device (the `ptype_all` tap, as tcpdump sees it);
    /// nothing when not capturing, or on lo or a VRF (tested on the slow path only: their
    /// interfaces have no receive id for the fast path, [`CapIface::rx`]). A frame whose
    /// buffer a flood's copies share goes to the stream as that buffer ([`sim_core::pcapng::PcapngStream::add_shared`]: its copies are
    /// known as the same frame without comparing their bytes), and the frame's slice is taken
    /// only when needed. Always inlined, as [`Kernel::tap_out_skb`]: the fast path in the
    /// caller, everything else out of line (left to the compiler, the taps became calls of
    /// their own once the block's encoding was inlined into them: +10 instructions a record
    /// with the capture off).
    #[inline(always)]
    pub(crate) fn tap_skb(&mut self, d: DevId, skb: &crate::net::skbuff::SkBuff) {
        if !self.capturing() {
            return;
        }
        if let Some((w, id, ts)) = self.tap_fast(d, true) {
            tap_write(w, id, ts, skb);
        } else if self.capture.enabled {
            self.tap_slow(d, skb);
        }
    }

    #[inline(never)]
    fn tap_slow(&mut self, d: DevId, skb: &crate::net::skbuff::SkBuff) {
        if !captures_rx(&self.dev(d).kind) {
            return;
        }
        let frame = skb.data();
        if self.tap_stream_only(d, frame) {
            return;
        }
        use crate::apps::tcpdump::*;
        let pkttype = match frame.get(0..6) {
            // A tunnel's frames are IP packets, without link-layer addresses.
            _ if matches!(self.dev(d).kind, DevKind::Ipip(_)) => PACKET_HOST,
            Some(m) if m.iter().all(|&b| b == 0xff) => PACKET_BROADCAST,
            Some(m) if m[0] & 1 != 0 => PACKET_MULTICAST,
            // (Not lo: its received frames are not captured, above.)
            Some(m) if m != self.dev(d).mac => PACKET_OTHERHOST,
            _ => PACKET_HOST,
        };
        self.tap_typed(d, frame, pkttype);
    }

    /// Whether frames are captured at all: the taps test it first (with the capture off they
    /// do nothing, and the frame's slice is not taken).
    #[inline(always)]
    pub(crate) fn capturing(&self) -> bool {
        self.capture.enabled
    }

    /// Records a frame a device transmits (`dev_queue_xmit_nit`), given as bytes (a VRF's
    /// frame, built for its taps; a device's skb goes to [`Kernel::tap_out_skb`]).
    #[inline(always)]
    pub fn tap_out(&mut self, d: DevId, frame: &[u8]) {
        if let Some((w, id, ts)) = self.tap_fast(d, false) {
            w.add_packet(id, ts, frame, None);
        } else if self.capture.enabled {
            self.tap_out_slow(d, frame);
        }
    }

    /// Records a frame a device transmits (`dev_queue_xmit_nit`), from its skb, as
    /// [`Kernel::tap_skb`] does a received one.
    #[inline(always)]
    pub(crate) fn tap_out_skb(&mut self, d: DevId, skb: &crate::net::skbuff::SkBuff) {
        if !self.capturing() {
            return;
        }
        if let Some((w, id, ts)) = self.tap_fast(d, false) {
            tap_write(w, id, ts, skb);
        } else if self.capture.enabled {
            self.tap_out_slow(d, skb.data());
        }
    }

    #[inline(never)]
    fn tap_out_slow(&mut self, d: DevId, frame: &[u8]) {
        if !self.tap_stream_only(d, frame) {
            self.tap_typed(d, frame, crate::apps::tcpdump::PACKET_OUTGOING);
        }
    }

    /// The taps' fast path, `nslab run --pcap`'s every frame: with nothing to hold
    /// ([`StreamSlot::Open`], no trace) and the device's capture interface already in the stream
    /// (its `stream_id`), the frame is counted and numbered, and the stream, its interface id
    /// and the time are returned for the tap to write it as an EPB — what
    /// [`Kernel::tap_stream_only`] does for it, without its tests one by one, the packet
    /// type, the IDB lookup. `None` (nothing done) when the frame must take the slow path.
    /// `rx`: the receive tap's (the interface's `rx_stream_id`, none on lo and a VRF).
    #[inline(always)]
    fn tap_fast(
        &mut self,
        d: DevId,
        rx: bool,
    ) -> Option<(&mut sim_core::pcapng::PcapngStream, u32, u64)> {
        let c = &mut self.capture;
        let StreamSlot::Open(s) = &mut c.stream else {
            return None;
        };
        if self.tracer.enabled {
            return None;
        }
        // The receive tap's caller has read the device (its `cap` is one load there); the
        // transmit taps' have not (the table is one bounds test, the device two).
        let cap = if rx {
            let Some(Some(dev)) = self.devs.get(d) else {
                return None;
            };
            dev.cap
        } else {
            *c.dev_caps.get(d)? as usize
        };
        let ci = c.ifaces.get_mut(cap)?;
        let id = if rx { ci.rx_stream_id } else { ci.stream_id };
        // `NO_IDB` and ids past `i32::MAX` (never: 2^31 IDBs) take the slow path: a sign test,
        // where a compare with `NO_IDB` took a register and a constant.
        if (id as i32) < 0 {
            return None;
        }
        ci.npkts += 1;
        c.base += 1;
        Some((&mut s.w, id, self.now.as_nanos()))
    }

    /// Whether a captured frame has to be held after its tap: every frame with `keep`; the
    /// newest for the trace (its notes name frames by number), a running `tcpdump -c` (it
    /// prints the frame from the capture) or `tcpdump -w` (it writes the frames at its end).
    fn capture_holds_frames(&self) -> bool {
        let c = &self.capture;
        c.keep || self.tracer.enabled || !c.readers.is_empty() || !c.watchers.is_empty()
    }

    /// The tap of `nslab run --pcap` (or of a capture nobody reads) when the fast path is
    /// closed (the interface's first frame, frames held from before): when no frame has to be
    /// held, the frame is counted and written to the stream, and that is all — no packet type
    /// (nothing reads it; the pcapng has none), no copy of the frame. Returns false when the
    /// frame must go the whole way (`tap_typed`); the file written is the same either way.
    fn tap_stream_only(&mut self, d: DevId, frame: &[u8]) -> bool {
        if self.capture_holds_frames() {
            return false;
        }
        let cap = self.dev(d).cap;
        let c = &mut self.capture;
        if c.ifaces[cap].linktype == crate::net::ip_gre::LINKTYPE_LINUX_SLL {
            // The cooked header carries the packet type.
            return false;
        }
        c.ifaces[cap].npkts += 1;
        if let Some(s) = c.stream.get_mut() {
            s.write(&mut c.ifaces, cap, self.now.as_nanos(), frame);
        }
        // Frames held from before (a reader that has gone) are released (which opens the fast
        // path), the new one is numbered and not held.
        if !c.packets.is_empty() {
            let upto = c.len();
            c.release_before(upto);
        }
        c.base += 1;
        true
    }

    pub(crate) fn tap_typed(&mut self, d: DevId, frame: &[u8], pkttype: u8) {
        let out = pkttype == crate::apps::tcpdump::PACKET_OUTGOING;
        let cap = self.dev(d).cap;
        if self.capture.ifaces[cap].linktype == crate::net::ip_gre::LINKTYPE_LINUX_SLL {
            // libpcap's cooked header (`struct sll_header`) for a device it has no link type
            // for: packet type, ARPHRD_IPGRE, no address (no header_ops), protocol IPv4.
            let mut v = Vec::with_capacity(16 + frame.len());
            v.extend_from_slice(&u16::from(pkttype).to_be_bytes());
            v.extend_from_slice(&crate::net::ip_gre::ARPHRD_IPGRE.to_be_bytes());
            v.extend_from_slice(&[0; 10]);
            v.extend_from_slice(&ETH_P_IP.to_be_bytes());
            v.extend_from_slice(frame);
            return self.tap_typed_raw(d, cap, &v, pkttype, out);
        }
        self.tap_typed_raw(d, cap, frame, pkttype, out)
    }

    fn tap_typed_raw(&mut self, d: DevId, cap: usize, frame: &[u8], pkttype: u8, out: bool) {
        let ts = self.now.as_nanos();
        // The trace's notes name frames by number (`--drops` prints them): with it on, frames
        // stay until the batch's release, as before.
        let traced = self.tracer.enabled;
        let c = &mut self.capture;
        c.ifaces[cap].npkts += 1;
        if let Some(s) = c.stream.get_mut() {
            s.write(&mut c.ifaces, cap, ts, frame);
        }
        if !c.keep
            && !traced
            && c.readers.is_empty()
            && c.packets.len() == 1
            && c.pkttypes.len() == 1
        {
            // Only the newest frame is held (no reader or note needs older ones): the new
            // frame takes its place and its buffer, instead of a buffer per frame released
            // later.
            let held = &mut c.packets[0];
            c.held_bytes = c.held_bytes.saturating_sub(held.2.len() as u64);
            held.0 = cap as u32;
            held.1 = ts;
            held.2.clear();
            held.2.extend_from_slice(frame);
            c.pkttypes[0] = pkttype;
            c.base += 1;
        } else {
            c.pkttypes.push(pkttype);
            c.packets.push((cap as u32, ts, frame.to_vec()));
        }
        c.held_bytes += frame.len() as u64;
        // A frame is held: the fast path closes until it is released.
        c.update_stream_only();
        if !c.keep && c.packets.len() >= CAPTURE_RELEASE_BATCH {
            self.capture_release();
        }
        self.trace_frame(d, frame, out);
        if !self.capture.watchers.is_empty() {
            self.tcpdump_tap(d);
        }
    }

    /// `printk`: a record in the kernel log. The log is a ring (`log_buf`): past
    /// [`LOG_BUF_RECORDS`] records the oldest are overwritten, as a full ring buffer's are, so
    /// a LOG rule hit every millisecond does not grow memory for the length of a run.
    pub fn printk(&mut self, line: String) {
        if self.klog.len() >= LOG_BUF_RECORDS {
            self.klog.drain(..LOG_BUF_RECORDS / 8);
        }
        self.klog.push((self.now, line));
    }

    /// Without `keep`, releases the frames no running in-lab tcpdump still needs (readers that
    /// have exited are forgotten).
    pub fn capture_release(&mut self) {
        let procs = &self.procs;
        self.capture.readers.retain(|&pid, _| {
            procs
                .get(pid)
                .and_then(Option::as_ref)
                .is_some_and(|p| p.exit.is_none())
        });
        // The newest frame stays: the tap's callers (tcpdump -c, the trace) look at it.
        let upto = self.capture.len().saturating_sub(1);
        let min = self.capture.readers.values().copied().min().unwrap_or(upto);
        self.capture.release_before(min.min(upto));
        // Readers forgotten above (`release_before` recomputes only when it frees frames).
        self.capture.update_stream_only();
    }

    /// Drops a frame, recording the kernel drop reason and function (`kfree_skb_reason`).
    pub fn kfree_skb_reason(
        &mut self,
        d: Option<DevId>,
        reason: SkbDropReason,
        location: &'static str,
    ) {
        self.kfree_skb_reason_in(None, d, reason, location)
    }

    /// A drop with no device (a locally generated packet that found no route, a socket's
    /// queue) but a known namespace, so `--drops` can name it.
    pub fn kfree_skb_reason_ns(&mut self, ns: NsId, reason: SkbDropReason, location: &'static str) {
        self.kfree_skb_reason_in(Some(ns), None, reason, location)
    }

    fn kfree_skb_reason_in(
        &mut self,
        in_ns: Option<NsId>,
        d: Option<DevId>,
        reason: SkbDropReason,
        location: &'static str,
    ) {
        *self.drop_counts.entry(reason).or_default() += 1;
        if self.tracer.enabled {
            let ns = match d.filter(|&d| self.dev_alive(d)) {
                Some(d) => self.dev(d).ns,
                None => in_ns.unwrap_or(self.tracer.last_ns),
            };
            let on = d
                .filter(|&d| self.dev_alive(d))
                .map(|d| format!(" on {}", self.dev(d).name))
                .unwrap_or_default();
            self.trace(ns, || format!("drop {reason}{on} in {location}"));
        }
        if !self.record_drops {
            return;
        }
        let (ns, dev) = match d.filter(|&d| self.dev_alive(d)) {
            Some(d) => (
                self.net(self.dev(d).ns).name.clone(),
                self.dev(d).name.clone(),
            ),
            None => (
                in_ns
                    .and_then(|n| self.nets.get(n).and_then(|x| x.as_ref()))
                    .map(|n| n.name.clone())
                    .unwrap_or_default(),
                String::new(),
            ),
        };
        let note = self
            .tracer
            .enabled
            .then(|| self.tracer.notes.len().checked_sub(1))
            .flatten();
        self.drops.push(DropRecord {
            time: self.now,
            ns,
            dev,
            reason,
            location,
            note,
        });
    }

    pub fn schedule_in(&mut self, after: Duration, ev: Event) -> EventId {
        // A process's timer starts its own journeys; frames and neighbour timers continue one.
        let carries = !matches!(ev, Event::ProcTimer { .. });
        let id = self.schedule_in_raw(after, ev);
        if self.tracer.enabled && self.tracer.cur != 0 && carries {
            self.tracer.pending.insert(id, self.tracer.cur);
        }
        id
    }

    fn schedule_in_raw(&mut self, after: Duration, ev: Event) -> EventId {
        self.queue.schedule(self.now + after, ev)
    }

    /// Schedules `skb`'s arrival at `dev` after `after` (`netif_rx`). When the event scheduled
    /// just before is the same frame arriving elsewhere at the same instant (a flood's previous
    /// copy, sharing this one's buffer and metadata), the arrival joins it as one
    /// `Event::NetifRxBatch`: the order of events is the same (nothing was scheduled between
    /// them), each copy is still one step, and a flood to N ports holds one buffer and one
    /// event instead of N. Not while tracing (each event carries its journey).
    ///
    /// (Inline, with the fold out of line: a unicast frame's skb goes into its event with one
    /// copy less, and no call, than through [`Kernel::schedule_in`].)
    #[inline(always)]
    pub(crate) fn netif_rx_schedule(
        &mut self,
        after: Duration,
        dev: DevId,
        skb: crate::net::skbuff::SkBuff,
    ) {
        // (An skb that owns its bytes, a unicast frame, is never the same as another; no
        // journey to carry when not tracing: `schedule_in`'s other steps.)
        if !self.tracer.enabled && !skb.is_shared() {
            self.queue
                .schedule(self.now + after, Event::NetifRx { dev, skb });
            return;
        }
        self.netif_rx_schedule_fold(after, dev, skb);
    }

    /// [`Kernel::netif_rx_schedule`] of a shared skb (a flood's copy), or while tracing.
    #[inline(never)]
    fn netif_rx_schedule_fold(
        &mut self,
        after: Duration,
        dev: DevId,
        skb: crate::net::skbuff::SkBuff,
    ) {
        if !self.tracer.enabled && skb.is_shared() {
            let at = self.now + after;
            if let Some(ev) = self.queue.last_scheduled_mut(at) {
                match ev {
                    Event::NetifRxBatch(b) if b.skb.same_shared(&skb) => {
                        b.devs.push(dev);
                        self.rx_batched += 1;
                        return;
                    }
                    Event::NetifRx { dev: first, skb: s } if s.same_shared(&skb) => {
                        let mut devs = DevRuns::default();
                        devs.push(*first);
                        devs.push(dev);
                        let skb = std::mem::take(s);
                        *ev = Event::NetifRxBatch(Box::new(RxBatch { skb, devs }));
                        self.rx_batched += 1;
                        return;
                    }
                    _ => {}
                }
            }
        }
        self.schedule_in(after, Event::NetifRx { dev, skb });
    }

    /// Whether the device passes frames: IFF_UP and carrier (`netif_running && netif_carrier_ok`).
    /// (A veth's carrier, [`Kernel::carrier`]'s first case, is read here inline: a flood asks
    /// it of every port twice and of every port's peer.)
    #[inline]
    pub fn dev_running(&self, d: DevId) -> bool {
        self.netdev_running(d, self.dev(d))
    }

    /// [`Kernel::dev_running`] of device `d` already looked up (`dev` is `self.dev(d)`).
    #[inline]
    pub fn netdev_running(&self, d: DevId, dev: &NetDevice) -> bool {
        if !dev.up {
            return false;
        }
        match &dev.kind {
            DevKind::Veth { peer } => peer.is_some_and(|p| {
                self.devs
                    .get(p)
                    .and_then(Option::as_ref)
                    .is_some_and(|p| p.up)
            }),
            _ => self.carrier(d),
        }
    }

    /// Carrier as the drivers set it: veth when both ends are up; a bridge when a port is
    /// forwarding; loopback and dummy always.
    pub fn carrier(&self, d: DevId) -> bool {
        let dev = self.dev(d);
        match &dev.kind {
            DevKind::Veth { peer } => {
                dev.up && peer.is_some_and(|p| self.dev_alive(p) && self.dev(p).up)
            }
            // A bridge has carrier while a port is running, or when it never had a port (it
            // keeps the carrier it was registered with).
            // With STP (`br_port_state_selection`): while a port forwards.
            DevKind::Bridge(br) if br.stp.used => br
                .stp
                .ports
                .values()
                .any(|p| p.state == crate::net::br_stp::BR_STATE_FORWARDING),
            DevKind::Bridge(br) => {
                br.ports.is_empty() || br.ports.iter().any(|&p| self.dev_running(p))
            }
            DevKind::Dummy => dev.carrier_set != Some(false),
            // A VRF keeps the carrier it was registered with.
            DevKind::Loopback
            | DevKind::Vxlan(_)
            | DevKind::Ipip(_)
            | DevKind::Gretap(_)
            | DevKind::Vrf(_) => true,
            // netif_stacked_transfer_operstate: the lower device's carrier.
            DevKind::Macvlan(m) => self.dev_alive(m.lowerdev) && self.carrier(m.lowerdev),
            DevKind::Vlan(v) => self.dev_alive(v.real_dev) && self.carrier(v.real_dev),
            DevKind::Ipvlan(v) => self.dev_alive(v.phy_dev) && self.carrier(v.phy_dev),
            DevKind::Bond(b) => self.bond_carrier(b),
        }
    }

    /// Deletes a device (`unregister_netdevice`): its routes, neighbours, addresses; a veth's
    /// peer; a bridge's ports are released.
    pub fn dev_del(&mut self, d: DevId) {
        self.bond_dev_unregister(d);
        self.vxlan_lowerdev_unregister(d);
        self.macvlan_lowerdev_unregister(d);
        self.macvlan_dellink(d);
        self.vlan_realdev_unregister(d);
        self.vlan_dellink(d);
        self.ipvlan_phydev_unregister(d);
        self.ipvlan_dellink(d);
        let ns = self.dev(d).ns;
        let peer = match &self.dev(d).kind {
            DevKind::Veth { peer } => *peer,
            _ => None,
        };
        if let DevKind::Bridge(br) = &self.dev(d).kind {
            for p in br.ports.clone() {
                self.dev_mut(p).master = None;
            }
        }
        self.vrf_dev_unregister(d);
        if let Some(m) = self.dev(d).master {
            self.dev_master_release(m, d);
        }
        self.nexthop_flush_dev(d);
        self.net_mut(ns).fib.flush_dev(d);
        self.fnhe_release_unused(ns);
        self.rt6_disable_dev(d);
        self.neigh_flush_dev(d);
        let (name, ifindex) = (self.dev(d).name.clone(), self.dev(d).ifindex);
        let had_addrs = !self.dev(d).addrs.is_empty();
        let net = self.net_mut(ns);
        net.devs.retain(|&x| x != d);
        net.dev_names.remove(&name);
        net.dev_ifindex.remove(&ifindex);
        self.devs[d] = None;
        self.capture.set_dev_cap(d, NO_CAP as usize);
        // (its DevId and ifindex may be reused)
        self.rt_cache_flush();
        if had_addrs {
            self.inet_addr_lst_rebuild(ns);
        }
        if let Some(p) = peer {
            if self.dev_alive(p) {
                // The peer stops running (were it a bridge port, its state: disabled).
                self.br_port_state_update(p);
                self.dev_del(p);
            }
        }
    }

    /// Moves a device to another namespace (`dev_change_net_namespace`): it goes down, loses its
    /// addresses, routes and neighbours, and gets the next ifindex there unless its own is free.
    pub fn dev_change_net(&mut self, d: DevId, to: NsId) {
        let from = self.dev(d).ns;
        if from == to {
            return;
        }
        // The RTM_DELLINK notification in the old namespace carries IFLA_NEW_NETNSID:
        // peernet2id_alloc(old, new), then the device's own IFLA_LINK_NETNSID.
        self.peernet2id_alloc(from, to);
        self.rtnl_fill_link_netnsid(from, d);
        // NETDEV_UNREGISTER in the old namespace: VXLAN devices over it go.
        self.vxlan_lowerdev_unregister(d);
        self.dev_set_up(d, false);
        self.vrf_dev_unregister(d);
        if let Some(m) = self.dev(d).master {
            self.dev_master_release(m, d);
        }
        self.nexthop_flush_dev(d);
        self.net_mut(from).fib.flush_dev(d);
        self.fnhe_release_unused(from);
        self.neigh_flush_dev(d);
        let (name, old_ifindex) = (self.dev(d).name.clone(), self.dev(d).ifindex);
        let net = self.net_mut(from);
        net.devs.retain(|&x| x != d);
        net.dev_names.remove(&name);
        net.dev_ifindex.remove(&old_ifindex);
        // (its addresses leave `from` with it; it arrives in `to` without them, below)
        if !self.dev(d).addrs.is_empty() {
            self.inet_addr_lst_rebuild(from);
        }
        let taken = self.dev_by_ifindex(to, old_ifindex).is_some();
        let ifindex = if taken {
            // dev_new_index: the first free index from the namespace's counter.
            let mut i = self.net(to).next_ifindex;
            while self.dev_by_ifindex(to, i).is_some() {
                i += 1;
            }
            self.net_mut(to).next_ifindex = i + 1;
            i
        } else {
            // The kept index does not move the namespace's counter.
            old_ifindex
        };
        self.rt6_disable_dev(d);
        let disable_ipv6 = self.ipv6_default_disabled(to);
        // The device keeps its neighbour parameters: following the old namespace's defaults
        // until now, it takes a copy of them if the new namespace's differ.
        if self.dev(d).nparms.is_none()
            && self.net(from).neigh_default != self.net(to).neigh_default
        {
            let p = self.net(from).neigh_default.clone();
            self.dev_mut(d).nparms = Some(Box::new(p));
        }
        let net = self.net_mut(to);
        let conf = net.conf_default.clone();
        let pos = net
            .devs
            .iter()
            .position(|&x| x > d)
            .unwrap_or(net.devs.len());
        net.devs.insert(pos, d);
        net.dev_names.insert(name, d);
        net.dev_ifindex.insert(ifindex, d);
        let dev = self.dev_mut(d);
        dev.ns = to;
        dev.ifindex = ifindex;
        // dev_change_net_namespace → dev_shutdown: the qdisc is noop again.
        dev.qdisc_attached = false;
        dev.qdisc = None;
        dev.tc_ingress = None;
        dev.addrs.clear();
        dev.inet6.clear();
        dev.disable_ipv6 = disable_ipv6;
        dev.conf = conf;
        self.sort_devs(to);
        self.cap_refresh(d);
        self.rt_cache_flush();
        // RTM_NEWLINK in the new namespace.
        self.rtmsg_ifinfo(d);
    }

    pub(crate) fn sort_devs(&mut self, ns: NsId) {
        let mut v = self.net(ns).devs.clone();
        v.sort_by_key(|&d| self.dev(d).ifindex);
        self.net_mut(ns).devs = v;
        // (source selection walks the devices in this order)
        self.rt_cache_flush();
    }

    /// `dev_open` / `dev_close` with the kernel's side effects on routes and neighbours.
    pub fn dev_set_up(&mut self, d: DevId, up: bool) {
        if self.dev(d).up == up {
            return;
        }
        // Carrier of related devices before the change, to detect transitions.
        let related = self.carrier_related(d);
        let before: Vec<(DevId, bool)> =
            related.iter().map(|&x| (x, self.dev_running(x))).collect();
        self.dev_mut(d).up = up;
        if up {
            self.dev_mut(d).qdisc_attached = true;
            self.attach_default_qdisc(d);
        }
        if up {
            // inetdev_event(NETDEV_UP) on a loopback device adds 127.0.0.1/8 if it is missing.
            let lo = self.dev(d);
            let lo_addr = Ipv4Addr::new(127, 0, 0, 1);
            if matches!(lo.kind, DevKind::Loopback) && !lo.addrs.iter().any(|a| a.local == lo_addr)
            {
                let ifa = IfAddr {
                    local: lo_addr,
                    address: lo_addr,
                    plen: 8,
                    broadcast: None,
                    scope: crate::net::fib::RT_SCOPE_HOST,
                    label: lo.name.clone(),
                    secondary: false,
                    has_peer: false,
                    rt_priority: 0,
                };
                self.dev_mut(d).addrs.insert(0, ifa);
                self.inet_addr_lst_rebuild(self.dev(d).ns);
            }
            // fib_netdev_event(NETDEV_UP): fib_sync_up, then the addresses' routes.
            let ns = self.dev(d).ns;
            self.net_mut(ns).fib.sync_up(d);
            self.fib_add_dev_addrs(d);
        } else {
            let ns = self.dev(d).ns;
            self.nexthop_flush_dev(d);
            self.net_mut(ns).fib.sync_down_dev(d);
            self.fnhe_release_unused(ns);
            self.neigh_flush_dev(d);
        }
        if !up {
            self.addrconf_dev_updown(d, false);
        }
        self.netdev_carrier_events(before, Some(d));
    }

    /// `cycle_netdev` (`drivers/net/vrf.c`): a running device goes down and up again in one
    /// rtnl section. The device itself loses and regains its routes, neighbours and IPv6
    /// addresses; the devices whose carrier follows it (a veth's peer) see the carrier off and
    /// on before linkwatch runs, which then finds it on (`linkwatch_do_dev`): no carrier-loss
    /// event there (no `arp_evict_nocarrier` flush).
    pub fn dev_cycle(&mut self, d: DevId) {
        if !self.dev(d).up {
            return;
        }
        let related = self.carrier_related(d);
        let before: Vec<(DevId, bool)> =
            related.iter().map(|&x| (x, self.dev_running(x))).collect();
        let ns = self.dev(d).ns;
        self.dev_mut(d).up = false;
        self.nexthop_flush_dev(d);
        self.net_mut(ns).fib.sync_down_dev(d);
        self.fnhe_release_unused(ns);
        self.neigh_flush_dev(d);
        self.addrconf_dev_updown(d, false);
        self.dev_mut(d).up = true;
        self.net_mut(ns).fib.sync_up(d);
        self.fib_add_dev_addrs(d);
        if self.dev_running(d) {
            self.addrconf_dev_updown(d, true);
        }
        self.netdev_carrier_events(before, Some(d));
    }

    /// `dev_change_carrier` (`netif_carrier_on`/`off`): the linkwatch events of the device
    /// and the devices whose carrier follows it. The FIB's `linkdown` flags follow the
    /// carrier when read (`fib_sync_down_dev(NETDEV_CHANGE)`, `fib_sync_up`).
    pub fn dev_change_carrier(&mut self, d: DevId, on: bool) {
        let changed = self.dev(d).carrier_set.unwrap_or(true) != on;
        if !changed {
            // no transition: no linkwatch event, the operstate stays
            return;
        }
        let related = self.carrier_related(d);
        let before: Vec<(DevId, bool)> =
            related.iter().map(|&x| (x, self.dev_running(x))).collect();
        self.dev_mut(d).carrier_set = Some(on);
        self.netdev_carrier_events(before, None);
    }

    /// NETDEV_CHANGE of the devices whose running state changed (`skip`: the device that
    /// went down itself, whose neighbours are already flushed).
    fn netdev_carrier_events(&mut self, before: Vec<(DevId, bool)>, skip: Option<DevId>) {
        // The tail of dev_set_up, dev_cycle and dev_change_carrier, after their changes: the
        // route caches are stale (a device's up flag, addresses, routes; the carrier is read
        // by no lookup, but a flush costs nothing here).
        self.rt_cache_flush();
        // br_device_event / br_dev_open / br_dev_stop: STP enables or disables ports first.
        for &(x, _) in &before {
            self.br_stp_sync(x);
        }
        for (x, was) in before {
            let now = self.dev_running(x);
            // addrconf_notify(NETDEV_UP/NETDEV_CHANGE): IPv6 configures a device once it is up
            // with carrier (a veth when its peer is up too)
            if !was && now {
                self.addrconf_dev_updown(x, true);
            }
            // arp_netdev_event(NETDEV_CHANGE): carrier loss evicts the ARP entries when
            // arp_evict_nocarrier is set on both `all` and the device (IN_DEV_ANDCONF)
            // linkwatch's netdev_state_change: an up device's carrier change is notified.
            if was != now && Some(x) != skip && self.dev(x).up {
                self.rtmsg_ifinfo(x);
            }
            if was && !now && Some(x) != skip {
                let ns = self.dev(x).ns;
                use crate::net::devconf::CONF_ARP_EVICT_NOCARRIER as E;
                if self.dev(x).conf.get(E) != 0 && self.net(ns).conf_all.get(E) != 0 {
                    self.neigh_carrier_down(x);
                }
            }
        }
    }

    fn carrier_related(&self, d: DevId) -> Vec<DevId> {
        let mut v = vec![d];
        if let DevKind::Veth { peer: Some(p) } = self.dev(d).kind {
            v.push(p);
        }
        if let Some(m) = self.dev(d).master {
            v.push(m);
        }
        // Macvlans take their lower device's carrier.
        for x in v.clone() {
            v.extend(self.macvlan_uppers(x));
            v.extend(self.vlan_uppers(x));
            v.extend(self.ipvlan_uppers(x));
        }
        v
    }

    /// Runs events until the queue is empty or the next event is after `deadline`; then sets
    /// the clock to `deadline`.
    pub fn run_until(&mut self, deadline: Instant) {
        // A limit stops the clock (limits.rs): nothing more happens in this run, and the clock
        // goes no further than the time limit.
        if self.limits.hit.is_some() {
            return;
        }
        let max = Instant(self.limits.max_sim_time.as_nanos());
        let over = deadline > max;
        let deadline = if over { max } else { deadline };
        while self.limits.hit.is_none() && self.run_next(deadline).is_none() {}
        if self.limits.hit.is_none() {
            if deadline > self.now {
                self.now = deadline;
            }
            if over {
                self.limits.time_ok(Instant(u64::MAX));
            }
        }
    }

    /// Runs one event, if any; returns false when the queue is empty or a limit of the run
    /// (`limits.rs`) has been hit.
    pub fn step(&mut self) -> bool {
        if self.limits.hit.is_some() {
            return false;
        }
        let max = Instant(self.limits.max_sim_time.as_nanos());
        match self.run_next(max) {
            None => true,
            Some(Some(t)) => {
                // The next event is after the time limit: the limit is hit.
                self.limits.time_ok(t);
                self.now = max;
                false
            }
            Some(None) => false,
        }
    }

    /// Runs the next event if its time is `limit` or earlier: `None` when it ran, else
    /// `Some` of the next event's time (`None` for an empty queue). A flood's batch of
    /// receives first in line runs its next receive and stays where it is, first in line with
    /// its id, for the rest (as popping it and putting the rest back in front would, without
    /// moving it out of the queue and back): only its last receive pops it.
    ///
    /// The queue's head is looked at once for the time, the check against `limit` and the
    /// event (`EventQueue::next_until`). A batch's receive is taken from it in place, and so
    /// is a receive's skb (an empty one left); any other event is moved out once, leaving an
    /// event that owns nothing in its place, which is popped without being moved (each move
    /// of an `Event` copies its `SkBuff`). The tracer is read only when it is on. (Inline into
    /// `step` and `run_until`: one call less an event.)
    #[inline(always)]
    fn run_next(&mut self, limit: Instant) -> Option<Option<Instant>> {
        let (t, id, ev) = match self.queue.next_until(limit) {
            Next::Front(t, id, ev) => (t, id, ev),
            Next::Later(t) => return Some(Some(t)),
            Next::Empty => return Some(None),
        };
        match ev {
            Event::NetifRxBatch(b) if b.devs.len() > 1 => {
                let dev = b
                    .devs
                    .pop_front()
                    .expect("a batch holds two receives or more");
                self.rx_batched -= 1;
                let skb = b.skb.clone_shared();
                self.run_rx(t, id, dev, skb);
                return None;
            }
            // A receive's skb taken out of the event in place, an empty one left (which owns
            // nothing, and is popped without being dropped): the event's variant is decoded
            // once, not again after a move of the whole event.
            Event::NetifRx { dev, skb } => {
                let (dev, skb) = (*dev, std::mem::take(skb));
                self.queue.pop_front_taken();
                self.run_rx(t, id, dev, skb);
                return None;
            }
            _ => {}
        }
        // (`NeighPeriodicWork` is only a placeholder that owns nothing: it is popped at once,
        // never run.)
        let ev = std::mem::replace(ev, Event::NeighPeriodicWork);
        self.queue.pop_front_taken();
        match ev {
            // A process's timer (a ping's next echo).
            Event::ProcTimer { pid, token } => {
                self.now = t;
                self.events_processed += 1;
                self.trace_enter(id);
                self.proc_timer(pid, token);
                self.tracer.cur = 0;
            }
            ev => self.run_popped(t, id, ev),
        }
        None
    }

    /// [`Kernel::run_next`]'s receive, out of the queue: `skb` arrives at `dev`.
    #[inline(always)]
    fn run_rx(&mut self, t: Instant, id: EventId, dev: DevId, skb: crate::net::skbuff::SkBuff) {
        self.now = t;
        self.events_processed += 1;
        self.trace_enter(id);
        if self.dev_alive(dev) {
            self.netif_receive_skb(dev, skb);
        }
        self.tracer.cur = 0;
    }

    /// [`Kernel::run_next`] of an event other than a receive or a process's timer (or a
    /// batch's last receive), popped.
    #[inline(never)]
    fn run_popped(&mut self, t: Instant, id: EventId, ev: Event) {
        self.now = t;
        self.events_processed += 1;
        self.trace_enter(id);
        match ev {
            Event::NetifRx { dev, skb } => self.netif_rx_event(dev, skb),
            // A batch of a flood's receives popped whole (`run_next` takes all but the last
            // in place): the first copy runs now, the rest goes back to the front of this
            // instant (its next copy is the next event, as it was before folding).
            Event::NetifRxBatch(mut b) => {
                let dev = b
                    .devs
                    .pop_front()
                    .expect("a batch holds two receives or more");
                let skb = if b.devs.is_empty() {
                    std::mem::take(&mut b.skb)
                } else {
                    self.rx_batched -= 1;
                    let skb = b.skb.clone_shared();
                    self.queue.requeue_front(id, Event::NetifRxBatch(b));
                    skb
                };
                self.netif_rx_event(dev, skb);
            }
            ev => self.handle(ev),
        }
        self.tracer.cur = 0;
    }

    /// The tracer's event now running: the one that scheduled this event (`Tracer::pending`).
    #[inline]
    fn trace_enter(&mut self, id: EventId) {
        if self.tracer.enabled {
            self.tracer.cur = self.tracer.pending.remove(&id).unwrap_or(0);
        }
    }

    /// A frame arrives at a device (`Event::NetifRx`).
    #[inline]
    fn netif_rx_event(&mut self, dev: DevId, skb: crate::net::skbuff::SkBuff) {
        if self.dev_alive(dev) {
            self.netif_receive_skb(dev, skb);
        }
    }

    #[inline]
    fn handle(&mut self, ev: Event) {
        match ev {
            Event::NetifRx { dev, skb } => self.netif_rx_event(dev, skb),
            // (unfolded into its receives by run_next)
            Event::NetifRxBatch(_) => {}
            Event::NeighTimer { ns, dev, ip } => {
                if self.nets.get(ns).is_some_and(|n| n.is_some()) && self.dev_alive(dev) {
                    self.neigh_timer_handler(ns, dev, ip);
                }
            }
            Event::ProxyArp { dev, frame } => {
                if self.dev_alive(dev) {
                    self.dev_queue_xmit(dev, crate::net::skbuff::SkBuff::new(frame));
                }
            }
            Event::ProcTimer { pid, token } => self.proc_timer(pid, token),
            Event::IpFragTimer {
                ns,
                key,
                generation,
            } => {
                if self.nets.get(ns).is_some_and(|n| n.is_some()) {
                    self.ip_frag_expire(ns, key, generation);
                }
            }
            Event::TcpTimer { sock, which, gen } => self.tcp_timer(sock, which, gen),
            Event::QdiscWatchdog { dev } => {
                if self.dev_alive(dev) {
                    self.qdisc_watchdog(dev);
                }
            }
            Event::BondMiimon { dev } => self.bond_mii_monitor(dev),
            Event::NeighPeriodicWork => self.neigh_periodic_work(),
            Event::BrStpTimer { br, port, which } => self.br_stp_timer_expired(br, port, which),
        }
    }

    /// Next IPv4 identification for a namespace (`ip_select_ident`, simplified to a counter).
    pub fn next_ip_id(&mut self, ns: NsId) -> u16 {
        let n = self.net_mut(ns);
        n.ip_id = n.ip_id.wrapping_add(1);
        n.ip_id
    }
}

/// A key of `Kernel::ns_names` seen as `(name, id)` whether it owns its name or borrows it:
/// the set is ordered by this view, so `ns_by_name` can range over it with bounds that borrow
/// the name it was given (the set's own `(String, NsId)` would need two `String`s a lookup).
trait NsNameKey {
    fn key(&self) -> (&str, NsId);
}

impl NsNameKey for (String, NsId) {
    fn key(&self) -> (&str, NsId) {
        (&self.0, self.1)
    }
}

impl NsNameKey for (&str, NsId) {
    fn key(&self) -> (&str, NsId) {
        (self.0, self.1)
    }
}

impl<'a> std::borrow::Borrow<dyn NsNameKey + 'a> for (String, NsId) {
    fn borrow(&self) -> &(dyn NsNameKey + 'a) {
        self
    }
}

// The same order as `(String, NsId)`'s (name, then id), as `Borrow` requires.
impl PartialEq for dyn NsNameKey + '_ {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}

impl Eq for dyn NsNameKey + '_ {}

impl PartialOrd for dyn NsNameKey + '_ {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for dyn NsNameKey + '_ {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.key().cmp(&o.key())
    }
}

/// The pcap link type of a device's captures.
fn dev_linktype(kind: &DevKind) -> u16 {
    match kind {
        DevKind::Ipip(t) if t.kind == crate::net::ip_tunnel::TnlKind::Gre => {
            crate::net::ip_gre::LINKTYPE_LINUX_SLL
        }
        DevKind::Ipip(_) => crate::net::ipip::LINKTYPE_RAW,
        _ => 1,
    }
}

/// [`default_misc_sysctl`], with `disable_ipv6` 0 on `all` and `default` when `ipv6`: a new
/// namespace's knobs, one map shared by all namespaces until they write (built once).
fn default_misc_sysctl_v6(ipv6: bool) -> MiscSysctl {
    type Shared = std::sync::Arc<BTreeMap<String, String>>;
    static MAPS: std::sync::OnceLock<[Shared; 2]> = std::sync::OnceLock::new();
    let maps = MAPS.get_or_init(|| {
        [false, true].map(|v6| {
            let mut m = default_misc_sysctl();
            if v6 {
                m.insert("net.ipv6.conf.all.disable_ipv6".into(), "0".into());
                m.insert("net.ipv6.conf.default.disable_ipv6".into(), "0".into());
            }
            std::sync::Arc::new(m)
        })
    });
    MiscSysctl::shared(maps[usize::from(ipv6)].clone())
}

fn default_misc_sysctl() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    m.insert("net.ipv4.ip_local_port_range".into(), "32768\t60999".into());
    m.insert("net.ipv4.ping_group_range".into(), "1\t0".into());
    m.insert("net.ipv4.ip_default_ttl".into(), "64".into());
    m.insert("net.ipv4.fib_multipath_hash_policy".into(), "0".into());
    m.insert("net.ipv4.ip_forward_update_priority".into(), "1".into());
    m.insert("net.ipv4.icmp_ratelimit".into(), "1000".into());
    m.insert("net.ipv4.icmp_ratemask".into(), "6168".into());
    m.insert("net.ipv4.icmp_errors_use_inbound_ifaddr".into(), "0".into());
    m.insert("net.ipv4.tcp_timestamps".into(), "1".into());
    m.insert("net.bridge.bridge-nf-call-iptables".into(), "1".into());
    m.insert("net.bridge.bridge-nf-call-arptables".into(), "1".into());
    m.insert("net.bridge.bridge-nf-call-ip6tables".into(), "1".into());
    m.insert("net.ipv6.conf.all.disable_ipv6".into(), "1".into());
    m.insert("net.ipv6.conf.default.disable_ipv6".into(), "1".into());
    m.insert("net.core.devconf_inherit_init_net".into(), "0".into());
    m.insert("net.netfilter.nf_log_all_netns".into(), "0".into());
    // IPv6 is disabled in every namespace, but its conf/all and conf/default knobs exist (as
    // on the recorder's kernel with disable_ipv6=1): scripts that set them before their IPv4
    // tests (pmtu.sh's accept_dad, icmp_redirect.sh's forwarding) read and write them; they
    // change nothing. Values of a fresh namespace on the recording kernel (6.18).
    for kv in IPV6_CONF_DEFAULTS {
        if let Some((k, v)) = kv.split_once('=') {
            m.insert(k.into(), v.replace(' ', "\t"));
        }
    }
    m
}

/// `sysctl -a` of a fresh namespace on the recording kernel: the IPv6 `conf/all`,
/// `conf/default` and `route/mtu_expires` knobs (disable_ipv6 is set above).
const IPV6_CONF_DEFAULTS: &[&str] = &[
    "net.ipv6.conf.all.accept_dad=0",
    "net.ipv6.conf.all.accept_ra=1",
    "net.ipv6.conf.all.accept_ra_defrtr=1",
    "net.ipv6.conf.all.accept_ra_from_local=0",
    "net.ipv6.conf.all.accept_ra_min_hop_limit=1",
    "net.ipv6.conf.all.accept_ra_min_lft=0",
    "net.ipv6.conf.all.accept_ra_mtu=1",
    "net.ipv6.conf.all.accept_ra_pinfo=1",
    "net.ipv6.conf.all.accept_ra_rt_info_max_plen=0",
    "net.ipv6.conf.all.accept_ra_rt_info_min_plen=0",
    "net.ipv6.conf.all.accept_ra_rtr_pref=1",
    "net.ipv6.conf.all.accept_redirects=1",
    "net.ipv6.conf.all.accept_source_route=0",
    "net.ipv6.conf.all.accept_untracked_na=0",
    "net.ipv6.conf.all.addr_gen_mode=0",
    "net.ipv6.conf.all.autoconf=1",
    "net.ipv6.conf.all.dad_transmits=1",
    "net.ipv6.conf.all.disable_policy=0",
    "net.ipv6.conf.all.drop_unicast_in_l2_multicast=0",
    "net.ipv6.conf.all.drop_unsolicited_na=0",
    "net.ipv6.conf.all.enhanced_dad=1",
    "net.ipv6.conf.all.force_forwarding=0",
    "net.ipv6.conf.all.force_mld_version=0",
    "net.ipv6.conf.all.force_tllao=0",
    "net.ipv6.conf.all.forwarding=0",
    "net.ipv6.conf.all.hop_limit=64",
    "net.ipv6.conf.all.ignore_routes_with_linkdown=0",
    "net.ipv6.conf.all.ioam6_enabled=0",
    "net.ipv6.conf.all.ioam6_id=65535",
    "net.ipv6.conf.all.ioam6_id_wide=4294967295",
    "net.ipv6.conf.all.keep_addr_on_down=0",
    "net.ipv6.conf.all.max_addresses=16",
    "net.ipv6.conf.all.max_desync_factor=600",
    "net.ipv6.conf.all.mldv1_unsolicited_report_interval=10000",
    "net.ipv6.conf.all.mldv2_unsolicited_report_interval=1000",
    "net.ipv6.conf.all.mtu=1280",
    "net.ipv6.conf.all.ndisc_evict_nocarrier=1",
    "net.ipv6.conf.all.ndisc_notify=0",
    "net.ipv6.conf.all.ndisc_tclass=0",
    "net.ipv6.conf.all.optimistic_dad=0",
    "net.ipv6.conf.all.proxy_ndp=0",
    "net.ipv6.conf.all.ra_defrtr_metric=1024",
    "net.ipv6.conf.all.ra_honor_pio_life=0",
    "net.ipv6.conf.all.ra_honor_pio_pflag=0",
    "net.ipv6.conf.all.regen_max_retry=3",
    "net.ipv6.conf.all.regen_min_advance=2",
    "net.ipv6.conf.all.router_probe_interval=60",
    "net.ipv6.conf.all.router_solicitation_delay=1",
    "net.ipv6.conf.all.router_solicitation_interval=4",
    "net.ipv6.conf.all.router_solicitation_max_interval=3600",
    "net.ipv6.conf.all.router_solicitations=-1",
    "net.ipv6.conf.all.rpl_seg_enabled=0",
    "net.ipv6.conf.all.seg6_enabled=0",
    "net.ipv6.conf.all.suppress_frag_ndisc=1",
    "net.ipv6.conf.all.temp_prefered_lft=86400",
    "net.ipv6.conf.all.temp_valid_lft=604800",
    "net.ipv6.conf.all.use_oif_addrs_only=0",
    "net.ipv6.conf.all.use_optimistic=0",
    "net.ipv6.conf.all.use_tempaddr=0",
    "net.ipv6.conf.default.accept_dad=1",
    "net.ipv6.conf.default.accept_ra=1",
    "net.ipv6.conf.default.accept_ra_defrtr=1",
    "net.ipv6.conf.default.accept_ra_from_local=0",
    "net.ipv6.conf.default.accept_ra_min_hop_limit=1",
    "net.ipv6.conf.default.accept_ra_min_lft=0",
    "net.ipv6.conf.default.accept_ra_mtu=1",
    "net.ipv6.conf.default.accept_ra_pinfo=1",
    "net.ipv6.conf.default.accept_ra_rt_info_max_plen=0",
    "net.ipv6.conf.default.accept_ra_rt_info_min_plen=0",
    "net.ipv6.conf.default.accept_ra_rtr_pref=1",
    "net.ipv6.conf.default.accept_redirects=1",
    "net.ipv6.conf.default.accept_source_route=0",
    "net.ipv6.conf.default.accept_untracked_na=0",
    "net.ipv6.conf.default.addr_gen_mode=0",
    "net.ipv6.conf.default.autoconf=1",
    "net.ipv6.conf.default.dad_transmits=1",
    "net.ipv6.conf.default.disable_policy=0",
    "net.ipv6.conf.default.drop_unicast_in_l2_multicast=0",
    "net.ipv6.conf.default.drop_unsolicited_na=0",
    "net.ipv6.conf.default.enhanced_dad=1",
    "net.ipv6.conf.default.force_forwarding=0",
    "net.ipv6.conf.default.force_mld_version=0",
    "net.ipv6.conf.default.force_tllao=0",
    "net.ipv6.conf.default.forwarding=0",
    "net.ipv6.conf.default.hop_limit=64",
    "net.ipv6.conf.default.ignore_routes_with_linkdown=0",
    "net.ipv6.conf.default.ioam6_enabled=0",
    "net.ipv6.conf.default.ioam6_id=65535",
    "net.ipv6.conf.default.ioam6_id_wide=4294967295",
    "net.ipv6.conf.default.keep_addr_on_down=0",
    "net.ipv6.conf.default.max_addresses=16",
    "net.ipv6.conf.default.max_desync_factor=600",
    "net.ipv6.conf.default.mldv1_unsolicited_report_interval=10000",
    "net.ipv6.conf.default.mldv2_unsolicited_report_interval=1000",
    "net.ipv6.conf.default.mtu=1280",
    "net.ipv6.conf.default.ndisc_evict_nocarrier=1",
    "net.ipv6.conf.default.ndisc_notify=0",
    "net.ipv6.conf.default.ndisc_tclass=0",
    "net.ipv6.conf.default.optimistic_dad=0",
    "net.ipv6.conf.default.proxy_ndp=0",
    "net.ipv6.conf.default.ra_defrtr_metric=1024",
    "net.ipv6.conf.default.ra_honor_pio_life=0",
    "net.ipv6.conf.default.ra_honor_pio_pflag=0",
    "net.ipv6.conf.default.regen_max_retry=3",
    "net.ipv6.conf.default.regen_min_advance=2",
    "net.ipv6.conf.default.router_probe_interval=60",
    "net.ipv6.conf.default.router_solicitation_delay=1",
    "net.ipv6.conf.default.router_solicitation_interval=4",
    "net.ipv6.conf.default.router_solicitation_max_interval=3600",
    "net.ipv6.conf.default.router_solicitations=-1",
    "net.ipv6.conf.default.rpl_seg_enabled=0",
    "net.ipv6.conf.default.seg6_enabled=0",
    "net.ipv6.conf.default.suppress_frag_ndisc=1",
    "net.ipv6.conf.default.temp_prefered_lft=86400",
    "net.ipv6.conf.default.temp_valid_lft=604800",
    "net.ipv6.conf.default.use_oif_addrs_only=0",
    "net.ipv6.conf.default.use_optimistic=0",
    "net.ipv6.conf.default.use_tempaddr=0",
    "net.ipv6.route.mtu_expires=600",
];

#[cfg(test)]
mod rx_batch_tests {
    use super::DevRuns;

    #[test]
    fn dev_runs_give_back_what_was_pushed() {
        let ids = [7usize, 10, 13, 16, 2, 3, 3, 100, 50, 0, 1, 2, 4];
        let mut r = DevRuns::default();
        for &d in &ids {
            r.push(d);
        }
        assert_eq!(r.len(), ids.len());
        // 7,10,13,16 | 2,3 | 3,100 ... one run per regular stretch.
        assert!(r.runs.len() < ids.len());
        let got: Vec<_> = std::iter::from_fn(|| r.pop_front()).collect();
        assert_eq!(got, ids);
        assert!(r.is_empty());
        // Pushing after popping part of a run continues it.
        for d in [3, 6, 9] {
            r.push(d);
        }
        assert_eq!(r.pop_front(), Some(3));
        r.push(12);
        r.push(1);
        let got: Vec<_> = std::iter::from_fn(|| r.pop_front()).collect();
        assert_eq!(got, [6, 9, 12, 1]);
    }
}

#[cfg(test)]
mod ns_name_tests {
    use super::{Kernel, ROOT_NS};

    /// `ns_by_name`'s borrowed bounds find what a scan of the names finds: names that are
    /// prefixes of each other, the empty name, a duplicate name (the lowest id), a deleted one.
    #[test]
    fn ns_by_name_is_the_scan() {
        let mut k = Kernel::new(1);
        let names = ["a", "ab", "b", "", "a0", "ns1", "ns10", "ns1"];
        let ids: Vec<_> = names.iter().map(|n| k.netns_add(n)).collect();
        let scan = |k: &Kernel, name: &str| {
            (0..k.nets.len()).find(|&i| {
                k.nets[i]
                    .as_ref()
                    .is_some_and(|x| x.name == name && !x.detached)
            })
        };
        for q in [
            "a", "ab", "b", "", "a0", "ns1", "ns10", "aa", "ns", "root", "c",
        ] {
            assert_eq!(k.ns_by_name(q), scan(&k, q), "{q:?}");
        }
        assert_eq!(k.ns_by_name("root"), Some(ROOT_NS));
        assert_eq!(k.ns_by_name("ns1"), Some(ids[5]));
        k.netns_del(ids[5]);
        assert_eq!(k.ns_by_name("ns1"), Some(ids[7]));
        assert_eq!(k.ns_by_name("ns1"), scan(&k, "ns1"));
    }
}
