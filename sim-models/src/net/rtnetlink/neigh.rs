//! `RTM_NEWNEIGH` / `RTM_DELNEIGH`: ARP entries (`net/core/neighbour.c` `neigh_add`,
//! `neigh_delete`) and, for `AF_BRIDGE`, fdb entries (`rtnl_fdb_add`, `rtnl_fdb_del`: the
//! master's or the device's own `ndo_fdb_add`/`ndo_fdb_del`, i.e. `vxlan_fdb_add`/`_delete`
//! and `ndo_dflt_fdb_add`/`_del` on the device's unicast address list).

use super::route::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::neigh::{NUD_NONE, NUD_PERMANENT, NUD_REACHABLE, NUD_VALID};
use crate::net::vxlan::{FdbErr, FdbOp, VxlanRdst};
use crate::wire::{mac_is_multicast, Mac};
use std::net::Ipv4Addr;

/// An `ndmsg` for `AF_INET` with `NDA_DST` and `NDA_LLADDR`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeighMsg {
    pub ifindex: IfIndex,
    pub dst: Ipv4Addr,
    /// `NDA_LLADDR` as given (the kernel checks its length against the device's).
    pub lladdr: Option<Vec<u8>>,
    /// `ndm_state` (`NUD_*`).
    pub state: u8,
}

/// An `ndmsg` for `AF_BRIDGE` (`bridge fdb`): `NDA_LLADDR`, `NDA_DST`, `NDA_PORT`, `NDA_VNI`,
/// `NDA_IFINDEX`, `ndm_state`, `NTF_SELF`/`NTF_MASTER`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdbMsg {
    pub ifindex: IfIndex,
    pub mac: Mac,
    pub dst: Option<Ipv4Addr>,
    pub port: u16,
    pub vni: Option<u32>,
    /// `NDA_IFINDEX` (`via DEV`), 0 for none.
    pub via: IfIndex,
    pub state: u8,
    /// `NTF_MASTER`.
    pub master: bool,
    /// `NTF_STICKY`.
    pub sticky: bool,
}

impl From<FdbErr> for RtnlError {
    fn from(e: FdbErr) -> RtnlError {
        match e {
            FdbErr::Exists => Errno::EEXIST.into(),
            FdbErr::NoEnt => Errno::ENOENT.into(),
            FdbErr::Inval => Errno::EINVAL.into(),
            FdbErr::NotSupp => Errno::EOPNOTSUPP.into(),
            FdbErr::ReplaceNonUnicast => {
                RtnlError::extack(Errno::EOPNOTSUPP, "Cannot replace non-unicast fdb entries")
            }
        }
    }
}

impl Kernel {
    fn neigh_dev(&self, ns: NsId, ifindex: IfIndex) -> Result<DevId, RtnlError> {
        self.dev_by_ifindex(ns, ifindex)
            .ok_or_else(|| RtnlError::new(Errno::ENODEV))
    }

    /// `neigh_add` with the request's `NLM_F_*` flags (`ip neigh add` = CREATE|EXCL,
    /// `replace` = CREATE|REPLACE, `change` = REPLACE).
    pub fn rtm_newneigh(&mut self, ns: NsId, m: &NeighMsg, flags: u16) -> Result<(), RtnlError> {
        let d = self.neigh_dev(ns, m.ifindex)?;
        // neigh_add: an address shorter than the device's is refused.
        let lladdr = match &m.lladdr {
            Some(l) => Some(
                <[u8; 6]>::try_from(l.get(..6).unwrap_or(&[]))
                    .map_err(|_| RtnlError::extack(Errno::EINVAL, "Invalid link address"))?,
            ),
            None => None,
        };
        let exists = self.net(ns).neigh.entries.contains_key(&(d, m.dst));
        if exists && flags & NLM_F_EXCL != 0 {
            return Err(Errno::EEXIST.into());
        }
        if !exists && flags & NLM_F_CREATE == 0 {
            return Err(Errno::ENOENT.into());
        }
        // ___neigh_create before __neigh_update: a full table refuses the entry (ENOBUFS);
        // an entry asked for PERMANENT is exempt from gc and not counted.
        if !exists && !self.neigh_create_exempt(ns, d, m.dst, m.state & NUD_PERMANENT != 0) {
            return Err(Errno::ENOBUFS.into());
        }
        // __neigh_update: a valid state needs an address, given or already known; the entry
        // neigh_add just created stays, in NUD_NONE (recorded: `ip neigh add A dev D` → "Error:
        // No link layer address given.").
        if lladdr.is_none() && m.state & NUD_VALID != 0 {
            // arp_constructor: on loopback and header-less devices (tunnels) an entry starts
            // NUD_NOARP, valid (recorded: `ip neigh add 1.2.3.4 dev lo` succeeds).
            let noarp_dev = matches!(self.dev(d).kind, DevKind::Loopback | DevKind::Ipip(_));
            let known = noarp_dev
                || self
                    .net(ns)
                    .neigh
                    .entries
                    .get(&(d, m.dst))
                    .is_some_and(|n| n.state & NUD_VALID != 0);
            if !known {
                if !exists {
                    self.neigh_update(ns, d, m.dst, None, NUD_NONE, true, true);
                }
                return Err(RtnlError::extack(
                    Errno::EINVAL,
                    "No link layer address given",
                ));
            }
        }
        self.neigh_update(ns, d, m.dst, lladdr, m.state, true, true);
        Ok(())
    }

    /// `neigh_delete`.
    pub fn rtm_delneigh(
        &mut self,
        ns: NsId,
        ifindex: IfIndex,
        dst: Ipv4Addr,
    ) -> Result<(), RtnlError> {
        let d = self.neigh_dev(ns, ifindex)?;
        if self.neigh_remove(ns, d, dst) {
            Ok(())
        } else {
            Err(Errno::ENOENT.into())
        }
    }

