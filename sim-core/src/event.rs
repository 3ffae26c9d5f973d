//! The one event queue: ordered by `(time, sequence)`, so events scheduled for the same instant run
//! in the order they were scheduled. Cancellation is lazy (a cancelled id is skipped when popped).

use crate::time::Instant;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// Identifies a scheduled event (its sequence number), for cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub u64);

struct Entry<E> {
    at: Instant,
    seq: u64,
    ev: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

/// A min-heap of events keyed by `(Instant, seq)`.
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
    next_seq: u64,
    cancelled: BTreeSet<u64>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
            cancelled: BTreeSet::new(),
        }
    }

    /// Schedules `ev` at `at`; ties with already-scheduled events run after them.
    pub fn schedule(&mut self, at: Instant, ev: E) -> EventId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry { at, seq, ev }));
        EventId(seq)
    }

    /// Cancels a scheduled event; a no-op if it already ran.
    pub fn cancel(&mut self, id: EventId) {
        if id.0 < self.next_seq {
            self.cancelled.insert(id.0);
        }
    }

    /// The time of the next live event.
    pub fn peek_time(&mut self) -> Option<Instant> {
        self.skip_cancelled();
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    /// Removes and returns the next live event.
    pub fn pop(&mut self) -> Option<(Instant, EventId, E)> {
        self.skip_cancelled();
        self.heap
            .pop()
            .map(|Reverse(e)| (e.at, EventId(e.seq), e.ev))
    }

    pub fn len(&self) -> usize {
        self.heap.len() - self.cancelled.len().min(self.heap.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn skip_cancelled(&mut self) {
        while let Some(Reverse(e)) = self.heap.peek() {
            if self.cancelled.remove(&e.seq) {
                self.heap.pop();
            } else {
                break;
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
}
