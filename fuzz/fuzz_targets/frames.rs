#![no_main]
//! `cargo +nightly fuzz run frames`: nslab::frontends::fuzz::frames.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nslab::frontends::fuzz::frames(data));
