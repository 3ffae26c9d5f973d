//! nslab: lab front ends (shell labs), the `Lab` API, the kernel oracle port, and the CLI's
//! building blocks.
#![forbid(unsafe_code)]

pub mod book;
pub mod frontends;
pub mod graph;
pub mod lab;
mod labfs;
pub mod oracle;
pub mod programs;
pub mod shell;

pub use lab::Lab;
