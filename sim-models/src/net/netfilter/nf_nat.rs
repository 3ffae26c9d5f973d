//! NAT packet mangling (`nf_nat_proto.c`): rewriting an address and port of a raw IPv4 packet
//! with the kernel's incremental checksum updates (RFC 1624), for TCP, UDP and ICMP, and the
//! quoted packet of an ICMP error (`nf_nat_icmp_reply_translation`).

use super::nf_conntrack::Tuple;
use crate::wire::*;
use std::net::Ipv4Addr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manip {
    Src,
    Dst,
}

/// `csum_replace`: updates a 16-bit one's complement checksum for a changed 16-bit word.
fn csum_replace2(ck: u16, old: u16, new: u16) -> u16 {
    let mut s: u32 = (!ck as u32 & 0xffff) + (!old as u32 & 0xffff) + new as u32;
    while s >> 16 != 0 {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

fn csum_replace4(ck: u16, old: Ipv4Addr, new: Ipv4Addr) -> u16 {
    let o = old.octets();
    let n = new.octets();
    let c = csum_replace2(
        ck,
        u16::from_be_bytes([o[0], o[1]]),
        u16::from_be_bytes([n[0], n[1]]),
    );
    csum_replace2(
        c,
        u16::from_be_bytes([o[2], o[3]]),
        u16::from_be_bytes([n[2], n[3]]),
    )
}

fn rd16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}
fn wr16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// `nf_nat_ipv4_manip_pkt`: makes the packet at `pkt[off..]` (an IPv4 header and what follows,
/// possibly truncated when quoted) carry `target`'s source (Src) or destination (Dst).
pub fn manip_pkt(pkt: &mut [u8], off: usize, target: &Tuple, manip: Manip) {
    let b = &mut pkt[off..];
    if b.len() < 20 {
        return;
    }
    let hl = ((b[0] & 0x0f) as usize * 4).min(b.len());
    let proto = b[9];
    let (addr_at, new_addr) = match manip {
        Manip::Src => (12, target.src),
        Manip::Dst => (16, target.dst),
    };
    let old_addr = Ipv4Addr::new(b[addr_at], b[addr_at + 1], b[addr_at + 2], b[addr_at + 3]);
    let frag_off = rd16(b, 6) & 0x1fff;
    // The L4 part (only in the first fragment).
    if frag_off == 0 {
        let l4 = hl;
        match proto {
            IPPROTO_TCP | IPPROTO_UDP if b.len() >= l4 + 4 => {
                let (port_at, new_port) = match manip {
                    Manip::Src => (l4, target.sport),
                    Manip::Dst => (l4 + 2, target.dport),
                };
                let old_port = rd16(b, port_at);
                let ck_at = if proto == IPPROTO_TCP {
                    l4 + 16
                } else {
                    l4 + 6
                };
                if b.len() >= ck_at + 2 {
                    let ck = rd16(b, ck_at);
                    if !(proto == IPPROTO_UDP && ck == 0) {
                        let mut c = csum_replace4(ck, old_addr, new_addr);
                        c = csum_replace2(c, old_port, new_port);
                        if proto == IPPROTO_UDP && c == 0 {
                            c = 0xffff;
                        }
                        wr16(b, ck_at, c);
                    }
                }
                wr16(b, port_at, new_port);
            }
            IPPROTO_ICMP if b.len() >= l4 + 8 => {
                let ty = b[l4];
                if super::nf_conntrack::icmp_inverse(ty).is_some() {
                    let old_id = rd16(b, l4 + 4);
                    let ck = rd16(b, l4 + 2);
                    wr16(b, l4 + 2, csum_replace2(ck, old_id, target.sport));
                    wr16(b, l4 + 4, target.sport);
                }
            }
            _ => {}
        }
    }
    let ck = rd16(b, 10);
    wr16(b, 10, csum_replace4(ck, old_addr, new_addr));
    b[addr_at..addr_at + 4].copy_from_slice(&new_addr.octets());
}

/// Recomputes an ICMP message's checksum after its quoted packet changed.
pub fn icmp_fix_checksum(pkt: &mut [u8]) {
    let hl = (pkt[0] & 0x0f) as usize * 4;
    if pkt.len() < hl + 8 {
        return;
    }
    pkt[hl + 2] = 0;
    pkt[hl + 3] = 0;
    let c = checksum(&pkt[hl..]);
    wr16(pkt, hl + 2, c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp_packet() -> Vec<u8> {
        let src = Ipv4Addr::new(10, 0, 0, 1);
        let dst = Ipv4Addr::new(10, 0, 0, 2);
        let mut udp = vec![0x30, 0x39, 0x00, 0x35, 0, 12, 0, 0, 1, 2, 3, 4];
        let c = l4_checksum(src, dst, IPPROTO_UDP, &udp);
        udp[6..8].copy_from_slice(&c.to_be_bytes());
        super::super::test_ipv4(IPPROTO_UDP, src, dst, &udp)
    }

    fn l4_checksum(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, seg: &[u8]) -> u16 {
        let mut ph = Vec::new();
        ph.extend_from_slice(&src.octets());
        ph.extend_from_slice(&dst.octets());
        ph.push(0);
        ph.push(proto);
        ph.extend_from_slice(&(seg.len() as u16).to_be_bytes());
        ph.extend_from_slice(seg);
        let mut zero = ph.clone();
        let at = 12 + 6;
        zero[at] = 0;
        zero[at + 1] = 0;
        checksum(&zero)
    }

    #[test]
    fn snat_keeps_checksums_valid() {
        let mut p = udp_packet();
        let t = Tuple {
            src: Ipv4Addr::new(192, 168, 1, 1),
            dst: Ipv4Addr::new(10, 0, 0, 2),
            proto: IPPROTO_UDP,
            sport: 40000,
            dport: 53,
        };
        manip_pkt(&mut p, 0, &t, Manip::Src);
        let (ip, hl) = Ipv4Repr::parse(&p).expect("valid IP checksum");
        assert_eq!(ip.src, t.src);
        assert_eq!(rd16(&p, hl), 40000);
        let want = l4_checksum(ip.src, ip.dst, IPPROTO_UDP, &p[hl..]);
        assert_eq!(rd16(&p, hl + 6), want);
    }
}
