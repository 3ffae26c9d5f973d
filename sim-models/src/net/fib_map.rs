//! The FIB's ordered maps (a namespace's tables by id, a table's routes by `(prefix, length)`):
//! a few entries in a vector sized to what it holds, a `BTreeMap` beyond.
//!
//! A pod's namespace holds two tables (local and main) of one to four keys each: as
//! `BTreeMap`s that was three leaf nodes, ~1 100 bytes a namespace (a node has room for eleven
//! entries), more than the rest of its routing state; 100 000 pods' FIBs were ~110 MB. The
//! kernel's LC-trie has no such floor either (a leaf per key). Iteration is in key order in
//! both forms, as the `BTreeMap`'s was; a map that grew past [`SMALL`] stays a tree.

use std::collections::{btree_map, BTreeMap};

/// Entries held in the vector before the map becomes a tree (a lookup scans them).
const SMALL: usize = 8;

/// An ordered map: up to [`SMALL`] entries in a sorted vector, any number in a tree.
#[derive(Clone)]
pub enum FibMap<K, V> {
    /// Sorted by key, with room for exactly its entries.
    Small(Vec<(K, V)>),
    Tree(BTreeMap<K, V>),
}

impl<K, V> Default for FibMap<K, V> {
    fn default() -> Self {
        FibMap::Small(Vec::new())
    }
}

impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for FibMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // (as the `BTreeMap` it replaces printed itself)
        match self {
            FibMap::Small(v) => f
                .debug_map()
                .entries(v.iter().map(|(k, v)| (k, v)))
                .finish(),
            FibMap::Tree(t) => t.fmt(f),
        }
    }
}

impl<K: Ord, V> FibMap<K, V> {
    pub fn len(&self) -> usize {
        match self {
            FibMap::Small(v) => v.len(),
            FibMap::Tree(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, key: &K) -> Option<&V> {
        match self {
            FibMap::Small(v) => v.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            FibMap::Tree(t) => t.get(key),
        }
    }

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self {
            FibMap::Small(v) => v.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            FibMap::Tree(t) => t.get_mut(key),
        }
    }

    /// The value at `key`, inserted as `V::default()` if absent (`entry(key).or_default()`).
    pub fn get_or_insert_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        if let FibMap::Small(v) = self {
            if v.len() >= SMALL && v.binary_search_by(|(k, _)| k.cmp(&key)).is_err() {
                *self = FibMap::Tree(std::mem::take(v).into_iter().collect());
            }
        }
        match self {
            FibMap::Small(v) => {
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
            FibMap::Tree(t) => t.entry(key).or_default(),
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        match self {
            FibMap::Small(v) => {
                let i = v.iter().position(|(k, _)| k == key)?;
                Some(v.remove(i).1)
            }
            FibMap::Tree(t) => t.remove(key),
        }
    }

    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        match self {
            FibMap::Small(v) => v.retain_mut(|(k, v)| f(k, v)),
            FibMap::Tree(t) => t.retain(|k, v| f(k, v)),
        }
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        match self {
            FibMap::Small(v) => Iter::Small(v.iter()),
            FibMap::Tree(t) => Iter::Tree(t.iter()),
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
            FibMap::Small(v) => ValuesMut::Small(v.iter_mut()),
            FibMap::Tree(t) => ValuesMut::Tree(t.values_mut()),
        }
    }
}

/// [`FibMap::iter`]: entries in key order.
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

/// [`FibMap::values_mut`]: values in key order.
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

impl<'a, K: Ord, V> IntoIterator for &'a FibMap<K, V> {
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
    fn a_fib_map_is_the_btree_map_it_replaces() {
        let mut rng = sim_core::SimRng::new(7);
        for round in 0..40u32 {
            let mut m: FibMap<(u32, u8), Vec<u32>> = FibMap::default();
            let mut b: BTreeMap<(u32, u8), Vec<u32>> = BTreeMap::new();
            let span = [4, 8, 9, 12, 40][round as usize % 5];
            for step in 0..200u32 {
                let k = (rng.below(span), (rng.below(3) * 8) as u8);
                match rng.below(6) {
                    0 => assert_eq!(m.remove(&k), b.remove(&k)),
                    1 if step % 50 == 0 => {
                        m.retain(|k, v| (k.0 + v.len() as u32) % 3 != 0);
                        b.retain(|k, v| (k.0 + v.len() as u32) % 3 != 0);
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
