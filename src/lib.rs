//! nslab: lab front ends (shell labs), the `Lab` API, the kernel oracle port, and the CLI's
//! building blocks.
#![forbid(unsafe_code)]

pub mod book;
pub mod frontends;
pub mod graph;
pub mod lab;
pub mod oracle;
pub mod shell;

pub use lab::Lab;
