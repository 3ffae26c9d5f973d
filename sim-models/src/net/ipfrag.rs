//! `net/ipv4/ip_fragment.c` reassembly (`ip_defrag`). (Learned path MTUs are route
//! exceptions: `ip_rt_update_pmtu` in route.rs.)
//!
//! # Differences from Linux
//! Queues are kept per namespace by (source, destination, id, protocol) without the memory
//! limits (`ipfrag_high_thresh`) or `ipfrag_max_dist`; an overlapping fragment discards the
//! queue (RFC 5722, as Linux since 4.19), an exact duplicate is dropped alone.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Event, Kernel, NsId};
use crate::wire::*;
use sim_core::Duration;
use std::net::Ipv4Addr;

/// `net.ipv4.ipfrag_time`.
pub const IPFRAG_TIME: Duration = Duration::from_secs(30);
const ICMP_EXC_FRAGTIME: u8 = 1;

pub type FragKey = (Ipv4Addr, Ipv4Addr, u16, u8);

/// One datagram being reassembled (`struct ipq`).
#[derive(Clone, Debug, Default)]
pub struct FragQueue {
    /// (offset in bytes, payload), kept sorted by offset.
    pub frags: Vec<(usize, Vec<u8>)>,
    /// The first fragment (offset 0), whole, for the reassembled header and the ICMP quote.
    pub first: Option<Vec<u8>>,
    /// Total payload length, known once the last fragment (MF clear) arrived.
    pub len: Option<usize>,
    /// A fragment had DF set (`max_size`): the reassembled packet keeps DF.
    pub df: bool,
    /// `q.max_size`: the largest fragment (header included), the reassembled packet's
    /// `frag_max_size`.
    pub max_size: usize,
    pub dev: Option<DevId>,
    pub generation: u64,
}

/// The per-namespace reassembly and PMTU state.
#[derive(Clone, Debug, Default)]
pub struct IpFragState {
    pub queues: std::collections::BTreeMap<FragKey, FragQueue>,
    pub next_generation: u64,
}

impl Kernel {
    /// `ip_defrag`: queues a fragment; returns the reassembled packet when it completes.
    pub fn ip_defrag(&mut self, d: DevId, pkt: &[u8], ip: &Ipv4Repr, hl: usize) -> Option<Vec<u8>> {
        self.ip_defrag_max(d, pkt, ip, hl).map(|(p, _)| p)
    }

