//! The fifo qdiscs (`net/sched/sch_fifo.c`): `pfifo` (a limit in frames), `bfifo` (in bytes),
//! `pfifo_head_drop` (a full queue drops its oldest frame instead), and `pfifo_fast`
//! (`sch_generic.c`: three bands by `skb->priority`, `dev->tx_queue_len` frames), which nslab
//! keeps as one band: every frame it sends has priority 0 (band 1), so the order is the same.
//!
//! Without options a fifo's limit is the device's `tx_queue_len` (1000), in bytes times
//! `psched_mtu` for bfifo. A veth is never busy, so a fifo hands a frame out as soon as it
//! has taken it: what shows is its counters and the drops of a limit too small for a frame.

use std::collections::VecDeque;

use crate::kernel::{DevId, Kernel};
use crate::net::dev::NetXmit;
use crate::net::sch_generic::QdiscStats;
use crate::net::skbuff::SkBuff;

/// Which fifo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FifoKind {
    Pfifo,
    Bfifo,
    PfifoHeadDrop,
    PfifoFast,
}

impl FifoKind {
    /// `ops->id`.
    pub fn id(self) -> &'static str {
        match self {
            FifoKind::Pfifo => "pfifo",
            FifoKind::Bfifo => "bfifo",
            FifoKind::PfifoHeadDrop => "pfifo_head_drop",
            FifoKind::PfifoFast => "pfifo_fast",
        }
    }

    pub fn from_id(id: &str) -> Option<FifoKind> {
        Some(match id {
            "pfifo" => FifoKind::Pfifo,
            "bfifo" => FifoKind::Bfifo,
            "pfifo_head_drop" => FifoKind::PfifoHeadDrop,
            "pfifo_fast" => FifoKind::PfifoFast,
            _ => return None,
        })
    }
}

/// A fifo qdisc (`sch->limit`, `sch->q`, its counters).
#[derive(Debug)]
pub struct Fifo {
    pub handle: u32,
    pub kind: FifoKind,
    pub limit: u32,
    q: VecDeque<SkBuff>,
    stats: QdiscStats,
}

impl Fifo {
    /// `__fifo_init` without options: the device's queue length (bytes for bfifo).
    pub fn new(k: &Kernel, d: DevId, handle: u32, kind: FifoKind, limit: Option<u32>) -> Fifo {
        const TX_QUEUE_LEN: u32 = 1000;
        let limit = limit.unwrap_or(match kind {
            FifoKind::Bfifo => TX_QUEUE_LEN.wrapping_mul(k.psched_mtu(d)),
            _ => TX_QUEUE_LEN,
        });
        Fifo {
            handle,
            kind,
            limit,
            q: VecDeque::new(),
            stats: QdiscStats::default(),
        }
    }

    /// A bfifo of `limit` bytes (`fifo_create_dflt`), tbf's inner queue.
    pub fn bfifo(limit: u32) -> Fifo {
        Fifo {
            handle: 0,
            kind: FifoKind::Bfifo,
            limit,
            q: VecDeque::new(),
            stats: QdiscStats::default(),
        }
    }

    pub fn stats(&self) -> QdiscStats {
        QdiscStats {
            qlen: self.q.len() as u32,
            ..self.stats
        }
    }

    /// The enqueue of each kind: `Ok(None)` taken, `Ok(Some(old))` taken with the oldest frame
    /// dropped to make room (`NET_XMIT_CN`), `Err(skb)` refused (`qdisc_drop`: counted).
    pub fn enqueue(&mut self, skb: SkBuff) -> Result<Option<SkBuff>, SkBuff> {
        let len = skb.len() as u64;
        let fits = match self.kind {
            FifoKind::Bfifo => self.stats.backlog + len <= u64::from(self.limit),
            _ => self.q.len() < self.limit as usize,
        };
        if fits {
            self.stats.backlog += len;
            self.q.push_back(skb);
            return Ok(None);
        }
        if self.kind == FifoKind::PfifoHeadDrop && self.limit != 0 {
            // pfifo_tail_enqueue: the head goes, the new frame is queued.
            let old = self
                .q
                .pop_front()
                .expect("a full queue with a limit has a head");
            self.stats.backlog -= old.len() as u64;
            self.stats.drops += 1;
            self.stats.backlog += len;
            self.q.push_back(skb);
            return Ok(Some(old));
        }
        self.stats.drops += 1;
        Err(skb)
    }

    /// `qdisc_peek_head`.
    pub fn peek(&self) -> Option<&SkBuff> {
        self.q.front()
    }

    /// `qdisc_dequeue_head` (the basic counters count it).
    pub fn dequeue(&mut self) -> Option<SkBuff> {
        let skb = self.q.pop_front()?;
        self.stats.backlog -= skb.len() as u64;
        self.stats.bytes += skb.len() as u64;
        self.stats.packets += 1;
        Some(skb)
    }

    /// `qdisc_reset`: what is queued goes.
    pub fn reset(&mut self) -> usize {
        let n = self.q.len();
        self.q.clear();
        self.stats.backlog = 0;
        n
    }
}

impl Kernel {
    /// A fifo root qdisc's enqueue.
    pub(crate) fn fifo_enqueue(&mut self, d: DevId, q: &mut Fifo, skb: SkBuff) -> NetXmit {
        match q.enqueue(skb) {
            Ok(None) => NetXmit::Success,
            Ok(Some(_old)) => {
                // NET_XMIT_CN: net_xmit_errno gives the sender no error.
                self.qdisc_drop(d);
                NetXmit::Success
            }
            Err(_skb) => {
                self.qdisc_drop(d);
                NetXmit::Drop
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_in_frames_and_bytes() {
        let frame = |n: usize| SkBuff::new(vec![0; n]);
        let mut p = Fifo::bfifo(200);
        assert!(p.enqueue(frame(150)).is_ok());
        assert!(p.enqueue(frame(60)).is_err());
        assert!(p.enqueue(frame(50)).is_ok());
        assert_eq!(p.stats().backlog, 200);
        assert_eq!(p.stats().drops, 1);
        let mut h = Fifo {
            kind: FifoKind::PfifoHeadDrop,
            limit: 2,
            ..Fifo::bfifo(0)
        };
        for n in [10, 20, 30] {
            assert!(h.enqueue(frame(n)).is_ok());
        }
        assert_eq!(h.dequeue().map(|s| s.len()), Some(20));
        assert_eq!(h.stats().drops, 1);
        let mut z = Fifo {
            kind: FifoKind::Pfifo,
            limit: 0,
            ..Fifo::bfifo(0)
        };
        assert!(z.enqueue(frame(10)).is_err());
    }
}
