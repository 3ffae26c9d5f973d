//! `RTM_NEWQDISC` / `RTM_DELQDISC` / `RTM_GETQDISC` dumps (`net/sched/sch_api.c`:
//! `__tc_modify_qdisc`, `__tc_get_qdisc`, `tc_dump_qdisc`) for the root qdisc of a device, as
//! 6.18 has them (extack texts included; a `change` naming another kind grafts a new qdisc).
//!
//! The kernel side knows the default qdiscs (`noop` before the first open, `noqueue` after it,
//! as `dev_activate` attaches it on a device without a transmit queue; fq_codel with handle 0 on
//! a gretap, the one queueing kind) and the kinds of `net/sch_generic.rs` (netem, tbf, pfifo,
//! bfifo, pfifo_head_drop, pfifo_fast, fq_codel, noqueue).
//! Other kinds the kernel knows are refused as not modelled; kinds it does not know get its
//! answer.

use super::route::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{DevId, Kernel, NsId};
use crate::net::act_api::{ActKind, TcAct, TcAction};
use crate::net::cls_api::{TcfNode, TcfProto};
use crate::net::cls_flower::{FlowerFilter, FlowerKeys};
use crate::net::cls_u32::{U32Key, U32Knode};
use crate::net::sch_fifo::{Fifo, FifoKind};
use crate::net::sch_fq_codel::{FqCodel, FqCodelOpts};
use crate::net::sch_generic::{Qdisc, QdiscStats};
use crate::net::sch_netem::{Netem, NetemOpts};
use crate::net::sch_tbf::{Tbf, TbfOpts};

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

/// `TCA_OPTIONS` of the modelled kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QdiscOpts {
    Netem(NetemOpts),
    Tbf(TbfOpts),
    /// `struct tc_fifo_qopt` (pfifo, bfifo, pfifo_head_drop).
    Fifo {
        limit: u32,
    },
    FqCodel(FqCodelOpts),
}

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
    /// `TCA_OPTIONS`, if the request has them.
    pub opts: Option<QdiscOpts>,
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
    pub opts: Option<QdiscOpts>,
    pub stats: QdiscStats,
}

fn err(errno: Errno, msg: &str) -> RtnlError {
    RtnlError::extack(errno, msg)
}

const INVALID_NAME: &str = "Invalid qdisc name: must match existing qdisc";

