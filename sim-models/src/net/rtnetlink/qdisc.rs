//! `RTM_NEWQDISC` / `RTM_DELQDISC` / `RTM_GETQDISC` dumps (`net/sched/sch_api.c`:
//! `tc_modify_qdisc`, `tc_get_qdisc`, `tc_dump_qdisc`) for the root qdisc of a device.
//!
//! The kernel side knows the default qdiscs (`noop` before the first open, `noqueue` after it,
//! as `dev_activate` attaches it on a device without a transmit queue) and `netem`
//! (`net/sch_netem.rs`). Other kinds the kernel knows are refused as not modelled; kinds it does
//! not know get its answer.

use super::route::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{DevKind, Kernel, NsId};
use crate::net::sch_netem::{Netem, NetemOpts};

/// `TC_H_ROOT`.
pub const TC_H_ROOT: u32 = 0xFFFF_FFFF;

/// The qdisc kinds a 6.1 kernel has modules for (`request_module("sch_%s")` finds them).
const KNOWN_KINDS: &[&str] = &[
    "atm",
    "bfifo",
    "cake",
    "cbq",
    "cbs",
    "choke",
    "clsact",
    "codel",
    "drr",
    "dsmark",
    "etf",
    "ets",
    "fq",
    "fq_codel",
    "fq_pie",
    "gred",
    "hfsc",
    "hhf",
    "htb",
    "ingress",
    "mq",
    "mqprio",
    "multiq",
    "netem",
    "noqueue",
    "pfifo",
    "pfifo_fast",
    "pfifo_head_drop",
    "pie",
    "plug",
    "prio",
    "qfq",
    "red",
    "sfb",
    "sfq",
    "skbprio",
    "taprio",
    "tbf",
];

/// A qdisc request (`struct tcmsg` + `TCA_KIND` + `TCA_OPTIONS`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcMsg {
    pub ifindex: IfIndex,
    /// `tcm_parent`: [`TC_H_ROOT`] or 0 (no parent given).
    pub parent: u32,
    /// `tcm_handle`: 0 lets the kernel choose.
    pub handle: u32,
    /// `TCA_KIND`.
    pub kind: Option<String>,
    /// `TCA_OPTIONS` of a netem qdisc.
    pub netem: Option<NetemOpts>,
}

/// One qdisc of a dump (`tc_fill_qdisc`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QdiscMsg {
    pub ifindex: IfIndex,
    pub kind: &'static str,
    pub handle: u32,
    pub parent: u32,
    /// `refcount_read(&q->refcnt)` for a root qdisc.
    pub refcnt: u32,
    pub netem: Option<NetemOpts>,
    /// `gnet_stats_basic`: bytes, packets.
    pub bytes: u64,
    pub packets: u64,
    /// `gnet_stats_queue`: qlen, backlog (bytes), drops.
    pub qlen: u32,
    pub backlog: u32,
    pub drops: u64,
    pub requeues: u64,
}

fn err(errno: Errno, msg: &str) -> RtnlError {
    RtnlError::extack(errno, msg)
}

