//! nslab: lab front ends (shell labs), the `Lab` API, and the CLI's building blocks.
#![forbid(unsafe_code)]

pub mod book;
pub mod exit;
pub mod frontends;
pub mod graph;
pub mod lab;
mod labfs;
pub mod labshell;
pub mod modelled;
pub mod programs;
pub mod shell;

pub use lab::Lab;
/// The simulated clock's types, for [`Lab::now`] and [`Lab::run_until`].
pub use sim_core::{Duration, Instant};
