//! Byte-level views of the headers the model parses and emits: Ethernet, ARP, IPv4, ICMP.
//!
//! Parsing is bounds-checked and never panics on malformed input: a short or inconsistent buffer
//! is an `Err` carrying the kernel's drop reason. Emitting always writes correct checksums.

use crate::dropreason::SkbDropReason;
use std::net::Ipv4Addr;

pub type Mac = [u8; 6];
pub const ETH_BROADCAST: Mac = [0xff; 6];
pub const ETH_ZERO: Mac = [0; 6];
pub const ETH_HLEN: usize = 14;
pub const ETH_P_IP: u16 = 0x0800;
pub const ETH_P_ARP: u16 = 0x0806;
pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_IPIP: u8 = 4;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;

pub fn mac_is_multicast(m: &Mac) -> bool {
    m[0] & 1 == 1
}

pub fn fmt_mac(m: &Mac) -> String {
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

/// Parses `aa:bb:cc:dd:ee:ff` (one- or two-digit groups, as iproute2 accepts).
pub fn parse_mac(s: &str) -> Option<Mac> {
    let mut m = [0u8; 6];
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 6 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        m[i] = u8::from_str_radix(p, 16).ok()?;
    }
    Some(m)
}

/// The Internet checksum (RFC 1071) over `data`, folded and complemented.
pub fn checksum(data: &[u8]) -> u16 {
    csum_fold(csum_partial(data, 0))
}

/// `csum_partial`: the ones'-complement sum of `data` (big-endian 16-bit words, an odd last
/// byte padded with zero) added to `acc`, folded to 16 bits but not complemented. The one
/// ones'-complement sum of the crate: the model's checksums and tcpdump's `in_cksum` use it.
pub fn csum_partial(data: &[u8], acc: u32) -> u32 {
    // RFC 1071 2(B): the sum does not depend on byte order, so the bytes are summed as
    // little-endian 64-bit words (no byte swap per word) with the carry added back in (2^64
    // ≡ 1 mod 0xffff, as 2^16 is: four 16-bit words a step), then folded and swapped to the
    // big-endian words' sum. A little-endian word is its big-endian one times 2^8 (mod
    // 0xffff), so `acc` enters as `acc << 8` and the folded sum is swapped back. The sum is
    // zero only when `acc` and every byte are (an add with a carry out is at least 1), as
    // the 16-bit words' sum is, so 0 and 0xffff come out as they did word by word.
    let mut s = u64::from(acc) << 8;
    let add = |s: u64, x: u64| {
        let (t, c) = s.overflowing_add(x);
        t + u64::from(c)
    };
    let mut octs = data.chunks_exact(8);
    for o in &mut octs {
        let x = u64::from_le_bytes([o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]]);
        s = add(s, x);
    }
    // The last 0..7 bytes, zero-padded (an odd last byte is its word's high byte in
    // big-endian, the low one here).
    let rest = octs.remainder();
    if !rest.is_empty() {
        let mut t = [0u8; 8];
        t[..rest.len()].copy_from_slice(rest);
        s = add(s, u64::from_le_bytes(t));
    }
    let mut f = (s & 0xffff_ffff) + (s >> 32);
    while f > 0xffff {
        f = (f & 0xffff) + (f >> 16);
    }
    u32::from((f as u16).swap_bytes())
}

/// `ip_fast_csum` for a header without options: the checksum of its 20 bytes (`checksum`'s
/// value: the sum of its five big-endian 32-bit words, folded and complemented), with no loop.
#[inline]
pub fn ip_fast_csum(h: &[u8; 20]) -> u16 {
    let w = |i: usize| u64::from(u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]));
    csum_fold_words(w(0) + w(4) + w(8) + w(12) + w(16))
}

