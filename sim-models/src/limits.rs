//! The run's limits (issue 14): a lab is a program a user pasted, so a run is bounded in
//! simulated time and in frames, and a broadcast storm (a loop of bridges without STP) stops it
//! with a report instead of running until memory or patience ends. These are nslab's own
//! limits, not the kernel's: each says which limit was hit and how to raise it.
//!
//! The kernel counts every transmitted frame (`dev_hard_start_xmit`) in [`Limits::on_xmit`];
//! the event loop ([`crate::Kernel::step`], [`crate::Kernel::run_until`]) does nothing once a
//! limit is hit, and the front end stops the lab and reports [`LimitHit`].

use crate::kernel::DevId;
use sim_core::{Duration, Instant};
use std::fmt;

/// Default for [`Limits::max_frames`]: transmitted frames per run. A budget of CPU time, not
/// of memory (frames are written out as they happen): about ten minutes of a release build.
/// A cold 10 000-pod bridge (every pod pinging once) transmits 10^8 frames in its first ARP
/// flood alone.
pub const DEFAULT_MAX_FRAMES: u64 = 1_000_000_000;
/// Default for [`Limits::max_sim_time`]: one simulated day.
pub const DEFAULT_MAX_SIM_TIME: Duration = Duration::from_secs(86_400);
/// Default for [`Limits::max_memory`]: bytes of lab state a run may hold (1 GiB).
pub const DEFAULT_MAX_MEMORY: u64 = 1 << 30;
/// Default for [`Limits::max_files`]: the lab's disk, bytes of files a lab may write
/// (256 MiB; a `tcpdump -w` of a long run fills it, as a disk fills).
pub const DEFAULT_MAX_FILES: u64 = 256 << 20;
/// Default for [`Limits::storm_rate`]: transmitted frames per simulated second (all devices)
/// which, kept up for [`STORM_SECONDS`], make a run a storm. A ping every millisecond through
/// a router transmits about 8 000 frames a second; one ARP request circulating in two bridges
/// joined by two veth pairs 200 000 every second (a frame per veth every 20 µs), for ever.
pub const DEFAULT_STORM_RATE: u64 = 100_000;
/// Consecutive simulated seconds over the rate that make a storm. A storm is sustained: a
/// loop keeps its frames going as long as the run lasts. A cold lab's first flood is a burst
/// (300 pods on one bridge ARPing at once transmit 90 000 frames in their first
/// milliseconds, 1 000 pods a million), over in a second.
pub const STORM_SECONDS: u32 = 3;
/// Bytes the event queue is counted at per pending event by the storm detector's other rule:
/// a loop that multiplies its frames (three links between two bridges) has more in flight
/// with every hop, faster than any second ends; when the rate is exceeded and what waits to
/// be delivered would pass the memory limit, the run stops at once.
pub const QUEUED_EVENT_BYTES: u64 = 256;
/// The storm detector's growth rule: the events waiting in the queue are sampled every
/// `GROWTH_SAMPLE` of simulated time (two device hops, `HOP_DELAY` each); a queue that at least doubled at each
/// of [`GROWTH_SAMPLES`] samples in a row, over the rate and past 1/[`GROWTH_MEMORY_SHARE`] of
/// the memory limit, is a loop that multiplies its frames (three links between two bridges
/// double their frames every two hops) and stops the run then, not when the queue reaches
/// the whole limit. A cold lab's flood fills the queue once (N pods × N ports) and drains.
pub const GROWTH_SAMPLE: Duration = Duration::from_micros(20);
pub const GROWTH_SAMPLES: u32 = 3;
pub const GROWTH_MEMORY_SHARE: u64 = 16;

/// Which limit stopped a run, with what the user needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitHit {
    /// More frames than `max` were transmitted.
    Frames { max: u64 },
    /// The simulated clock would pass `max` (e.g. `sleep 1e300`).
    SimTime { max: Duration },
    /// The lab's state grew past `max` bytes: files it wrote (`ping ... > log &`), terminal
    /// output held, frames held for an in-lab tcpdump.
    Memory { max: u64 },
    /// A storm: more than `rate` frames in each of `seconds` consecutive simulated seconds
    /// from `at` (`total` in the last one), or, with `queued` frames and timers waiting, more
    /// in flight than the memory limit holds; the devices that transmitted most in the last
    /// second, with their counts.
    Storm {
        rate: u64,
        at: Instant,
        seconds: u32,
        total: u64,
        queued: Option<u64>,
        top: Vec<(String, u64)>,
    },
}

