//! The userland programs nslab runs without a network: name → entry point.
//!
//! A program is a pure function of its [`Ctx`] (argv, stdin, environment, the lab's files, the
//! simulated clock) returning its exit status; the lab's program table (root package) looks
//! programs up here by name and runs them the same way at the top level, under
//! `ip netns exec`, `sudo`, `bash -c` and in pipes.

use crate::Ctx;

/// A program's entry point: writes `ctx.stdout`/`ctx.stderr`, returns the exit status.
pub type Program = fn(&mut Ctx) -> i32;

/// Every program here, sorted by name.
pub const PROGRAMS: &[(&str, Program)] = &[];

/// The program called `name` (a path's last component: `/usr/bin/sed` is `sed`).
pub fn find(name: &str) -> Option<Program> {
    let base = name.rsplit('/').next().unwrap_or(name);
    PROGRAMS
        .binary_search_by(|(n, _)| n.cmp(&base))
        .ok()
        .map(|i| PROGRAMS[i].1)
}