    /// [`Kernel::ip_defrag`], also answering the reassembled packet's `IPCB->frag_max_size`
    /// (the largest fragment), which `ip_do_fragment` fragments a forwarded one to again.
    pub fn ip_defrag_max(
        &mut self,
        d: DevId,
        pkt: &[u8],
        ip: &Ipv4Repr,
        hl: usize,
    ) -> Option<(Vec<u8>, u16)> {
        let ns = self.dev(d).ns;
        let key: FragKey = (ip.src, ip.dst, ip.id, ip.proto);
        let off = (ip.frag & 0x1fff) as usize * 8;
        let mf = ip.frag & IP_MF != 0;
        let mut data = pkt[hl..].to_vec();
        if mf {
            // ip_frag_queue: a fragment that is not the last ends on an 8-byte boundary; extra
            // bytes are trimmed (`end &= ~7`), not treated as corruption.
            data.truncate(data.len() & !7);
        }
        let end = off + data.len();
        let now_gen = self.net(ns).ipfrag.next_generation;
        let is_new = !self.net(ns).ipfrag.queues.contains_key(&key);
        if is_new {
            self.net_mut(ns).ipfrag.next_generation += 1;
            self.schedule_in(
                IPFRAG_TIME,
                Event::IpFragTimer {
                    ns,
                    key,
                    generation: now_gen,
                },
            );
        }
        let q = self
            .net_mut(ns)
            .ipfrag
            .queues
            .entry(key)
            .or_insert_with(|| FragQueue {
                generation: now_gen,
                ..Default::default()
            });
        q.dev = Some(d);
        // Exact duplicate: dropped alone; any other overlap kills the queue.
        if q.frags
            .iter()
            .any(|(o, p)| *o == off && p.len() == data.len())
        {
            self.kfree_skb_reason(Some(d), SkbDropReason::DupFrag, "ip_frag_queue");
            return None;
        }
        let overlap = q.frags.iter().any(|(o, p)| off < o + p.len() && *o < end)
            || (!mf && q.len.is_some_and(|l| l != end))
            || q.len.is_some_and(|l| end > l);
        if overlap {
            self.net_mut(ns).ipfrag.queues.remove(&key);
            self.trace(ns, || {
                format!(
                    "ipfrag: overlap in id {} from {}: queue dropped",
                    key.2, key.0
                )
            });
            self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "ip_frag_queue");
            return None;
        }
        if !mf {
            q.len = Some(end);
        }
        if off == 0 {
            q.first = Some(pkt.to_vec());
        }
        q.df |= ip.df();
        q.max_size = q.max_size.max(hl + data.len());
        let pos = q
            .frags
            .iter()
            .position(|(o, _)| *o > off)
            .unwrap_or(q.frags.len());
        q.frags.insert(pos, (off, data));
        // Complete when the pieces cover 0..len without a hole.
        let total = q.len?;
        let mut covered = 0;
        for (o, p) in &q.frags {
            if *o != covered {
                return None;
            }
            covered += p.len();
        }
        if covered != total {
            return None;
        }
        let q = self.net_mut(ns).ipfrag.queues.remove(&key)?;
        let first = q.first?;
        let (mut h, _) = Ipv4Repr::parse(&first).ok()?;
        h.frag = if q.df { IP_DF } else { 0 };
        let mut payload = Vec::with_capacity(total);
        for (_, p) in q.frags {
            payload.extend_from_slice(&p);
        }
        self.trace(ns, || {
            format!(
                "ipfrag: reassembled id {} from {} ({} bytes)",
                key.2, key.0, total
            )
        });
        Some((
            h.emit(&payload),
            q.max_size.min(usize::from(u16::MAX)) as u16,
        ))
    }

    /// `ip_expire`: the queue timed out; ICMP time exceeded (fragment reassembly) when the
    /// first fragment had arrived.
    pub fn ip_frag_expire(&mut self, ns: NsId, key: FragKey, generation: u64) {
        let Some(q) = self.net(ns).ipfrag.queues.get(&key) else {
            return;
        };
        if q.generation != generation {
            return;
        }
        let q = self
            .net_mut(ns)
            .ipfrag
            .queues
            .remove(&key)
            .expect("present");
        let dev = q.dev.filter(|&d| self.dev_alive(d));
        self.trace(ns, || {
            format!("ipfrag: id {} from {} timed out", key.2, key.0)
        });
        if let Some(first) = q.first {
            // (The queue keeps the first fragment's bytes only: the error carries no conntrack.)
            self.icmp_send(
                ns,
                dev,
                &crate::net::skbuff::SkBuff::new(first),
                ICMP_TIME_EXCEEDED,
                ICMP_EXC_FRAGTIME,
                [0; 4],
            );
        }
        self.kfree_skb_reason(dev, SkbDropReason::FragReasmTimeout, "ip_expire");
    }
}

#[cfg(test)]
mod tests {
    use crate::kernel::{DevKind, Kernel, ROOT_NS};
    use crate::wire::*;

    fn frag(off8: u16, mf: bool, data: &[u8]) -> (Vec<u8>, Ipv4Repr, usize) {
        let ip = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id: 7,
            frag: off8 | if mf { IP_MF } else { 0 },
            ttl: 64,
            proto: 253,
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            options: vec![],
        };
        let pkt = ip.emit(data);
        let (ip, hl) = Ipv4Repr::parse(&pkt).unwrap();
        (pkt, ip, hl)
    }

    /// A fragment that is not the last and does not end on an 8-byte boundary is trimmed to it
    /// (ip_frag_queue's `end &= ~7`); the datagram still completes.
    #[test]
    fn a_non_final_fragment_is_trimmed_to_eight_bytes() {
        let mut k = Kernel::new(1);
        let d = k.dev_create(ROOT_NS, "d0", DevKind::Dummy, [2, 0, 0, 0, 0, 1], 1500);
        let body: Vec<u8> = (0..24u8).collect();
        // 19 bytes at offset 0 (16 kept), then the rest from offset 16, last.
        let (p, ip, hl) = frag(0, true, &body[..19]);
        assert!(k.ip_defrag(d, &p, &ip, hl).is_none());
        let (p, ip, hl) = frag(2, false, &body[16..]);
        let whole = k.ip_defrag(d, &p, &ip, hl).expect("reassembled");
        assert_eq!(&whole[20..], &body[..]);
    }
}
