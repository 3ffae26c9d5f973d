//! The one event queue: ordered by `(time, sequence)`, so events scheduled for the same instant run
//! in the order they were scheduled. Cancellation is lazy (a cancelled id is skipped when popped).

use crate::time::Instant;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// Identifies a scheduled event (its sequence number), for cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub u64);

/// A heap key: the event's time and sequence number, and where the event waits in the slab.
/// Keys stay small whatever the event type, so the heap's sifting moves 24 bytes, not events.
struct Entry {
    at: Instant,
    seq: u64,
    slot: usize,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry>>,
    /// The pending events, by slot; freed slots are reused (`free`).
    slots: Vec<Option<E>>,
    free: Vec<usize>,
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
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            cancelled: BTreeSet::new(),
        }
    }

    pub fn schedule(&mut self, at: Instant, ev: E) -> EventId {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i] = Some(ev);
                i
            }
            None => {
                self.slots.push(Some(ev));
                self.slots.len() - 1
            }
        };
        self.heap.push(Reverse(Entry { at, seq, slot }));
        EventId(seq)
    }

    pub fn cancel(&mut self, id: EventId) {
        if id.0 < self.next_seq {
            self.cancelled.insert(id.0);
        }
    }

    pub fn peek_time(&mut self) -> Option<Instant> {
        self.skip_cancelled();
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    pub fn pop(&mut self) -> Option<(Instant, EventId, E)> {
        self.skip_cancelled();
        let Reverse(e) = self.heap.pop()?;
        let ev = self.take(e.slot)?;
        Some((e.at, EventId(e.seq), ev))
    }

    fn take(&mut self, slot: usize) -> Option<E> {
        let ev = self.slots.get_mut(slot)?.take();
        self.free.push(slot);
        ev
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
                let slot = e.slot;
                self.heap.pop();
                drop(self.take(slot));
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
