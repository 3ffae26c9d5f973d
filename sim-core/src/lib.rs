//! The nslab engine: it knows nothing about Linux.
//!
//! Invariants (stated as absences, checked by clippy's `disallowed-*` lists):
//! - no wall clock: time is [`time::Instant`], advanced only by the event loop;
//! - no OS randomness: [`rng::SimRng`] is seeded from the lab's `--seed`;
//! - no threads, no `HashMap` iteration: equal inputs give equal bytes.
#![forbid(unsafe_code)]

pub mod event;
pub mod pcapng;
pub mod rng;
pub mod time;

pub use event::{EventId, EventQueue, Next};
pub use rng::SimRng;
pub use time::{Duration, Instant};