impl LimitHit {
    /// The `nslab run` option that raises this limit.
    pub fn option(&self) -> &'static str {
        match self {
            LimitHit::Frames { .. } => "--max-frames",
            LimitHit::SimTime { .. } => "--max-sim-time",
            LimitHit::Memory { .. } => "--max-memory",
            LimitHit::Storm { .. } => "--max-frame-rate",
        }
    }
}

/// The note a run shows once when its disk is full.
pub fn files_full_note(max_files: u64) -> String {
    format!(
        "nslab: the lab's files reached {} MiB, the size of its disk: writes fail with \"No space left on device\" (raise it with --max-files MIB)\n",
        max_files >> 20
    )
}

impl fmt::Display for LimitHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitHit::Frames { max } => write!(
                f,
                "nslab: frame limit reached: {max} frames transmitted; the run stops here (raise it with --max-frames N)"
            ),
            LimitHit::SimTime { max } => write!(
                f,
                "nslab: simulated time limit reached: {} s; the run stops here (raise it with --max-sim-time SECONDS)",
                max.as_nanos() / 1_000_000_000
            ),
            LimitHit::Memory { max } => write!(
                f,
                "nslab: memory limit reached: the lab holds more than {} MiB (files it wrote, output, captured frames); the run stops here (raise it with --max-memory MIB)",
                max >> 20
            ),
            LimitHit::Storm {
                rate,
                at,
                seconds,
                total,
                queued,
                top,
            } => {
                let devs = |unit: &str| {
                    top.iter()
                        .map(|(d, n)| format!("{d} {n} {unit}"))
                        .collect::<Vec<String>>()
                        .join(", ")
                };
                match queued {
                    None => write!(
                        f,
                        "nslab: frame storm: more than {rate} frames in each of {seconds} consecutive simulated seconds from {at} (a loop of bridges or veth pairs?); the busiest devices of the last: {}; the run stops here (raise it with --max-frame-rate N)",
                        devs("frames")
                    ),
                    Some(q) => write!(
                        f,
                        "nslab: frame storm at {at}: {total} frames in this simulated second and {q} waiting to be delivered, more with every hop (limit {rate}/s; a loop of bridges or veth pairs?): {}; the run stops here before they fill memory (raise it with --max-frame-rate N or --max-memory MIB)",
                        devs("frames/s")
                    ),
                }
            }
        }
    }
}

/// The limits of one run and the counters they are checked against.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_frames: u64,
    pub max_sim_time: Duration,
    pub storm_rate: u64,
    pub max_memory: u64,
    /// Frames transmitted so far.
    pub frames: u64,
    /// The storm detector's window: its start and the frames each device sent in it.
    window_start: Instant,
    window_total: u64,
    window: Vec<u32>,
    /// Consecutive windows before this one over the rate, and the first one's start.
    over: u32,
    over_start: Instant,
    /// The growth rule's state: when the queue is sampled next, its length at the last
    /// sample, and the samples in a row at which it had at least doubled.
    grow_at: Instant,
    /// The earlier of the window's end (`window_start` + a second) and `grow_at`: a frame
    /// sent before it has neither to do (one comparison a frame instead of two).
    timed_at: Instant,
    grow_last: usize,
    grow_n: u32,
    /// The limit that stopped the run, if any.
    pub hit: Option<LimitHit>,
    /// The size of the lab's disk: the files it writes may hold this many bytes; past it a
    /// write fails with ENOSPC ("No space left on device") as on a full disk, and the run
    /// goes on. Not a limit that stops the run: the lab sees a full disk.
    pub max_files: u64,
    /// A write found the disk full (the front end notes it once).
    pub files_full: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frames: DEFAULT_MAX_FRAMES,
            max_sim_time: DEFAULT_MAX_SIM_TIME,
            storm_rate: DEFAULT_STORM_RATE,
            max_memory: DEFAULT_MAX_MEMORY,
            frames: 0,
            window_start: Instant::EPOCH,
            window_total: 0,
            window: Vec::new(),
            over: 0,
            over_start: Instant::EPOCH,
            grow_at: Instant::EPOCH,
            timed_at: Instant::EPOCH,
            grow_last: 0,
            grow_n: 0,
            hit: None,
            max_files: DEFAULT_MAX_FILES,
            files_full: false,
        }
    }
}

const SECOND: Duration = Duration::from_secs(1);

