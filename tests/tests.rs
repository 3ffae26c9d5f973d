//! Integration tests (one binary).
mod support;

mod bird;
mod cli;
mod differential;
mod errors;
mod fib_rules;
mod frontends;
mod hostile;
mod iproute2_keywords;
mod labapi;
mod labs;
mod model;
mod netfilter;
mod nexthop;
mod selftests;
mod soak;
mod state;
mod stp;
mod tc;
mod tcp;
mod view;
mod vlan_qos;
mod vrf;
mod vxlan;
mod web;
