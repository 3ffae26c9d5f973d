//! Integration tests (one binary).
mod bird;
mod errors;
mod labs;
mod model;
mod oracle;
