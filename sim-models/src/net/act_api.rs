//! Filter actions (`net/sched/act_api.c`, `act_gact.c`, `act_mirred.c`): `gact`'s verdicts
//! (pass/ok, drop/shot, continue, pipe, reclassify) and `mirred egress redirect|mirror dev X`,
//! each with the counters `tc -s filter show` prints (`Sent`, `dropped`, the install and use
//! times) and its index (one sequence per namespace and action kind).

use crate::kernel::{DevId, Kernel};
use crate::net::skbuff::SkBuff;

/// `TC_ACT_*` of a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcAct {
    /// `TC_ACT_UNSPEC` (-1, `continue`): the next filter decides.
    Unspec,
    /// `TC_ACT_OK` (`pass`, `ok`).
    Ok,
    /// `TC_ACT_RECLASSIFY`.
    Reclassify,
    /// `TC_ACT_SHOT` (`drop`, `shot`).
    Shot,
    /// `TC_ACT_PIPE`: the next action of the filter.
    Pipe,
    /// `TC_ACT_STOLEN`: consumed (mirred redirect).
    Stolen,
}

impl TcAct {
    /// `action_n2a`.
    pub fn name(self) -> &'static str {
        match self {
            TcAct::Unspec => "continue",
            TcAct::Ok => "pass",
            TcAct::Reclassify => "reclassify",
            TcAct::Shot => "drop",
            TcAct::Pipe => "pipe",
            TcAct::Stolen => "stolen",
        }
    }
}

/// What an action does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActKind {
    /// `gact` with its verdict.
    Gact(TcAct),
    /// `mirred egress redirect|mirror dev X` (`eaction` TCA_EGRESS_REDIR / TCA_EGRESS_MIRROR),
    /// the target device (`tcfm_dev`), and the verdict (`stolen` for redirect, `pipe` for
    /// mirror).
    Mirred {
        redirect: bool,
        dev: DevId,
        action: TcAct,
    },
}

impl ActKind {
    pub fn id(&self) -> &'static str {
        match self {
            ActKind::Gact(_) => "gact",
            ActKind::Mirred { .. } => "mirred",
        }
    }
}

/// One action instance (`struct tc_action`) bound to a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcAction {
    pub kind: ActKind,
    /// `tcf_index`.
    pub index: u32,
    /// `tcf_tm`: install, last use, first use (ns; first use 0 until used).
    pub install: u64,
    pub lastuse: u64,
    pub firstuse: u64,
    /// `tcf_bstats`, `tcf_qstats.drops`, `tcf_qstats.overlimits`.
    pub bytes: u64,
    pub packets: u64,
    pub drops: u64,
    pub overlimits: u64,
}

impl TcAction {
    pub fn new(kind: ActKind, index: u32, now: u64) -> TcAction {
        TcAction {
            kind,
            index,
            install: now,
            lastuse: now,
            firstuse: 0,
            bytes: 0,
            packets: 0,
            drops: 0,
            overlimits: 0,
        }
    }
}

impl Kernel {
    /// `tcf_action_exec`: the actions in order until one answers other than `pipe`. `len` is
    /// `skb->len` at the hook (from the network header on ingress, the whole frame on egress).
    pub(crate) fn tcf_action_exec(
        &mut self,
        acts: &mut [TcAction],
        skb: &SkBuff,
        len: u64,
    ) -> (TcAct, Option<(DevId, SkBuff)>) {
        let now = self.now.0;
        let mut redirect = None;
        let mut ret = TcAct::Pipe;
        for a in acts.iter_mut() {
            a.lastuse = now;
            if a.firstuse == 0 {
                a.firstuse = now;
            }
            a.bytes += len;
            a.packets += 1;
            ret = match &a.kind {
                ActKind::Gact(v) => {
                    if *v == TcAct::Shot {
                        a.drops += 1;
                    }
                    *v
                }
                ActKind::Mirred {
                    redirect: is_redirect,
                    dev,
                    action,
                } => {
                    let target = Some(*dev).filter(|&t| self.dev_alive(t));
                    match target {
                        Some(t) if self.dev(t).up => {
                            if *is_redirect {
                                redirect = Some((t, skb.clone()));
                            } else {
                                // The mirror copy goes out now; the original continues.
                                self.mirred_xmit(t, skb.clone());
                            }
                            *action
                        }
                        _ => {
                            // tcf_mirred_act: the device is gone or down.
                            a.overlimits += 1;
                            a.drops += 1;
                            if *is_redirect {
                                TcAct::Shot
                            } else {
                                *action
                            }
                        }
                    }
                }
            };
            if ret != TcAct::Pipe {
                break;
            }
        }
        (ret, redirect)
    }

    /// `tcf_mirred_forward` egress: `dev_queue_xmit` on the target, its frame as a frame.
    pub(crate) fn mirred_xmit(&mut self, t: DevId, skb: SkBuff) {
        self.dev_queue_xmit(t, skb);
    }
}
