//! The userspace tools' behaviour: argv in, output text and exit status out, in the real tools'
//! formats and words.
pub mod show;
