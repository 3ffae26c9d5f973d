//! nslab's differential tester (issue 13): [`gen::generate`] makes a lab from a seed,
//! [`driver`] records it on the kernel with the oracle and compares nslab's run of it,
//! [`minimise`] shrinks a differing lab, [`classify`] names a difference for the class table.
//! See README.md.

pub mod classify;
pub mod driver;
pub mod gen;
pub mod minimise;
pub mod rng;
