//! A device's root qdisc (`struct Qdisc` with its `Qdisc_ops`): `__dev_xmit_skb` hands a frame
//! to the qdisc's enqueue, `__qdisc_run` → `qdisc_restart` → `dequeue_skb` takes out what may
//! leave and hands it to the driver (`dev_hard_start_xmit`), and the qdisc watchdog
//! (`qdisc_watchdog`, `Event::QdiscWatchdog`) runs the queue again when a held frame is due
//! (`net/sched/sch_generic.c`, `net/core/dev.c`).
//!
//! The kinds: netem (`net/sch_netem.rs`), tbf (`net/sch_tbf.rs`), the fifos pfifo, bfifo,
//! pfifo_head_drop and pfifo_fast (`net/sch_fifo.rs`), fq_codel (`net/sch_fq_codel.rs`: always
//! bypassed, a counter), and a `noqueue` added by hand (no enqueue: frames go straight to the
//! driver). A device without one (`NetDevice::qdisc` None) has the default qdisc the kernel
//! shows (`noop` before its first open, then `noqueue`: every device kind nslab models is
//! `IFF_NO_QUEUE` except gretap, whose first open attaches the default fq_codel with handle 0,
//! `attach_one_default_qdisc`), and its frames pay nothing for the slot.
//!
//! `dequeue_skb` after a successful dequeue tries for more (`try_bulk_dequeue_skb_slow`, up to
//! 8) on a device with several transmit queues (a veth has one per CPU: two on the recorder),
//! which is a second dequeue a tbf counts as an overlimit when the next frame must wait;
//! `try_bulk_dequeue_skb` of a single-queue device is bounded by BQL's limit, 0 on these
//! devices, so it takes nothing. The psched rate arithmetic (`psched_ratecfg_precompute`,
//! `psched_l2t_ns`, `psched_ns_t2l`) is the kernel's, as tbf's timing depends on its rounding.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, DevKind, Event, Kernel};
use crate::net::dev::NetXmit;
use crate::net::sch_fifo::Fifo;
use crate::net::sch_fq_codel::FqCodel;
use crate::net::sch_netem::Netem;
use crate::net::sch_tbf::Tbf;
use crate::net::skbuff::SkBuff;
use sim_core::Duration;

/// The `gnet_stats_basic` + `gnet_stats_queue` counters `tc -s` shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QdiscStats {
    pub bytes: u64,
    pub packets: u64,
    pub drops: u64,
    pub overlimits: u64,
    pub requeues: u64,
    /// Bytes queued (`qstats.backlog`).
    pub backlog: u64,
    /// Frames queued (`q.qlen`).
    pub qlen: u32,
}

/// A root qdisc set with `tc qdisc add|replace`.
#[derive(Debug)]
pub enum Qdisc {
    Netem(Netem),
    Tbf(Tbf),
    Fifo(Fifo),
    FqCodel(FqCodel),
    /// `noqueue` created by hand (`noqueue_init` clears the enqueue): frames bypass it.
    Noqueue {
        handle: u32,
    },
}

impl Qdisc {
    /// `sch->handle`.
    pub fn handle(&self) -> u32 {
        match self {
            Qdisc::Netem(q) => q.handle,
            Qdisc::Tbf(q) => q.handle,
            Qdisc::Fifo(q) => q.handle,
            Qdisc::FqCodel(q) => q.handle,
            Qdisc::Noqueue { handle } => *handle,
        }
    }

    /// `sch->ops->id`.
    pub fn kind(&self) -> &'static str {
        match self {
            Qdisc::Netem(_) => "netem",
            Qdisc::Tbf(_) => "tbf",
            Qdisc::Fifo(q) => q.kind.id(),
            Qdisc::FqCodel(_) => "fq_codel",
            Qdisc::Noqueue { .. } => "noqueue",
        }
    }

    /// The counters a dump reports.
    pub fn stats(&self) -> QdiscStats {
        match self {
            Qdisc::Netem(q) => QdiscStats {
                bytes: q.bytes,
                packets: q.packets,
                drops: q.drops,
                overlimits: 0,
                requeues: q.requeues,
                backlog: q.backlog,
                qlen: q.qlen() as u32,
            },
            Qdisc::Tbf(q) => q.stats(),
            Qdisc::Fifo(q) => q.stats(),
            Qdisc::FqCodel(q) => QdiscStats {
                bytes: q.bytes,
                packets: q.packets,
                ..Default::default()
            },
            Qdisc::Noqueue { .. } => QdiscStats::default(),
        }
    }

    /// The qdisc watchdog's armed time, if any.
    fn watchdog_mut(&mut self) -> Option<&mut Option<u64>> {
        match self {
            Qdisc::Netem(q) => Some(q.watchdog_mut()),
            Qdisc::Tbf(q) => Some(&mut q.watchdog),
            Qdisc::Fifo(_) | Qdisc::FqCodel(_) | Qdisc::Noqueue { .. } => None,
        }
    }
}