/// The checksum of a sum `s` of five 32-bit words (under 2^35), folded and complemented.
#[inline]
fn csum_fold_words(mut s: u64) -> u16 {
    // Under 2^35: three folds leave at most 0xffff (the loop's value: a fold of a value that
    // fits changes nothing), with no loop.
    for _ in 0..3 {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

/// `csum_fold`: folds a 32-bit ones'-complement sum to 16 bits and complements it.
pub fn csum_fold(mut acc: u32) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// `csum_tcpudp_nofold`: `acc` plus the IPv4 pseudo-header (addresses, protocol, length).
pub fn csum_tcpudp_nofold(src: Ipv4Addr, dst: Ipv4Addr, len: u32, proto: u8, acc: u32) -> u32 {
    let mut ph = [0u8; 12];
    ph[..4].copy_from_slice(&src.octets());
    ph[4..8].copy_from_slice(&dst.octets());
    ph[9] = proto;
    ph[10..12].copy_from_slice(&(len as u16).to_be_bytes());
    csum_partial(&ph, acc)
}

/// Ethernet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthRepr {
    pub dst: Mac,
    pub src: Mac,
    pub ethertype: u16,
}

impl EthRepr {
    pub fn parse(b: &[u8]) -> Result<EthRepr, SkbDropReason> {
        if b.len() < ETH_HLEN {
            return Err(SkbDropReason::PktTooSmall);
        }
        let mut dst = [0; 6];
        let mut src = [0; 6];
        dst.copy_from_slice(&b[0..6]);
        src.copy_from_slice(&b[6..12]);
        Ok(EthRepr {
            dst,
            src,
            ethertype: u16::from_be_bytes([b[12], b[13]]),
        })
    }
    pub fn emit(&self, payload: &[u8]) -> Vec<u8> {
        let mut f = Vec::with_capacity(ETH_HLEN + payload.len());
        f.extend_from_slice(&self.dst);
        f.extend_from_slice(&self.src);
        f.extend_from_slice(&self.ethertype.to_be_bytes());
        f.extend_from_slice(payload);
        f
    }
}

pub const ARPOP_REQUEST: u16 = 1;
pub const ARPOP_REPLY: u16 = 2;

/// An Ethernet/IPv4 ARP packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpRepr {
    pub op: u16,
    pub sha: Mac,
    pub sip: Ipv4Addr,
    pub tha: Mac,
    pub tip: Ipv4Addr,
}

impl ArpRepr {
    pub fn parse(b: &[u8]) -> Result<ArpRepr, SkbDropReason> {
        if b.len() < 28 {
            return Err(SkbDropReason::PktTooSmall);
        }
        let htype = u16::from_be_bytes([b[0], b[1]]);
        let ptype = u16::from_be_bytes([b[2], b[3]]);
        if htype != 1 || ptype != ETH_P_IP || b[4] != 6 || b[5] != 4 {
            return Err(SkbDropReason::UnhandledProto);
        }
        let mut sha = [0; 6];
        let mut tha = [0; 6];
        sha.copy_from_slice(&b[8..14]);
        tha.copy_from_slice(&b[18..24]);
        Ok(ArpRepr {
            op: u16::from_be_bytes([b[6], b[7]]),
            sha,
            sip: Ipv4Addr::new(b[14], b[15], b[16], b[17]),
            tha,
            tip: Ipv4Addr::new(b[24], b[25], b[26], b[27]),
        })
    }
    pub fn emit(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(28);
        b.extend_from_slice(&1u16.to_be_bytes());
        b.extend_from_slice(&ETH_P_IP.to_be_bytes());
        b.extend_from_slice(&[6, 4]);
        b.extend_from_slice(&self.op.to_be_bytes());
        b.extend_from_slice(&self.sha);
        b.extend_from_slice(&self.sip.octets());
        b.extend_from_slice(&self.tha);
        b.extend_from_slice(&self.tip.octets());
        b
    }
}

pub const IP_DF: u16 = 0x4000;
pub const IP_MF: u16 = 0x2000;

/// An IPv4 header (options are kept as raw bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv4Repr {
    pub tos: u8,
    pub total_len: u16,
    pub id: u16,
    /// Flags and fragment offset, as on the wire (`IP_DF`, `IP_MF`, offset in 8-byte units).
    pub frag: u16,
    pub ttl: u8,
    pub proto: u8,
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub options: Vec<u8>,
}

impl Ipv4Repr {
    pub fn header_len(&self) -> usize {
        20 + self.options.len()
    }
    pub fn df(&self) -> bool {
        self.frag & IP_DF != 0
    }
    /// Parses and validates a header as `ip_rcv_core` does; returns the header and its length.
    #[inline]
    pub fn parse(b: &[u8]) -> Result<(Ipv4Repr, usize), SkbDropReason> {
        Self::parse_inline(b)
    }

