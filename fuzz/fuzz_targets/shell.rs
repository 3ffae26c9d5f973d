#![no_main]
//! `cargo +nightly fuzz run shell`: nslab::frontends::fuzz::shell_lab.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nslab::frontends::fuzz::shell_lab(data));
