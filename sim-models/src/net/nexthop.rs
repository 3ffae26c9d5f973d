//! Nexthop objects (`net/ipv4/nexthop.c`): `ip nexthop add id N via GW dev D`, groups of them,
//! and routes that name one by id (`ip route add PREFIX nhid N`).
//!
//! A namespace keeps its nexthops by id (the kernel's rb-tree). A route with `nhid` carries
//! the id (`Route::nhid`) plus a copy of the nexthop it resolves to (gateway, device, scope),
//! so the FIB lookup and the output path need nothing new: whenever a nexthop changes
//! (`replace`, `del`, `flush`, its device going down or away) [`Kernel::nexthop_sync_fib`]
//! re-resolves every route naming it and deletes the routes whose nexthop is gone, as the
//! kernel's `__remove_nexthop_fib` and `replace_nexthop_single` do.
//!
//! # Differences from Linux
//! * A group (`group 1/2`) forwards through its first member (no hash-threshold path
//!   selection); it is listed with all its members and weights.
//! * IPv6 nexthops, resilient groups, `encap` and `ip nexthop bucket` are not modelled.

use crate::kernel::{DevId, Kernel, NsId};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// `struct nh_info` of an IPv4 nexthop (its `fib_nh`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NhInfo {
    pub gw: Option<Ipv4Addr>,
    /// None only for an `fdb` nexthop (no device).
    pub dev: Option<DevId>,
    /// `RTNH_F_ONLINK`.
    pub onlink: bool,
    /// `reject_nh` (`blackhole`: the device is `lo`).
    pub blackhole: bool,
    /// `nhc_scope`: link with a gateway, host without.
    pub scope: u8,
}

/// One member of a group (`struct nh_grp_entry`): the nexthop's id and its weight (1..=256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NhGroupEntry {
    pub id: u32,
    pub weight: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NhKind {
    Single(NhInfo),
    Group(Vec<NhGroupEntry>),
}

/// `struct nexthop`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nexthop {
    pub id: u32,
    /// `nh_protocol` (0 unless `proto` was given).
    pub protocol: u8,
    /// `fdb` (a VXLAN FDB nexthop: never a route's).
    pub fdb: bool,
    pub kind: NhKind,
}

impl Nexthop {
    pub fn is_group(&self) -> bool {
        matches!(self.kind, NhKind::Group(_))
    }
    fn single(&self) -> Option<&NhInfo> {
        match &self.kind {
            NhKind::Single(i) => Some(i),
            NhKind::Group(_) => None,
        }
    }
    /// The device of a single nexthop.
    pub fn dev(&self) -> Option<DevId> {
        self.single().and_then(|i| i.dev)
    }
    /// The gateway of a single nexthop.
    pub fn gw(&self) -> Option<Ipv4Addr> {
        self.single().and_then(|i| i.gw)
    }
}

/// A namespace's nexthops (`net->nexthop`).
#[derive(Clone, Debug, Default)]
pub struct NexthopTable {
    pub nhs: BTreeMap<u32, Nexthop>,
    /// `last_id_allocated`: where `nh_find_unused_id` goes on from.
    pub last_id_allocated: u32,
}

impl NexthopTable {
    pub fn get(&self, id: u32) -> Option<&Nexthop> {
        self.nhs.get(&id)
    }

    /// `nh_find_unused_id`: the next free id after the last one handed out (0: none left).
    pub fn find_unused_id(&mut self) -> u32 {
        let start = self.last_id_allocated;
        loop {
            self.last_id_allocated = self.last_id_allocated.wrapping_add(1);
            if self.last_id_allocated == start {
                return 0;
            }
            if self.last_id_allocated != 0 && !self.nhs.contains_key(&self.last_id_allocated) {
                return self.last_id_allocated;
            }
        }
    }

    /// The path a route naming `id` takes (`nexthop_select_path` reduced to the first member
    /// of a group): the single nexthop's id and info.
    pub fn select_path(&self, id: u32) -> Option<(u32, &NhInfo)> {
        match &self.get(id)?.kind {
            NhKind::Single(i) => Some((id, i)),
            NhKind::Group(v) => v
                .iter()
                .find_map(|e| self.get(e.id)?.single().map(|i| (e.id, i))),
        }
    }
}

