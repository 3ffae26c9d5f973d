//! The kernel's timer wheel (`kernel/time/timer.c`) as far as it decides *when* a timer runs:
//! jiffies at HZ=250 (the recording host's), `calc_wheel_index`'s level by how far away the
//! expiry is and `calc_index`'s round-up to that level's granularity (1 jiffy at level 0, 8 at
//! level 1, 64 at level 2, ...: a 1 s ARP retransmit runs up to 32 ms late, the 5 s neighbour
//! DELAY timer up to 256 ms late, each at least one jiffy late).
//!
//! Timers that run in the same tick keep their arming order (the queue's sequence). Within one
//! timer base the wheel runs a bucket newest first (`enqueue_timer`'s `hlist_add_head`), but the
//! recording host (6.18) splits pinned timers (`BASE_LOCAL`: the request socket's SYN-ACK timer
//! is `TIMER_PINNED`) from the others (`BASE_GLOBAL`: TCP's retransmit timer), and the recorded
//! same-tick case (tests/kernel/gen13-synack-order: a client SYN retransmit and a server SYN-ACK
//! retransmit armed microseconds apart) shows the client's first, i.e. arming order; a single
//! wheel's newest-first rule would contradict it.
//!
//! Jiffy 0 is the lab's epoch: the real kernel's tick phase relative to a lab is arbitrary,
//! only the rounding matters for what a capture shows.

use sim_core::{Duration, Instant};

/// `CONFIG_HZ` of the recording host.
pub const HZ: u64 = 250;
/// Nanoseconds per jiffy.
pub const TICK_NSEC: u64 = 1_000_000_000 / HZ;

const LVL_CLK_SHIFT: u32 = 3;
const LVL_BITS: u32 = 6;
const LVL_SIZE: u64 = 1 << LVL_BITS;
/// HZ > 100: nine levels.
const LVL_DEPTH: u32 = 9;

const fn lvl_shift(n: u32) -> u32 {
    n * LVL_CLK_SHIFT
}

const fn lvl_gran(n: u32) -> u64 {
    1 << lvl_shift(n)
}

/// `LVL_START(n)`: the smallest delta that goes to level `n`.
const fn lvl_start(n: u32) -> u64 {
    (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT)
}

const WHEEL_TIMEOUT_CUTOFF: u64 = lvl_start(LVL_DEPTH);
const WHEEL_TIMEOUT_MAX: u64 = WHEEL_TIMEOUT_CUTOFF - lvl_gran(LVL_DEPTH - 1);

/// `jiffies` at `now`.
pub fn jiffies(now: Instant) -> u64 {
    now.as_nanos() / TICK_NSEC
}

/// The instant tick `j` starts.
pub fn jiffies_to_instant(j: u64) -> Instant {
    Instant(j.saturating_mul(TICK_NSEC))
}

/// `nsecs_to_jiffies` rounded up, as `msecs_to_jiffies` does for whole milliseconds.
pub fn to_jiffies(d: Duration) -> u64 {
    d.as_nanos().div_ceil(TICK_NSEC)
}

/// `calc_index`: the bucket's expiry (jiffies) for `expires` at level `lvl`.
fn calc_index(expires: u64, lvl: u32) -> u64 {
    ((expires >> lvl_shift(lvl)) + 1) << lvl_shift(lvl)
}

/// `calc_wheel_index(expires, clk)`: (the jiffy the timer's bucket runs, its level).
pub fn calc_wheel_index(expires: u64, clk: u64) -> (u64, u32) {
    if expires < clk {
        // `(long) delta < 0`: the current bucket.
        return (clk, 0);
    }
    let delta = expires - clk;
    for lvl in 0..LVL_DEPTH - 1 {
        if delta < lvl_start(lvl + 1) {
            return (calc_index(expires, lvl), lvl);
        }
    }
    let expires = if delta >= WHEEL_TIMEOUT_CUTOFF {
        clk + WHEEL_TIMEOUT_MAX
    } else {
        expires
    };
    (calc_index(expires, LVL_DEPTH - 1), LVL_DEPTH - 1)
}

/// The instant a timer armed at `now` with `expires = jiffies + timeout` runs: the tick of its
/// wheel bucket.
pub fn mod_timer(now: Instant, timeout: Duration) -> Instant {
    let clk = jiffies(now);
    let (bucket, _lvl) = calc_wheel_index(clk + to_jiffies(timeout), clk);
    jiffies_to_instant(bucket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_granularity_at_hz_250() {
        // The table in kernel/time/timer.c for HZ 250: level 0 up to 63 jiffies (252 ms),
        // level 1 up to 503 (2 s, 32 ms granularity), level 2 up to 4031 (16 s, 256 ms).
        assert_eq!(calc_wheel_index(1000 + 62, 1000), (1063, 0));
        assert_eq!(calc_wheel_index(1000 + 63, 1000).1, 1);
        // A 1 s retransmit (250 jiffies) armed at jiffy 1001: expires 1251, level 1, the next
        // multiple of 8 above it.
        assert_eq!(calc_wheel_index(1251, 1001), (1256, 1));
        // The 5 s DELAY timer (1250 jiffies) from jiffy 1001: level 2, next multiple of 64.
        assert_eq!(calc_wheel_index(2251, 1001), (2304, 2));
        // Never early, at least one jiffy late, at most a granularity late.
        for clk in 0..600 {
            for t in [1, 25, 62, 63, 250, 1250, 7500] {
                let (b, lvl) = calc_wheel_index(clk + t, clk);
                assert!(b > clk + t && b <= clk + t + lvl_gran(lvl), "{clk} {t}");
            }
        }
    }

    #[test]
    fn timers_run_on_their_bucket_tick() {
        let now = Instant(1_000_000_000);
        // Two 1 s timers armed in the same jiffy share a bucket and its tick.
        let a = mod_timer(now, Duration::from_secs(1));
        let b = mod_timer(now + Duration(1_000), Duration::from_secs(1));
        assert_eq!(a, b);
        assert_eq!(a.as_nanos() % TICK_NSEC, 0);
        // Never early, at most the level-1 granularity (8 jiffies) and a tick late.
        assert!(a >= now + Duration::from_secs(1));
        assert!(a <= now + Duration::from_millis(1036));
    }
}
