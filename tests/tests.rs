//! Integration tests (one binary).
mod support;

mod bird;
mod cli;
mod errors;
mod fib_rules;
mod frontends;
mod hostile;
mod labapi;
mod labs;
mod model;
mod netfilter;
mod selftests;
mod soak;
mod state;
mod view;
mod vxlan;
mod web;
