//! The one event queue: ordered by `(time, sequence)`, so events scheduled for the same instant run
//! in the order they were scheduled. Cancellation is lazy (a cancelled id is skipped when popped).
//!
//! The structure is a FIFO per timestamp: a simulation schedules many events for the same instant
//! (a bridge flooding a frame schedules one receive per port, all `HOP_DELAY` ahead), so the
//! queue keeps one bucket per distinct pending time, ordered by time in a `BTreeMap`, and appends
//! to the bucket's `VecDeque`. Sequence numbers grow with every schedule, so appending keeps each
//! bucket in sequence order and popping the earliest bucket's front gives exactly the
//! `(time, sequence)` order. The two buckets last scheduled into and the earliest bucket are
//! cached, so the common cases (scheduling for one of the two instants scheduled for last — a
//! frame's next hop and its sender's next timer alternate —, popping from the current instant)
//! cost no map lookup; emptied buckets keep their allocation for reuse.
//!
//! An id carries its event's time, so `cancel` finds the bucket and marks the event there (a
//! binary search by sequence); popping skips marked events. Cancelling an event already run is
//! a no-op (its bucket is gone, or holds only later sequence numbers).

use crate::time::Instant;
use std::collections::{BTreeMap, VecDeque};

/// Identifies a scheduled event (its sequence number, then its time), for cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub u64, Instant);

/// What [`EventQueue::next_until`] found first in line.
pub enum Next<'a, E> {
    /// Nothing is queued.
    Empty,
    /// The next event's time, after the limit (the event stays queued).
    Later(Instant),
    /// The next event, first in line: its time, its id and the event, in place.
    Front(Instant, EventId, &'a mut E),
}

/// The bit of a bucket entry's sequence number that marks it cancelled.
const CANCELLED: u64 = 1 << 63;

