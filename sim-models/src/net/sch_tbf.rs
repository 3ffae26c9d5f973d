//! The token bucket filter (`net/sched/sch_tbf.c`): frames wait in an inner bfifo of `limit`
//! bytes until the bucket (`burst` bytes deep, filled at `rate`) and, with a `peakrate`, a
//! second bucket of `mtu` bytes have the tokens their length costs.
//!
//! Tokens are nanoseconds of transmission time (`psched_l2t_ns` of a length), the buckets
//! fill with the time since the last frame left (`t_c`). `tbf_dequeue` that finds too few
//! tokens arms the watchdog for when they will be there and counts an overlimit, as every
//! dequeue does while the head frame waits (each enqueue runs the queue; a multiqueue device's
//! bulk dequeue tries once more after each frame). A frame longer than the bucket
//! (`max_size`) is dropped at enqueue; one the inner bfifo has no room for too. Both answer
//! `NET_XMIT_DROP`. Not modelled: GSO segmentation (`tbf_segment`), offload, linklayer atm.

use crate::errno::Errno;
use crate::kernel::{DevId, Kernel};
use crate::net::dev::NetXmit;
use crate::net::rtnetlink::RtnlError;
use crate::net::sch_fifo::Fifo;
use crate::net::sch_generic::{psched_ns2ticks, psched_ticks2ns, PschedRatecfg, QdiscStats};
use crate::net::skbuff::SkBuff;

/// `struct tc_ratespec` (the fields the kernel keeps).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcRatespec {
    /// Bytes per second, at most `u32::MAX` (a larger rate travels in the `*64` attribute).
    pub rate: u32,
    pub overhead: u16,
    pub mpu: u16,
    /// `cell_log` tc computed for its (ignored) rate table.
    pub cell_log: u8,
}

/// `TCA_OPTIONS` of a tbf: `struct tc_tbf_qopt` (`TCA_TBF_PARMS`) and the attributes tc adds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TbfOpts {
    pub rate: TcRatespec,
    pub peakrate: TcRatespec,
    /// Bytes the inner bfifo holds.
    pub limit: u32,
    /// Psched ticks of the bucket and of the peak bucket.
    pub buffer: u32,
    pub mtu: u32,
    /// `TCA_TBF_RATE64` / `TCA_TBF_PRATE64` (tc sends them from 2^32 bytes/s on).
    pub rate64: Option<u64>,
    pub prate64: Option<u64>,
    /// `TCA_TBF_BURST` / `TCA_TBF_PBURST` (requests only): the buckets in bytes.
    pub burst: Option<u32>,
    pub pburst: Option<u32>,
}

/// `struct tbf_sched_data` plus the `struct Qdisc` fields `tc -s` shows.
#[derive(Debug)]
pub struct Tbf {
    pub handle: u32,
    limit: u32,
    max_size: u32,
    /// Bucket depths in ns.
    buffer: i64,
    mtu: i64,
    rate: PschedRatecfg,
    peak: PschedRatecfg,
    tokens: i64,
    ptokens: i64,
    /// When the last frame left (or the qdisc was created), ns.
    t_c: i64,
    /// The inner bfifo (`q->qdisc`; `noop` until a limit is set).
    child: Option<Fifo>,
    pub(crate) watchdog: Option<u64>,
    bytes: u64,
    packets: u64,
    drops: u64,
    overlimits: u64,
}

impl Tbf {
    /// `tbf_init` before its `tbf_change`.
    pub fn new(handle: u32, now: u64) -> Tbf {
        Tbf {
            handle,
            limit: 0,
            max_size: 0,
            buffer: 0,
            mtu: 0,
            rate: PschedRatecfg::default(),
            peak: PschedRatecfg::default(),
            tokens: 0,
            ptokens: 0,
            t_c: now as i64,
            child: None,
            watchdog: None,
            bytes: 0,
            packets: 0,
            drops: 0,
            overlimits: 0,
        }
    }

    fn peak_present(&self) -> bool {
        self.peak.rate_bytes_ps != 0
    }

    pub fn stats(&self) -> QdiscStats {
        let child = self.child.as_ref().map(Fifo::stats).unwrap_or_default();
        QdiscStats {
            bytes: self.bytes,
            packets: self.packets,
            drops: self.drops,
            overlimits: self.overlimits,
            requeues: 0,
            backlog: child.backlog,
            qlen: child.qlen,
        }
    }

    /// `tbf_dump`.
    pub fn dump(&self) -> TbfOpts {
        let spec = |r: &PschedRatecfg| TcRatespec {
            rate: r.rate_bytes_ps.min(u64::from(u32::MAX)) as u32,
            overhead: r.overhead,
            mpu: r.mpu,
            cell_log: 0,
        };
        TbfOpts {
            rate: spec(&self.rate),
            peakrate: if self.peak_present() {
                spec(&self.peak)
            } else {
                TcRatespec::default()
            },
            limit: self.limit,
            buffer: psched_ns2ticks(self.buffer as u64),
            mtu: psched_ns2ticks(self.mtu as u64),
            rate64: (self.rate.rate_bytes_ps >= 1 << 32).then_some(self.rate.rate_bytes_ps),
            prate64: (self.peak.rate_bytes_ps >= 1 << 32).then_some(self.peak.rate_bytes_ps),
            burst: None,
            pburst: None,
        }
    }

