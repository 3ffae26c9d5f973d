#![no_main]
//! `cargo +nightly fuzz run clab`: nslab::frontends::fuzz::clab_yaml.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nslab::frontends::fuzz::clab_yaml(data));