/// `struct psched_ratecfg`: a rate with the multiplier and shift `psched_l2t_ns` uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PschedRatecfg {
    pub rate_bytes_ps: u64,
    pub mult: u32,
    pub shift: u8,
    pub overhead: u16,
    pub mpu: u16,
}

impl PschedRatecfg {
    /// `psched_ratecfg_precompute`: `rate` is `max(conf->rate, rate64)`.
    pub fn precompute(rate: u64, overhead: u16, mpu: u16) -> PschedRatecfg {
        let mut r = PschedRatecfg {
            rate_bytes_ps: rate,
            mult: 1,
            shift: 0,
            overhead,
            mpu,
        };
        if rate == 0 {
            return r;
        }
        // psched_ratecfg_precompute__: the largest mult (a u32) with its top bit set.
        let mut factor: u64 = 1_000_000_000;
        loop {
            r.mult = (factor / rate) as u32;
            if r.mult & (1 << 31) != 0 || factor & (1 << 63) != 0 {
                break;
            }
            factor <<= 1;
            r.shift += 1;
        }
        r
    }

    /// `psched_l2t_ns`: the time in ns `len` bytes take at this rate.
    pub fn l2t_ns(&self, len: u32) -> u64 {
        let len = (len + u32::from(self.overhead)).max(u32::from(self.mpu));
        (u64::from(len) * u64::from(self.mult)) >> self.shift
    }

    /// `psched_ns_t2l`: the bytes that fit in `time_in_ns` at this rate.
    pub fn ns_t2l(&self, time_in_ns: u64) -> u64 {
        let len = (u128::from(time_in_ns) * u128::from(self.rate_bytes_ps) / 1_000_000_000) as u64;
        len.saturating_sub(u64::from(self.overhead))
    }
}

/// `PSCHED_TICKS2NS` / `PSCHED_NS2TICKS` (64 ns ticks).
pub fn psched_ticks2ns(ticks: u32) -> u64 {
    u64::from(ticks) << 6
}

pub fn psched_ns2ticks(ns: u64) -> u32 {
    (ns >> 6) as u32
}

impl Kernel {
    /// How many transmit queues the device has (`dev->num_tx_queues`): a veth one per
    /// possible CPU (two on the recorder), a bond `BOND_DEFAULT_TX_QUEUES`, the others one.
    /// The root qdisc holds a reference per queue, and a multiqueue device dequeues in bulk.
    pub fn dev_num_tx_queues(&self, d: DevId) -> u32 {
        match self.dev(d).kind {
            DevKind::Veth { .. } => 2,
            DevKind::Bond(_) => 16,
            _ => 1,
        }
    }

    /// `psched_mtu`: the MTU plus the link-layer header.
    pub fn psched_mtu(&self, d: DevId) -> u32 {
        let dev = self.dev(d);
        let hh = match dev.kind {
            DevKind::Ipip(_) => 0,
            _ => crate::wire::ETH_HLEN as u32,
        };
        dev.mtu + hh
    }

    /// `__dev_xmit_skb` with a root qdisc: its enqueue, then `__qdisc_run`. The answer is the
    /// enqueue's (`NET_XMIT_DROP` for a frame the qdisc refused, which a local sender sees as
    /// `ENOBUFS`).
    pub(crate) fn qdisc_enqueue_xmit(&mut self, d: DevId, skb: SkBuff) -> NetXmit {
        let Some(mut q) = self.dev_mut(d).qdisc.take() else {
            return self.dev_hard_start_xmit(d, skb);
        };
        let rc = match &mut *q {
            Qdisc::Noqueue { .. } => {
                self.dev_mut(d).qdisc = Some(q);
                return self.dev_hard_start_xmit(d, skb);
            }
            // TCQ_F_CAN_BYPASS on an empty qdisc: qdisc_bstats_update, then the driver.
            Qdisc::FqCodel(f) => {
                f.bytes += skb.len() as u64;
                f.packets += 1;
                self.dev_mut(d).qdisc = Some(q);
                return self.dev_hard_start_xmit(d, skb);
            }
            Qdisc::Netem(n) => self.netem_enqueue(d, n, skb),
            Qdisc::Tbf(t) => self.tbf_enqueue(d, t, skb),
            Qdisc::Fifo(f) => self.fifo_enqueue(d, f, skb),
        };
        self.dev_mut(d).qdisc = Some(q);
        self.qdisc_run(d);
        rc
    }

