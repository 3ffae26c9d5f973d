//! Namespaces by name (`ip netns add|del`: a file under `/run/netns` bound to a new
//! `CLONE_NEWNET` namespace).

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::rtnetlink::RtnlError;
use crate::small_map::SmallMap;

/// `net->netns_ids`: the ids a namespace names its peers by (an `idr` in the kernel), with
/// the kernel's allocation: `alloc_netid`'s `idr_alloc(.., 0, 0)` gives the lowest free id in
/// `0..=INT_MAX`, `idr_alloc(.., reqid, reqid + 1)` exactly `reqid` or nothing. Every
/// operation is O(log n), as the idr's are: the free ids are kept as ranges (the lowest free
/// id is the first range's start), and a peer → id index answers `peernet2id` (the kernel
/// walks the idr there, `idr_for_each(.., net_eq_idr, ..)`, a walk a setup of 100 000
/// namespaces cannot pay on every link notification).
#[derive(Debug, Clone)]
pub struct NetnsIds {
    /// id -> peer, in id order (`ip netns list-id`'s dump order). (`SmallMap`s: a pod's
    /// namespace names one peer, the root; two 11-entry tree nodes were 288 bytes.)
    by_id: SmallMap<i32, NsId>,
    /// peer -> id.
    by_peer: SmallMap<NsId, i32>,
    /// The free ids as disjoint, non-adjacent ranges: start -> end (inclusive).
    free: SmallMap<i32, i32>,
}

impl Default for NetnsIds {
    fn default() -> Self {
        NetnsIds {
            by_id: SmallMap::default(),
            by_peer: SmallMap::default(),
            free: SmallMap::Small(vec![(0, i32::MAX)]),
        }
    }
}

impl NetnsIds {
    /// The peer `id` names.
    pub fn get(&self, id: i32) -> Option<NsId> {
        self.by_id.get(&id).copied()
    }

    /// Whether `id` names a peer.
    pub fn contains(&self, id: i32) -> bool {
        self.by_id.contains_key(&id)
    }

    /// The id `peer` is named by (`peernet2id`'s lookup).
    pub fn id_of(&self, peer: NsId) -> Option<i32> {
        self.by_peer.get(&peer).copied()
    }

    /// (id, peer) in ascending id order.
    pub fn iter(&self) -> impl Iterator<Item = (i32, NsId)> + '_ {
        self.by_id.iter().map(|(&id, &p)| (id, p))
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// `idr_alloc(.., peer, 0, 0)`: names `peer` by the lowest free id; `None` (`ENOSPC`)
    /// when every id is taken. `peer` must have no id yet.
    pub fn alloc(&mut self, peer: NsId) -> Option<i32> {
        let (&start, _) = self.free.first_key_value()?;
        self.take(start, peer).then_some(start)
    }

    /// `idr_alloc(.., peer, id, id + 1)`: names `peer` by `id` if `id` (≥ 0) is free.
    /// `peer` must have no id yet.
    pub fn take(&mut self, id: i32, peer: NsId) -> bool {
        debug_assert!(!self.by_peer.contains_key(&peer));
        let Some((&start, &end)) = self.free.last_before(&id, true) else {
            return false;
        };
        if end < id {
            return false;
        }
        self.free.remove(&start);
        if start < id {
            self.free.insert(start, id - 1);
        }
        if id < end {
            self.free.insert(id + 1, end);
        }
        self.by_id.insert(id, peer);
        self.by_peer.insert(peer, id);
        true
    }

    /// `idr_remove` of the id `peer` is named by, if any (`unhash_nsid`).
    pub fn remove_peer(&mut self, peer: NsId) -> Option<i32> {
        let id = self.by_peer.remove(&peer)?;
        self.by_id.remove(&id);
        // The id joins the free ranges on either side.
        let (mut start, mut end) = (id, id);
        if let Some((&s, &e)) = self.free.last_before(&id, false) {
            if e.checked_add(1) == Some(id) {
                self.free.remove(&s);
                start = s;
            }
        }
        if let Some(e) = id.checked_add(1).and_then(|a| self.free.remove(&a)) {
            end = e;
        }
        self.free.insert(start, end);
        Some(id)
    }
}

