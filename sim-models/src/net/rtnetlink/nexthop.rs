//! `RTM_NEWNEXTHOP` / `RTM_DELNEXTHOP` / `RTM_GETNEXTHOP` (`net/ipv4/nexthop.c`
//! `rtm_new_nexthop` → `rtm_to_nh_config` + `nexthop_add`/`replace_nexthop`,
//! `rtm_del_nexthop`, `rtm_get_nexthop`, `rtm_dump_nexthop`), IPv4 and groups.

use super::route::{RouteMsg, NLM_F_CREATE, NLM_F_REPLACE};
use super::{IfIndex, RtnlError};
use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};
use crate::net::fib::*;
use crate::net::nexthop::*;
use std::net::Ipv4Addr;

/// An `nhmsg` with its attributes as iproute2 sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NexthopMsg {
    /// `NHA_ID` (None or 0: the kernel picks one).
    pub id: Option<u32>,
    /// `nh_protocol`.
    pub protocol: u8,
    /// `NHA_GATEWAY`.
    pub gw: Option<Ipv4Addr>,
    /// `NHA_OIF`.
    pub oif: Option<IfIndex>,
    /// `RTNH_F_ONLINK` in `nh_flags`.
    pub onlink: bool,
    /// `NHA_BLACKHOLE`.
    pub blackhole: bool,
    /// `NHA_FDB`.
    pub fdb: bool,
    /// `NHA_GROUP`: (id, weight 1..=256) as the user wrote them.
    pub group: Option<Vec<(u32, u32)>>,
}

/// One nexthop of a dump (`nh_fill_node`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NexthopDump {
    pub id: u32,
    pub protocol: u8,
    /// `nh_scope` of the `nhmsg`.
    pub scope: u8,
    pub gw: Option<Ipv4Addr>,
    pub oif: Option<IfIndex>,
    pub onlink: bool,
    pub blackhole: bool,
    pub fdb: bool,
    /// `NHA_GROUP`: (id, weight).
    pub group: Option<Vec<(u32, u16)>>,
}

/// `ip nexthop list` selectors (`NHA_OIF`, `NHA_GROUPS`, `NHA_FDB`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NexthopFilter {
    pub oif: Option<IfIndex>,
    pub groups: bool,
    pub fdb: bool,
}

fn einval(msg: &str) -> RtnlError {
    RtnlError::extack(Errno::EINVAL, msg)
}