    /// `tbf_change`: checks first, then the new configuration with full buckets (the time of
    /// the last frame, `t_c`, stays).
    pub fn change(&mut self, o: &TbfOpts) -> Result<(), RtnlError> {
        let rate = PschedRatecfg::precompute(
            u64::from(o.rate.rate).max(o.rate64.unwrap_or(0)),
            o.rate.overhead,
            o.rate.mpu,
        );
        let mut buffer = psched_ticks2ns(o.buffer).min(u64::from(u32::MAX));
        let mut mtu = psched_ticks2ns(o.mtu).min(u64::from(u32::MAX));
        let mut max_size = match o.burst {
            Some(b) => {
                buffer = rate.l2t_ns(b);
                b
            }
            None => rate.ns_t2l(buffer).min(u64::from(u32::MAX)) as u32,
        };
        let mut peak = PschedRatecfg::default();
        if o.peakrate.rate != 0 {
            peak = PschedRatecfg::precompute(
                u64::from(o.peakrate.rate).max(o.prate64.unwrap_or(0)),
                o.peakrate.overhead,
                o.peakrate.mpu,
            );
            if peak.rate_bytes_ps <= rate.rate_bytes_ps {
                // pr_warn_ratelimited("sch_tbf: peakrate %llu is lower than or equals to rate")
                return Err(RtnlError::new(Errno::EINVAL));
            }
            match o.pburst {
                Some(pb) => {
                    max_size = max_size.min(pb);
                    mtu = peak.l2t_ns(pb);
                }
                None => max_size = (max_size as u64).min(peak.ns_t2l(mtu)) as u32,
            }
        }
        if max_size == 0 {
            return Err(RtnlError::new(Errno::EINVAL));
        }
        match &mut self.child {
            Some(c) => c.limit = o.limit,
            None if o.limit > 0 => self.child = Some(Fifo::bfifo(o.limit)),
            None => {}
        }
        self.limit = o.limit;
        self.mtu = if o.pburst.is_some() {
            mtu as i64
        } else {
            psched_ticks2ns(o.mtu) as i64
        };
        self.max_size = max_size;
        self.buffer = if o.burst.is_some() {
            buffer as i64
        } else {
            psched_ticks2ns(o.buffer) as i64
        };
        self.tokens = self.buffer;
        self.ptokens = self.mtu;
        self.rate = rate;
        self.peak = peak;
        Ok(())
    }
}

impl Kernel {
    /// `tbf_enqueue`.
    pub(crate) fn tbf_enqueue(&mut self, d: DevId, q: &mut Tbf, skb: SkBuff) -> NetXmit {
        if skb.len() > q.max_size as usize {
            q.drops += 1;
            self.qdisc_drop(d);
            return NetXmit::Drop;
        }
        let Some(child) = q.child.as_mut() else {
            // noop_qdisc: dropped, NET_XMIT_CN (counted as a drop all the same).
            q.drops += 1;
            self.qdisc_drop(d);
            return NetXmit::Success;
        };
        match child.enqueue(skb) {
            Ok(_) => NetXmit::Success,
            Err(_) => {
                q.drops += 1;
                self.qdisc_drop(d);
                NetXmit::Drop
            }
        }
    }

    /// `tbf_dequeue`: the head frame leaves when both buckets have its tokens; otherwise the
    /// watchdog is armed for when they will and the attempt counts as an overlimit.
    pub(crate) fn tbf_dequeue(&mut self, d: DevId, q: &mut Tbf) -> Option<SkBuff> {
        let len = q.child.as_ref()?.peek()?.len() as u32;
        let now = self.now.0 as i64;
        let mut toks = (now - q.t_c).min(q.buffer);
        let mut ptoks = 0;
        if q.peak_present() {
            ptoks = (toks + q.ptokens).min(q.mtu);
            ptoks -= q.peak.l2t_ns(len) as i64;
        }
        toks = (toks + q.tokens).min(q.buffer);
        toks -= q.rate.l2t_ns(len) as i64;
        if (toks | ptoks) >= 0 {
            let skb = q.child.as_mut()?.dequeue()?;
            q.t_c = now;
            q.tokens = toks;
            q.ptokens = ptoks;
            q.bytes += skb.len() as u64;
            q.packets += 1;
            return Some(skb);
        }
        let wait = (-toks).max(-ptoks);
        self.qdisc_watchdog_schedule(d, &mut q.watchdog, (now + wait) as u64);
        q.overlimits += 1;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(rate: u32, burst: u32, limit: u32) -> TbfOpts {
        TbfOpts {
            rate: TcRatespec {
                rate,
                ..Default::default()
            },
            limit,
            burst: Some(burst),
            ..Default::default()
        }
    }

    #[test]
    fn change_sizes_the_bucket_from_burst_and_checks_the_peak() {
        let mut q = Tbf::new(0x10000, 0);
        q.change(&opts(10_000, 1100, 3200)).unwrap();
        let o = q.dump();
        // 110 ms of tokens: 1 718 750 ticks, which tc prints back as 1100 bytes.
        assert_eq!((o.buffer, o.limit, o.rate.rate), (1_718_750, 3200, 10_000));
        let mut p = opts(125_000, 10240, 20000);
        p.peakrate.rate = 125_000;
        p.pburst = Some(1500);
        assert_eq!(
            q.change(&p).map_err(|e| e.errno),
            Err(Errno::EINVAL),
            "peakrate not above rate"
        );
        p.peakrate.rate = 250_000;
        q.change(&p).unwrap();
        assert_eq!(q.max_size, 1500);
    }
}
