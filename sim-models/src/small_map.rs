//! An ordered map for the many small maps a namespace holds (its FIB's tables and their routes
//! by `(prefix, length)`, its devices by name and by ifindex, its nsids): a few entries in a
//! vector sized to what it holds, a `BTreeMap` beyond.
//!
//! A pod's namespace holds two FIB tables (local and main) of one to four keys each, two
//! devices and one nsid: as `BTreeMap`s that was seven leaf nodes of room for eleven entries
//! each, ~2 000 bytes a namespace, more than the rest of its state; 100 000 pods' were
//! ~200 MB. Iteration is in key order in both forms, as the `BTreeMap`'s was; a map that grew
//! past [`SMALL`] stays a tree (the root namespace of 100 000 pods' veth ends).

use std::borrow::Borrow;
use std::collections::{btree_map, BTreeMap};

/// Entries held in the vector before the map becomes a tree (a lookup scans them).
const SMALL: usize = 8;

/// An ordered map: up to [`SMALL`] entries in a sorted vector, any number in a tree.
#[derive(Clone)]
pub enum SmallMap<K, V> {
    /// Sorted by key, with room for exactly its entries.
    Small(Vec<(K, V)>),
    Tree(BTreeMap<K, V>),
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap::Small(Vec::new())
    }
}

impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for SmallMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // (as the `BTreeMap` it replaces printed itself)
        match self {
            SmallMap::Small(v) => f
                .debug_map()
                .entries(v.iter().map(|(k, v)| (k, v)))
                .finish(),
            SmallMap::Tree(t) => t.fmt(f),
        }
    }
}

impl<K: Ord, V> SmallMap<K, V> {
    pub fn len(&self) -> usize {
        match self {
            SmallMap::Small(v) => v.len(),
            SmallMap::Tree(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        match self {
            SmallMap::Small(v) => v.iter().find(|(k, _)| k.borrow() == key).map(|(_, v)| v),
            SmallMap::Tree(t) => t.get(key),
        }
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self {
            SmallMap::Small(v) => v
                .iter_mut()
                .find(|(k, _)| k.borrow() == key)
                .map(|(_, v)| v),
            SmallMap::Tree(t) => t.get_mut(key),
        }
    }

    /// The value at `key`, inserted as `V::default()` if absent (`entry(key).or_default()`).
    pub fn get_or_insert_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        if let SmallMap::Small(v) = self {
            if v.len() >= SMALL && v.binary_search_by(|(k, _)| k.cmp(&key)).is_err() {
                *self = SmallMap::Tree(std::mem::take(v).into_iter().collect());
            }
        }
        match self {
            SmallMap::Small(v) => {
                let i = match v.binary_search_by(|(k, _)| k.cmp(&key)) {
                    Ok(i) => i,
                    Err(i) => {
                        v.reserve_exact(1);
                        v.insert(i, (key, V::default()));
                        i
                    }
                };
                &mut v[i].1
            }
            SmallMap::Tree(t) => t.entry(key).or_default(),
        }
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(key).is_some()
    }

    /// Inserts `value` at `key`; the value it replaced, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if let SmallMap::Small(v) = self {
            match v.binary_search_by(|(k, _)| k.cmp(&key)) {
                Ok(i) => return Some(std::mem::replace(&mut v[i].1, value)),
                Err(i) if v.len() < SMALL => {
                    v.reserve_exact(1);
                    v.insert(i, (key, value));
                    return None;
                }
                Err(_) => *self = SmallMap::Tree(std::mem::take(v).into_iter().collect()),
            }
        }
        match self {
            SmallMap::Small(_) => unreachable!("a full vector became a tree"),
            SmallMap::Tree(t) => t.insert(key, value),
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        match self {
            SmallMap::Small(v) => {
                let i = v.iter().position(|(k, _)| k.borrow() == key)?;
                Some(v.remove(i).1)
            }
            SmallMap::Tree(t) => t.remove(key),
        }
    }

    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        match self {
            SmallMap::Small(v) => v.retain_mut(|(k, v)| f(k, v)),
            SmallMap::Tree(t) => t.retain(|k, v| f(k, v)),
        }
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        match self {
            SmallMap::Small(v) => v.first().map(|(k, v)| (k, v)),
            SmallMap::Tree(t) => t.first_key_value(),
        }
    }

    /// The entry with the greatest key `≤ key` (`inclusive`) or `< key`: a `BTreeMap`'s
    /// `range(..=key).next_back()` or `range(..key).next_back()`.
    pub fn last_before(&self, key: &K, inclusive: bool) -> Option<(&K, &V)> {
        match self {
            SmallMap::Small(v) => v
                .iter()
                .rev()
                .find(|(k, _)| if inclusive { k <= key } else { k < key })
                .map(|(k, v)| (k, v)),
            SmallMap::Tree(t) if inclusive => t.range(..=key).next_back(),
            SmallMap::Tree(t) => t.range(..key).next_back(),
        }
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        match self {
            SmallMap::Small(v) => Iter::Small(v.iter()),
            SmallMap::Tree(t) => Iter::Tree(t.iter()),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> ValuesMut<'_, K, V> {
        match self {
            SmallMap::Small(v) => ValuesMut::Small(v.iter_mut()),
            SmallMap::Tree(t) => ValuesMut::Tree(t.values_mut()),
        }
    }
}