impl Kernel {
    /// `tc_modify_qdisc` for the root of a device; `flags` are the request's `NLM_F_*`.
    pub fn rtm_newqdisc(&mut self, ns: NsId, m: &TcMsg, flags: u16) -> Result<(), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, m.ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        // The default qdisc (handle 0) counts as none.
        let q_handle = self.dev(d).qdisc.as_ref().map(|q| q.handle);
        let q_kind = "netem";
        let mut create = false;
        if m.parent == 0 {
            // No parent: the qdisc is named by its handle (qdisc_lookup), to be changed.
            if m.handle == 0 {
                return Err(err(Errno::EINVAL, "Handle cannot be zero"));
            }
            if q_handle != Some(m.handle) {
                return Err(err(Errno::ENOENT, "Specified qdisc not found"));
            }
        } else if m.parent != TC_H_ROOT {
            return Err(RtnlError::not_modelled(
                "tc qdisc with a parent other than root",
            ));
        } else if q_handle.is_none() || m.handle == 0 || q_handle != Some(m.handle) {
            if m.handle != 0 {
                if q_handle.is_some() && flags & NLM_F_REPLACE == 0 {
                    return Err(err(Errno::EEXIST, "NLM_F_REPLACE needed to override"));
                }
                if m.handle & 0xFFFF != 0 {
                    return Err(err(Errno::EINVAL, "Invalid minor handle"));
                }
                // qdisc_lookup: only the root qdisc exists in this model.
                if q_handle == Some(m.handle) {
                    if flags & NLM_F_EXCL != 0 {
                        return Err(err(Errno::EEXIST, "Exclusivity flag on, cannot override"));
                    }
                } else {
                    create = true;
                }
            } else if q_handle.is_none()
                || (flags & NLM_F_CREATE != 0
                    && flags & NLM_F_REPLACE != 0
                    && (flags & NLM_F_EXCL != 0 || m.kind.as_deref().is_some_and(|k| k != q_kind)))
            {
                create = true;
            }
        }
        if !create {
            // Change qdisc parameters.
            if q_handle.is_none() {
                return Err(err(Errno::ENOENT, "Specified qdisc not found"));
            }
            if flags & NLM_F_EXCL != 0 {
                return Err(err(Errno::EEXIST, "Exclusivity flag on, cannot modify"));
            }
            if m.kind.as_deref().is_some_and(|k| k != q_kind) {
                return Err(err(Errno::EINVAL, "Invalid qdisc name"));
            }
            let opts = m.netem.clone().ok_or(RtnlError::new(Errno::EINVAL))?;
            let mut q = self.dev_mut(d).qdisc.take().expect("checked");
            self.netem_change(&mut q, &opts);
            self.dev_mut(d).qdisc = Some(q);
            return Ok(());
        }
        if flags & NLM_F_CREATE == 0 {
            return Err(err(
                Errno::ENOENT,
                "Qdisc not found. To create specify NLM_F_CREATE flag",
            ));
        }
        // qdisc_create
        let kind = m.kind.as_deref().unwrap_or("");
        if !KNOWN_KINDS.contains(&kind) {
            return Err(err(Errno::ENOENT, "Specified qdisc kind is unknown"));
        }
        if kind != "netem" {
            return Err(RtnlError::not_modelled(format!("tc qdisc {kind}")));
        }
        let opts = m
            .netem
            .clone()
            .ok_or(err(Errno::EINVAL, "Qdisc options are required"))?;
        let handle = if m.handle != 0 {
            m.handle
        } else {
            // qdisc_alloc_handle: the machine's counter, skipping a handle the device uses.
            loop {
                self.qdisc_autohandle = self.qdisc_autohandle.wrapping_add(0x10000);
                if self.qdisc_autohandle == 0xFFFF_0000 {
                    self.qdisc_autohandle = 0x8000_0000;
                }
                if q_handle != Some(self.qdisc_autohandle) {
                    break self.qdisc_autohandle;
                }
            }
        };
        // qdisc_graft: the old root goes (with what it held), the new one takes its place.
        let mut q = Box::new(Netem::new(handle));
        self.netem_change(&mut q, &opts);
        self.dev_mut(d).qdisc = Some(q);
        Ok(())
    }

    /// `tc_get_qdisc` for `RTM_DELQDISC` of the root qdisc.
    pub fn rtm_delqdisc(&mut self, ns: NsId, m: &TcMsg) -> Result<(), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, m.ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        let (handle, kind) = match &self.dev(d).qdisc {
            Some(q) => (q.handle, "netem"),
            None if self.dev(d).qdisc_attached => (0, "noqueue"),
            None => (0, "noop"),
        };
        if m.parent == 0 {
            if m.handle == 0 || m.handle != handle {
                return Err(err(
                    Errno::ENOENT,
                    "Failed to find qdisc with specified handle",
                ));
            }
        } else if m.parent != TC_H_ROOT {
            return Err(RtnlError::not_modelled(
                "tc qdisc with a parent other than root",
            ));
        } else if m.handle != 0 && handle != m.handle {
            return Err(err(Errno::EINVAL, "Invalid handle"));
        }
        if m.kind.as_deref().is_some_and(|k| k != kind) {
            return Err(err(Errno::EINVAL, "Invalid qdisc name"));
        }
        if m.parent == 0 {
            return Err(err(Errno::EINVAL, "Classid cannot be zero"));
        }
        if handle == 0 {
            return Err(err(
                Errno::ENOENT,
                "Cannot delete qdisc with handle of zero",
            ));
        }
        // qdisc_graft(NULL) → dev_activate attaches the default again on an open device.
        let dev = self.dev_mut(d);
        dev.qdisc = None;
        dev.qdisc_attached = dev.up;
        Ok(())
    }

    /// `tc_dump_qdisc`: the root qdisc of each device of `ns` (the builtin `noop` of a device
    /// never opened is not dumped).
    pub fn rtnl_dump_qdisc(&self, ns: NsId) -> Vec<QdiscMsg> {
        let mut out = Vec::new();
        for &d in &self.net(ns).devs {
            let dev = self.dev(d);
            let msg = match &dev.qdisc {
                Some(q) => QdiscMsg {
                    ifindex: dev.ifindex,
                    kind: "netem",
                    handle: q.handle,
                    parent: TC_H_ROOT,
                    // One reference for dev->qdisc and one per transmit queue (`qdisc_graft`):
                    // a veth has two (the recorder's CPUs), the others one.
                    refcnt: if matches!(dev.kind, DevKind::Veth { .. }) {
                        3
                    } else {
                        2
                    },
                    netem: Some(q.dump()),
                    bytes: q.bytes,
                    packets: q.packets,
                    qlen: q.qlen() as u32,
                    backlog: q.backlog as u32,
                    drops: q.drops,
                    requeues: q.requeues,
                },
                None if dev.qdisc_attached || dev.up => QdiscMsg {
                    ifindex: dev.ifindex,
                    kind: "noqueue",
                    handle: 0,
                    parent: TC_H_ROOT,
                    refcnt: 2,
                    netem: None,
                    bytes: 0,
                    packets: 0,
                    qlen: 0,
                    backlog: 0,
                    drops: 0,
                    requeues: 0,
                },
                None => continue,
            };
            out.push(msg);
        }
        out
    }
}