impl Kernel {
    /// `__tc_modify_qdisc` for the root of a device (or a qdisc named by its handle alone);
    /// `flags` are the request's `NLM_F_*`.
    pub fn rtm_newqdisc(&mut self, ns: NsId, m: &TcMsg, flags: u16) -> Result<(), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, m.ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        if m.parent == TC_H_INGRESS {
            return self.rtm_newqdisc_ingress(d, m, flags);
        }
        // The default qdisc (handle 0) counts as none ("It may be default qdisc, ignore it").
        let cur = self
            .dev(d)
            .qdisc
            .as_ref()
            .map(|q| (q.handle(), q.kind()))
            .filter(|c| c.0 != 0);
        let q_handle = cur.map(|c| c.0);
        let kind_differs = |k: &str| m.kind.as_deref().is_some_and(|x| x != k);
        enum Next {
            Change,
            CreateNGraft,
            CreateNGraft2,
        }
        let next = if m.parent == 0 {
            // No parent: the qdisc is named by its handle (qdisc_lookup), to be changed.
            if m.handle == 0 {
                return Err(err(Errno::EINVAL, "Handle cannot be zero"));
            }
            if q_handle != Some(m.handle) {
                return Err(err(Errno::ENOENT, "Specified qdisc not found"));
            }
            Next::Change
        } else if m.parent != TC_H_ROOT {
            return Err(RtnlError::not_modelled(
                "tc qdisc with a parent other than root",
            ));
        } else if cur.is_none() || m.handle == 0 || q_handle != Some(m.handle) {
            if m.handle != 0 {
                if cur.is_some() && flags & NLM_F_REPLACE == 0 {
                    return Err(err(Errno::EEXIST, "NLM_F_REPLACE needed to override"));
                }
                if m.handle & 0xFFFF != 0 {
                    return Err(err(Errno::EINVAL, "Invalid minor handle"));
                }
                // qdisc_lookup: only the root qdisc exists in this model, and its handle
                // differs: create.
                Next::CreateNGraft
            } else {
                match cur {
                    None => Next::CreateNGraft,
                    Some((_, k)) if kind_differs(k) => {
                        let create = flags & NLM_F_CREATE != 0;
                        if create && flags & (NLM_F_REPLACE | NLM_F_EXCL) != 0 {
                            Next::CreateNGraft
                        } else if !create && flags & (NLM_F_REPLACE | NLM_F_EXCL) == 0 {
                            Next::CreateNGraft2
                        } else {
                            Next::Change
                        }
                    }
                    Some(_) => Next::Change,
                }
            }
        } else {
            Next::Change
        };
        match next {
            Next::Change => {
                let Some((_, k)) = cur else {
                    return Err(err(Errno::ENOENT, "Specified qdisc not found"));
                };
                if flags & NLM_F_EXCL != 0 {
                    return Err(err(Errno::EEXIST, "Exclusivity flag on, cannot modify"));
                }
                if kind_differs(k) {
                    return Err(err(Errno::EINVAL, INVALID_NAME));
                }
                self.qdisc_change(d, m)
            }
            Next::CreateNGraft if flags & NLM_F_CREATE == 0 => Err(err(
                Errno::ENOENT,
                "Qdisc not found. To create specify NLM_F_CREATE flag",
            )),
            Next::CreateNGraft | Next::CreateNGraft2 => self.qdisc_create(d, m, q_handle),
        }
    }

    /// `qdisc_change`: the kind's change with the request's options (none: nothing changes).
    fn qdisc_change(&mut self, d: DevId, m: &TcMsg) -> Result<(), RtnlError> {
        let Some(opts) = &m.opts else {
            return Ok(());
        };
        let mut q = self.dev_mut(d).qdisc.take().expect("checked");
        let r = match (&mut *q, opts) {
            (Qdisc::Netem(n), QdiscOpts::Netem(o)) => {
                self.netem_change(n, o);
                Ok(())
            }
            (Qdisc::Tbf(t), QdiscOpts::Tbf(o)) => t.change(o),
            (Qdisc::Fifo(f), QdiscOpts::Fifo { limit }) => {
                f.limit = *limit;
                Ok(())
            }
            (Qdisc::FqCodel(f), QdiscOpts::FqCodel(o)) => f.change(o, false),
            // The same kind always parses the same options; pfifo_fast and noqueue have none.
            _ => Err(RtnlError::new(Errno::EOPNOTSUPP)),
        };
        self.dev_mut(d).qdisc = Some(q);
        r
    }

    /// `qdisc_create` + `qdisc_graft` at the root: the old root goes (with what it held).
    fn qdisc_create(
        &mut self,
        d: DevId,
        m: &TcMsg,
        q_handle: Option<u32>,
    ) -> Result<(), RtnlError> {
        let kind = m.kind.as_deref().unwrap_or("");
        if !KNOWN_KINDS.contains(&kind) {
            return Err(err(Errno::ENOENT, "Specified qdisc kind is unknown"));
        }
        let fifo = FifoKind::from_id(kind);
        if !matches!(kind, "netem" | "tbf" | "noqueue" | "fq_codel") && fifo.is_none() {
            return Err(RtnlError::not_modelled(format!("tc qdisc {kind}")));
        }
        if matches!(kind, "netem" | "tbf") && m.opts.is_none() {
            // netem_init / tbf_init without options.
            return Err(match kind {
                "netem" => err(Errno::EINVAL, "Qdisc options are required"),
                _ => RtnlError::new(Errno::EINVAL),
            });
        }
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
        let q = match (kind, &m.opts) {
            ("netem", Some(QdiscOpts::Netem(o))) => {
                let mut n = Netem::new(handle);
                self.netem_change(&mut n, o);
                Qdisc::Netem(n)
            }
            ("tbf", Some(QdiscOpts::Tbf(o))) => {
                let mut t = Tbf::new(handle, self.now.0);
                t.change(o)?;
                Qdisc::Tbf(t)
            }
            ("noqueue", _) => Qdisc::Noqueue { handle },
            ("fq_codel", opts) => {
                let mut f = FqCodel::new(handle, self.psched_mtu(d));
                if let Some(QdiscOpts::FqCodel(o)) = opts {
                    f.change(o, true)?;
                }
                Qdisc::FqCodel(f)
            }
            (_, opts) => {
                let limit = match opts {
                    Some(QdiscOpts::Fifo { limit }) if fifo != Some(FifoKind::PfifoFast) => {
                        Some(*limit)
                    }
                    _ => None,
                };
                let f = fifo.expect("a fifo kind");
                Qdisc::Fifo(Fifo::new(self, d, handle, f, limit))
            }
        };
        self.dev_mut(d).qdisc = Some(Box::new(q));
        Ok(())
    }

    /// `__tc_get_qdisc` for `RTM_DELQDISC` of the root qdisc.
    pub fn rtm_delqdisc(&mut self, ns: NsId, m: &TcMsg) -> Result<(), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, m.ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        if m.parent == TC_H_INGRESS {
            return self.rtm_delqdisc_ingress(d, m);
        }
        let (handle, kind) = match &self.dev(d).qdisc {
            Some(q) => (q.handle(), q.kind()),
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
            return Err(err(Errno::EINVAL, INVALID_NAME));
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
        if dev.up {
            self.attach_default_qdisc(d);
        }
        Ok(())
    }

    /// `attach_one_default_qdisc` at `dev_activate` for a device with a transmit queue (not
    /// `IFF_NO_QUEUE`): of the modelled kinds only gretap, which gets `net.core.default_qdisc`
    /// (fq_codel, handle 0). The others keep none (`noqueue`).
    pub(crate) fn attach_default_qdisc(&mut self, d: DevId) {
        if self.dev(d).qdisc.is_none()
            && matches!(self.dev(d).kind, crate::kernel::DevKind::Gretap(_))
        {
            let q = FqCodel::new(0, self.psched_mtu(d));
            self.dev_mut(d).qdisc = Some(Box::new(Qdisc::FqCodel(q)));
        }
    }

    /// `tc_dump_qdisc`: the root qdisc of each device of `ns` (the builtin `noop` of a device
    /// never opened is not dumped).
    pub fn rtnl_dump_qdisc(&self, ns: NsId) -> Vec<QdiscMsg> {
        let mut out = Vec::new();
        for &d in &self.net(ns).devs {
            let dev = self.dev(d);
            let msg = match dev.qdisc.as_deref() {
                Some(q) => QdiscMsg {
                    ifindex: dev.ifindex,
                    kind: q.kind(),
                    handle: q.handle(),
                    parent: TC_H_ROOT,
                    // One reference for dev->qdisc and one per transmit queue (`qdisc_graft`).
                    refcnt: 1 + self.dev_num_tx_queues(d),
                    opts: match q {
                        Qdisc::Netem(n) => Some(QdiscOpts::Netem(n.dump())),
                        Qdisc::Tbf(t) => Some(QdiscOpts::Tbf(t.dump())),
                        Qdisc::Fifo(f) => Some(QdiscOpts::Fifo { limit: f.limit }),
                        Qdisc::FqCodel(f) => Some(QdiscOpts::FqCodel(f.dump_opts())),
                        Qdisc::Noqueue { .. } => None,
                    },
                    stats: q.stats(),
                },
                None if dev.qdisc_attached || dev.up => QdiscMsg {
                    ifindex: dev.ifindex,
                    kind: "noqueue",
                    handle: 0,
                    parent: TC_H_ROOT,
                    refcnt: 2,
                    opts: None,
                    stats: QdiscStats::default(),
                },
                None => continue,
            };
            out.push(msg);
            if let Some(tc) = &dev.tc_ingress {
                out.push(QdiscMsg {
                    ifindex: dev.ifindex,
                    kind: if tc.clsact { "clsact" } else { "ingress" },
                    handle: TC_H_INGRESS_HANDLE,
                    parent: TC_H_INGRESS,
                    refcnt: 1,
                    opts: None,
                    stats: QdiscStats::default(),
                });
            }
        }
        out
    }
}

