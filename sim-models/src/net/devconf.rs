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
pub const CONF_ARP_IGNORE: usize = 6;
pub const CONF_FORWARDING: usize = 7;
pub const CONF_PROXY_ARP: usize = 8;
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