    /// `ip neigh flush dev D|all [nud STATE]`: iproute2 dumps and deletes every entry whose
    /// state is in `states` (`NUD_*` bits; 0x100 stands for NUD_NONE, as in iproute2).
    pub fn rtm_flushneigh(&mut self, ns: NsId, ifindex: Option<IfIndex>, states: u16) {
        let dev = ifindex.and_then(|i| self.dev_by_ifindex(ns, i));
        if ifindex.is_some() && dev.is_none() {
            return;
        }
        let keys: Vec<(DevId, Ipv4Addr)> = self
            .net(ns)
            .neigh
            .entries
            .iter()
            .filter(|(key, n)| {
                dev.is_none_or(|d| key.0 == d)
                    && (u16::from(n.state) & states != 0 || (n.state == 0 && states & 0x100 != 0))
            })
            .map(|(key, _)| *key)
            .collect();
        for (dv, ip) in keys {
            self.neigh_remove(ns, dv, ip);
        }
    }

    /// `rtnl_fdb_add` (flags: `bridge fdb add` = CREATE|EXCL, `append` = CREATE|APPEND,
    /// `replace` = CREATE|REPLACE).
    pub fn rtm_newneigh_fdb(&mut self, ns: NsId, m: &FdbMsg, flags: u16) -> Result<(), RtnlError> {
        let op = if flags & NLM_F_APPEND != 0 {
            FdbOp::Append
        } else if flags & NLM_F_REPLACE != 0 {
            FdbOp::Replace
        } else {
            FdbOp::Add
        };
        self.rtnl_fdb(ns, m, Some(op))
    }

    /// `rtnl_fdb_del`.
    pub fn rtm_delneigh_fdb(&mut self, ns: NsId, m: &FdbMsg) -> Result<(), RtnlError> {
        self.rtnl_fdb(ns, m, None)
    }

    fn rtnl_fdb(&mut self, ns: NsId, m: &FdbMsg, op: Option<FdbOp>) -> Result<(), RtnlError> {
        let d = self.neigh_dev(ns, m.ifindex)?;
        let is_vxlan = matches!(self.dev(d).kind, DevKind::Vxlan(_));
        let brport = self.dev(d).master.is_some_and(|b| self.is_bridge(b));
        if m.master && !brport && !self.is_bridge(d) {
            // Neither the master's nor the device's own handler ran.
            return Err(Errno::EOPNOTSUPP.into());
        }
        if m.master && brport && !is_vxlan {
            // The master's ndo_fdb_add/ndo_fdb_del: br_fdb_add / br_fdb_delete.
            let br = self.dev(d).master.expect("bridge port");
            let flags = match op {
                None => return self.br_fdb_delete(br, d, m.mac),
                Some(FdbOp::Add) => NLM_F_CREATE | NLM_F_EXCL,
                Some(FdbOp::Append) => NLM_F_CREATE | NLM_F_APPEND,
                Some(FdbOp::Replace) => NLM_F_CREATE | NLM_F_REPLACE,
            };
            return self.br_fdb_add(br, d, m.mac, m.state, m.sticky, flags);
        }
        if m.master || self.is_bridge(d) {
            return Err(RtnlError::not_modelled(
                "bridge fdb on a bridge, or with \"master\" on a vxlan port",
            ));
        }
        if !is_vxlan {
            // ndo_dflt_fdb_add/del: the device's unicast address list; `dst` and the like are
            // ignored, only permanent entries exist.
            if mac_is_multicast(&m.mac) {
                return Err(RtnlError::not_modelled("bridge fdb of a multicast address"));
            }
            let have = self.dev(d).uc.contains(&m.mac);
            let Some(op) = op else {
                if !have {
                    return Err(Errno::ENOENT.into());
                }
                self.dev_mut(d).uc.retain(|x| *x != m.mac);
                return Ok(());
            };
            if m.state & NUD_PERMANENT == 0 {
                return Err(Errno::EINVAL.into());
            }
            if have {
                return if op == FdbOp::Add {
                    Err(Errno::EEXIST.into())
                } else {
                    Ok(())
                };
            }
            self.dev_mut(d).uc.push(m.mac);
            return Ok(());
        }
        match op {
            None => self.vxlan_fdb_del(d, m.mac, m.dst)?,
            Some(op) => {
                let mut state = m.state;
                if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 {
                    state |= NUD_PERMANENT;
                }
                let rd = VxlanRdst {
                    ip: m.dst.unwrap_or(Ipv4Addr::UNSPECIFIED),
                    port: m.port,
                    vni: m.vni,
                    ifindex: m.via,
                };
                self.vxlan_fdb_add(d, m.mac, rd, state, op)?
            }
        }
        Ok(())
    }

    /// Bridge fdb ageing before a dump (`br_fdb_cleanup` would have run on its timer):
    /// every bridge of the namespace, or the bridge `ifindex` is a port of / is.
    pub fn rtnl_fdb_age(&mut self, ns: NsId, ifindex: Option<IfIndex>) {
        let brs: Vec<DevId> = match ifindex {
            None => self
                .net(ns)
                .devs
                .iter()
                .copied()
                .filter(|&d| self.is_bridge(d))
                .collect(),
            Some(i) => self
                .dev_by_ifindex(ns, i)
                .and_then(|d| {
                    if self.is_bridge(d) {
                        Some(d)
                    } else {
                        self.dev(d).master.filter(|&m| self.is_bridge(m))
                    }
                })
                .into_iter()
                .collect(),
        };
        for b in brs {
            self.br_fdb_cleanup(b);
        }
    }
}
