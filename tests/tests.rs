//! Integration tests (one binary).
mod bird;
mod errors;
mod frontends;
mod labs;
mod model;
mod netfilter;
mod oracle;
mod state;
mod view;
mod vxlan;
