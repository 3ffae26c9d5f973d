//! Integration tests (one binary).
mod support;

mod bird;
mod errors;
mod frontends;
mod hostile;
mod labapi;
mod labs;
mod model;
mod netfilter;
mod soak;
mod state;
mod view;
mod vxlan;
