//! The Linux network stack, one module per kernel subsystem.
pub mod bridge;
pub mod dev;
pub mod devconf;
pub mod fib;
pub mod inet_diag;
pub mod ipfrag;
pub mod ipip;
pub mod ipv4;
pub mod neigh;
pub mod netfilter;
pub mod rtnetlink;
pub mod sock;
pub mod tcp;
#[cfg(test)]
mod transport_tests;
pub mod udp;
pub mod vxlan;
