//! The u32 classifier (`net/sched/cls_u32.c`): a node's keys are 32-bit words at offsets from
//! the network header, each matched under its mask (`(word ^ val) & mask == 0`). The counters
//! `tc -s` shows: `rule hit` (the node was tried), `success` (all its keys matched) and each
//! key's `success` (it matched, the keys before it too).
//!
//! Modelled: one hash table (`800:`) per filter priority with its nodes (`800::800`, ...),
//! keys without `nexthdr`/offset masks. Not modelled: links, hashing, `classid`/`flowid`
//! (tc refuses them).

/// `struct tc_u32_key` (values in host order, as tc prints them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct U32Key {
    pub val: u32,
    pub mask: u32,
    pub off: i32,
    /// Times this key matched (`kcnts`).
    pub success: u64,
}

/// A u32 node (`struct tc_u_knode`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct U32Knode {
    /// `800::800`: table 0x800, node id.
    pub handle: u32,
    pub keys: Vec<U32Key>,
    /// `pf->rcnt`, `pf->rhit`.
    pub rcnt: u64,
    pub rhit: u64,
}

impl U32Knode {
    /// `u32_classify` of one node over the bytes from the network header on: whether every
    /// key matched (counting as the kernel does).
    pub fn classify(&mut self, nh: &[u8]) -> bool {
        self.rcnt += 1;
        for k in &mut self.keys {
            let at = k.off;
            let word = usize::try_from(at)
                .ok()
                .and_then(|o| nh.get(o..o + 4))
                .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]));
            // Past the end: skb_header_pointer fails and the node does not match.
            let Some(word) = word else {
                return false;
            };
            if (word ^ k.val) & k.mask != 0 {
                return false;
            }
            k.success += 1;
        }
        self.rhit += 1;
        true
    }
}

/// `pack_key` of tc's u32 parser: a key at an offset already used narrows that key (or
/// conflicts); `None` for a conflict, an unaligned offset or too many keys.
pub fn pack_key(keys: &mut Vec<U32Key>, key: u32, mask: u32, off: i32) -> Option<()> {
    let key = key & mask;
    if let Some(k) = keys.iter_mut().find(|k| k.off == off) {
        let intersect = mask & k.mask;
        if (key ^ k.val) & intersect != 0 {
            return None;
        }
        k.val |= key;
        k.mask |= mask;
        return Some(());
    }
    if keys.len() >= 128 || off % 4 != 0 {
        return None;
    }
    keys.push(U32Key {
        val: key,
        mask,
        off,
        success: 0,
    });
    Some(())
}

/// `pack_key16`.
pub fn pack_key16(keys: &mut Vec<U32Key>, key: u32, mask: u32, off: i32) -> Option<()> {
    if key > 0xFFFF || mask > 0xFFFF {
        return None;
    }
    let (key, mask) = if off & 3 == 0 {
        (key << 16, mask << 16)
    } else {
        (key, mask)
    };
    pack_key(keys, key, mask, off & !3)
}

/// `pack_key8`.
pub fn pack_key8(keys: &mut Vec<U32Key>, key: u32, mask: u32, off: i32) -> Option<()> {
    if key > 0xFF || mask > 0xFF {
        return None;
    }
    let shift = match off & 3 {
        0 => 24,
        1 => 16,
        2 => 8,
        _ => 0,
    };
    pack_key(keys, key << shift, mask << shift, off & !3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_merge_and_match_words_from_the_network_header() {
        let mut keys = Vec::new();
        // match ip dport 5001 0xffff, match ip sport 9 0xffff: one word at 20.
        pack_key16(&mut keys, 5001, 0xffff, 22).unwrap();
        pack_key16(&mut keys, 9, 0xffff, 20).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!((keys[0].val, keys[0].mask), (0x0009_1389, 0xffff_ffff));
        // match ip protocol 1 0xff: the byte at 9.
        pack_key8(&mut keys, 1, 0xff, 9).unwrap();
        assert_eq!(
            (keys[1].val, keys[1].mask, keys[1].off),
            (0x0001_0000, 0x00ff_0000, 8)
        );
        assert!(
            pack_key8(&mut keys, 6, 0xff, 9).is_none(),
            "conflicts with protocol 1"
        );
        let mut n = U32Knode {
            handle: 0x8000_0800,
            keys,
            ..Default::default()
        };
        let mut ip = vec![0u8; 28];
        ip[9] = 1;
        ip[20..24].copy_from_slice(&[0, 9, 0x13, 0x89]);
        assert!(n.classify(&ip));
        ip[9] = 17;
        assert!(!n.classify(&ip));
        assert_eq!(
            (n.rcnt, n.rhit, n.keys[0].success, n.keys[1].success),
            (2, 1, 2, 1)
        );
        assert!(!n.classify(&ip[..10]));
    }
}