/// `TC_H_INGRESS` (= `TC_H_CLSACT`): the parent of the clsact/ingress qdisc.
pub const TC_H_INGRESS: u32 = 0xFFFF_FFF1;
/// The handle of the clsact/ingress qdisc (`ffff:`).
pub const TC_H_INGRESS_HANDLE: u32 = 0xFFFF_0000;
/// `TC_H_MIN_INGRESS`, `TC_H_MIN_EGRESS`.
pub const TC_H_MIN_INGRESS: u32 = 0xFFF2;
pub const TC_H_MIN_EGRESS: u32 = 0xFFF3;

impl Kernel {
    /// `__tc_modify_qdisc` with the ingress parent: the clsact/ingress qdisc.
    pub(crate) fn rtm_newqdisc_ingress(
        &mut self,
        d: DevId,
        m: &TcMsg,
        flags: u16,
    ) -> Result<(), RtnlError> {
        let cur = self
            .dev(d)
            .tc_ingress
            .as_ref()
            .map(|t| if t.clsact { "clsact" } else { "ingress" });
        let kind = m.kind.as_deref().unwrap_or("");
        let create = match cur {
            Some(k) if m.handle == TC_H_INGRESS_HANDLE => {
                if flags & NLM_F_EXCL != 0 {
                    return Err(err(Errno::EEXIST, "Exclusivity flag on, cannot modify"));
                }
                if m.kind.is_some() && kind != k {
                    return Err(err(Errno::EINVAL, INVALID_NAME));
                }
                // qdisc_change: neither has options.
                return Ok(());
            }
            Some(_) if m.handle != 0 => {
                if flags & NLM_F_REPLACE == 0 {
                    return Err(err(Errno::EEXIST, "NLM_F_REPLACE needed to override"));
                }
                true
            }
            _ => true,
        };
        if create && flags & NLM_F_CREATE == 0 {
            return Err(err(
                Errno::ENOENT,
                "Qdisc not found. To create specify NLM_F_CREATE flag",
            ));
        }
        if !KNOWN_KINDS.contains(&kind) {
            return Err(err(Errno::ENOENT, "Specified qdisc kind is unknown"));
        }
        if !matches!(kind, "clsact" | "ingress") {
            return Err(err(
                Errno::EINVAL,
                "Specified parent ID is reserved for ingress and clsact Qdiscs",
            ));
        }
        self.dev_mut(d).tc_ingress = Some(Box::new(crate::net::cls_api::TcIngress {
            clsact: kind == "clsact",
            ingress_classid: 0xFFFF_0000 | TC_H_MIN_INGRESS,
            ..Default::default()
        }));
        Ok(())
    }