    /// [`Ipv4Repr::parse`], always inline (`ip_rcv`'s, once a packet): the fixed 20 bytes
    /// read as one array (one bounds check), the header written where the caller keeps it
    /// (no call, no copy of the result); options, rare, out of line.
    #[inline(always)]
    pub(crate) fn parse_inline(b: &[u8]) -> Result<(Ipv4Repr, usize), SkbDropReason> {
        let Some(h) = b.first_chunk::<20>() else {
            return Err(SkbDropReason::PktTooSmall);
        };
        let ihl = (h[0] & 0x0f) as usize * 4;
        if h[0] >> 4 != 4 || ihl < 20 {
            return Err(SkbDropReason::IpInhdr);
        }
        if b.len() < ihl {
            return Err(SkbDropReason::PktTooSmall);
        }
        let total_len = u16::from_be_bytes([h[2], h[3]]);
        if (total_len as usize) < ihl || b.len() < total_len as usize {
            return Err(SkbDropReason::PktTooSmall);
        }
        let csum = if ihl == 20 {
            ip_fast_csum(h)
        } else {
            checksum(&b[..ihl])
        };
        if csum != 0 {
            return Err(SkbDropReason::IpCsum);
        }
        Ok((
            Ipv4Repr {
                tos: h[1],
                total_len,
                id: u16::from_be_bytes([h[4], h[5]]),
                frag: u16::from_be_bytes([h[6], h[7]]),
                ttl: h[8],
                proto: h[9],
                src: Ipv4Addr::new(h[12], h[13], h[14], h[15]),
                dst: Ipv4Addr::new(h[16], h[17], h[18], h[19]),
                options: if ihl == 20 {
                    Vec::new()
                } else {
                    ip_options(&b[20..ihl])
                },
            },
            ihl,
        ))
    }
    /// Writes the header (with its checksum) followed by `payload`; `total_len` is recomputed.
    pub fn emit(&self, payload: &[u8]) -> Vec<u8> {
        self.emit_with_headroom(0, payload)
    }
    /// `emit` into a buffer that starts with `headroom` zero bytes (room for a link-layer
    /// header, `LL_RESERVED_SPACE`).
    pub fn emit_with_headroom(&self, headroom: usize, payload: &[u8]) -> Vec<u8> {
        let hl = self.header_len();
        let mut b = vec![0; headroom + hl];
        b.reserve_exact(payload.len());
        self.emit_header(&mut b[headroom..], payload.len());
        b.extend_from_slice(payload);
        b
    }
    /// Writes the header (with its checksum) into `b`, which is `header_len()` bytes long,
    /// for a payload of `payload_len` bytes: `emit`'s header, written where the packet already
    /// is (`ip_send_flow` into an skb's headroom).
    #[inline]
    pub fn emit_header(&self, b: &mut [u8], payload_len: usize) {
        let hl = self.header_len();
        let b = &mut b[..hl];
        // The fixed 20 bytes as five big-endian words (one bounds check), their checksum
        // summed from the words themselves (`ip_fast_csum`'s sum, with no second read), the
        // options after them and the checksum over both.
        let (h, opts) = b
            .split_first_chunk_mut::<20>()
            .expect("a header is at least 20 bytes");
        let w = [
            u32::from(0x40 | (hl / 4) as u8) << 24
                | u32::from(self.tos) << 16
                | u32::from((hl + payload_len) as u16),
            u32::from(self.id) << 16 | u32::from(self.frag),
            u32::from(self.ttl) << 24 | u32::from(self.proto) << 16,
            u32::from(self.src),
            u32::from(self.dst),
        ];
        for (d, x) in h.chunks_exact_mut(4).zip(w) {
            d.copy_from_slice(&x.to_be_bytes());
        }
        let c = if opts.is_empty() {
            csum_fold_words(w.iter().map(|&x| u64::from(x)).sum())
        } else {
            opts.copy_from_slice(&self.options);
            checksum(b)
        };
        b[10..12].copy_from_slice(&c.to_be_bytes());
    }
}

/// A header's options, copied (out of line: `Ipv4Repr::parse` is inline and options are rare).
#[cold]
#[inline(never)]
fn ip_options(o: &[u8]) -> Vec<u8> {
    o.to_vec()
}

/// Rewrites TTL in place in a raw IPv4 packet and fixes the header checksum incrementally
/// (as `ip_decrease_ttl`).
pub fn ip_decrease_ttl(pkt: &mut [u8]) {
    if pkt.len() < 20 {
        return;
    }
    pkt[8] = pkt[8].wrapping_sub(1);
    let ihl = ((pkt[0] & 0x0f) as usize * 4).min(pkt.len());
    pkt[10] = 0;
    pkt[11] = 0;
    let c = checksum(&pkt[..ihl]);
    pkt[10..12].copy_from_slice(&c.to_be_bytes());
}