impl Limits {
    /// No limit at all: what a `Kernel` driven through the engine API starts with (the
    /// benchmarks, the model's own tests). The front ends' defaults ([`Limits::default`]) are
    /// set by the `Lab`.
    pub fn unlimited() -> Self {
        Limits {
            max_frames: u64::MAX,
            max_sim_time: Duration(u64::MAX),
            storm_rate: u64::MAX,
            max_memory: u64::MAX,
            max_files: u64::MAX,
            ..Limits::default()
        }
    }
}

impl Limits {
    /// Counts one frame transmitted by `d` at `now`, with `queued()` events waiting in the
    /// machine's queue (asked only when a sample or a storm needs it); `name` names a device
    /// for the storm report. Returns true when this frame hits a limit. (Inline, with the
    /// rare parts — a window's end, a growth sample, a window over the rate, a limit hit —
    /// out of line: every transmitted frame passes.)
    #[inline]
    pub fn on_xmit(
        &mut self,
        d: DevId,
        now: Instant,
        queued: impl Fn() -> usize,
        name: impl Fn(DevId) -> String,
    ) -> bool {
        if self.hit.is_some() {
            return true;
        }
        self.frames += 1;
        if self.frames > self.max_frames {
            self.hit = Some(LimitHit::Frames {
                max: self.max_frames,
            });
            return true;
        }
        // (The window's end and the growth sample touch different state: the sample may be
        // taken before this frame is counted in the window.)
        if now >= self.timed_at {
            self.timed(now, queued());
        }
        match self.window.get_mut(d) {
            Some(n) => *n = n.saturating_add(1),
            None => self.window_grow(d),
        }
        self.window_total += 1;
        if self.window_total <= self.storm_rate {
            return false;
        }
        self.storm_check(queued(), name)
    }

    /// A frame at or after `timed_at`: the window's end, the growth sample, each when due.
    #[cold]
    #[inline(never)]
    fn timed(&mut self, now: Instant, queued: usize) {
        if now >= self.window_start + SECOND {
            self.window_end(now);
        }
        if now >= self.grow_at {
            self.grow_sample(now, queued);
        }
        self.timed_at = (self.window_start + SECOND).min(self.grow_at);
    }

    /// The storm window ends at `now`: it counts toward a storm if it was over the rate and
    /// the next frame comes within the second after it (no quiet second between).
    fn window_end(&mut self, now: Instant) {
        let over = self.window_total > self.storm_rate;
        let next = now < self.window_start + SECOND + SECOND;
        if over && self.over == 0 {
            self.over_start = self.window_start;
        }
        self.over = if over && next { self.over + 1 } else { 0 };
        self.window_start = now;
        self.window_total = 0;
        self.window.iter_mut().for_each(|c| *c = 0);
    }

    /// A device's first frame in the window's table: the table grows to it, counting it.
    #[cold]
    #[inline(never)]
    fn window_grow(&mut self, d: DevId) {
        self.window.resize(d + 1, 0);
        self.window[d] = 1;
    }

    /// The growth rule's sample of the queue.
    fn grow_sample(&mut self, now: Instant, queued: usize) {
        let doubled = self.grow_last > 0 && queued >= 2 * self.grow_last;
        self.grow_n = if doubled { self.grow_n + 1 } else { 0 };
        self.grow_last = queued;
        self.grow_at = now + GROWTH_SAMPLE;
    }

