//! Per-device and per-namespace IPv4 configuration (`/proc/sys/net/ipv4/conf/{all,default,IF}/*`)
//! and neighbour parameters (`/proc/sys/net/ipv4/neigh/{default,IF}/*`), with the kernel's defaults.

/// `struct ipv4_devconf`: the knobs the model reads, in the order `sysctl -a` lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevConf {
    pub vals: [i64; CONF_NAMES.len()],
    /// Bit i set: knob i was written for this device, so `conf/default` no longer updates it.
    pub set_mask: u32,
}

pub const CONF_NAMES: [&str; 13] = [
    "accept_local",
    "accept_redirects",
    "arp_accept",
    "arp_announce",
    "arp_evict_nocarrier",
    "arp_filter",
    "arp_ignore",
    "forwarding",
    "proxy_arp",
    "proxy_arp_pvlan",
    "route_localnet",
    "rp_filter",
    "send_redirects",
];

pub const CONF_ACCEPT_LOCAL: usize = 0;
pub const CONF_ACCEPT_REDIRECTS: usize = 1;
pub const CONF_ARP_ACCEPT: usize = 2;
pub const CONF_ARP_ANNOUNCE: usize = 3;
pub const CONF_ARP_EVICT_NOCARRIER: usize = 4;
pub const CONF_ARP_FILTER: usize = 5;
pub const CONF_ARP_IGNORE: usize = 6;
pub const CONF_FORWARDING: usize = 7;
pub const CONF_PROXY_ARP: usize = 8;
pub const CONF_PROXY_ARP_PVLAN: usize = 9;
pub const CONF_ROUTE_LOCALNET: usize = 10;
pub const CONF_RP_FILTER: usize = 11;
pub const CONF_SEND_REDIRECTS: usize = 12;

impl Default for DevConf {
    /// The kernel's `ipv4_devconf` defaults (as in init_net on a fresh boot).
    fn default() -> Self {
        let mut vals = [0; CONF_NAMES.len()];
        vals[CONF_ACCEPT_REDIRECTS] = 1;
        vals[CONF_SEND_REDIRECTS] = 1;
        vals[CONF_ARP_EVICT_NOCARRIER] = 1;
        DevConf { vals, set_mask: 0 }
    }
}

impl DevConf {
    pub fn index(name: &str) -> Option<usize> {
        CONF_NAMES.iter().position(|n| *n == name)
    }
    pub fn get(&self, i: usize) -> i64 {
        self.vals[i]
    }
}

/// `struct neigh_parms` for ARP, with the kernel's defaults. Times are in milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeighParms {
    pub vals: [i64; NEIGH_NAMES.len()],
    pub set_mask: u32,
}

/// Name, unit divisor from ms for display ("_ms" names are ms; others are seconds or USER_HZ ticks).
pub const NEIGH_NAMES: [&str; 14] = [
    "anycast_delay",
    "app_solicit",
    "base_reachable_time_ms",
    "delay_first_probe_time",
    "gc_stale_time",
    "locktime",
    "mcast_resolicit",
    "mcast_solicit",
    "proxy_delay",
    "proxy_qlen",
    "retrans_time_ms",
    "ucast_solicit",
    "unres_qlen",
    "unres_qlen_bytes",
];

pub const NP_ANYCAST_DELAY: usize = 0;
pub const NP_APP_SOLICIT: usize = 1;
pub const NP_BASE_REACHABLE_MS: usize = 2;
pub const NP_DELAY_FIRST_PROBE: usize = 3;
pub const NP_GC_STALE_TIME: usize = 4;
pub const NP_LOCKTIME: usize = 5;
pub const NP_MCAST_SOLICIT: usize = 7;
pub const NP_PROXY_DELAY: usize = 8;
pub const NP_RETRANS_MS: usize = 10;
pub const NP_UCAST_SOLICIT: usize = 11;
pub const NP_UNRES_QLEN: usize = 12;
pub const NP_UNRES_QLEN_BYTES: usize = 13;

impl Default for NeighParms {
    fn default() -> Self {
        // Values as /proc/sys/net/ipv4/neigh/default shows them: anycast_delay, locktime and
        // proxy_delay in USER_HZ ticks (1/100 s), delay_first_probe_time and gc_stale_time in s.
        NeighParms {
            vals: [
                100, 0, 30000, 5, 60, 100, 0, 3, 80, 64, 1000, 3, 101, 212992,
            ],
            set_mask: 0,
        }
    }
}

