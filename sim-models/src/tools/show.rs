//! Placeholder rendering (replaced by the iproute2-exact renderers).
use crate::kernel::{DevId, Kernel, NsId};
use crate::net::fib::RtnType;
use std::net::Ipv4Addr;

#[derive(Clone, Debug, Default)]
pub struct ShowOpts {
    pub details: bool,
    pub oneline: bool,
    pub brief: bool,
    pub family4: bool,
    pub stats: bool,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableSel {
    Main,
    Local,
    All,
    Id(u32),
}
#[derive(Clone, Debug, Default)]
pub struct RouteFilter {
    pub dev: Option<DevId>,
    pub proto: Option<u8>,
    pub scope: Option<u8>,
    pub rtype: Option<RtnType>,
    pub via: Option<Ipv4Addr>,
    pub prefix: Option<(Ipv4Addr, u8)>,
}
pub fn ip_link_show(_k: &Kernel, _ns: NsId, _d: Option<DevId>, _o: &ShowOpts) -> String {
    String::new()
}
pub fn ip_addr_show(_k: &Kernel, _ns: NsId, _d: Option<DevId>, _o: &ShowOpts) -> String {
    String::new()
}
pub fn ip_route_show(_k: &Kernel, _ns: NsId, _t: TableSel, _f: &RouteFilter) -> String {
    String::new()
}
pub fn route_n(_k: &Kernel, _ns: NsId) -> String {
    String::new()
}
pub fn ip_neigh_show(_k: &Kernel, _ns: NsId, _d: Option<DevId>) -> String {
    String::new()
}
pub fn bridge_fdb_show(_k: &Kernel, _ns: NsId) -> String {
    String::new()
}
pub fn brctl_show(_k: &Kernel, _ns: NsId) -> String {
    String::new()
}
pub fn brctl_showmacs(_k: &Kernel, _ns: NsId, _b: DevId) -> String {
    String::new()
}
pub fn ip_netns_list(_k: &Kernel) -> String {
    String::new()
}
pub fn ethtool_s(_k: &Kernel, _ns: NsId, _d: DevId) -> String {
    String::new()
}
