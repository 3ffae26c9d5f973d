//! The only source of randomness in a simulation: a ChaCha8 stream seeded by the lab's `--seed`.
//! ChaCha8's output is specified, so the same seed gives the same MACs and ports on every platform.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// The default seed, used when a lab gives none.
pub const DEFAULT_SEED: u64 = 1;

pub struct SimRng(ChaCha8Rng);

impl SimRng {
    pub fn new(seed: u64) -> Self {
        SimRng(ChaCha8Rng::seed_from_u64(seed))
    }
    pub fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// A value in `0..n` (n > 0), as the kernel's `get_random_u32_below`.
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        ((self.next_u32() as u64 * n as u64) >> 32) as u32
    }
    pub fn fill(&mut self, buf: &mut [u8]) {
        self.0.fill_bytes(buf)
    }
    /// A random locally administered unicast MAC, as the kernel's `eth_random_addr`.
    pub fn eth_random_addr(&mut self) -> [u8; 6] {
        let mut m = [0u8; 6];
        self.fill(&mut m);
        m[0] &= 0xfe; // unicast
        m[0] |= 0x02; // locally administered
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (SimRng::new(7), SimRng::new(7));
        assert_eq!(a.next_u64(), b.next_u64());
        let m = a.eth_random_addr();
        assert_eq!(m[0] & 0x03, 0x02);
        assert!(a.below(10) < 10);
    }
}
