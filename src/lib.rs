//! nslab: lab front ends (shell labs), the `Lab` API and the CLI's building blocks.
#![forbid(unsafe_code)]

pub mod oracle;