impl Kernel {
    /// `rtm_new_nexthop` with the request's `NLM_F_*` flags.
    pub fn rtm_new_nexthop(
        &mut self,
        ns: NsId,
        m: &NexthopMsg,
        flags: u16,
    ) -> Result<(), RtnlError> {
        // rtm_to_nh_config
        if m.fdb && (m.oif.is_some() || m.blackhole) {
            return Err(einval(
                "Fdb attribute can not be used with encap, oif or blackhole",
            ));
        }
        let kind = if let Some(group) = &m.group {
            self.nh_check_attr_group(ns, group, m.fdb)?;
            NhKind::Group(
                group
                    .iter()
                    .map(|&(id, w)| NhGroupEntry {
                        id,
                        weight: w as u16,
                    })
                    .collect(),
            )
        } else if m.blackhole {
            if m.gw.is_some() || m.oif.is_some() || m.fdb {
                return Err(einval(
                    "Blackhole attribute can not be used with gateway, oif, encap or fdb",
                ));
            }
            // nexthop_create: a blackhole's device is lo; fib_check_nh_nongw wants it up.
            let lo = self.dev_by_name(ns, "lo").ok_or(Errno::ENODEV)?;
            if !self.dev(lo).up {
                return Err(RtnlError::extack(
                    Errno::ENETDOWN,
                    "Device for nexthop is not up",
                ));
            }
            NhKind::Single(NhInfo {
                gw: None,
                dev: Some(lo),
                onlink: false,
                blackhole: true,
                scope: RT_SCOPE_HOST,
            })
        } else {
            if !m.fdb && m.oif.is_none() {
                return Err(einval(
                    "Device attribute required for non-blackhole and non-fdb nexthops",
                ));
            }
            let dev = match m.oif.filter(|_| !m.fdb) {
                Some(i) => {
                    let d = self
                        .dev_by_ifindex(ns, i)
                        .ok_or_else(|| einval("Invalid device index"))?;
                    if !self.dev(d).up {
                        return Err(RtnlError::extack(
                            Errno::ENETDOWN,
                            "Nexthop device is not up",
                        ));
                    }
                    if !self.dev_running(d) {
                        return Err(RtnlError::extack(
                            Errno::ENETDOWN,
                            "Carrier for nexthop device is down",
                        ));
                    }
                    Some(d)
                }
                None => None,
            };
            if m.gw.is_none() && m.onlink {
                return Err(einval(
                    "ONLINK flag can not be set for nexthop without a gateway",
                ));
            }
            // nh_create_ipv4: fib_check_nh in the main table (the device's VRF's) with scope
            // 0 (an fdb nexthop is not checked).
            let tb_id = dev
                .and_then(|d| self.l3mdev_fib_table(d))
                .unwrap_or(RT_TABLE_MAIN);
            let (dev, scope) = match (m.gw, m.fdb) {
                (_, true) => (dev, RT_SCOPE_LINK),
                (Some(gw), false) => {
                    let (d, _) =
                        self.fib_check_nh_v4_gw(ns, tb_id, m.onlink, gw, dev, RT_SCOPE_UNIVERSE)?;
                    (d, RT_SCOPE_LINK)
                }
                (None, false) => (dev, RT_SCOPE_HOST),
            };
            NhKind::Single(NhInfo {
                gw: m.gw,
                dev,
                onlink: m.onlink,
                blackhole: false,
                scope,
            })
        };
        // nexthop_add / insert_nexthop
        let replace = flags & NLM_F_REPLACE != 0;
        let mut id = m.id.unwrap_or(0);
        if replace && id == 0 {
            return Err(einval("Replace requires nexthop id"));
        }
        let nhs = &mut self.net_mut(ns).nexthops;
        if id == 0 {
            id = nhs.find_unused_id();
            if id == 0 {
                return Err(einval("No unused id"));
            }
        }
        let new = Nexthop {
            id,
            protocol: m.protocol,
            fdb: m.fdb,
            kind,
        };
        match nhs.nhs.get(&id) {
            Some(_) if !replace => return Err(Errno::EEXIST.into()),
            Some(old) => {
                // replace_nexthop
                match (old.is_group(), new.is_group()) {
                    (false, true) => {
                        return Err(einval("Can not replace a nexthop with a nexthop group"))
                    }
                    (true, false) => {
                        return Err(einval("Can not replace a nexthop group with a nexthop"))
                    }
                    _ => {}
                }
                if let NhKind::Group(v) = &new.kind {
                    if v.iter().any(|e| e.id == id) {
                        return Err(einval("Nexthop group can not have itself as a nexthop"));
                    }
                }
                nhs.nhs.insert(id, new);
                // replace_nexthop_single: the old nh_info (and its exceptions) is freed.
                self.net_mut(ns)
                    .fnhe
                    .exceptions
                    .retain(|_, e| e.nhid != Some(id));
                self.nexthop_sync_fib(ns);
            }
            None if replace && flags & NLM_F_CREATE == 0 => return Err(Errno::ENOENT.into()),
            None => {
                nhs.nhs.insert(id, new);
            }
        }
        self.rt_cache_flush();
        Ok(())
    }

    /// `nh_check_attr_group`.
    fn nh_check_attr_group(
        &self,
        ns: NsId,
        group: &[(u32, u32)],
        fdb: bool,
    ) -> Result<(), RtnlError> {
        if group.is_empty() {
            return Err(einval("Invalid length for nexthop group attribute"));
        }
        for (i, &(id, w)) in group.iter().enumerate() {
            // nexthop_grp.weight is weight - 1 in a u8 (iproute2 allows 1..=256)
            if !(1..=256).contains(&w) {
                return Err(einval("Invalid value for weight"));
            }
            if group[i + 1..].iter().any(|&(j, _)| j == id) {
                return Err(einval("Nexthop id can not be used twice in a group"));
            }
        }
        let nhs = &self.net(ns).nexthops;
        for &(id, _) in group {
            let nh = nhs.get(id).ok_or_else(|| einval("Invalid nexthop id"))?;
            // valid_group_nh
            match &nh.kind {
                NhKind::Group(_) => {
                    return Err(einval(
                        "Hash-threshold group can not be a nexthop within a group",
                    ))
                }
                NhKind::Single(i) if i.blackhole && group.len() > 1 => {
                    return Err(einval(
                        "Blackhole nexthop can not be used in a group with more than 1 path",
                    ))
                }
                _ => {}
            }
            if fdb && !nh.fdb {
                return Err(einval("FDB nexthop group can only have fdb nexthops"));
            }
            if !fdb && nh.fdb {
                return Err(einval("Non FDB nexthop group cannot have fdb nexthops"));
            }
        }
        Ok(())
    }

