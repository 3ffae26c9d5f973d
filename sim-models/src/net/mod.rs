//! The Linux network stack, one module per kernel subsystem.
pub mod addrconf;
pub mod af_packet;
pub mod arp;
pub mod bridge;
pub mod dev;
pub mod devconf;
pub mod devinet;
pub mod fib;
pub mod fib_frontend;
pub mod fib_rules;
pub mod icmp;
pub mod inet_diag;
pub mod ip_forward;
pub mod ip_input;
pub mod ip_output;
pub mod ipfrag;
pub mod ipip;
pub mod neigh;
pub mod netfilter;
pub mod route;
pub mod rtnetlink;
pub mod skbuff;
pub mod sock;
pub mod tcp;
#[cfg(test)]
mod transport_tests;
pub mod udp;
pub mod vxlan;
