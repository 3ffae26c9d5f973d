//! Integration tests (one binary).
mod support;

mod bird;
mod differential;
mod errors;
mod frontends;
mod hostile;
mod iproute2_keywords;
mod labapi;
mod labs;
mod model;
mod netfilter;
mod state;
mod view;
mod vxlan;
