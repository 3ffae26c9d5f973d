//! The network emulator qdisc (`net/sched/sch_netem.c`): a device's root qdisc that delays,
//! drops and duplicates the frames leaving it.
//!
//! `netem_enqueue` decides a frame's fate with `get_crandom` (the correlated random numbers of
//! the kernel, drawn from the lab's seeded RNG instead of `get_random_u32`) and files it in the
//! tfifo by `time_to_send` (`tfifo_enqueue`: a list for frames in order and a tree for the ones
//! that overtake it); `netem_dequeue` hands the frames whose time has come to the driver
//! (`dev_hard_start_xmit`) and arms the qdisc watchdog for the next one.
//!
//! Modelled: `delay TIME [JITTER [CORRELATION]]` with the uniform jitter of `tabledist` (no
//! distribution table), `loss random PERCENT [CORRELATION]`, `duplicate PERCENT
//! [CORRELATION]`, `limit PACKETS`, `rate RATE` (`packet_time_ns`, no overhead/cells).
//! Not modelled (the tool says so): distribution tables, loss state/gemodel, corrupt, reorder,
//! slot, ecn.

use std::collections::{BTreeMap, VecDeque};

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Event, Kernel};
use crate::net::skbuff::SkBuff;
use sim_core::Duration;

/// `struct crndstate`: the state of a correlated random number generator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CrndState {
    pub last: u32,
    pub rho: u32,
}

/// `struct tc_netem_qopt` (`TCA_OPTIONS`): times in psched ticks (64 ns), probabilities
/// scaled to `u32::MAX`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcNetemQopt {
    pub latency: u32,
    pub limit: u32,
    pub loss: u32,
    pub gap: u32,
    pub duplicate: u32,
    pub jitter: u32,
}

/// `struct tc_netem_corr` (`TCA_NETEM_CORR`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcNetemCorr {
    pub delay_corr: u32,
    pub loss_corr: u32,
    pub dup_corr: u32,
}

/// A netem configuration as a request carries it (and a dump returns it): the qopt plus the
/// attributes iproute2 adds only when the command line names them (the kernel keeps the old
/// values of absent ones on a change).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetemOpts {
    pub qopt: TcNetemQopt,
    pub corr: Option<TcNetemCorr>,
    /// `TCA_NETEM_RATE` (+ `TCA_NETEM_RATE64`): bytes per second.
    pub rate: Option<u64>,
}

/// `PSCHED_SHIFT`: a psched tick is 64 ns.
const PSCHED_SHIFT: u32 = 6;

/// `struct netem_sched_data` plus the `struct Qdisc` fields `tc -s` shows.
#[derive(Debug)]
pub struct Netem {
    /// `sch->handle` (major number in the high 16 bits).
    pub handle: u32,
    /// `q->latency`, `q->jitter` in ns.
    pub latency: i64,
    pub jitter: i64,
    /// `sch->limit`.
    pub limit: u32,
    pub loss: u32,
    pub duplicate: u32,
    pub gap: u32,
    /// Bytes per second; 0: no rate.
    pub rate: u64,
    pub delay_cor: CrndState,
    pub loss_cor: CrndState,
    pub dup_cor: CrndState,
    /// The tfifo's rbtree: frames keyed by (time_to_send, arrival), equal times in arrival
    /// order (`tfifo_enqueue` goes right on equal).
    t_root: BTreeMap<(u64, u64), SkBuff>,
    /// The tfifo's linear list (`t_head`..`t_tail`): frames in time order appended at the tail.
    t_list: VecDeque<(u64, SkBuff)>,
    seq: u64,
    /// Armed watchdog time, if any.
    watchdog: Option<u64>,
    /// `sch->bstats` / `sch->qstats`.
    pub bytes: u64,
    pub packets: u64,
    pub drops: u64,
    pub backlog: u64,
}

