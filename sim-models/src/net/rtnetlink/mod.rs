//! rtnetlink: the one way userspace (the tools, bird, the front ends, the graph) changes and reads
//! the network configuration of a namespace, as `ip`/`bridge`/`sysctl` do on Linux through
//! `NETLINK_ROUTE` and `/proc/sys`.
//!
//! Requests are typed messages (a link, an address, a route, a neighbour, an fdb entry, a
//! netconf/sysctl write, a namespace move) with their `NLM_F_*` flags; the handlers do every
//! validation the kernel does, once, and answer `Result<_, RtnlError>`: an errno and, where the
//! kernel sets one, the extack message iproute2 prints as `Error: ...`. Dumps
//! ([`dump`]) return plain message structs (what `RTM_NEWLINK`/`RTM_NEWADDR`/... carry), never
//! references into the kernel's structures.

pub mod addr;
pub mod br_netlink;
pub mod dump;
pub mod link;
pub mod neigh;
pub mod netconf;
pub mod netns;
pub mod nexthop;
pub mod qdisc;
pub mod route;
pub mod rule;

use crate::errno::Errno;

/// A refused request: `errno` and the extack message, as the kernel returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtnlError {
    pub errno: Errno,
    /// `NL_SET_ERR_MSG` text (iproute2 prints `Error: {extack}.`), if the kernel sets one.
    pub extack: Option<String>,
    /// Not a kernel answer: the request needs something nslab does not model (the feature, for
    /// `ToolError::not_modelled`).
    pub not_modelled: Option<String>,
}

impl RtnlError {
    pub fn new(errno: Errno) -> RtnlError {
        RtnlError {
            errno,
            extack: None,
            not_modelled: None,
        }
    }

    /// A request nslab cannot carry out because it does not model `what`.
    pub fn not_modelled(what: impl Into<String>) -> RtnlError {
        RtnlError {
            errno: Errno::EOPNOTSUPP,
            extack: None,
            not_modelled: Some(what.into()),
        }
    }

    pub fn extack(errno: Errno, msg: impl Into<String>) -> RtnlError {
        RtnlError {
            errno,
            extack: Some(msg.into()),
            not_modelled: None,
        }
    }

    /// How iproute2 reports it: `Error: {extack}.` when the kernel gave a message, else
    /// `RTNETLINK answers: {strerror}`.
    pub fn iproute2_text(&self) -> String {
        match &self.extack {
            Some(m) => format!("Error: {m}.\n"),
            None => format!("RTNETLINK answers: {}\n", self.errno),
        }
    }
}

impl From<Errno> for RtnlError {
    fn from(e: Errno) -> RtnlError {
        RtnlError::new(e)
    }
}

use crate::kernel::{Kernel, NsId};

/// How userspace names a device: its ifindex in a namespace (`if_nametoindex`), never the
/// kernel's arena id. Requests and dump messages carry ifindexes.
pub type IfIndex = u32;

impl Kernel {
    /// `if_nametoindex(3)` in namespace `ns` (`SIOCGIFINDEX`): 0 is never an ifindex.
    pub fn if_nametoindex(&self, ns: NsId, name: &str) -> Option<IfIndex> {
        self.dev_by_name(ns, name).map(|d| self.dev(d).ifindex)
    }

    /// `if_indextoname(3)` in namespace `ns`.
    pub fn if_indextoname(&self, ns: NsId, ifindex: IfIndex) -> Option<String> {
        self.dev_by_ifindex(ns, ifindex)
            .map(|d| self.dev(d).name.clone())
    }

    /// The namespace a `/var/run/netns/NAME` file (or the lab's `root`) names.
    pub fn netns_get_by_name(&self, name: &str) -> Option<NsId> {
        self.ns_by_name(name)
    }
}
