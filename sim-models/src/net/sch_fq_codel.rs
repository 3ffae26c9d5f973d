//! `net/sched/sch_fq_codel.c`, as far as nslab's devices exercise it: the default qdisc of a
//! queueing device (gretap: `net.core.default_qdisc` is fq_codel on the kernels compared
//! against) and an fq_codel added with `tc qdisc add|replace|change`.
//!
//! `fq_codel_init` sets `TCQ_F_CAN_BYPASS` (its limit is at least 1), and `__dev_xmit_skb`
//! sends a frame straight to the driver when such a qdisc is empty, counting it in the qdisc's
//! `bstats` only. nslab's devices never stop their queue (no driver ring fills), so every frame
//! takes that path: the qdisc is exactly a counter, and its flows, CoDel state and the
//! `maxpacket`/`new_flow_count` statistics stay 0 as the kernel's do (recorded on the VM:
//! `tests/recorded/vlan-qos`). tc sends no limit of 0 (it leaves zero numbers out), so the
//! bypass is always on; `ce_threshold_selector` is refused as not modelled.

/// `TCA_FQ_CODEL_*` as the qdisc holds them (times in microseconds as dumped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FqCodelParams {
    pub limit: u32,
    pub flows: u32,
    pub quantum: u32,
    /// `cparams.target` / `interval` in CoDel time units (ns >> `CODEL_SHIFT`).
    pub target: u32,
    pub interval: u32,
    /// `cparams.ce_threshold` (CoDel units); `CODEL_DISABLED_THRESHOLD` when not set.
    pub ce_threshold: u32,
    pub memory_limit: u32,
    pub ecn: bool,
    pub drop_batch: u32,
}

/// `CODEL_SHIFT`.
const CODEL_SHIFT: u32 = 10;
/// `CODEL_DISABLED_THRESHOLD`.
pub const CODEL_DISABLED_THRESHOLD: u32 = i32::MAX as u32;
/// `FQ_CODEL_QUANTUM_MAX`.
pub const FQ_CODEL_QUANTUM_MAX: u32 = 1 << 20;

/// `us_to_codel_time`... as `fq_codel_change` computes it: `(us * NSEC_PER_USEC) >> CODEL_SHIFT`.
pub fn us_to_codel(us: u32) -> u32 {
    ((u64::from(us) * 1000) >> CODEL_SHIFT) as u32
}

/// `codel_time_to_us`, what `fq_codel_dump` reports.
pub fn codel_to_us(t: u32) -> u32 {
    ((u64::from(t) << CODEL_SHIFT) / 1000) as u32
}

impl FqCodelParams {
    /// `fq_codel_init`'s defaults: `quantum` is `psched_mtu(dev)` (MTU + link-layer header).
    pub fn defaults(psched_mtu: u32) -> FqCodelParams {
        FqCodelParams {
            limit: 10 * 1024,
            flows: 1024,
            quantum: psched_mtu,
            target: us_to_codel(5000),
            interval: us_to_codel(100_000),
            ce_threshold: CODEL_DISABLED_THRESHOLD,
            memory_limit: 32 << 20,
            ecn: true,
            drop_batch: 64,
        }
    }
}

/// What `tc` asked for (`TCA_OPTIONS` of an fq_codel request): absent members keep theirs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FqCodelOpts {
    pub limit: Option<u32>,
    pub flows: Option<u32>,
    pub quantum: Option<u32>,
    /// Microseconds.
    pub target: Option<u32>,
    pub interval: Option<u32>,
    pub ce_threshold: Option<u32>,
    pub memory_limit: Option<u32>,
    pub ecn: Option<bool>,
    pub drop_batch: Option<u32>,
}

#[derive(Debug)]
pub struct FqCodel {
    pub handle: u32,
    pub p: FqCodelParams,
    /// `bstats`: the frames that went through (all by the bypass).
    pub bytes: u64,
    pub packets: u64,
}

impl FqCodel {
    pub fn new(handle: u32, psched_mtu: u32) -> FqCodel {
        FqCodel {
            handle,
            p: FqCodelParams::defaults(psched_mtu),
            bytes: 0,
            packets: 0,
        }
    }

    /// `fq_codel_change` (`init`: the qdisc is new, so `flows` may be set), with the kernel's
    /// errors.
    pub fn change(
        &mut self,
        o: &FqCodelOpts,
        init: bool,
    ) -> Result<(), crate::net::rtnetlink::RtnlError> {
        use crate::errno::Errno;
        use crate::net::rtnetlink::RtnlError;
        let mut p = self.p;
        if let Some(f) = o.flows {
            if !init || f == 0 || f > 65536 {
                return Err(Errno::EINVAL.into());
            }
            p.flows = f;
        }
        if let Some(q) = o.quantum {
            let q = q.max(256);
            if q > FQ_CODEL_QUANTUM_MAX {
                return Err(RtnlError::extack(Errno::EINVAL, "Invalid quantum"));
            }
            p.quantum = q;
        }
        if let Some(t) = o.target {
            p.target = us_to_codel(t);
        }
        if let Some(t) = o.ce_threshold {
            p.ce_threshold = us_to_codel(t);
        }
        if let Some(t) = o.interval {
            p.interval = us_to_codel(t);
        }
        if let Some(l) = o.limit {
            p.limit = l;
        }
        if let Some(e) = o.ecn {
            p.ecn = e;
        }
        if let Some(b) = o.drop_batch {
            p.drop_batch = b.max(1);
        }
        if let Some(m) = o.memory_limit {
            p.memory_limit = m.min(1 << 31);
        }
        self.p = p;
        Ok(())
    }

    /// `fq_codel_dump` as the options a request would carry (every member present,
    /// `ce_threshold` only when set).
    pub fn dump_opts(&self) -> FqCodelOpts {
        let p = self.dump();
        FqCodelOpts {
            limit: Some(p.limit),
            flows: Some(p.flows),
            quantum: Some(p.quantum),
            target: Some(p.target),
            interval: Some(p.interval),
            ce_threshold: (p.ce_threshold != CODEL_DISABLED_THRESHOLD).then_some(p.ce_threshold),
            memory_limit: Some(p.memory_limit),
            ecn: Some(p.ecn),
            drop_batch: Some(p.drop_batch),
        }
    }

    /// `fq_codel_dump` (times back in microseconds).
    pub fn dump(&self) -> FqCodelParams {
        let mut p = self.p;
        p.target = codel_to_us(p.target);
        p.interval = codel_to_us(p.interval);
        if p.ce_threshold != CODEL_DISABLED_THRESHOLD {
            p.ce_threshold = codel_to_us(p.ce_threshold);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the VM's `tc qdisc show` printed for the defaults and for
    /// `target 2ms interval 50ms`: 4999 us, 99999 us, 1999 us, 49999 us (tc prints them with
    /// `%.3g`: 5ms, 100ms, 2ms, 50ms).
    #[test]
    fn codel_times_round_as_the_kernel_dumps_them() {
        let d = FqCodel::new(0, 1476).dump();
        assert_eq!((d.target, d.interval, d.quantum), (4999, 99999, 1476));
        let mut q = FqCodel::new(0, 1514);
        let o = FqCodelOpts {
            target: Some(2000),
            interval: Some(50_000),
            quantum: Some(300),
            flows: Some(16),
            ..Default::default()
        };
        q.change(&o, true).unwrap();
        let d = q.dump();
        assert_eq!(
            (d.target, d.interval, d.quantum, d.flows),
            (1999, 49999, 300, 16)
        );
        // flows cannot change once the qdisc exists.
        assert!(q.change(&o, false).is_err());
    }
}