    /// `__tc_get_qdisc` for `RTM_DELQDISC` of the clsact/ingress qdisc.
    pub(crate) fn rtm_delqdisc_ingress(&mut self, d: DevId, m: &TcMsg) -> Result<(), RtnlError> {
        let Some(k) =
            self.dev(d)
                .tc_ingress
                .as_ref()
                .map(|t| if t.clsact { "clsact" } else { "ingress" })
        else {
            return Err(err(
                Errno::ENOENT,
                "Cannot find specified qdisc on specified device",
            ));
        };
        if m.handle != 0 && m.handle != TC_H_INGRESS_HANDLE {
            return Err(err(Errno::EINVAL, "Invalid handle"));
        }
        if m.kind.as_deref().is_some_and(|x| x != k) {
            return Err(err(Errno::EINVAL, INVALID_NAME));
        }
        self.dev_mut(d).tc_ingress = None;
        Ok(())
    }
}

/// An action of a filter request (`TCA_ACT_*`): gact's verdict, or mirred with the target's
/// ifindex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActReq {
    Gact(TcAct),
    Mirred {
        redirect: bool,
        ifindex: IfIndex,
        action: TcAct,
    },
}

/// The classifier's options of a filter request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClsOpts {
    U32(Vec<U32Key>),
    Flower(FlowerKeys),
}

/// A filter request (`struct tcmsg` with `tcm_info` = prio << 16 | protocol, `TCA_KIND`,
/// `TCA_OPTIONS` with the actions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TfMsg {
    pub ifindex: IfIndex,
    pub parent: u32,
    /// 0: the kernel chooses (`tcf_auto_prio`).
    pub prio: u32,
    /// Host order; 0 for none given (a delete or show).
    pub protocol: u16,
    pub kind: Option<String>,
    pub opts: Option<ClsOpts>,
    pub actions: Vec<ActReq>,
}

/// One filter of a dump: the priority's header (`node` None) or one of its nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TfDump {
    /// The block's classid (`block->classid`: the parent of the last filter request to it).
    pub parent: u32,
    pub tp: TcfProto,
    /// The node index in `tp.nodes`; None for the header, Some(usize::MAX) for u32's table.
    pub node: Option<usize>,
}