pub const ICMP_ECHOREPLY: u8 = 0;
pub const ICMP_DEST_UNREACH: u8 = 3;
pub const ICMP_ECHO: u8 = 8;
pub const ICMP_TIME_EXCEEDED: u8 = 11;
pub const ICMP_NET_UNREACH: u8 = 0;
pub const ICMP_HOST_UNREACH: u8 = 1;
pub const ICMP_PORT_UNREACH: u8 = 3;
pub const ICMP_FRAG_NEEDED: u8 = 4;
pub const ICMP_PKT_FILTERED: u8 = 13;
pub const ICMP_REDIRECT: u8 = 5;
pub const ICMP_REDIR_HOST: u8 = 1;

/// An ICMP message: type, code, the 4 "rest of header" bytes, and the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcmpRepr {
    pub ty: u8,
    pub code: u8,
    pub rest: [u8; 4],
    pub data: Vec<u8>,
}

impl IcmpRepr {
    pub fn parse(b: &[u8]) -> Result<IcmpRepr, SkbDropReason> {
        if b.len() < 8 {
            return Err(SkbDropReason::PktTooSmall);
        }
        if checksum(b) != 0 {
            return Err(SkbDropReason::IcmpCsum);
        }
        Ok(IcmpRepr {
            ty: b[0],
            code: b[1],
            rest: [b[4], b[5], b[6], b[7]],
            data: b[8..].to_vec(),
        })
    }
    pub fn emit(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(8 + self.data.len());
        b.extend_from_slice(&[self.ty, self.code, 0, 0]);
        b.extend_from_slice(&self.rest);
        b.extend_from_slice(&self.data);
        let c = checksum(&b);
        b[2..4].copy_from_slice(&c.to_be_bytes());
        b
    }
    pub fn echo_id(&self) -> u16 {
        u16::from_be_bytes([self.rest[0], self.rest[1]])
    }
    pub fn echo_seq(&self) -> u16 {
        u16::from_be_bytes([self.rest[2], self.rest[3]])
    }
}