/// [`SmallMap::iter`]: entries in key order.
pub enum Iter<'a, K, V> {
    Small(std::slice::Iter<'a, (K, V)>),
    Tree(btree_map::Iter<'a, K, V>),
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(i) => i.next().map(|(k, v)| (k, v)),
            Iter::Tree(i) => i.next(),
        }
    }
}

/// [`SmallMap::values_mut`]: values in key order.
pub enum ValuesMut<'a, K, V> {
    Small(std::slice::IterMut<'a, (K, V)>),
    Tree(btree_map::ValuesMut<'a, K, V>),
}

impl<'a, K, V> Iterator for ValuesMut<'a, K, V> {
    type Item = &'a mut V;
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            ValuesMut::Small(i) => i.next().map(|(_, v)| v),
            ValuesMut::Tree(i) => i.next(),
        }
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a `BTreeMap` through inserts, removals and retains that cross [`SMALL`] both
    /// ways: the same entries in the same order.
    #[test]
    fn a_small_map_is_the_btree_map_it_replaces() {
        let mut rng = sim_core::SimRng::new(7);
        for round in 0..40u32 {
            let mut m: SmallMap<(u32, u8), Vec<u32>> = SmallMap::default();
            let mut b: BTreeMap<(u32, u8), Vec<u32>> = BTreeMap::new();
            let span = [4, 8, 9, 12, 40][round as usize % 5];
            for step in 0..200u32 {
                let k = (rng.below(span), (rng.below(3) * 8) as u8);
                match rng.below(6) {
                    0 => assert_eq!(m.remove(&k), b.remove(&k)),
                    1 if step % 50 == 0 => {
                        m.retain(|k, v| !(k.0 + v.len() as u32).is_multiple_of(3));
                        b.retain(|k, v| !(k.0 + v.len() as u32).is_multiple_of(3));
                    }
                    2 if step % 2 == 0 => {
                        assert_eq!(m.insert(k, vec![step]), b.insert(k, vec![step]))
                    }
                    2 => {
                        if let (Some(x), Some(y)) = (m.get_mut(&k), b.get_mut(&k)) {
                            x.push(step);
                            y.push(step);
                        }
                    }
                    _ => {
                        m.get_or_insert_default(k).push(step);
                        b.entry(k).or_default().push(step);
                    }
                }
                assert_eq!(m.get(&k), b.get(&k));
                assert_eq!(m.contains_key(&k), b.contains_key(&k));
                assert_eq!(m.last_before(&k, true), b.range(..=k).next_back());
                assert_eq!(m.last_before(&k, false), b.range(..k).next_back());
                assert_eq!(m.first_key_value(), b.first_key_value());
                assert_eq!(m.len(), b.len());
                assert!(m.iter().eq(b.iter()));
                assert!(m.keys().eq(b.keys()));
                assert!(m
                    .values_mut()
                    .map(|v| v.len())
                    .eq(b.values().map(|v| v.len())));
                assert_eq!(format!("{m:?}"), format!("{b:?}"));
            }
        }
    }
}
