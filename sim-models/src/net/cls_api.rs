//! Filters (`net/sched/cls_api.c`): a block's filters by priority (`struct tcf_proto`, one
//! per `pref`, of one classifier kind and protocol, with its nodes), `tcf_classify` running
//! them in order until one answers, and the hooks of the clsact/ingress qdisc
//! (`net/sched/sch_ingress.c`, `sch_handle_ingress` / `sch_handle_egress` of
//! `net/core/dev.c`).
//!
//! Only chain 0 is modelled; the classifiers are u32 (`net/cls_u32.rs`) and flower
//! (`net/cls_flower.rs`), the actions gact and mirred (`net/act_api.rs`). A device without a
//! clsact/ingress qdisc (`NetDevice::tc_ingress` None) pays one `Option` check a frame.

use crate::dropreason::SkbDropReason;
use crate::kernel::{DevId, Kernel};
use crate::net::act_api::{TcAct, TcAction};
use crate::net::cls_flower::{dissect, FlowerFilter};
use crate::net::cls_u32::U32Knode;
use crate::net::dev::NetXmit;
use crate::net::skbuff::SkBuff;

/// `ETH_P_ALL`.
pub const ETH_P_ALL: u16 = 0x0003;

/// A filter node with its actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TcfNode {
    U32(U32Knode, Vec<TcAction>),
    Flower(FlowerFilter, Vec<TcAction>),
}

impl TcfNode {
    pub fn actions(&self) -> &[TcAction] {
        match self {
            TcfNode::U32(_, a) | TcfNode::Flower(_, a) => a,
        }
    }

    pub fn handle(&self) -> u32 {
        match self {
            TcfNode::U32(n, _) => n.handle,
            TcfNode::Flower(f, _) => f.handle,
        }
    }
}

/// `struct tcf_proto`: the filters of one priority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcfProto {
    pub prio: u32,
    /// `tp->protocol` (host order; [`ETH_P_ALL`] for `all`).
    pub protocol: u16,
    /// `u32` or `flower`.
    pub kind: &'static str,
    /// u32's root hash table id (`800:`, `801:`, ...).
    pub ht: u32,
    pub nodes: Vec<TcfNode>,
}

/// The clsact or ingress qdisc of a device with its blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcIngress {
    /// clsact (ingress and egress blocks) rather than ingress.
    pub clsact: bool,
    pub ingress: Vec<TcfProto>,
    pub egress: Vec<TcfProto>,
    /// The ingress block's `classid`: the parent of the last filter request to it (an
    /// ingress qdisc's one block takes `egress` requests too, and dumps say so).
    pub ingress_classid: u32,
    /// u32's `tc_u_common` of this qdisc: the next id of its cyclic table id allocator, once
    /// the first table (800:) made it.
    pub u32_idr_next: Option<u32>,
}

/// `skb_protocol(skb, false)` and the network header's offset of a frame.
fn skb_protocol(frame: &[u8]) -> (u16, usize) {
    if frame.len() < 14 {
        return (0, frame.len());
    }
    let et = u16::from_be_bytes([frame[12], frame[13]]);
    if (et == 0x8100 || et == 0x88a8) && frame.len() >= 18 {
        // A tag present: the VLAN protocol; the network header after the tag.
        return (et, 18);
    }
    (et, 14)
}

impl Kernel {
    /// `tcf_classify` over a block: the first filter of a matching protocol whose node
    /// matches runs its actions; `continue` (`TC_ACT_UNSPEC`) goes on to the next.
    fn tcf_classify(
        &mut self,
        block: &mut [TcfProto],
        skb: &SkBuff,
        len: u64,
    ) -> (TcAct, Option<(DevId, SkBuff)>) {
        let frame = skb.data();
        let (proto, nh) = skb_protocol(frame);
        let dissected = dissect(frame);
        for tp in block.iter_mut() {
            if tp.protocol != ETH_P_ALL && tp.protocol != proto {
                continue;
            }
            for node in tp.nodes.iter_mut() {
                let (hit, acts) = match node {
                    TcfNode::U32(n, acts) => (n.classify(&frame[nh..]), acts),
                    TcfNode::Flower(f, acts) => {
                        (dissected.as_ref().is_some_and(|d| f.matches(d)), acts)
                    }
                };
                if !hit {
                    continue;
                }
                let r = self.tcf_action_exec(acts, skb, len);
                if r.0 != TcAct::Unspec {
                    return r;
                }
            }
        }
        (TcAct::Unspec, None)
    }

    /// `sch_handle_ingress`: the ingress block of a clsact/ingress qdisc classifies a
    /// received frame (after the taps saw it). `None`: consumed (dropped or redirected).
    pub(crate) fn sch_handle_ingress(&mut self, d: DevId, skb: SkBuff) -> Option<SkBuff> {
        let mut tc = self.dev_mut(d).tc_ingress.take()?;
        // skb->len on ingress counts from the network header.
        let len = skb.len().saturating_sub(skb_protocol(skb.data()).1) as u64;
        let (verdict, redirect) = self.tcf_classify(&mut tc.ingress, &skb, len);
        self.dev_mut(d).tc_ingress = Some(tc);
        match verdict {
            TcAct::Shot => {
                self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "sch_handle_ingress");
                None
            }
            TcAct::Stolen => {
                if let Some((t, s)) = redirect {
                    self.mirred_xmit(t, s);
                }
                None
            }
            _ => Some(skb),
        }
    }

    /// `sch_handle_egress`: the egress block of a clsact qdisc classifies a frame about to be
    /// queued. `Err`: consumed, with what `dev_queue_xmit` answers.
    pub(crate) fn sch_handle_egress(&mut self, d: DevId, skb: SkBuff) -> Result<SkBuff, NetXmit> {
        let Some(mut tc) = self.dev_mut(d).tc_ingress.take() else {
            return Ok(skb);
        };
        if !tc.clsact || tc.egress.is_empty() {
            self.dev_mut(d).tc_ingress = Some(tc);
            return Ok(skb);
        }
        let len = skb.len() as u64;
        let (verdict, redirect) = self.tcf_classify(&mut tc.egress, &skb, len);
        self.dev_mut(d).tc_ingress = Some(tc);
        match verdict {
            TcAct::Shot => {
                self.kfree_skb_reason(Some(d), SkbDropReason::NotSpecified, "sch_handle_egress");
                Err(NetXmit::Drop)
            }
            TcAct::Stolen => {
                if let Some((t, s)) = redirect {
                    self.mirred_xmit(t, s);
                }
                Err(NetXmit::Success)
            }
            _ => Ok(skb),
        }
    }
}