impl Netem {
    pub fn new(handle: u32) -> Netem {
        Netem {
            handle,
            latency: 0,
            jitter: 0,
            limit: 0,
            loss: 0,
            duplicate: 0,
            gap: 0,
            rate: 0,
            delay_cor: CrndState::default(),
            loss_cor: CrndState::default(),
            dup_cor: CrndState::default(),
            t_root: BTreeMap::new(),
            t_list: VecDeque::new(),
            seq: 0,
            watchdog: None,
            bytes: 0,
            packets: 0,
            drops: 0,
            backlog: 0,
        }
    }

    /// `netem_dump`'s options.
    pub fn dump(&self) -> NetemOpts {
        NetemOpts {
            qopt: TcNetemQopt {
                latency: (self.latency as u64 >> PSCHED_SHIFT).min(u32::MAX as u64) as u32,
                limit: self.limit,
                loss: self.loss,
                gap: self.gap,
                duplicate: self.duplicate,
                jitter: (self.jitter as u64 >> PSCHED_SHIFT).min(u32::MAX as u64) as u32,
            },
            corr: Some(TcNetemCorr {
                delay_corr: self.delay_cor.rho,
                loss_corr: self.loss_cor.rho,
                dup_corr: self.dup_cor.rho,
            }),
            rate: Some(self.rate),
        }
    }

    /// `sch->q.qlen`.
    pub fn qlen(&self) -> usize {
        self.t_root.len() + self.t_list.len()
    }

    /// `tfifo_enqueue`.
    fn tfifo_enqueue(&mut self, tnext: u64, skb: SkBuff) {
        self.seq += 1;
        if self.t_list.back().is_none_or(|(t, _)| tnext >= *t) {
            self.t_list.push_back((tnext, skb));
        } else {
            self.t_root.insert((tnext, self.seq), skb);
        }
    }

    /// `netem_peek`: the time of the next frame, the tree's first when strictly earlier.
    fn peek(&self) -> Option<(u64, bool)> {
        let t1 = self.t_root.keys().next().map(|k| k.0);
        let t2 = self.t_list.front().map(|(t, _)| *t);
        match (t1, t2) {
            (None, None) => None,
            (Some(t1), None) => Some((t1, true)),
            (None, Some(t2)) => Some((t2, false)),
            (Some(t1), Some(t2)) => Some(if t1 < t2 { (t1, true) } else { (t2, false) }),
        }
    }

    /// `netem_erase_head` of the frame `peek` chose.
    fn erase_head(&mut self, from_tree: bool) -> SkBuff {
        if from_tree {
            self.t_root.pop_first().expect("peeked").1
        } else {
            self.t_list.pop_front().expect("peeked").1
        }
    }
}

/// `get_crandom`: a random number correlated with the previous one by `rho`.
pub fn get_crandom(k: &mut Kernel, state: &mut CrndState) -> u32 {
    let value = k.rng.next_u32() as u64;
    if state.rho == 0 {
        return value as u32;
    }
    let rho = state.rho as u64 + 1;
    let answer = ((value * ((1u64 << 32) - rho) + state.last as u64 * rho) >> 32) as u32;
    state.last = answer;
    answer
}

/// `tabledist` without a distribution table: uniform in `[mu - sigma, mu + sigma)`.
fn tabledist(k: &mut Kernel, mu: i64, sigma: i64, state: &mut CrndState) -> i64 {
    if sigma == 0 {
        return mu;
    }
    let rnd = get_crandom(k, state);
    // tabledist's sigma is an s32 (a jitter past 2^31 ns wraps there), and
    // ((rnd % (2 * (u32)sigma)) + mu) - sigma is computed in u32 then s64.
    let sigma = sigma as i32;
    let m = 2u32.wrapping_mul(sigma as u32);
    if m == 0 {
        return mu - sigma as i64;
    }
    (rnd % m) as i64 + mu - sigma as i64
}

