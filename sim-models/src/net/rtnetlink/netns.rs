//! Namespaces by name (`ip netns add|del`: a file under `/run/netns` bound to a new
//! `CLONE_NEWNET` namespace).

use crate::errno::Errno;
use crate::kernel::{Kernel, NsId};

impl Kernel {
    /// `ip netns add NAME`: `EEXIST` when the file exists.
    pub fn rtnl_netns_add(&mut self, name: &str) -> Result<NsId, Errno> {
        if self.ns_by_name(name).is_some() {
            return Err(Errno::EEXIST);
        }
        Ok(self.netns_add(name))
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
}