    /// A frame a qdisc drops (`qdisc_drop` → the `to_free` list `__dev_xmit_skb` frees).
    pub(crate) fn qdisc_drop(&mut self, d: DevId) {
        self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_xmit_skb");
    }

    /// One dequeue (`q->dequeue`), arming the watchdog when a held frame is not yet due.
    fn qdisc_dequeue(&mut self, d: DevId, q: &mut Qdisc) -> Option<SkBuff> {
        match q {
            Qdisc::Netem(n) => self.netem_dequeue(d, n),
            Qdisc::Tbf(t) => self.tbf_dequeue(d, t),
            Qdisc::Fifo(f) => f.dequeue(),
            Qdisc::FqCodel(_) | Qdisc::Noqueue { .. } => None,
        }
    }

    /// `qdisc_watchdog_schedule_ns`: one pending timer per qdisc; arming it again moves it.
    pub(crate) fn qdisc_watchdog_schedule(
        &mut self,
        d: DevId,
        watchdog: &mut Option<u64>,
        at: u64,
    ) {
        if *watchdog != Some(at) {
            *watchdog = Some(at);
            let now = self.now.0;
            self.schedule_in(
                Duration::from_nanos(at.saturating_sub(now)),
                Event::QdiscWatchdog { dev: d },
            );
        }
    }

    /// `__qdisc_run`: `qdisc_restart` until the qdisc has nothing to hand out. Each round
    /// dequeues a frame, then (`try_bulk_dequeue_skb_slow` on a multiqueue device) up to 8
    /// more, and transmits them; a frame dequeued while the device is not running is freed
    /// (`dev_deactivate` resets the qdisc).
    pub(crate) fn qdisc_run(&mut self, d: DevId) {
        let bulk = self.dev_num_tx_queues(d) > 1;
        loop {
            let Some(mut q) = self.dev_mut(d).qdisc.take() else {
                return;
            };
            let Some(skb) = self.qdisc_dequeue(d, &mut q) else {
                self.dev_mut(d).qdisc = Some(q);
                return;
            };
            let mut more = Vec::new();
            if bulk {
                while more.len() < 8 {
                    match self.qdisc_dequeue(d, &mut q) {
                        Some(s) => more.push(s),
                        None => break,
                    }
                }
            }
            let running = self.dev_running(d);
            if running {
                if let Qdisc::Netem(n) = &mut *q {
                    // (netem's qdisc_bstats_update is in its dequeue path: counted when sent.)
                    for s in std::iter::once(&skb).chain(&more) {
                        n.bytes += s.len() as u64;
                        n.packets += 1;
                    }
                }
            }
            self.dev_mut(d).qdisc = Some(q);
            for s in std::iter::once(skb).chain(more) {
                if running {
                    self.dev_hard_start_xmit(d, s);
                } else {
                    self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "qdisc_reset");
                }
            }
        }
    }

    /// The qdisc watchdog fired (`qdisc_watchdog` → `__netif_schedule` → `net_tx_action`).
    /// A timer that was moved (armed again for another time) or belongs to a qdisc since
    /// replaced does not fire.
    pub(crate) fn qdisc_watchdog(&mut self, d: DevId) {
        let now = self.now.0;
        let Some(q) = self.dev_mut(d).qdisc.as_mut() else {
            return;
        };
        match q.watchdog_mut() {
            Some(w) if *w == Some(now) => *w = None,
            _ => return,
        }
        self.qdisc_run(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratecfg_matches_the_kernel_arithmetic() {
        // 80 kbit/s = 10 000 bytes/s: mult 3 276 800 000 with shift 15; 1100 bytes take 110 ms.
        let r = PschedRatecfg::precompute(10_000, 0, 0);
        assert_eq!((r.mult, r.shift), (3_276_800_000, 15));
        assert_eq!(r.l2t_ns(1100), 110_000_000);
        assert_eq!(r.l2t_ns(1042), 104_200_000);
        // 1 Gbit/s: 8 ns a byte, exactly (mult 2^31, shift 28).
        let g = PschedRatecfg::precompute(125_000_000, 0, 0);
        assert_eq!((g.mult, g.shift), (1 << 31, 28));
        assert_eq!(g.l2t_ns(1 << 20), 8_388_608);
        assert_eq!(g.ns_t2l(8_388_608), 1 << 20);
        // mpu and overhead lengthen a frame before the division.
        let m = PschedRatecfg::precompute(10_000, 10, 64);
        assert_eq!(m.l2t_ns(20), r.l2t_ns(64));
        assert_eq!(m.l2t_ns(100), r.l2t_ns(110));
    }
}