impl Kernel {
    /// After a nexthop changed: every route naming a nexthop that no longer exists is deleted
    /// (`__remove_nexthop_fib`); the others take their nexthop's current path. Exceptions of
    /// nexthops that are gone go too.
    pub fn nexthop_sync_fib(&mut self, ns: NsId) {
        let net = self.net_mut(ns);
        let nhs = &net.nexthops;
        for t in net.fib.tables_mut().values_mut() {
            for v in t.routes.values_mut() {
                v.retain(|r| r.nhid.is_none_or(|id| nhs.select_path(id).is_some()));
                for r in v.iter_mut() {
                    if let Some((_, i)) = r.nhid.and_then(|id| nhs.select_path(id)) {
                        r.gw = i.gw;
                        r.dev = i.dev;
                        r.onlink = i.onlink;
                        r.nh_scope = i.scope;
                    }
                }
            }
            t.routes.retain(|_, v| !v.is_empty());
        }
        self.fnhe_release_unused(ns);
        // (a route's type and path also depend on its nexthop object: select_path, blackhole)
        self.rt_cache_flush();
    }

    /// `remove_nexthop`: the nexthop goes, and with it its place in every group (a group left
    /// empty goes too: `remove_nh_grp_entry`), then the routes using any of them.
    pub fn remove_nexthop(&mut self, ns: NsId, id: u32) {
        let nhs = &mut self.net_mut(ns).nexthops;
        let mut gone = vec![id];
        while let Some(id) = gone.pop() {
            if nhs.nhs.remove(&id).is_none() {
                continue;
            }
            for nh in nhs.nhs.values_mut() {
                if let NhKind::Group(v) = &mut nh.kind {
                    v.retain(|e| e.id != id);
                    if v.is_empty() {
                        gone.push(nh.id);
                    }
                }
            }
        }
        self.nexthop_sync_fib(ns);
    }

    /// `nexthop_flush_dev` (`NETDEV_DOWN`, `NETDEV_UNREGISTER`): the nexthops through `dev`
    /// are removed.
    pub fn nexthop_flush_dev(&mut self, dev: DevId) {
        let ns = self.dev(dev).ns;
        let ids: Vec<u32> = self
            .net(ns)
            .nexthops
            .nhs
            .values()
            .filter(|nh| nh.dev() == Some(dev))
            .map(|nh| nh.id)
            .collect();
        for id in ids {
            self.remove_nexthop(ns, id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::fib::RT_SCOPE_LINK;

    fn single(id: u32, gw: [u8; 4], dev: DevId) -> Nexthop {
        Nexthop {
            id,
            protocol: 0,
            fdb: false,
            kind: NhKind::Single(NhInfo {
                gw: Some(Ipv4Addr::from(gw)),
                dev: Some(dev),
                onlink: false,
                blackhole: false,
                scope: RT_SCOPE_LINK,
            }),
        }
    }

    #[test]
    fn unused_ids_go_on_from_the_last_one_handed_out() {
        let mut t = NexthopTable::default();
        t.nhs.insert(1, single(1, [10, 0, 0, 1], 1));
        assert_eq!(t.find_unused_id(), 2);
        t.nhs.insert(2, single(2, [10, 0, 0, 2], 1));
        t.nhs.insert(3, single(3, [10, 0, 0, 3], 1));
        assert_eq!(t.find_unused_id(), 4);
    }

    #[test]
    fn a_group_takes_the_path_of_its_first_member() {
        let mut t = NexthopTable::default();
        t.nhs.insert(1, single(1, [10, 0, 0, 1], 1));
        t.nhs.insert(2, single(2, [10, 0, 0, 2], 2));
        t.nhs.insert(
            5,
            Nexthop {
                id: 5,
                protocol: 0,
                fdb: false,
                kind: NhKind::Group(vec![
                    NhGroupEntry { id: 2, weight: 1 },
                    NhGroupEntry { id: 1, weight: 3 },
                ]),
            },
        );
        assert_eq!(t.select_path(5).map(|(id, _)| id), Some(2));
        assert_eq!(t.select_path(1).map(|(_, i)| i.dev), Some(Some(1)));
        assert!(t.select_path(9).is_none());
    }
}
