//! Integration tests (one binary).
mod errors;
mod frontends;
mod labs;
mod model;
mod netfilter;
mod oracle;
mod view;
mod vxlan;