impl Kernel {
    /// `ip netns add NAME`: `EEXIST` when the file exists.
    pub fn rtnl_netns_add(&mut self, name: &str) -> Result<NsId, Errno> {
        if self.ns_by_name(name).is_some() {
            return Err(Errno::EEXIST);
        }
        Ok(self.netns_add(name))
    }

    /// `unshare(CLONE_NEWNET)`: a namespace no /var/run/netns file names (its internal name
    /// starts with `/`, which no `ip netns` name can).
    pub fn unshare_net(&mut self) -> NsId {
        let n = (0..)
            .map(|i| format!("/unshare/{i}"))
            .find(|n| self.ns_by_name(n).is_none())
            .expect("a free name");
        self.netns_add(&n)
    }

    /// The last process of an unshared namespace exited: it is freed (`cleanup_net`); named
    /// namespaces stay until `ip netns del`.
    pub fn netns_release_anon(&mut self, ns: NsId) {
        if self
            .nets
            .get(ns)
            .and_then(|n| n.as_ref())
            .is_some_and(|n| n.name.starts_with('/'))
        {
            self.netns_del(ns);
        }
    }

    /// `ip netns del NAME`: `ENOENT` when there is no such file (the lab's root namespace has
    /// none).
    pub fn rtnl_netns_del(&mut self, name: &str) -> Result<(), Errno> {
        match self.ns_by_name(name) {
            Some(x) if name != "root" => {
                self.netns_del(x);
                Ok(())
            }
            _ => Err(Errno::ENOENT),
        }
    }

    /// `RTM_NEWNSID` (`rtnl_net_newid`): `net` names `peer` by `nsid`; a negative `nsid`
    /// asks for the lowest free id (`alloc_netid`'s `idr_alloc(.., 0, 0)`).
    pub fn rtnl_net_newid(&mut self, net: NsId, peer: NsId, nsid: i32) -> Result<(), RtnlError> {
        let ids = &mut self.net_mut(net).netns_ids;
        if ids.id_of(peer).is_some() {
            return Err(RtnlError::extack(
                Errno::EEXIST,
                "Peer netns already has a nsid assigned",
            ));
        }
        if nsid >= 0 {
            if !ids.take(nsid, peer) {
                // idr_alloc's -ENOSPC, reported as EEXIST.
                return Err(RtnlError::extack(
                    Errno::EEXIST,
                    "The specified nsid is already used",
                ));
            }
        } else {
            // Fewer ids than namespaces: one of 0..=len is free (no ENOSPC here).
            ids.alloc(peer);
        }
        Ok(())
    }

    /// `peernet2id`: the id `net` names `peer` by, if one was assigned.
    pub fn peernet2id(&self, net: NsId, peer: NsId) -> Option<i32> {
        self.net(net).netns_ids.id_of(peer)
    }
}

impl Kernel {
    /// `peernet2id_alloc`: the id `net` names `peer` by, allocated (the lowest free one,
    /// `alloc_netid`'s `idr_alloc(.., 0, 0)`) when it has none yet.
    pub fn peernet2id_alloc(&mut self, net: NsId, peer: NsId) -> i32 {
        let ids = &mut self.net_mut(net).netns_ids;
        match ids.id_of(peer) {
            Some(id) => id,
            // Fewer ids than namespaces: one is free (no ENOSPC here).
            None => ids.alloc(peer).unwrap_or_default(),
        }
    }

    /// `rtnl_link_ops->get_link_net` where it is not the device's own namespace: a veth's
    /// peer's, a macvlan's, ipvlan's or VLAN's lower device's.
    pub fn dev_link_net(&self, d: DevId) -> Option<NsId> {
        let other = match &self.dev(d).kind {
            DevKind::Veth { peer } => *peer,
            DevKind::Ipvlan(v) => Some(v.phy_dev),
            DevKind::Vlan(v) => Some(v.real_dev),
            DevKind::Macvlan(m) => Some(m.lowerdev),
            _ => None,
        }?;
        let ns = self.dev_alive(other).then(|| self.dev(other).ns)?;
        (ns != self.dev(d).ns).then_some(ns)
    }