impl NeighParms {
    pub fn index(name: &str) -> Option<usize> {
        NEIGH_NAMES.iter().position(|n| *n == name)
    }
    pub fn get(&self, i: usize) -> i64 {
        self.vals[i]
    }
    /// `proxy_delay` in nanoseconds (stored in USER_HZ ticks).
    pub fn proxy_delay_ns(&self) -> u64 {
        self.vals[NP_PROXY_DELAY].max(0) as u64 * 10_000_000
    }
    pub fn retrans_ns(&self) -> u64 {
        self.vals[NP_RETRANS_MS].max(10) as u64 * 1_000_000
    }
    pub fn delay_first_probe_ns(&self) -> u64 {
        self.vals[NP_DELAY_FIRST_PROBE].max(0) as u64 * 1_000_000_000
    }
    pub fn base_reachable_ns(&self) -> u64 {
        self.vals[NP_BASE_REACHABLE_MS].max(1) as u64 * 1_000_000
    }
    pub fn locktime_ns(&self) -> u64 {
        self.vals[NP_LOCKTIME].max(0) as u64 * 10_000_000
    }
}

/// A namespace's string-valued knobs (`net.ipv4.ip_local_port_range`, `net.ipv4.icmp_ratemask`,
/// the IPv6 `conf/all` and `conf/default` knobs, ...), keyed by their dotted `sysctl` name as
/// `sysctl -a` lists them.
///
/// Every namespace starts with the same ~60 values, so the map is shared between namespaces
/// until one writes (copy on write: a namespace costs one pointer here, not ~120 strings), and
/// the knobs the packet path reads are kept typed beside it, refreshed on every write, so a
/// packet does no string-keyed lookup or number parsing (the kernel reads `net->ipv4.sysctl_*`
/// fields). Reads of the map go through `Deref` (`.get(KEY)`, `.iter()`).
#[derive(Clone, Debug)]
pub struct MiscSysctl {
    map: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    /// `net.ipv4.ip_default_ttl` (64 when not a number).
    pub ip_default_ttl: u8,
    /// `net.ipv4.icmp_ratelimit` in ms (0 when not a number).
    pub icmp_ratelimit: u64,
    /// `net.ipv4.icmp_ratemask` (0 when not a number).
    pub icmp_ratemask: u64,
    /// `net.bridge.bridge-nf-call-iptables` is anything but `0`.
    pub br_nf_call_iptables: bool,
    /// `net.netfilter.nf_log_all_netns` is `1`.
    pub nf_log_all_netns: bool,
    /// The first two numbers of `net.ipv4.ip_local_port_range` (each caller applies its
    /// kernel function's defaults and clamps).
    pub ip_local_port_range: (Option<u32>, Option<u32>),
    /// `net.ipv4.icmp_errors_use_inbound_ifaddr` is not `0` (`__icmp_send`'s source).
    pub icmp_errors_use_inbound_ifaddr: bool,
    /// `net.ipv4.fib_multipath_hash_policy` (0 when not a number; read per multipath packet).
    pub fib_multipath_hash_policy: u32,
    /// `net.ipv4.ip_forward_update_priority` is not `0`: `ip_forward` sets `skb->priority`
    /// from the TOS.
    pub ip_forward_update_priority: bool,
}

impl MiscSysctl {
    pub fn new(map: std::collections::BTreeMap<String, String>) -> MiscSysctl {
        MiscSysctl::shared(std::sync::Arc::new(map))
    }

    /// A namespace's knobs that start as `map` (shared until written).
    pub fn shared(map: std::sync::Arc<std::collections::BTreeMap<String, String>>) -> MiscSysctl {
        let mut m = MiscSysctl {
            map,
            ip_default_ttl: 64,
            icmp_ratelimit: 0,
            icmp_ratemask: 0,
            br_nf_call_iptables: true,
            nf_log_all_netns: false,
            ip_local_port_range: (None, None),
            icmp_errors_use_inbound_ifaddr: false,
            fib_multipath_hash_policy: 0,
            ip_forward_update_priority: true,
        };
        m.refresh();
        m
    }

    /// The shared map (to start other namespaces from).
    pub fn map(&self) -> &std::sync::Arc<std::collections::BTreeMap<String, String>> {
        &self.map
    }

    /// Sets `key` (added if new); returns the old value.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        let old = std::sync::Arc::make_mut(&mut self.map).insert(key, value);
        self.refresh();
        old
    }

    /// Sets an existing `key`; false (and nothing changed) if there is no such knob.
    pub fn set_existing(&mut self, key: &str, value: String) -> bool {
        if !self.map.contains_key(key) {
            return false;
        }
        self.insert(key.to_string(), value);
        true
    }

    fn refresh(&mut self) {
        let num = |k: &str| -> Option<u64> { self.map.get(k).and_then(|v| v.trim().parse().ok()) };
        self.ip_default_ttl = self
            .map
            .get("net.ipv4.ip_default_ttl")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(64);
        self.icmp_ratelimit = num("net.ipv4.icmp_ratelimit").unwrap_or(0);
        self.icmp_ratemask = num("net.ipv4.icmp_ratemask").unwrap_or(0);
        self.icmp_errors_use_inbound_ifaddr =
            num("net.ipv4.icmp_errors_use_inbound_ifaddr").unwrap_or(0) != 0;
        self.ip_forward_update_priority =
            num("net.ipv4.ip_forward_update_priority").is_none_or(|v| v != 0);
        self.fib_multipath_hash_policy = num("net.ipv4.fib_multipath_hash_policy")
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        self.br_nf_call_iptables = self
            .map
            .get("net.bridge.bridge-nf-call-iptables")
            .is_none_or(|v| v.trim() != "0");
        self.nf_log_all_netns = self
            .map
            .get("net.netfilter.nf_log_all_netns")
            .is_some_and(|v| v.trim() == "1");
        let mut it = self
            .map
            .get("net.ipv4.ip_local_port_range")
            .map_or("", String::as_str)
            .split_whitespace()
            .filter_map(|x| x.parse::<u32>().ok());
        self.ip_local_port_range = (it.next(), it.next());
    }
}