    /// `rtm_del_nexthop`.
    pub fn rtm_del_nexthop(&mut self, ns: NsId, id: Option<u32>) -> Result<(), RtnlError> {
        let id = Self::nh_valid_get_del_req(id)?;
        if self.net(ns).nexthops.get(id).is_none() {
            return Err(Errno::ENOENT.into());
        }
        self.remove_nexthop(ns, id);
        Ok(())
    }

    fn nh_valid_get_del_req(id: Option<u32>) -> Result<u32, RtnlError> {
        match id {
            None => Err(einval("Nexthop id is missing")),
            Some(0) => Err(einval("Invalid nexthop id")),
            Some(id) => Ok(id),
        }
    }

    /// `rtm_get_nexthop`.
    pub fn rtm_get_nexthop(&self, ns: NsId, id: Option<u32>) -> Result<NexthopDump, RtnlError> {
        let id = Self::nh_valid_get_del_req(id)?;
        let nh = self.net(ns).nexthops.get(id).ok_or(Errno::ENOENT)?;
        Ok(self.nh_fill_node(nh))
    }

    fn nh_fill_node(&self, nh: &Nexthop) -> NexthopDump {
        let mut d = NexthopDump {
            id: nh.id,
            protocol: nh.protocol,
            scope: RT_SCOPE_UNIVERSE,
            gw: None,
            oif: None,
            onlink: false,
            blackhole: false,
            fdb: nh.fdb,
            group: None,
        };
        match &nh.kind {
            NhKind::Group(v) => d.group = Some(v.iter().map(|e| (e.id, e.weight)).collect()),
            NhKind::Single(i) => {
                d.scope = i.scope;
                d.onlink = i.onlink;
                if i.blackhole {
                    d.blackhole = true;
                } else {
                    d.oif = i.dev.map(|x| self.dev(x).ifindex);
                    d.gw = i.gw;
                }
            }
        }
        d
    }

    /// `rtm_dump_nexthop` (`nh_dump_filtered`): by id; a device filter leaves groups out, the
    /// `groups` one single nexthops.
    pub fn rtm_dump_nexthop(&self, ns: NsId, f: &NexthopFilter) -> Vec<NexthopDump> {
        let Some(net) = self.nets.get(ns).and_then(|n| n.as_ref()) else {
            return Vec::new();
        };
        net.nexthops
            .nhs
            .values()
            .filter(|nh| {
                if f.groups && !nh.is_group() {
                    return false;
                }
                let Some(oif) = f.oif else { return true };
                !nh.is_group() && nh.dev().is_some_and(|d| self.dev(d).ifindex == oif)
            })
            .map(|nh| self.nh_fill_node(nh))
            .collect()
    }

    /// `ip nexthop flush`: iproute2 dumps and deletes each one; the count of deleted ones.
    pub fn rtm_flush_nexthop(&mut self, ns: NsId, f: &NexthopFilter) -> usize {
        let ids: Vec<u32> = self.rtm_dump_nexthop(ns, f).iter().map(|d| d.id).collect();
        let mut n = 0;
        for id in ids {
            if self.net(ns).nexthops.get(id).is_some() {
                self.remove_nexthop(ns, id);
                n += 1;
            }
        }
        n
    }

    /// `fib_create_info`'s checks of a route's `RTA_NH_ID`: the nexthop the route uses.
    pub(crate) fn fib_route_nexthop(
        &self,
        ns: NsId,
        m: &RouteMsg,
        id: u32,
    ) -> Result<NhInfo, RtnlError> {
        if m.gw.is_some() || m.oif.is_some() {
            return Err(einval(
                "Nexthop specification and nexthop id are mutually exclusive",
            ));
        }
        let nhs = &self.net(ns).nexthops;
        let nh = nhs
            .get(id)
            .ok_or_else(|| einval("Nexthop id does not exist"))?;
        if nh.fdb {
            return Err(einval("Route cannot point to a fdb nexthop"));
        }
        nhs.select_path(id)
            .map(|(_, i)| i.clone())
            .ok_or_else(|| einval("Nexthop id does not exist"))
    }
}