impl Ipv4Repr {
    /// Parses a header quoted inside an ICMP error: the packet may be truncated, and only the
    /// header itself must be complete and valid.
    pub fn parse_quoted(b: &[u8]) -> Result<(Ipv4Repr, usize), SkbDropReason> {
        if b.len() < 20 {
            return Err(SkbDropReason::PktTooSmall);
        }
        let ihl = (b[0] & 0x0f) as usize * 4;
        if b[0] >> 4 != 4 || ihl < 20 || b.len() < ihl {
            return Err(SkbDropReason::IpInhdr);
        }
        let mut full = b[..ihl].to_vec();
        let tl = (ihl as u16).to_be_bytes();
        full[2] = tl[0];
        full[3] = tl[1];
        full[10] = 0;
        full[11] = 0;
        let c = checksum(&full);
        full[10..12].copy_from_slice(&c.to_be_bytes());
        let (mut r, hl) = Ipv4Repr::parse(&full)?;
        r.total_len = u16::from_be_bytes([b[2], b[3]]);
        Ok((r, hl))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ip_fast_csum` gives `checksum`'s value for any 20 bytes.
    #[test]
    fn ip_fast_csum_is_the_headers_checksum() {
        let mut x = 0x8765_4321u32;
        for _ in 0..2000 {
            let mut h = [0u8; 20];
            for b in h.iter_mut() {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                *b = (x >> 16) as u8;
            }
            assert_eq!(ip_fast_csum(&h), checksum(&h));
        }
        assert_eq!(ip_fast_csum(&[0; 20]), checksum(&[0; 20]));
        assert_eq!(ip_fast_csum(&[0xff; 20]), checksum(&[0xff; 20]));
    }

    /// `emit_header` writes every field big-endian and a checksum the header sums to, for
    /// any field values, with and without options; `parse` reads them back.
    #[test]
    fn emit_header_words_are_the_fields() {
        let mut rng = sim_core::SimRng::new(0x2468_ace1);
        let mut next = || rng.next_u32();
        for i in 0..2000 {
            let ip = Ipv4Repr {
                tos: next() as u8,
                total_len: 0,
                id: next() as u16,
                frag: next() as u16,
                ttl: next() as u8,
                proto: next() as u8,
                src: Ipv4Addr::from(next()),
                dst: Ipv4Addr::from(next()),
                options: if i % 3 == 0 { vec![1, 1, 1, 0] } else { vec![] },
            };
            let plen = (next() % 1400) as usize;
            let hl = ip.header_len();
            let mut b = vec![0xaa; hl + plen];
            ip.emit_header(&mut b, plen);
            assert_eq!(checksum(&b[..hl]), 0);
            assert_eq!(b[0], 0x40 | (hl / 4) as u8);
            assert_eq!(b[1], ip.tos);
            assert_eq!(u16::from_be_bytes([b[2], b[3]]) as usize, hl + plen);
            assert_eq!(u16::from_be_bytes([b[4], b[5]]), ip.id);
            assert_eq!(u16::from_be_bytes([b[6], b[7]]), ip.frag);
            assert_eq!((b[8], b[9]), (ip.ttl, ip.proto));
            assert_eq!(b[12..16], ip.src.octets());
            assert_eq!(b[16..20], ip.dst.octets());
            let (back, bhl) = Ipv4Repr::parse(&b).unwrap();
            assert_eq!(bhl, hl);
            assert_eq!(
                back,
                Ipv4Repr {
                    total_len: (hl + plen) as u16,
                    ..ip
                }
            );
        }
    }

    /// `csum_partial`'s 64-bit steps give RFC 1071's sum of 16-bit words (an odd last byte
    /// padded) for every length and start value, the all-zero and all-ones cases included
    /// (where 0 and 0xffff differ).
    #[test]
    fn csum_partial_is_the_16_bit_sum() {
        fn rfc1071(data: &[u8], acc: u32) -> u32 {
            let mut s = u64::from(acc);
            for w in data.chunks(2) {
                s += u64::from(w[0]) << 8 | w.get(1).map_or(0, |&b| u64::from(b));
            }
            while s > 0xffff {
                s = (s & 0xffff) + (s >> 16);
            }
            s as u32
        }
        let mut x = 0x1234_5678u32;
        for len in 0..200 {
            let noise: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 16) as u8
                })
                .collect();
            for data in [noise, vec![0; len], vec![0xff; len]] {
                for acc in [0, 1, 0xffff, 0x1_0000, 0xfffe_ffff] {
                    assert_eq!(csum_partial(&data, acc), rfc1071(&data, acc), "{len} {acc}");
                }
            }
        }
    }

    #[test]
    fn ipv4_roundtrip_and_checksum() {
        let ip = Ipv4Repr {
            tos: 0,
            total_len: 0,
            id: 7,
            frag: IP_DF,
            ttl: 64,
            proto: IPPROTO_ICMP,
            src: Ipv4Addr::new(10, 0, 0, 1),
            dst: Ipv4Addr::new(10, 0, 0, 2),
            options: vec![],
        };
        let icmp = IcmpRepr {
            ty: ICMP_ECHO,
            code: 0,
            rest: [0, 1, 0, 1],
            data: vec![0xab; 56],
        };
        let mut pkt = ip.emit(&icmp.emit());
        let (p, hl) = Ipv4Repr::parse(&pkt).unwrap();
        assert_eq!((p.ttl, p.total_len, hl), (64, 84, 20));
        assert_eq!(IcmpRepr::parse(&pkt[hl..]).unwrap(), icmp);
        ip_decrease_ttl(&mut pkt);
        assert_eq!(Ipv4Repr::parse(&pkt).unwrap().0.ttl, 63);
        pkt[15] ^= 1;
        assert_eq!(Ipv4Repr::parse(&pkt), Err(SkbDropReason::IpCsum));
    }

    #[test]
    fn short_buffers_are_errors() {
        for n in 0..30 {
            let b = vec![0x45u8; n];
            let _ = Ipv4Repr::parse(&b);
            let _ = ArpRepr::parse(&b);
            let _ = EthRepr::parse(&b);
            let _ = IcmpRepr::parse(&b);
        }
        assert_eq!(parse_mac("ee:ee:ee:ee:ee:ee"), Some([0xee; 6]));
        assert_eq!(
            parse_mac("ca:b6:7e:6:c2:bf"),
            Some([0xca, 0xb6, 0x7e, 6, 0xc2, 0xbf])
        );
        assert_eq!(parse_mac("zz"), None);
    }
}