impl Kernel {
    /// The block a filter request names: `Err` with the kernel's answer.
    fn tcf_block_find(&mut self, ns: NsId, m: &TfMsg) -> Result<(DevId, bool), RtnlError> {
        let d = self
            .dev_by_ifindex(ns, m.ifindex)
            .ok_or(RtnlError::new(Errno::ENODEV))?;
        if m.parent >> 16 != 0xFFFF {
            return Err(RtnlError::not_modelled(
                "tc filter with a parent other than ingress or egress",
            ));
        }
        let Some(tc) = self.dev(d).tc_ingress.as_ref() else {
            return Err(err(Errno::EINVAL, "Parent Qdisc doesn't exists"));
        };
        let min = m.parent & 0xFFFF;
        let egress = if tc.clsact {
            match min {
                TC_H_MIN_INGRESS => false,
                TC_H_MIN_EGRESS => true,
                _ => return Err(err(Errno::ENOENT, "Specified class doesn't exist")),
            }
        } else {
            // ingress_find answers any class; its one block is the ingress block.
            false
        };
        Ok((d, egress))
    }

    fn tcf_block_mut(&mut self, d: DevId, egress: bool) -> &mut Vec<TcfProto> {
        let tc = self.dev_mut(d).tc_ingress.as_mut().expect("found");
        if egress {
            &mut tc.egress
        } else {
            &mut tc.ingress
        }
    }