impl std::ops::Deref for MiscSysctl {
    type Target = std::collections::BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use crate::kernel::{Kernel, NsId};
    use crate::tools::{self, Exec};

    fn sh(k: &mut Kernel, ns: NsId, line: &str) -> String {
        let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
        match tools::run(k, ns, &argv) {
            Exec::Done(o) => o.stdout + &o.stderr,
            _ => panic!("{line}: not a tool"),
        }
    }

    /// Each namespace has its own `net.ipv4.*` knobs (a write in one is not seen in another, a
    /// new namespace starts from the defaults, as `sysctl` shows on Linux), and the packet
    /// path's typed copy follows the written value.
    #[test]
    fn a_write_stays_in_its_namespace_and_reaches_the_packet_path() {
        let mut k = Kernel::new(1);
        let (a, b) = (k.netns_add("a"), k.netns_add("b"));
        assert_eq!(
            sh(&mut k, a, "sysctl -w net.ipv4.ip_default_ttl=17"),
            "net.ipv4.ip_default_ttl = 17\n"
        );
        assert_eq!(
            sh(&mut k, a, "sysctl net.ipv4.ip_default_ttl"),
            "net.ipv4.ip_default_ttl = 17\n"
        );
        assert_eq!(
            sh(&mut k, b, "sysctl net.ipv4.ip_default_ttl"),
            "net.ipv4.ip_default_ttl = 64\n"
        );
        let c = k.netns_add("c");
        assert_eq!(
            (k.default_ttl(a), k.default_ttl(b), k.default_ttl(c)),
            (17, 64, 64)
        );
        sh(&mut k, b, "sysctl -w net.ipv4.icmp_ratemask=0");
        assert_eq!(k.net(b).misc_sysctl.icmp_ratemask, 0);
        assert_eq!(k.net(a).misc_sysctl.icmp_ratemask, 6168);
    }

    /// A device's neighbour parameters follow `neigh/default` for every knob the device did not
    /// set (net/core/neighbour.c: a write to `default` runs `neigh_proc_update` →
    /// `neigh_copy_dflt_parms`, which copies the value to each device whose `data_state` bit
    /// for it is clear; a write to the device's own knob sets that bit): the device holds no
    /// copy of its own until one of its knobs is written, and reads the same values.
    #[test]
    fn a_device_follows_neigh_default_for_the_knobs_it_did_not_set() {
        let mut k = Kernel::new(1);
        sh(&mut k, 0, "ip link add v0 type veth peer name v1");
        let v0 = k.dev_by_name(0, "v0").expect("v0");
        assert!(k.dev(v0).nparms.is_none());
        sh(
            &mut k,
            0,
            "sysctl -w net.ipv4.neigh.default.retrans_time_ms=700",
        );
        sh(
            &mut k,
            0,
            "sysctl -w net.ipv4.neigh.v0.base_reachable_time_ms=9000",
        );
        assert!(k.dev(v0).nparms.is_some());
        sh(
            &mut k,
            0,
            "sysctl -w net.ipv4.neigh.default.base_reachable_time_ms=40000",
        );
        sh(
            &mut k,
            0,
            "sysctl -w net.ipv4.neigh.default.ucast_solicit=5",
        );
        let knobs = |k: &mut Kernel, dev: &str| {
            ["retrans_time_ms", "base_reachable_time_ms", "ucast_solicit"]
                .map(|n| sh(k, 0, &format!("sysctl -n net.ipv4.neigh.{dev}.{n}")))
                .concat()
        };
        assert_eq!(knobs(&mut k, "v0"), "700\n9000\n5\n");
        assert_eq!(knobs(&mut k, "v1"), "700\n40000\n5\n");
        // a device moved to a namespace keeps what it had (the other namespace's defaults
        // are the kernel's)
        let n = k.netns_add("n");
        sh(&mut k, 0, "ip link set v1 netns n");
        assert_eq!(
            sh(
                &mut k,
                n,
                "sysctl -n net.ipv4.neigh.v1.base_reachable_time_ms"
            ),
            "40000\n"
        );
        sh(&mut k, n, "ip link add v2 type veth peer name v3");
        assert_eq!(
            sh(
                &mut k,
                n,
                "sysctl -n net.ipv4.neigh.v2.base_reachable_time_ms"
            ),
            "30000\n"
        );
    }
}
