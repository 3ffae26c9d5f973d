//! Namespaces by name (`ip netns add|del`: a file under `/run/netns` bound to a new
//! `CLONE_NEWNET` namespace).

use crate::errno::Errno;
use crate::kernel::{DevId, DevKind, Kernel, NsId};
use crate::net::rtnetlink::RtnlError;

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
        let ids = &self.net(net).netns_ids;
        if ids.values().any(|&p| p == peer) {
            return Err(RtnlError::extack(
                Errno::EEXIST,
                "Peer netns already has a nsid assigned",
            ));
        }
        let id = if nsid >= 0 {
            if ids.contains_key(&nsid) {
                // idr_alloc's -ENOSPC, reported as EEXIST.
                return Err(RtnlError::extack(
                    Errno::EEXIST,
                    "The specified nsid is already used",
                ));
            }
            nsid
        } else {
            // Fewer ids than namespaces: one of 0..=len is free (no ENOSPC here).
            (0..=i32::MAX)
                .find(|i| !ids.contains_key(i))
                .unwrap_or_default()
        };
        self.net_mut(net).netns_ids.insert(id, peer);
        Ok(())
    }

    /// `peernet2id`: the id `net` names `peer` by, if one was assigned.
    pub fn peernet2id(&self, net: NsId, peer: NsId) -> Option<i32> {
        self.net(net)
            .netns_ids
            .iter()
            .find(|(_, &p)| p == peer)
            .map(|(&id, _)| id)
    }
}

impl Kernel {
    /// `peernet2id_alloc`: the id `net` names `peer` by, allocated (the lowest free one,
    /// `alloc_netid`'s `idr_alloc(.., 0, 0)`) when it has none yet.
    pub fn peernet2id_alloc(&mut self, net: NsId, peer: NsId) -> i32 {
        if let Some(id) = self.peernet2id(net, peer) {
            return id;
        }
        let ids = &self.net(net).netns_ids;
        let id = (0..=i32::MAX)
            .find(|i| !ids.contains_key(i))
            .unwrap_or_default();
        self.net_mut(net).netns_ids.insert(id, peer);
        id
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
