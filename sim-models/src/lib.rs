//! The Linux model: network namespaces, devices, IPv4, neighbours, apps and the tools' behaviour.
//!
//! Everything here is deterministic: no I/O, no wall clock, no OS randomness.
#![forbid(unsafe_code)]

pub mod apps;
pub mod dropreason;
pub mod errno;
pub mod kernel;
pub mod limits;
pub mod net;
pub mod small_map;
pub mod tcpdump;
pub mod timer;
pub mod tools;
pub mod trace;
pub mod wire;

pub use kernel::Kernel;