    /// `rtnl_fill_link_netnsid` of a link message about `d` filled for a socket of `net` (a
    /// dump or `RTM_GETLINK` answer, or `rtmsg_ifinfo`'s notification in the device's own
    /// namespace): `IFLA_LINK_NETNSID` is `peernet2id_alloc(net, link_net)`, so the first
    /// message about such a device gives `net` an id for the other namespace.
    pub fn rtnl_fill_link_netnsid(&mut self, net: NsId, d: DevId) {
        if let Some(peer) = self.dev_link_net(d) {
            self.peernet2id_alloc(net, peer);
        }
    }

    /// `rtmsg_ifinfo(RTM_NEWLINK, dev)`: the notification of a change of `d`, filled in its
    /// own namespace.
    pub fn rtmsg_ifinfo(&mut self, d: DevId) {
        if self.dev_alive(d) {
            let ns = self.dev(d).ns;
            self.rtnl_fill_link_netnsid(ns, d);
        }
    }
}

impl Kernel {
    /// `ip netns attach NAME PID` of an unnamed namespace (`unshare --net`): the bind mount
    /// of `/proc/PID/ns/net` on `/run/netns/NAME` names it, and keeps it after its processes.
    /// `EEXIST` when the name is taken.
    pub fn netns_attach_anon(&mut self, ns: NsId, name: &str) -> Result<(), Errno> {
        if self.ns_by_name(name).is_some() {
            return Err(Errno::EEXIST);
        }
        let old = self.net(ns).name.clone();
        self.ns_names.remove(&(old, ns));
        self.ns_names.insert((name.to_string(), ns));
        self.net_mut(ns).name = name.to_string();
        for d in self.net(ns).devs.clone() {
            self.cap_refresh(d);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::NetnsIds;

    /// idr_alloc's order: the lowest free id, a freed id is the next one given, an explicit
    /// id leaves the ids below it free.
    #[test]
    fn ids_come_out_lowest_free_first_as_idr_alloc_gives_them() {
        let mut ids = NetnsIds::default();
        assert_eq!(ids.alloc(10), Some(0));
        assert_eq!(ids.alloc(11), Some(1));
        assert!(ids.take(4, 12));
        assert!(!ids.take(4, 13), "taken");
        assert!(!ids.take(1, 13), "taken");
        assert_eq!(ids.alloc(13), Some(2));
        assert_eq!(ids.alloc(14), Some(3));
        assert_eq!(ids.alloc(15), Some(5));
        assert_eq!(ids.remove_peer(11), Some(1));
        assert_eq!(ids.remove_peer(11), None);
        assert_eq!(ids.remove_peer(13), Some(2));
        assert_eq!(ids.id_of(13), None);
        assert_eq!(ids.alloc(16), Some(1));
        assert_eq!(ids.alloc(17), Some(2));
        assert_eq!(ids.alloc(18), Some(6));
        assert!(ids.take(i32::MAX, 19));
        assert_eq!(ids.remove_peer(19), Some(i32::MAX));
        assert!(ids.take(i32::MAX, 19));
        assert_eq!(ids.get(4), Some(12));
        assert_eq!(ids.id_of(18), Some(6));
        let all: Vec<_> = ids.iter().collect();
        assert_eq!(
            all,
            [
                (0, 10),
                (1, 16),
                (2, 17),
                (3, 14),
                (4, 12),
                (5, 15),
                (6, 18),
                (i32::MAX, 19)
            ]
        );
        // Every id freed: one range again, 0 first.
        for p in [10, 16, 17, 14, 12, 15, 18, 19] {
            ids.remove_peer(p);
        }
        assert!(ids.is_empty());
        assert_eq!(ids.free.len(), 1);
        assert_eq!(ids.alloc(20), Some(0));
    }
}