    /// The window is over the rate: a storm when it has lasted or the queue floods memory.
    #[cold]
    #[inline(never)]
    fn storm_check(&mut self, queued: usize, name: impl Fn(DevId) -> String) -> bool {
        let sustained = self.over + 1 >= STORM_SECONDS;
        let queued_bytes = (queued as u64).saturating_mul(QUEUED_EVENT_BYTES);
        let multiplying =
            self.grow_n >= GROWTH_SAMPLES && queued_bytes > self.max_memory / GROWTH_MEMORY_SHARE;
        let flooding = multiplying || queued_bytes > self.max_memory;
        if !sustained && !flooding {
            return false;
        }
        let mut top: Vec<(DevId, u32)> = self
            .window
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(d, &n)| (d, n))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(6);
        let (at, seconds) = if sustained {
            (self.over_start, self.over + 1)
        } else {
            (self.window_start, 1)
        };
        self.hit = Some(LimitHit::Storm {
            rate: self.storm_rate,
            at: if self.over == 0 {
                self.window_start
            } else {
                at
            },
            seconds,
            total: self.window_total,
            queued: (!sustained).then_some(queued as u64),
            top: top
                .into_iter()
                .map(|(d, n)| (name(d), u64::from(n)))
                .collect(),
        });
        true
    }

    /// Whether the lab may hold `bytes` of state; records the memory limit when it may not.
    pub fn memory_ok(&mut self, bytes: u64) -> bool {
        if bytes > self.max_memory {
            if self.hit.is_none() {
                self.hit = Some(LimitHit::Memory {
                    max: self.max_memory,
                });
            }
            return false;
        }
        true
    }

    /// Whether the clock may reach `t`; records the time limit when it may not.
    pub fn time_ok(&mut self, t: Instant) -> bool {
        if t.as_nanos() > self.max_sim_time.as_nanos() {
            if self.hit.is_none() {
                self.hit = Some(LimitHit::SimTime {
                    max: self.max_sim_time,
                });
            }
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storm_is_a_rate_kept_up_for_several_seconds_and_names_its_busiest_devices() {
        let mut l = Limits {
            storm_rate: 10,
            ..Limits::default()
        };
        let name = |d: DevId| format!("dev{d}");
        // 11 frames in each of the seconds from 5 s: a storm in the third.
        for sec in 0..STORM_SECONDS as u64 {
            let t = Instant((5 + sec) * 1_000_000_000);
            for i in 0..10 {
                assert!(!l.on_xmit(i % 2 + 1, t, || 0, name));
            }
            if sec + 1 < STORM_SECONDS as u64 {
                assert!(!l.on_xmit(2, t, || 0, name), "second {sec}");
            }
        }
        assert!(l.on_xmit(2, Instant(7_000_000_000), || 0, name));
        assert_eq!(
            l.hit.as_ref().unwrap().to_string(),
            "nslab: frame storm: more than 10 frames in each of 3 consecutive simulated seconds from 5.000000000 (a loop of bridges or veth pairs?); the busiest devices of the last: dev2 6 frames, dev1 5 frames; the run stops here (raise it with --max-frame-rate N)"
        );
    }

    #[test]
    fn a_burst_of_one_second_or_seconds_apart_is_no_storm() {
        let mut l = Limits {
            storm_rate: 10,
            ..Limits::default()
        };
        // A cold lab's flood: 1 000 frames in its first second, then quiet.
        for _ in 0..1000 {
            assert!(!l.on_xmit(1, Instant(0), || 0, |_| String::new()));
        }
        // Bursts two seconds apart: a quiet second between them.
        for sec in [2u64, 4, 6, 8] {
            for _ in 0..100 {
                assert!(!l.on_xmit(1, Instant(sec * 1_000_000_000), || 0, |_| String::new()));
            }
        }
        assert_eq!(l.hit, None);
    }

    #[test]
    fn frames_multiplying_in_flight_stop_the_run_within_the_second() {
        let mut l = Limits {
            storm_rate: 10,
            max_memory: 1 << 20,
            ..Limits::default()
        };
        let t = Instant(0);
        let queued = (1usize << 20) / QUEUED_EVENT_BYTES as usize;
        for _ in 0..11 {
            assert!(!l.on_xmit(1, t, || queued, |_| String::new()));
        }
        assert!(l.on_xmit(1, t, || queued + 1, |d| format!("dev{d}")));
        assert_eq!(
            l.hit.as_ref().unwrap().to_string(),
            "nslab: frame storm at 0.000000000: 12 frames in this simulated second and 4097 waiting to be delivered, more with every hop (limit 10/s; a loop of bridges or veth pairs?): dev1 12 frames/s; the run stops here before they fill memory (raise it with --max-frame-rate N or --max-memory MIB)"
        );
    }

    #[test]
    fn frames_spread_over_seconds_are_no_storm_but_count_against_the_budget() {
        let mut l = Limits {
            storm_rate: 10,
            max_frames: 25,
            ..Limits::default()
        };
        for i in 0..25u64 {
            assert!(!l.on_xmit(1, Instant(i * 200_000_000), || 0, |_| String::new()));
        }
        assert!(l.on_xmit(1, Instant(6_000_000_000), || 0, |_| String::new()));
        assert_eq!(l.hit, Some(LimitHit::Frames { max: 25 }));
    }

    #[test]
    fn the_clock_stops_at_the_time_limit() {
        let mut l = Limits::default();
        assert!(l.time_ok(Instant(86_400_000_000_000)));
        assert!(!l.time_ok(Instant(86_400_000_000_001)));
        assert_eq!(
            l.hit.as_ref().unwrap().to_string(),
            "nslab: simulated time limit reached: 86400 s; the run stops here (raise it with --max-sim-time SECONDS)"
        );
    }
}
