//! Integration tests (one binary).
mod errors;
mod labs;
mod model;
mod netfilter;
mod oracle;
