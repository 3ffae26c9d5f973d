//! BGP-4 messages on the wire (RFC 4271) with the capabilities BIRD 2.0.12 sends (RFC 5492:
//! multiprotocol IPv4 unicast, route refresh, graceful restart (aware), 4-octet AS, enhanced route
//! refresh) and UPDATEs in the legacy IPv4 encoding (withdrawn routes, ORIGIN, AS_PATH with 4-octet
//! ASNs, NEXT_HOP, NLRI), as BIRD's `proto/bgp/packets.c` and `attrs.c` write them.

use std::net::Ipv4Addr;

pub const BGP_PORT: u16 = 179;
pub const HDR_LEN: usize = 19;
pub const MAX_LEN: usize = 4096;

pub const ORIGIN_IGP: u8 = 0;
pub const ORIGIN_EGP: u8 = 1;
pub const ORIGIN_INCOMPLETE: u8 = 2;

pub type Prefix = (Ipv4Addr, u8);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cap {
    /// 1: AFI, SAFI.
    Mp(u16, u8),
    /// 2.
    RouteRefresh,
    /// 64: flags (high nibble), restart time; no per-AF entries when only aware.
    GracefulRestart {
        flags: u8,
        time: u16,
    },
    /// 65.
    As4(u32),
    /// 70.
    EnhancedRefresh,
    /// 71: long-lived graceful restart (aware: no per-AF entries).
    Llgr,
    Other(u8, Vec<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Open {
    pub version: u8,
    pub my_as: u16,
    pub hold_time: u16,
    pub id: Ipv4Addr,
    pub caps: Vec<Cap>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Attrs {
    pub origin: u8,
    /// The AS_SEQUENCE of the path (AS_SET segments are not modelled).
    pub as_path: Vec<u32>,
    pub next_hop: Option<Ipv4Addr>,
    /// Attributes this model carries through unchanged (flags, code, value).
    pub other: Vec<(u8, u8, Vec<u8>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub withdrawn: Vec<Prefix>,
    pub attrs: Option<Attrs>,
    pub nlri: Vec<Prefix>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    Open(Open),
    Update(Update),
    Notification {
        code: u8,
        subcode: u8,
        data: Vec<u8>,
    },
    Keepalive,
    RouteRefresh {
        afi: u16,
        subtype: u8,
        safi: u8,
    },
}

/// A protocol error to answer with a NOTIFICATION (code, subcode, data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BgpError {
    pub code: u8,
    pub subcode: u8,
    pub data: Vec<u8>,
}

fn err(code: u8, subcode: u8, data: &[u8]) -> BgpError {
    BgpError {
        code,
        subcode,
        data: data.to_vec(),
    }
}

/// BIRD's OPEN: version 4, AS (AS_TRANS 23456 above 65535), hold time, router id, and its
/// default capabilities for one IPv4 unicast channel (`bgp_prepare_capabilities` with the
/// config defaults: route refresh, GR aware 120 s, AS4, enhanced refresh, LLGR aware).
pub fn bird_open(local_as: u32, hold_time: u16, id: Ipv4Addr) -> Open {
    Open {
        version: 4,
        my_as: if local_as < 0xffff {
            local_as as u16
        } else {
            23456
        },
        hold_time,
        id,
        caps: vec![
            Cap::Mp(1, 1),
            Cap::RouteRefresh,
            Cap::GracefulRestart {
                flags: 0,
                time: 120,
            },
            Cap::As4(local_as),
            Cap::EnhancedRefresh,
            Cap::Llgr,
        ],
    }
}

fn frame(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![0xff; 16];
    v.extend_from_slice(&((HDR_LEN + body.len()) as u16).to_be_bytes());
    v.push(kind);
    v.extend_from_slice(body);
    v
}

fn put_prefix(v: &mut Vec<u8>, (a, l): Prefix) {
    v.push(l);
    let n = usize::from(l).div_ceil(8);
    v.extend_from_slice(&a.octets()[..n]);
}

impl Msg {
    pub fn encode(&self, as4: bool) -> Vec<u8> {
        match self {
            Msg::Open(o) => {
                let mut caps = Vec::new();
                for c in &o.caps {
                    match c {
                        Cap::Mp(afi, safi) => {
                            caps.extend_from_slice(&[1, 4]);
                            caps.extend_from_slice(&afi.to_be_bytes());
                            caps.extend_from_slice(&[0, *safi]);
                        }
                        Cap::RouteRefresh => caps.extend_from_slice(&[2, 0]),
                        Cap::GracefulRestart { flags, time } => {
                            caps.extend_from_slice(&[64, 2]);
                            let t = time.to_be_bytes();
                            caps.extend_from_slice(&[t[0] | flags, t[1]]);
                        }
                        Cap::As4(a) => {
                            caps.extend_from_slice(&[65, 4]);
                            caps.extend_from_slice(&a.to_be_bytes());
                        }
                        Cap::EnhancedRefresh => caps.extend_from_slice(&[70, 0]),
                        Cap::Llgr => caps.extend_from_slice(&[71, 0]),
                        Cap::Other(code, d) => {
                            caps.push(*code);
                            caps.push(d.len() as u8);
                            caps.extend_from_slice(d);
                        }
                    }
                }
                let mut b = vec![o.version];
                b.extend_from_slice(&o.my_as.to_be_bytes());
                b.extend_from_slice(&o.hold_time.to_be_bytes());
                b.extend_from_slice(&o.id.octets());
                if caps.is_empty() {
                    b.push(0);
                } else {
                    b.push(caps.len() as u8 + 2);
                    b.push(2);
                    b.push(caps.len() as u8);
                    b.extend_from_slice(&caps);
                }
                frame(1, &b)
            }
            Msg::Update(u) => {
                let mut w = Vec::new();
                for p in &u.withdrawn {
                    put_prefix(&mut w, *p);
                }
                let mut a = Vec::new();
                if let Some(at) = &u.attrs {
                    // ORIGIN (well-known mandatory, transitive)
                    a.extend_from_slice(&[0x40, 1, 1, at.origin]);
                    // AS_PATH: one AS_SEQUENCE segment (none for an empty path)
                    let mut p = Vec::new();
                    if !at.as_path.is_empty() {
                        p.push(2);
                        p.push(at.as_path.len() as u8);
                        for asn in &at.as_path {
                            if as4 {
                                p.extend_from_slice(&asn.to_be_bytes());
                            } else {
                                let a2 = if *asn > 0xffff { 23456 } else { *asn as u16 };
                                p.extend_from_slice(&a2.to_be_bytes());
                            }
                        }
                    }
                    if p.len() > 255 {
                        a.extend_from_slice(&[0x50, 2]);
                        a.extend_from_slice(&(p.len() as u16).to_be_bytes());
                    } else {
                        a.extend_from_slice(&[0x40, 2, p.len() as u8]);
                    }
                    a.extend_from_slice(&p);
                    if let Some(nh) = at.next_hop {
                        a.extend_from_slice(&[0x40, 3, 4]);
                        a.extend_from_slice(&nh.octets());
                    }
                    for (flags, code, val) in &at.other {
                        if val.len() > 255 {
                            a.extend_from_slice(&[flags | 0x10, *code]);
                            a.extend_from_slice(&(val.len() as u16).to_be_bytes());
                        } else {
                            a.extend_from_slice(&[flags & !0x10, *code, val.len() as u8]);
                        }
                        a.extend_from_slice(val);
                    }
                }
                let mut b = Vec::new();
                b.extend_from_slice(&(w.len() as u16).to_be_bytes());
                b.extend_from_slice(&w);
                b.extend_from_slice(&(a.len() as u16).to_be_bytes());
                b.extend_from_slice(&a);
                for p in &u.nlri {
                    put_prefix(&mut b, *p);
                }
                frame(2, &b)
            }
            Msg::Notification {
                code,
                subcode,
                data,
            } => {
                let mut b = vec![*code, *subcode];
                b.extend_from_slice(data);
                frame(3, &b)
            }
            Msg::Keepalive => frame(4, &[]),
            Msg::RouteRefresh { afi, subtype, safi } => {
                let mut b = afi.to_be_bytes().to_vec();
                b.extend_from_slice(&[*subtype, *safi]);
                frame(5, &b)
            }
        }
    }
}

fn get_prefixes(mut b: &[u8]) -> Result<Vec<Prefix>, ()> {
    let mut v = Vec::new();
    while let Some(&l) = b.first() {
        if l > 32 {
            return Err(());
        }
        let n = usize::from(l).div_ceil(8);
        if b.len() < 1 + n {
            return Err(());
        }
        let mut o = [0u8; 4];
        o[..n].copy_from_slice(&b[1..1 + n]);
        let a = u32::from_be_bytes(o);
        let m = if l == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(l))
        };
        v.push((Ipv4Addr::from(a & m), l));
        b = &b[1 + n..];
    }
    Ok(v)
}

/// Splits one message off the front of a byte stream: `Ok(None)` when more bytes are needed.
pub fn decode(buf: &[u8], as4: bool) -> Result<Option<(Msg, usize)>, BgpError> {
    if buf.len() < HDR_LEN {
        return Ok(None);
    }
    if buf[..16].iter().any(|&x| x != 0xff) {
        return Err(err(1, 1, &[]));
    }
    let len = usize::from(u16::from_be_bytes([buf[16], buf[17]]));
    let kind = buf[18];
    let min = match kind {
        1 => 29,
        2 => 23,
        3 => 21,
        4 => 19,
        5 => 23,
        _ => return Err(err(1, 3, &[kind])),
    };
    if !(min..=MAX_LEN).contains(&len) || (kind == 4 && len != 19) {
        return Err(err(1, 2, &buf[16..18]));
    }
    if buf.len() < len {
        return Ok(None);
    }
    let b = &buf[HDR_LEN..len];
    let msg = match kind {
        1 => {
            let optlen = usize::from(b[9]);
            if b.len() != 10 + optlen {
                return Err(err(1, 2, &buf[16..18]));
            }
            let mut caps = Vec::new();
            let mut o = &b[10..];
            while !o.is_empty() {
                if o.len() < 2 || o.len() < 2 + usize::from(o[1]) {
                    return Err(err(2, 0, &[]));
                }
                let (ty, ol) = (o[0], usize::from(o[1]));
                if ty != 2 {
                    return Err(err(2, 4, &o[..2 + ol]));
                }
                let mut c = &o[2..2 + ol];
                while !c.is_empty() {
                    if c.len() < 2 || c.len() < 2 + usize::from(c[1]) {
                        return Err(err(2, 0, &[]));
                    }
                    let (code, cl) = (c[0], usize::from(c[1]));
                    let d = &c[2..2 + cl];
                    caps.push(match (code, cl) {
                        (1, 4) => Cap::Mp(u16::from_be_bytes([d[0], d[1]]), d[3]),
                        (2, 0) => Cap::RouteRefresh,
                        (64, _) if cl % 4 == 2 => Cap::GracefulRestart {
                            flags: d[0] & 0xf0,
                            time: u16::from_be_bytes([d[0] & 0x0f, d[1]]),
                        },
                        (65, 4) => Cap::As4(u32::from_be_bytes([d[0], d[1], d[2], d[3]])),
                        (70, 0) => Cap::EnhancedRefresh,
                        (71, 0) => Cap::Llgr,
                        (1 | 2 | 64 | 65 | 70, _) => return Err(err(2, 0, &[])),
                        _ => Cap::Other(code, d.to_vec()),
                    });
                    c = &c[2 + cl..];
                }
                o = &o[2 + ol..];
            }
            Msg::Open(Open {
                version: b[0],
                my_as: u16::from_be_bytes([b[1], b[2]]),
                hold_time: u16::from_be_bytes([b[3], b[4]]),
                id: Ipv4Addr::new(b[5], b[6], b[7], b[8]),
                caps,
            })
        }
        2 => {
            let malformed = || err(3, 1, &[]);
            let wl = usize::from(u16::from_be_bytes([b[0], b[1]]));
            if b.len() < 4 + wl {
                return Err(malformed());
            }
            let withdrawn = get_prefixes(&b[2..2 + wl]).map_err(|_| err(3, 10, &[]))?;
            let al = usize::from(u16::from_be_bytes([b[2 + wl], b[3 + wl]]));
            if b.len() < 4 + wl + al {
                return Err(malformed());
            }
            let mut a = &b[4 + wl..4 + wl + al];
            let nlri = get_prefixes(&b[4 + wl + al..]).map_err(|_| err(3, 10, &[]))?;
            let attrs = if al == 0 {
                None
            } else {
                let mut at = Attrs::default();
                let (mut has_origin, mut has_path) = (false, false);
                while !a.is_empty() {
                    if a.len() < 3 {
                        return Err(malformed());
                    }
                    let (flags, code) = (a[0], a[1]);
                    let (hl, vl) = if flags & 0x10 != 0 {
                        if a.len() < 4 {
                            return Err(malformed());
                        }
                        (4, usize::from(u16::from_be_bytes([a[2], a[3]])))
                    } else {
                        (3, usize::from(a[2]))
                    };
                    if a.len() < hl + vl {
                        return Err(err(3, 5, &[]));
                    }
                    let v = &a[hl..hl + vl];
                    match code {
                        1 => {
                            if vl != 1 {
                                return Err(err(3, 5, &a[..hl + vl]));
                            }
                            if v[0] > 2 {
                                return Err(err(3, 6, &a[..hl + vl]));
                            }
                            at.origin = v[0];
                            has_origin = true;
                        }
                        2 => {
                            let w = if as4 { 4 } else { 2 };
                            let mut p = v;
                            while !p.is_empty() {
                                if p.len() < 2 || p.len() < 2 + w * usize::from(p[1]) {
                                    return Err(err(3, 11, &[]));
                                }
                                let n = usize::from(p[1]);
                                for i in 0..n {
                                    let s = &p[2 + i * w..2 + (i + 1) * w];
                                    at.as_path.push(if as4 {
                                        u32::from_be_bytes([s[0], s[1], s[2], s[3]])
                                    } else {
                                        u32::from(u16::from_be_bytes([s[0], s[1]]))
                                    });
                                }
                                p = &p[2 + w * n..];
                            }
                            has_path = true;
                        }
                        3 => {
                            if vl != 4 {
                                return Err(err(3, 5, &a[..hl + vl]));
                            }
                            at.next_hop = Some(Ipv4Addr::new(v[0], v[1], v[2], v[3]));
                        }
                        _ => at.other.push((flags, code, v.to_vec())),
                    }
                    a = &a[hl + vl..];
                }
                if !nlri.is_empty() {
                    if !has_origin {
                        return Err(err(3, 3, &[1]));
                    }
                    if !has_path {
                        return Err(err(3, 3, &[2]));
                    }
                    if at.next_hop.is_none() {
                        return Err(err(3, 3, &[3]));
                    }
                }
                Some(at)
            };
            Msg::Update(Update {
                withdrawn,
                attrs,
                nlri,
            })
        }
        3 => Msg::Notification {
            code: b[0],
            subcode: b[1],
            data: b[2..].to_vec(),
        },
        4 => Msg::Keepalive,
        _ => Msg::RouteRefresh {
            afi: u16::from_be_bytes([b[0], b[1]]),
            subtype: b[2],
            safi: b[3],
        },
    };
    Ok(Some((msg, len)))
}

/// BIRD's text for a NOTIFICATION code/subcode (`bgp_error_dsc`), as `show protocols` prints
/// it after `Received: ` or `Error: `.
pub fn error_dsc(code: u8, subcode: u8) -> String {
    let s = match (code, subcode) {
        (1, 0) => "Invalid message header",
        (1, 1) => "Connection not synchronized",
        (1, 2) => "Bad message length",
        (1, 3) => "Bad message type",
        (2, 0) => "Invalid OPEN message",
        (2, 1) => "Unsupported version number",
        (2, 2) => "Bad peer AS",
        (2, 3) => "Bad BGP identifier",
        (2, 4) => "Unsupported optional parameter",
        (2, 5) => "Authentication failure",
        (2, 6) => "Unacceptable hold time",
        (2, 7) => "Required capability missing",
        (3, 0) => "Invalid UPDATE message",
        (3, 1) => "Malformed attribute list",
        (3, 2) => "Unrecognized well-known attribute",
        (3, 3) => "Missing mandatory attribute",
        (3, 4) => "Invalid attribute flags",
        (3, 5) => "Invalid attribute length",
        (3, 6) => "Invalid ORIGIN attribute",
        (3, 7) => "AS routing loop",
        (3, 8) => "Invalid NEXT_HOP attribute",
        (3, 9) => "Optional attribute error",
        (3, 10) => "Invalid network field",
        (3, 11) => "Malformed AS_PATH",
        (4, 0) => "Hold timer expired",
        (5, 0) => "Finite state machine error",
        (6, 0) => "Cease",
        (6, 1) => "Maximum number of prefixes reached",
        (6, 2) => "Administrative shutdown",
        (6, 3) => "Peer de-configured",
        (6, 4) => "Administrative reset",
        (6, 5) => "Connection rejected",
        (6, 6) => "Other configuration change",
        (6, 7) => "Connection collision resolution",
        (6, 8) => "Out of Resources",
        _ => return format!("Unknown error {}.{}", code, subcode),
    };
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bird_open_bytes() {
        let o = Msg::Open(bird_open(65001, 240, Ipv4Addr::new(192, 168, 210, 21)));
        let b = o.encode(true);
        let mut want = vec![0xff; 16];
        want.extend_from_slice(&[
            0, 53, 1, 4, 0xfd, 0xe9, 0, 240, 192, 168, 210, 21, 24, 2, 22,
        ]);
        want.extend_from_slice(&[1, 4, 0, 1, 0, 1]); // MP IPv4 unicast
        want.extend_from_slice(&[2, 0]); // route refresh
        want.extend_from_slice(&[64, 2, 0, 120]); // graceful restart aware, 120 s
        want.extend_from_slice(&[65, 4, 0, 0, 0xfd, 0xe9]); // 4-octet AS 65001
        want.extend_from_slice(&[70, 0]); // enhanced route refresh
        want.extend_from_slice(&[71, 0]); // long-lived graceful restart aware
        assert_eq!(b, want);
        assert_eq!(decode(&b, true), Ok(Some((o, 53))));
        assert_eq!(decode(&b[..52], true), Ok(None));
    }

    #[test]
    fn update_bytes_and_roundtrip() {
        let u = Msg::Update(Update {
            withdrawn: vec![],
            attrs: Some(Attrs {
                origin: ORIGIN_IGP,
                as_path: vec![65000, 65001],
                next_hop: Some(Ipv4Addr::new(192, 168, 210, 21)),
                other: vec![],
            }),
            nlri: vec![(Ipv4Addr::new(192, 168, 10, 0), 24)],
        });
        let b = u.encode(true);
        let mut want = vec![0xff; 16];
        want.extend_from_slice(&[0, 51, 2, 0, 0, 0, 24]);
        want.extend_from_slice(&[0x40, 1, 1, 0]);
        want.extend_from_slice(&[0x40, 2, 10, 2, 2, 0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe9]);
        want.extend_from_slice(&[0x40, 3, 4, 192, 168, 210, 21]);
        want.extend_from_slice(&[24, 192, 168, 10]);
        assert_eq!(b, want);
        assert_eq!(decode(&b, true), Ok(Some((u, 51))));
        let w = Msg::Update(Update {
            withdrawn: vec![(Ipv4Addr::new(10, 0, 0, 0), 8)],
            attrs: None,
            nlri: vec![],
        });
        let b = w.encode(true);
        assert_eq!(&b[16..], &[0, 25, 2, 0, 2, 8, 10, 0, 0]);
        assert_eq!(decode(&b, true), Ok(Some((w, 25))));
    }

    #[test]
    fn bad_messages_give_notification_codes() {
        let mut k = Msg::Keepalive.encode(true);
        assert_eq!(k.len(), 19);
        k[3] = 0;
        assert_eq!(decode(&k, true).unwrap_err().code, 1);
        let mut k = Msg::Keepalive.encode(true);
        k[18] = 9;
        assert_eq!(decode(&k, true), Err(err(1, 3, &[9])));
        let mut u = Msg::Update(Update {
            withdrawn: vec![],
            attrs: Some(Attrs {
                origin: 0,
                as_path: vec![1],
                next_hop: None,
                other: vec![],
            }),
            nlri: vec![(Ipv4Addr::new(10, 0, 0, 0), 8)],
        })
        .encode(true);
        assert_eq!(decode(&u, true), Err(err(3, 3, &[3])));
        u[22] = 0; // origin value → bad
        assert!(decode(&u, true).is_err());
        assert_eq!(error_dsc(4, 0), "Hold timer expired");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // every truncation and single-byte corruption of real messages, plus LCG noise
        let msgs = [
            Msg::Open(bird_open(65001, 240, Ipv4Addr::new(10, 0, 0, 1))).encode(true),
            Msg::Update(Update {
                withdrawn: vec![(Ipv4Addr::new(10, 9, 0, 0), 16)],
                attrs: Some(Attrs {
                    origin: 0,
                    as_path: vec![65000, 65001],
                    next_hop: Some(Ipv4Addr::new(10, 0, 0, 1)),
                    other: vec![(0xc0, 8, vec![1, 2, 3, 4])],
                }),
                nlri: vec![(Ipv4Addr::new(10, 1, 0, 0), 24)],
            })
            .encode(true),
        ];
        let mut x: u32 = 12345;
        for m in &msgs {
            for n in 0..=m.len() {
                let _ = decode(&m[..n], true);
            }
            for i in 16..m.len() {
                for v in [0u8, 1, 2, 0x7f, 0xff] {
                    let mut c = m.clone();
                    c[i] = v;
                    let _ = decode(&c, true);
                    let _ = decode(&c, false);
                }
            }
        }
        for _ in 0..2000 {
            let mut v = vec![0xff; 16];
            let n = 3 + (x % 60) as usize;
            for _ in 0..n {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                v.push((x >> 16) as u8);
            }
            v[16] = 0;
            v[17] = v.len() as u8;
            let _ = decode(&v, true);
        }
    }
}
