#![no_main]
//! `cargo +nightly fuzz run ron`: nslab::frontends::fuzz::ron.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nslab::frontends::fuzz::ron(data));
