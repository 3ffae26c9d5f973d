//! The per-namespace IPv4 peer cache (`net/ipv4/inetpeer.c`, `net->ipv4.peers`): one entry
//! per remote address the stack sent ICMP errors or redirects to, carrying the token buckets
//! the kernel rate-limits them with (`rate_tokens`, `rate_last`, `n_redirects`), and
//! `inet_peer_xrlim_allow`. Times are in jiffies (`CONFIG_HZ=250` on the recording kernels),
//! as the kernel counts them: the buckets' rounding is the kernel's.
//!
//! # Differences from Linux
//! Entries are looked up by address only (no VRF: `l3mdev_master_ifindex` is 0); an unused
//! entry is removed after `inet_peer_maxttl` (10 min) when another is created, as
//! `inet_peer_gc` does below `inet_peer_threshold`.

use crate::kernel::{Kernel, NsId};
use sim_core::Instant;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// `CONFIG_HZ` of the recording kernels.
pub const HZ: u64 = 250;
/// `XRLIM_BURST_FACTOR`.
const XRLIM_BURST_FACTOR: u64 = 6;
/// `inet_peer_maxttl`: an unused entry lives this long (jiffies).
const INET_PEER_MAXTTL: u64 = 10 * 60 * HZ;

/// `jiffies` at a simulated time (the clock's nanoseconds in ticks of 1/HZ s).
pub fn jiffies(now: Instant) -> u64 {
    now.0 / (1_000_000_000 / HZ)
}

/// `msecs_to_jiffies` (rounding up, as the kernel does for HZ dividing 1000).
pub fn msecs_to_jiffies(ms: u64) -> u64 {
    ms.div_ceil(1000 / HZ)
}

/// `struct inet_peer`: the rate-limit state kept per remote address.
#[derive(Clone, Debug, Default)]
pub struct InetPeer {
    pub rate_tokens: u64,
    pub rate_last: u64,
    pub n_redirects: u32,
    /// `dtime`: when the entry was last used (jiffies), for `inet_peer_gc`.
    pub dtime: u64,
}

/// `struct inet_peer_base`.
#[derive(Clone, Debug, Default)]
pub struct InetPeerBase {
    pub peers: BTreeMap<Ipv4Addr, InetPeer>,
}

/// `inet_peer_xrlim_allow`: a token bucket of `XRLIM_BURST_FACTOR * timeout` jiffies, each
/// message costing `timeout`.
pub fn inet_peer_xrlim_allow(peer: &mut InetPeer, timeout: u64, now: u64) -> bool {
    let mut token = peer.rate_tokens;
    token += now.wrapping_sub(peer.rate_last);
    peer.rate_last = now;
    token = token.min(XRLIM_BURST_FACTOR * timeout);
    let rc = token >= timeout;
    if rc {
        token -= timeout;
    }
    peer.rate_tokens = token;
    rc
}

impl Kernel {
    /// `inet_getpeer_v4(net->ipv4.peers, addr, 0, create=1)`: the entry for `addr`, made
    /// with `rate_last = jiffies - 60 * HZ` so that its first bucket computation is full.
    pub fn inet_getpeer_v4(&mut self, ns: NsId, addr: Ipv4Addr) -> &mut InetPeer {
        let now = jiffies(self.now);
        let base = &mut self.net_mut(ns).peers;
        if !base.peers.contains_key(&addr) {
            // inet_peer_gc: unused entries older than the TTL go when a new one is made.
            base.peers
                .retain(|_, p| now.wrapping_sub(p.dtime) <= INET_PEER_MAXTTL);
            base.peers.insert(
                addr,
                InetPeer {
                    rate_tokens: 0,
                    rate_last: now.wrapping_sub(60 * HZ),
                    n_redirects: 0,
                    dtime: now,
                },
            );
        }
        let p = base.peers.get_mut(&addr).expect("just inserted");
        p.dtime = now;
        p
    }
}