/// `packet_time_ns` (no packet overhead, no cells).
fn packet_time_ns(len: u64, rate: u64) -> i64 {
    (len as u128 * 1_000_000_000 / rate as u128) as i64
}

impl Kernel {
    /// `netem_change`: the qopt always, the correlations and the rate when the request has
    /// them (`init_crandom` starts each generator from a random `last`).
    pub(crate) fn netem_change(&mut self, q: &mut Netem, opts: &NetemOpts) {
        let o = &opts.qopt;
        q.limit = o.limit;
        q.latency = (o.latency as i64) << PSCHED_SHIFT;
        q.jitter = (o.jitter as i64) << PSCHED_SHIFT;
        q.loss = o.loss;
        q.duplicate = o.duplicate;
        q.gap = o.gap;
        if let Some(c) = opts.corr {
            for (st, rho) in [
                (&mut q.delay_cor, c.delay_corr),
                (&mut q.loss_cor, c.loss_corr),
                (&mut q.dup_cor, c.dup_corr),
            ] {
                st.rho = rho;
                st.last = self.rng.next_u32();
            }
        }
        if let Some(r) = opts.rate {
            q.rate = r;
        }
    }

    /// `__dev_xmit_skb` with a netem root qdisc: `netem_enqueue` then `__qdisc_run`.
    pub(crate) fn netem_enqueue(&mut self, d: DevId, skb: SkBuff) {
        let Some(mut q) = self.dev_mut(d).qdisc.take() else {
            self.dev_hard_start_xmit(d, skb);
            return;
        };
        let mut count = 1;
        // Random duplication.
        if q.duplicate != 0 && q.duplicate >= get_crandom(self, &mut q.dup_cor) {
            count += 1;
        }
        // Drop packet? (loss_event, CLG_RANDOM)
        if q.loss != 0 && q.loss >= get_crandom(self, &mut q.loss_cor) {
            count -= 1;
        }
        if count == 0 {
            q.drops += 1;
            self.dev_mut(d).qdisc = Some(q);
            // The frame goes on `to_free`, freed by `kfree_skb_list` in `__dev_xmit_skb`;
            // the sender sees NET_XMIT_SUCCESS.
            self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_xmit_skb");
            return;
        }
        let mut frames = vec![skb];
        if count > 1 {
            // The copy goes through the root qdisc's enqueue with duplication off: its own
            // loss draw, its own delay, filed first.
            let copy = frames[0].clone();
            frames.insert(0, copy);
        }
        for (i, skb) in frames.into_iter().enumerate() {
            if i == 0 && count > 1 {
                // The duplicate's own loss_event (q->duplicate is 0 meanwhile).
                if q.loss != 0 && q.loss >= get_crandom(self, &mut q.loss_cor) {
                    q.drops += 1;
                    self.dev_mut(d).qdisc = Some(q);
                    self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_xmit_skb");
                    q = self.dev_mut(d).qdisc.take().expect("just put back");
                    continue;
                }
            }
            if q.qlen() >= q.limit as usize {
                // qdisc_drop_all
                q.drops += 1;
                self.dev_mut(d).qdisc = Some(q);
                self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "__dev_xmit_skb");
                q = self.dev_mut(d).qdisc.take().expect("just put back");
                continue;
            }
            q.backlog += skb.len() as u64;
            let mut delay = tabledist(self, q.latency, q.jitter, &mut q.delay_cor);
            let mut now = self.now.0 as i64;
            if q.rate != 0 {
                // The last frame in the tfifo: the later of the tree's last and the list's tail.
                let last_tree = q.t_root.keys().next_back().map(|k| k.0);
                let last_list = q.t_list.back().map(|(t, _)| *t);
                let last = match (last_tree, last_list) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                if let Some(last) = last {
                    delay -= last as i64 - now;
                    delay = delay.max(0);
                    now = last as i64;
                }
                delay += packet_time_ns(skb.len() as u64, q.rate);
            }
            let time_to_send = (now + delay).max(0) as u64;
            q.tfifo_enqueue(time_to_send, skb);
        }
        self.dev_mut(d).qdisc = Some(q);
        self.netem_dequeue(d);
    }

    /// `__qdisc_run` → `netem_dequeue` until nothing is due, then `qdisc_watchdog_schedule_ns`.
    pub(crate) fn netem_dequeue(&mut self, d: DevId) {
        loop {
            let now = self.now.0;
            let Some(q) = self.dev_mut(d).qdisc.as_mut() else {
                return;
            };
            let Some((t, from_tree)) = q.peek() else {
                return;
            };
            if t > now {
                if q.watchdog != Some(t) {
                    q.watchdog = Some(t);
                    self.schedule_in(
                        Duration::from_nanos(t - now),
                        Event::QdiscWatchdog { dev: d },
                    );
                }
                return;
            }
            let skb = q.erase_head(from_tree);
            q.backlog -= skb.len() as u64;
            if self.dev_running(d) {
                let q = self.dev_mut(d).qdisc.as_mut().expect("peeked");
                q.bytes += skb.len() as u64;
                q.packets += 1;
                self.dev_hard_start_xmit(d, skb);
            } else {
                // dev_deactivate → qdisc_reset: what was queued is freed.
                self.kfree_skb_reason(Some(d), SkbDropReason::DevReady, "qdisc_reset");
            }
        }
    }

    /// The qdisc watchdog fired (`qdisc_watchdog` → `__netif_schedule` → `net_tx_action`).
    pub(crate) fn qdisc_watchdog(&mut self, d: DevId) {
        let now = self.now.0;
        if let Some(q) = self.dev_mut(d).qdisc.as_mut() {
            if q.watchdog == Some(now) {
                q.watchdog = None;
            }
        }
        self.netem_dequeue(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tfifo_hands_frames_out_by_time_to_send_and_in_order_on_ties() {
        let mut q = Netem::new(0x8001_0000);
        for (t, tag) in [(50, 1u8), (30, 2), (50, 3), (10, 4), (60, 5), (30, 6)] {
            q.tfifo_enqueue(t, SkBuff::new(vec![tag]));
        }
        let mut order = Vec::new();
        while let Some((_, from_tree)) = q.peek() {
            order.push(q.erase_head(from_tree).data()[0]);
        }
        assert_eq!(order, [4, 2, 6, 1, 3, 5]);
    }

    #[test]
    fn full_correlation_repeats_the_last_number() {
        // get_crandom with rho = 2^32 - 1 (100%): rho + 1 = 2^32 gives the new value no weight,
        // so the answer is `last` forever; with rho 0 the numbers are the RNG's own.
        let mut k = Kernel::new(1);
        let mut st = CrndState {
            last: 1 << 31,
            rho: u32::MAX,
        };
        for _ in 0..100 {
            let v = get_crandom(&mut k, &mut st);
            assert_eq!(v, 1 << 31);
        }
        let mut a = Kernel::new(9);
        let mut b = Kernel::new(9);
        let mut st0 = CrndState::default();
        assert_eq!(get_crandom(&mut a, &mut st0), b.rng.next_u32());
    }

    #[test]
    fn uniform_jitter_stays_within_mu_plus_minus_sigma() {
        let mut k = Kernel::new(4);
        let mut st = CrndState::default();
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for _ in 0..10_000 {
            let d = tabledist(&mut k, 50_000_000, 10_000_000, &mut st);
            lo = lo.min(d);
            hi = hi.max(d);
        }
        assert!(lo >= 40_000_000 && hi < 60_000_000, "{lo} {hi}");
        assert!(lo < 40_100_000 && hi > 59_900_000, "{lo} {hi}");
        assert_eq!(tabledist(&mut k, 7, 0, &mut st), 7);
    }
}