    /// `tc_new_tfilter` (chain 0): a new priority or a new node in an existing one.
    pub fn rtm_newtfilter(&mut self, ns: NsId, m: &TfMsg, flags: u16) -> Result<(), RtnlError> {
        let (d, egress) = self.tcf_block_find(ns, m)?;
        let kind = m.kind.as_deref().unwrap_or("");
        let mut acts = Vec::new();
        for a in &m.actions {
            acts.push(match a {
                ActReq::Gact(v) => ActKind::Gact(*v),
                ActReq::Mirred {
                    redirect,
                    ifindex,
                    action,
                } => ActKind::Mirred {
                    redirect: *redirect,
                    dev: self
                        .dev_by_ifindex(ns, *ifindex)
                        .ok_or(err(Errno::EINVAL, "Specified device does not exist"))?,
                    action: *action,
                },
            });
        }
        let block = self.tcf_block_mut(d, egress);
        let prio = if m.prio != 0 {
            m.prio
        } else {
            // tcf_auto_prio: one below the first priority from 0x8000 on (the one the search
            // for 0x8000 stops at), 0xC000 if there is none.
            block
                .iter()
                .find(|tp| tp.prio >= 0x8000)
                .map_or(0xC000, |tp| tp.prio - 1)
        };
        let pos = block.iter().position(|tp| tp.prio == prio);
        if let Some(i) = pos {
            let tp = &block[i];
            if m.protocol != 0 && tp.protocol != m.protocol {
                return Err(err(
                    Errno::EINVAL,
                    "Specified filter protocol does not match",
                ));
            }
            if m.kind.is_some() && tp.kind != kind {
                return Err(err(
                    Errno::EINVAL,
                    "Specified filter kind does not match existing one",
                ));
            }
        } else if flags & NLM_F_CREATE == 0 {
            return Err(err(
                Errno::ENOENT,
                "Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new chain",
            ));
        }
        let kind_static: &'static str = match kind {
            "u32" => "u32",
            "flower" => "flower",
            _ => return Err(RtnlError::not_modelled(format!("tc filter {kind}"))),
        };
        // Action indexes: one sequence per namespace and kind (tcf_idr_create).
        let now = self.now.0;
        let mut actions = Vec::new();
        for a in acts {
            let id = a.id();
            let next = self.net_mut(ns).tc_action_index.entry(id).or_insert(0);
            *next += 1;
            actions.push(TcAction::new(a, *next, now));
        }
        // u32's table ids come from the qdisc's `tc_u_common` (both blocks of a clsact): the
        // first table is 800:, the next ones from its cyclic id allocator (801:, 802:, ...).
        let next_ht = if pos.is_none() && kind_static == "u32" {
            let tc = self.dev_mut(d).tc_ingress.as_mut().expect("found");
            match &mut tc.u32_idr_next {
                Some(n) => {
                    let id = *n;
                    *n = if *n >= 0x7FE { 1 } else { *n + 1 };
                    0x800 | id
                }
                none => {
                    *none = Some(1);
                    0x800
                }
            }
        } else {
            0x800
        };
        {
            let tc = self.dev_mut(d).tc_ingress.as_mut().expect("found");
            if !egress {
                tc.ingress_classid = m.parent;
            }
        }
        let block = self.tcf_block_mut(d, egress);
        let i = match pos {
            Some(i) => i,
            None => {
                let at = block
                    .iter()
                    .position(|tp| tp.prio > prio)
                    .unwrap_or(block.len());
                block.insert(
                    at,
                    TcfProto {
                        prio,
                        protocol: m.protocol,
                        kind: kind_static,
                        ht: if kind_static == "u32" { next_ht } else { 0 },
                        nodes: Vec::new(),
                    },
                );
                at
            }
        };
        let tp = &mut block[i];
        let node = match &m.opts {
            Some(ClsOpts::U32(keys)) => {
                let id = tp
                    .nodes
                    .iter()
                    .map(|n| (n.handle() & 0xFFF) + 1)
                    .max()
                    .unwrap_or(0x800);
                TcfNode::U32(
                    U32Knode {
                        handle: (tp.ht << 20) | id,
                        keys: keys.clone(),
                        rcnt: 0,
                        rhit: 0,
                    },
                    actions,
                )
            }
            Some(ClsOpts::Flower(keys)) => {
                let id = tp.nodes.iter().map(|n| n.handle() + 1).max().unwrap_or(1);
                let mut keys = keys.clone();
                if tp.protocol != crate::net::cls_api::ETH_P_ALL {
                    // fl_set_key: eth_type from the filter's protocol (a VLAN's inner type
                    // is its vlan_ethtype, not modelled).
                    if !matches!(tp.protocol, 0x8100 | 0x88a8) {
                        keys.eth_type = Some(tp.protocol);
                    }
                }
                TcfNode::Flower(FlowerFilter { handle: id, keys }, actions)
            }
            None => TcfNode::Flower(
                FlowerFilter {
                    handle: 1,
                    keys: FlowerKeys::default(),
                },
                actions,
            ),
        };
        tp.nodes.push(node);
        Ok(())
    }

    /// `tc_del_tfilter` (chain 0): a priority, or every filter without one.
    pub fn rtm_deltfilter(&mut self, ns: NsId, m: &TfMsg) -> Result<(), RtnlError> {
        let (d, egress) = self.tcf_block_find(ns, m)?;
        let block = self.tcf_block_mut(d, egress);
        if m.prio == 0 {
            // tcf_chain_flush.
            block.clear();
            return Ok(());
        }
        match block.iter().position(|tp| tp.prio == m.prio) {
            Some(i) => {
                block.remove(i);
                Ok(())
            }
            None => Err(err(
                Errno::ENOENT,
                "Filter with specified priority/protocol not found",
            )),
        }
    }

    /// `tc_dump_tfilter` of a block: each priority's header, then its nodes.
    pub fn rtnl_dump_tfilter(&mut self, ns: NsId, m: &TfMsg) -> Result<Vec<TfDump>, RtnlError> {
        let (d, egress) = match self.tcf_block_find(ns, m) {
            Ok(x) => x,
            // A dump of a device without the qdisc is empty.
            Err(e) if e.not_modelled.is_none() => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let classid = {
            let tc = self.dev(d).tc_ingress.as_ref().expect("found");
            if egress {
                0xFFFF_0000 | TC_H_MIN_EGRESS
            } else {
                tc.ingress_classid
            }
        };
        let block = self.tcf_block_mut(d, egress).clone();
        let mut out = Vec::new();
        for tp in block {
            if m.prio != 0 && tp.prio != m.prio {
                continue;
            }
            out.push(TfDump {
                parent: classid,
                tp: tp.clone(),
                node: None,
            });
            if tp.kind == "u32" {
                out.push(TfDump {
                    parent: classid,
                    tp: tp.clone(),
                    node: Some(usize::MAX),
                });
            }
            for i in 0..tp.nodes.len() {
                out.push(TfDump {
                    parent: classid,
                    tp: tp.clone(),
                    node: Some(i),
                });
            }
        }
        Ok(out)
    }
}
