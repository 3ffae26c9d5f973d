//! The userland programs nslab runs without a network: name → entry point.
//!
//! A program is a pure function of its [`Ctx`] (argv, stdin, environment, the lab's files, the
//! simulated clock) returning its exit status; the lab's program table (root package) looks
//! programs up here by name and runs them the same way at the top level, under
//! `ip netns exec`, `sudo`, `bash -c` and in pipes.

use crate::coreutils::{files, printf, sys, test, text};
use crate::Ctx;

/// A program's entry point: writes `ctx.stdout`/`ctx.stderr`, returns the exit status.
pub type Program = fn(&mut Ctx) -> i32;

/// Every program here, sorted by name (bytewise).
pub const PROGRAMS: &[(&str, Program)] = &[
    ("[", test::test),
    ("awk", crate::awk::awk),
    ("basename", files::basename),
    ("bc", crate::bc::bc),
    ("cat", text::cat),
    ("cut", text::cut),
    ("date", sys::date),
    ("dirname", files::dirname),
    ("echo", printf::echo),
    ("false", test::false_),
    ("gawk", crate::awk::awk),
    ("grep", crate::grep::grep),
    ("head", text::head),
    ("id", sys::id),
    ("jq", crate::jq::jq),
    ("ls", files::ls),
    ("mkdir", files::mkdir),
    ("mktemp", files::mktemp),
    ("printf", printf::printf),
    ("readlink", files::readlink),
    ("realpath", files::readlink),
    ("rm", files::rm),
    ("rmdir", files::rmdir),
    ("sed", crate::sed::sed),
    ("seq", text::seq),
    ("sort", text::sort),
    ("tail", text::tail),
    ("tee", text::tee),
    ("test", test::test),
    ("timeout", sys::timeout),
    ("touch", files::touch),
    ("tr", text::tr),
    ("true", test::true_),
    ("uniq", text::uniq),
    ("wc", text::wc),
    ("which", sys::which),
    ("xargs", sys::xargs),
];

/// The program called `name` (a path's last component: `/usr/bin/sed` is `sed`).
pub fn find(name: &str) -> Option<Program> {
    let base = name.rsplit('/').next().unwrap_or(name);
    PROGRAMS
        .binary_search_by(|(n, _)| n.cmp(&base))
        .ok()
        .map(|i| PROGRAMS[i].1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_sorted() {
        for w in super::PROGRAMS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
    }
}