pub struct EventQueue<E> {
    /// Distinct pending times → their bucket (an index into `buckets`).
    times: BTreeMap<Instant, usize>,
    /// Per bucket, its events with their sequence numbers, in sequence order.
    buckets: Vec<VecDeque<(u64, E)>>,
    /// Buckets not in `times` (empty, capacity kept).
    free: Vec<usize>,
    /// The earliest entry of `times`, if any.
    head: Option<(Instant, usize)>,
    /// The entry of `times` last scheduled into, or found by [`EventQueue::bucket_for`] last
    /// (a live entry: `retire_head` clears it).
    last: Option<(Instant, usize)>,
    /// The one `last` held before (a live entry too), another instant often scheduled for.
    prev: Option<(Instant, usize)>,
    next_seq: u64,
    /// Events scheduled and not yet popped (cancelled ones included until skipped).
    queued: usize,
    /// Of those, how many are marked cancelled.
    cancelled: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            times: BTreeMap::new(),
            buckets: Vec::new(),
            free: Vec::new(),
            head: None,
            last: None,
            prev: None,
            next_seq: 0,
            queued: 0,
            cancelled: 0,
        }
    }

    /// Queues `ev` to run at `at`, after everything queued for `at` before it. (Inline: the
    /// event is moved into its bucket from its caller's frame, not copied through this one's.)
    #[inline(always)]
    pub fn schedule(&mut self, at: Instant, ev: E) -> EventId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queued += 1;
        let b = self.cached(at).unwrap_or_else(|| self.bucket_for(at));
        self.buckets[b].push_back((seq, ev));
        EventId(seq, at)
    }

    /// The bucket of `at` if one of the two cached entries is `at`'s.
    #[inline]
    fn cached(&self, at: Instant) -> Option<usize> {
        match (self.last, self.prev) {
            (Some((t, b)), _) if t == at => Some(b),
            (_, Some((t, b))) if t == at => Some(b),
            _ => None,
        }
    }

    /// The bucket of time `at`, made (and made the head, if earliest) when there is none.
    #[inline(never)]
    fn bucket_for(&mut self, at: Instant) -> usize {
        let b = match self.times.get(&at) {
            Some(&b) => b,
            None => {
                let b = match self.free.pop() {
                    Some(b) => b,
                    None => {
                        self.buckets.push(VecDeque::new());
                        self.buckets.len() - 1
                    }
                };
                self.times.insert(at, b);
                if self.head.is_none_or(|(h, _)| at < h) {
                    self.head = Some((at, b));
                }
                b
            }
        };
        self.prev = self.last;
        self.last = Some((at, b));
        b
    }

    /// The event last scheduled, if it was scheduled for `at` and nothing has been scheduled
    /// since (nor was it popped or cancelled): a caller may fold a new event for the same instant
    /// into it instead of scheduling one (one event standing for several consecutive ones keeps
    /// their order, as nothing lies between them).
    pub fn last_scheduled_mut(&mut self, at: Instant) -> Option<&mut E> {
        // (The bucket last scheduled into is one of the two cached, which are live entries of
        // `times`: `retire_head` clears them. If the last event went elsewhere, or has been
        // popped, the bucket's last sequence number is not the last one given.)
        let b = self.cached(at)?;
        match self.buckets[b].back_mut() {
            Some((seq, ev)) if *seq == self.next_seq.wrapping_sub(1) => Some(ev),
            _ => None,
        }
    }

    /// Puts an event back at the front of its instant, under the id it was popped with: the
    /// rest of an event that stands for several (see [`EventQueue::last_scheduled_mut`]) runs
    /// next, before anything scheduled after it, as the events it stands for would have.
    /// `id` must be the id of the event popped last.
    pub fn requeue_front(&mut self, id: EventId, ev: E) {
        let b = match self.head {
            Some((t, b)) if t == id.1 => b,
            _ => self.bucket_for(id.1),
        };
        debug_assert!(self.buckets[b]
            .front()
            .is_none_or(|e| e.0 & !CANCELLED > id.0));
        self.buckets[b].push_front((id.0, ev));
        self.queued += 1;
    }

    /// The next event to pop, left in place: its time, its id and the event to change. A
    /// caller running one part of an event that stands for several (see
    /// [`EventQueue::last_scheduled_mut`]) takes that part here and leaves the rest first in
    /// line, as popping it and [`EventQueue::requeue_front`] would, without moving it.
    #[inline]
    pub fn front_mut(&mut self) -> Option<(Instant, EventId, &mut E)> {
        self.skip_cancelled();
        let (t, b) = self.head?;
        let (seq, ev) = self.buckets[b].front_mut()?;
        Some((t, EventId(*seq, t), ev))
    }

    /// [`EventQueue::front_mut`] right after [`EventQueue::peek_time`], with nothing done to
    /// the queue between: the cancelled events that were first in line are gone already, so
    /// the check is not made again (a run loop peeks at the time, then runs the event).
    #[inline]
    pub fn front_mut_peeked(&mut self) -> Option<(Instant, EventId, &mut E)> {
        let (t, b) = self.head?;
        let (seq, ev) = self.buckets[b].front_mut()?;
        debug_assert!(*seq & CANCELLED == 0, "front_mut_peeked without peek_time");
        Some((t, EventId(*seq, t), ev))
    }

    /// Removes the event first in line, the one [`EventQueue::front_mut`] has just returned,
    /// whose caller took what it runs out of it in place (leaving nothing that owns memory:
    /// the event is forgotten, not dropped). The queue is left as [`EventQueue::pop`] would
    /// leave it, without moving the event out to its caller.
    #[inline]
    pub fn pop_front_taken(&mut self) {
        let Some((_, b)) = self.head else {
            return;
        };
        let q = &mut self.buckets[b];
        debug_assert!(q.front().is_some_and(|e| e.0 & CANCELLED == 0));
        if q.is_empty() {
            return;
        }
        // (Forgotten whole: no test of what was popped, which its drop would make.)
        std::mem::forget(q.pop_front());
        self.queued -= 1;
        if q.is_empty() {
            self.retire_head();
        }
    }

    /// The next event if its time is `limit` or earlier, in one look at the queue's head (a run
    /// loop's peek and check): its time, its id and the event, left first in line to be run
    /// in place (taken out of, then [`EventQueue::pop_front_taken`]) or popped with
    /// [`EventQueue::pop`]. Cancelled events first in line are dropped on the way, before the
    /// time is compared, so `Later` and `Empty` answer as [`EventQueue::peek_time`] would.
    ///
    /// (Inline, with its uncommon cases out of line: a cancelled event first in line, an
    /// empty head bucket, an empty queue.)
    #[inline(always)]
    pub fn next_until(&mut self, limit: Instant) -> Next<'_, E> {
        if let Some((t, b)) = self.head {
            if let Some(&(seq, _)) = self.buckets[b].front() {
                if seq & CANCELLED == 0 {
                    if t > limit {
                        return Next::Later(t);
                    }
                    return match self.buckets[b].front_mut() {
                        Some((_, ev)) => Next::Front(t, EventId(seq, t), ev),
                        None => Next::Empty,
                    };
                }
            }
        }
        self.next_until_slow(limit)
    }

    /// [`EventQueue::next_until`] past cancelled events or an empty head bucket first in
    /// line, or of an empty queue.
    #[inline(never)]
    fn next_until_slow(&mut self, limit: Instant) -> Next<'_, E> {
        self.skip_cancelled_slow();
        let Some((t, b)) = self.head else {
            return Next::Empty;
        };
        if t > limit {
            return Next::Later(t);
        }
        match self.buckets[b].front_mut() {
            Some(&mut (seq, ref mut ev)) => Next::Front(t, EventId(seq, t), ev),
            None => Next::Empty,
        }
    }

    pub fn cancel(&mut self, id: EventId) {
        let Some(&b) = self.times.get(&id.1) else {
            return;
        };
        let q = &mut self.buckets[b];
        if let Ok(i) = q.binary_search_by_key(&id.0, |e| e.0 & !CANCELLED) {
            if q[i].0 & CANCELLED == 0 {
                q[i].0 |= CANCELLED;
                self.cancelled += 1;
            }
        }
    }

    pub fn peek_time(&mut self) -> Option<Instant> {
        self.skip_cancelled();
        self.head.map(|(t, _)| t)
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(Instant, EventId, E)> {
        loop {
            let (t, b) = self.head?;
            let Some((seq, ev)) = self.buckets[b].pop_front() else {
                // Only a bucket being retired is empty at the head.
                self.retire_head();
                continue;
            };
            self.queued -= 1;
            if self.buckets[b].is_empty() {
                self.retire_head();
            }
            if seq & CANCELLED != 0 {
                self.cancelled -= 1;
                continue;
            }
            return Some((t, EventId(seq, t), ev));
        }
    }

    /// The head bucket is empty: it leaves `times`, and the next earliest becomes the head.
    #[inline(never)]
    fn retire_head(&mut self) {
        let Some((t, b)) = self.head.take() else {
            return;
        };
        self.times.remove(&t);
        self.free.push(b);
        if self.last.is_some_and(|(lt, _)| lt == t) {
            self.last = None;
        }
        if self.prev.is_some_and(|(lt, _)| lt == t) {
            self.prev = None;
        }
        self.head = self.times.first_key_value().map(|(&t, &b)| (t, b));
    }

    pub fn len(&self) -> usize {
        self.queued - self.cancelled
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops the cancelled events first in line. Inline for the common case, a head that is
    /// not cancelled (every `peek_time` and `front_mut` asks, once a run has cancelled any
    /// timer); the loop is out of line.
    #[inline]
    fn skip_cancelled(&mut self) {
        if self.cancelled == 0 {
            return;
        }
        if let Some((_, b)) = self.head {
            if self.buckets[b]
                .front()
                .is_some_and(|e| e.0 & CANCELLED == 0)
            {
                return;
            }
        }
        self.skip_cancelled_slow();
    }

    #[inline(never)]
    fn skip_cancelled_slow(&mut self) {
        while let Some((_, b)) = self.head {
            match self.buckets[b].front() {
                Some(&(seq, _)) if seq & CANCELLED != 0 => {
                    self.buckets[b].pop_front();
                    self.queued -= 1;
                    self.cancelled -= 1;
                    if self.buckets[b].is_empty() {
                        self.retire_head();
                    }
                }
                Some(_) => break,
                None => self.retire_head(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_run_in_schedule_order_and_cancel_skips() {
        let mut q = EventQueue::new();
        q.schedule(Instant(10), "b");
        let c = q.schedule(Instant(5), "x");
        q.schedule(Instant(10), "c");
        q.schedule(Instant(5), "a");
        q.cancel(c);
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, _, e)| e)).collect();
        assert_eq!(order, ["a", "b", "c"]);
    }

    /// Against a reference (a sorted list by `(time, sequence)`), with a seeded mix of
    /// schedules at the current, later and earlier-than-pending times, cancellations and pops.
    #[test]
    fn matches_time_then_sequence_order() {
        let mut rng = crate::SimRng::new(7);
        let mut q = EventQueue::new();
        let mut reference: Vec<(u64, u64, bool)> = Vec::new(); // (time, seq, cancelled)
        let mut ids = Vec::new();
        let mut now = 0u64;
        for _ in 0..20_000 {
            let r = rng.below(10);
            if r < 5 {
                let at = now + [0, 0, 1, 1, 1, 2, 5, 100][rng.below(8) as usize];
                let id = q.schedule(Instant(at), id_payload(at));
                reference.push((at, id.0, false));
                ids.push(id);
            } else if r == 5 && !ids.is_empty() {
                // Any id scheduled so far: pending, run already, or cancelled already.
                let id = ids[rng.below(ids.len() as u32) as usize];
                q.cancel(id);
                if let Some(e) = reference.iter_mut().find(|e| e.1 == id.0) {
                    e.2 = true;
                }
            } else {
                reference.sort();
                let want = reference.iter().position(|e| !e.2);
                assert_eq!(q.peek_time(), want.map(|i| Instant(reference[i].0)));
                let got = q.pop();
                match want {
                    Some(i) => {
                        let (at, seq, _) = reference[i];
                        reference.drain(..=i);
                        let (t, id, p) = got.expect("an event");
                        assert_eq!((t.0, id.0, p), (at, seq, id_payload(at)));
                        now = at;
                    }
                    None => {
                        assert!(got.is_none());
                        reference.clear();
                    }
                }
            }
            assert_eq!(q.len(), reference.iter().filter(|e| !e.2).count());
        }
    }

    /// `next_until` against `peek_time` and `pop` on a twin queue given the same seeded mix
    /// of schedules, cancellations and runs up to a limit, the event found first in line
    /// popped by `pop_front_taken` (payloads own nothing) or, every third one, changed in
    /// place and popped by `pop`: the same events, ids and answers in the same order.
    #[test]
    fn next_until_matches_peek_and_pop() {
        let mut rng = crate::SimRng::new(11);
        let mut q = EventQueue::new();
        let mut twin = EventQueue::new();
        let mut ids = Vec::new();
        let mut now = 0u64;
        for step in 0..20_000u64 {
            let r = rng.below(10);
            if r < 5 {
                let at = now + [0, 0, 1, 1, 1, 2, 5, 100][rng.below(8) as usize];
                let id = q.schedule(Instant(at), step);
                assert_eq!(twin.schedule(Instant(at), step), id);
                ids.push(id);
            } else if r == 5 && !ids.is_empty() {
                let id = ids[rng.below(ids.len() as u32) as usize];
                q.cancel(id);
                twin.cancel(id);
            } else {
                let limit = Instant(now + rng.below(4) as u64);
                let want = match twin.peek_time() {
                    None => None,
                    Some(t) if t > limit => Some(Err(t)),
                    Some(_) => Some(Ok(twin.pop().expect("an event"))),
                };
                match (q.next_until(limit), want) {
                    (Next::Empty, None) => {}
                    (Next::Later(t), Some(Err(w))) => assert_eq!(t, w),
                    (Next::Front(t, id, e), Some(Ok(w))) => {
                        assert_eq!((t, id, *e), w);
                        now = t.0;
                        if *e % 3 == 0 {
                            *e += 1;
                            let (pt, pid, pe) = q.pop().expect("the front");
                            assert_eq!((pt, pid, pe), (w.0, w.1, w.2 + 1));
                        } else {
                            q.pop_front_taken();
                        }
                    }
                    _ => panic!("next_until and peek_time/pop disagree"),
                }
            }
            assert_eq!(q.len(), twin.len());
        }
    }

    fn id_payload(at: u64) -> u64 {
        at * 3 + 1
    }

    /// Folding consecutive same-instant events into one and running it piecewise with
    /// `requeue_front` gives the order of the unfolded events, with other events scheduled for
    /// the same instant in between and during the run.
    #[test]
    fn folded_events_keep_the_unfolded_order() {
        // Each event is a list of labels it stands for.
        let mut q: EventQueue<Vec<&str>> = EventQueue::new();
        q.schedule(Instant(5), vec!["a"]);
        q.schedule(Instant(10), vec!["b1"]);
        for x in ["b2", "b3"] {
            q.last_scheduled_mut(Instant(10)).expect("b1 last").push(x);
        }
        // Not the last scheduled at that instant: nothing to fold into.
        assert!(q.last_scheduled_mut(Instant(5)).is_none());
        q.schedule(Instant(10), vec!["c"]);
        let mut order = Vec::new();
        while let Some((t, id, mut ev)) = q.pop() {
            let first = ev.remove(0);
            order.push(first);
            if !ev.is_empty() {
                q.requeue_front(id, ev);
            }
            if first == "b1" {
                // Scheduled while the folded event runs: after all of it, and after c.
                q.schedule(t, vec!["d"]);
                assert!(q.last_scheduled_mut(t).is_some());
            }
        }
        assert_eq!(order, ["a", "b1", "b2", "b3", "c", "d"]);
        assert!(q.is_empty());
        // The last event of its instant, popped and put back whole: it is run again first.
        let id = q.schedule(Instant(20), vec!["e"]);
        let (_, pid, ev) = q.pop().expect("e");
        assert_eq!(pid, id);
        q.requeue_front(pid, ev);
        q.schedule(Instant(20), vec!["f"]);
        assert_eq!(q.len(), 2);
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, _, e)| e[0])).collect();
        assert_eq!(order, ["e", "f"]);
    }

    /// Taking a folded event's parts in place with `front_mut` gives the same order as
    /// popping it and putting the rest back with `requeue_front`.
    #[test]
    fn front_mut_takes_parts_in_place() {
        let mut q: EventQueue<Vec<&str>> = EventQueue::new();
        let x = q.schedule(Instant(3), vec!["x"]);
        q.schedule(Instant(10), vec!["b1", "b2", "b3"]);
        q.schedule(Instant(10), vec!["c"]);
        q.cancel(x);
        let mut order = Vec::new();
        while let Some((t, id, ev)) = q.front_mut() {
            assert_eq!(id.0 & CANCELLED, 0);
            if ev.len() > 1 {
                order.push(ev.remove(0));
                if order.len() == 1 {
                    // Scheduled while the folded event runs: after all of it.
                    q.schedule(t, vec!["d"]);
                }
                continue;
            }
            let (_, pid, ev) = q.pop().expect("the front");
            assert_eq!(pid, id);
            order.push(ev[0]);
        }
        assert_eq!(order, ["b1", "b2", "b3", "c", "d"]);
        assert!(q.is_empty());
    }
}
