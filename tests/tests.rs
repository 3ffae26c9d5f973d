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
mod state;
mod tc;
mod view;
mod vxlan;
