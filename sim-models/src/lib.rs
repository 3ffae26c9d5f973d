//! The Linux model: network namespaces, devices, IPv4, neighbours, and the tools' behaviour.
#![forbid(unsafe_code)]

pub mod tcpdump;
