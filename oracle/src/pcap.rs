//! Capture file reader: classic pcap (µs and ns magic, either byte order) and
//! pcapng (several sections, either byte order, `if_tsresol`, `if_tsoffset`).
//!
//! Malformed input returns `Err` (or stops at a truncated trailing block, as
//! the oracle's `split-pcapng` does); it never panics.

/// One capture interface and its packets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapIface {
    /// `if_name` (pcapng option 2); `None` for classic pcap or when absent.
    pub name: Option<String>,
    /// Link type (1 = Ethernet, 101/228 = raw IPv4, ...).
    pub linktype: u16,
    /// `if_MACaddr` (pcapng option 6).
    pub mac: Option<[u8; 6]>,
    /// `(timestamp in ns since the Unix epoch, captured bytes)`.
    pub packets: Vec<(u64, Vec<u8>)>,
}

#[derive(Clone, Copy)]
enum Endian {
    Little,
    Big,
}

fn u16_at(b: &[u8], off: usize, e: Endian) -> Option<u16> {
    let s: [u8; 2] = b.get(off..off.checked_add(2)?)?.try_into().ok()?;
    Some(match e {
        Endian::Little => u16::from_le_bytes(s),
        Endian::Big => u16::from_be_bytes(s),
    })
}

fn u32_at(b: &[u8], off: usize, e: Endian) -> Option<u32> {
    let s: [u8; 4] = b.get(off..off.checked_add(4)?)?.try_into().ok()?;
    Some(match e {
        Endian::Little => u32::from_le_bytes(s),
        Endian::Big => u32::from_be_bytes(s),
    })
}

fn i64_at(b: &[u8], off: usize, e: Endian) -> Option<i64> {
    let s: [u8; 8] = b.get(off..off.checked_add(8)?)?.try_into().ok()?;
    Some(match e {
        Endian::Little => i64::from_le_bytes(s),
        Endian::Big => i64::from_be_bytes(s),
    })
}

/// A classic pcap file (µs timestamps, little-endian, snaplen 262144) of `frames`
/// (`(ns since the epoch, bytes)`) with one link type: what `tcpdump -r` of the real tcpdump
/// reads in the tests.
pub fn write_pcap(linktype: u16, frames: &[(u64, Vec<u8>)]) -> Vec<u8> {
    // The same bytes `tcpdump -w` writes in a lab.
    sim_models::apps::tcpdump::pcap_file(linktype, frames)
}

/// Reads a classic pcap or a pcapng capture.
pub fn read_capture(bytes: &[u8]) -> Result<Vec<CapIface>, String> {
    let magic = bytes
        .get(0..4)
        .ok_or_else(|| "capture shorter than 4 bytes".to_string())?;
    match magic {
        [0x0a, 0x0d, 0x0d, 0x0a] => read_pcapng(bytes),
        _ => read_pcap(bytes),
    }
}

fn read_pcap(b: &[u8]) -> Result<Vec<CapIface>, String> {
    let raw = u32_at(b, 0, Endian::Little).ok_or("truncated pcap header")?;
    let (endian, nanos) = match raw {
        0xa1b2_c3d4 => (Endian::Little, false),
        0xa1b2_3c4d => (Endian::Little, true),
        0xd4c3_b2a1 => (Endian::Big, false),
        0x4d3c_b2a1 => (Endian::Big, true),
        _ => return Err(format!("not a pcap/pcapng file (magic {raw:#010x})")),
    };
    let network = u32_at(b, 20, endian).ok_or("truncated pcap header")?;
    let mut iface = CapIface {
        name: None,
        linktype: (network & 0xffff) as u16,
        mac: None,
        packets: Vec::new(),
    };
    let mut pos = 24usize;
    while pos < b.len() {
        let (Some(sec), Some(frac), Some(caplen)) = (
            u32_at(b, pos, endian),
            u32_at(b, pos + 4, endian),
            u32_at(b, pos + 8, endian),
        ) else {
            return Err(format!("truncated pcap record header at offset {pos}"));
        };
        let start = pos + 16;
        let end = start
            .checked_add(caplen as usize)
            .filter(|&e| e <= b.len())
            .ok_or_else(|| format!("truncated pcap record at offset {pos}"))?;
        let frac_ns = if nanos {
            u64::from(frac)
        } else {
            u64::from(frac) * 1000
        };
        let ts = u64::from(sec) * 1_000_000_000 + frac_ns;
        iface.packets.push((ts, b[start..end].to_vec()));
        pos = end;
    }
    Ok(vec![iface])
}

struct NgIface {
    iface: CapIface,
    tsres_pow2: bool,
    tsres: u8,
    tsoffset: i64,
}

impl NgIface {
    fn to_ns(&self, ts: u64) -> u64 {
        let ts = u128::from(ts);
        let ns: u128 = if self.tsres_pow2 {
            (ts * 1_000_000_000) >> u32::from(self.tsres.min(127))
        } else if self.tsres <= 9 {
            ts * 10u128.pow(u32::from(9 - self.tsres))
        } else {
            ts / 10u128
                .checked_pow(u32::from(self.tsres - 9))
                .unwrap_or(u128::MAX)
        };
        let ns = ns as i128 + i128::from(self.tsoffset) * 1_000_000_000;
        ns.clamp(0, i128::from(u64::MAX)) as u64
    }
}

fn options(buf: &[u8], e: Endian) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while let (Some(code), Some(len)) = (u16_at(buf, i, e), u16_at(buf, i + 2, e)) {
        i += 4;
        if code == 0 {
            break;
        }
        let end = (i + len as usize).min(buf.len());
        out.push((code, &buf[i..end]));
        i += (len as usize + 3) & !3;
    }
    out
}

fn read_pcapng(b: &[u8]) -> Result<Vec<CapIface>, String> {
    let mut all: Vec<NgIface> = Vec::new();
    let mut section: Vec<usize> = Vec::new();
    let mut endian = Endian::Little;
    let mut pos = 0usize;
    while pos + 12 <= b.len() {
        if u32_at(b, pos, Endian::Little) == Some(0x0A0D_0D0A) {
            endian = match b.get(pos + 8..pos + 12) {
                Some([0x4d, 0x3c, 0x2b, 0x1a]) => Endian::Little,
                Some([0x1a, 0x2b, 0x3c, 0x4d]) => Endian::Big,
                _ => return Err(format!("bad byte-order magic at offset {pos}")),
            };
            section.clear();
        }
        let btype = u32_at(b, pos, endian).ok_or("truncated block")?;
        let blen = u32_at(b, pos + 4, endian).ok_or("truncated block")? as usize;
        if blen < 12 || pos + blen > b.len() {
            break; // truncated trailing block, like split-pcapng
        }
        let body = &b[pos + 8..pos + blen - 4];
        match btype {
            1 => {
                let linktype = u16_at(body, 0, endian).ok_or("short IDB")?;
                let mut ng = NgIface {
                    iface: CapIface {
                        name: None,
                        linktype,
                        mac: None,
                        packets: Vec::new(),
                    },
                    tsres_pow2: false,
                    tsres: 6,
                    tsoffset: 0,
                };
                for (code, val) in options(body.get(8..).unwrap_or(&[]), endian) {
                    match code {
                        2 => {
                            let v = val.split(|&c| c == 0).next().unwrap_or(&[]);
                            ng.iface.name = Some(String::from_utf8_lossy(v).into_owned());
                        }
                        6 if val.len() >= 6 => {
                            let mut m = [0u8; 6];
                            m.copy_from_slice(&val[..6]);
                            ng.iface.mac = Some(m);
                        }
                        9 if !val.is_empty() => {
                            ng.tsres_pow2 = val[0] & 0x80 != 0;
                            ng.tsres = val[0] & 0x7f;
                        }
                        14 => {
                            if let Some(o) = i64_at(val, 0, endian) {
                                ng.tsoffset = o;
                            }
                        }
                        _ => {}
                    }
                }
                section.push(all.len());
                all.push(ng);
            }
            6 | 2 => {
                let (ifid, ts_off, cap_off) = if btype == 6 {
                    (u32_at(body, 0, endian).map(|v| v as usize), 4, 12)
                } else {
                    (u16_at(body, 0, endian).map(usize::from), 4, 12)
                };
                let (Some(ifid), Some(tsh), Some(tsl), Some(caplen)) = (
                    ifid,
                    u32_at(body, ts_off, endian),
                    u32_at(body, ts_off + 4, endian),
                    u32_at(body, cap_off, endian),
                ) else {
                    return Err(format!("short packet block at offset {pos}"));
                };
                let idx = *section.get(ifid).ok_or_else(|| {
                    format!("packet for unknown interface {ifid} at offset {pos}")
                })?;
                let data = body
                    .get(20..20usize.saturating_add(caplen as usize))
                    .ok_or_else(|| format!("packet data overruns block at offset {pos}"))?;
                let ng = &mut all[idx];
                let ts = ng.to_ns((u64::from(tsh) << 32) | u64::from(tsl));
                ng.iface.packets.push((ts, data.to_vec()));
            }
            3 => {
                let idx = *section
                    .first()
                    .ok_or_else(|| format!("simple packet block without interface at {pos}"))?;
                let origlen = u32_at(body, 0, endian).ok_or("short SPB")? as usize;
                let caplen = origlen
                    .min(sim_core::pcapng::SNAPLEN as usize)
                    .min(body.len().saturating_sub(4));
                all[idx]
                    .iface
                    .packets
                    .push((0, body[4..4 + caplen].to_vec()));
            }
            _ => {}
        }
        pos += blen;
    }
    Ok(all.into_iter().map(|n| n.iface).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_pcap_reads_back() {
        let frames = vec![(1_500_000_123_000, vec![1, 2, 3]), (2_000_000_000, vec![])];
        let c = read_capture(&write_pcap(101, &frames)).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].linktype, 101);
        // (Whole microseconds: classic pcap keeps µs.)
        assert_eq!(c[0].packets, frames);
    }
    use sim_core::pcapng::PcapngWriter;

    fn sample() -> Vec<u8> {
        sample_with(101)
    }

    /// Two interfaces; libpcap (tcpdump) refuses a pcapng whose interfaces have
    /// different link types, so the tool tests use `second_linktype` = 1.
    fn sample_with(second_linktype: u16) -> Vec<u8> {
        let mut w = PcapngWriter::new();
        let a = w.add_interface("root:br0", 1, Some([2, 0, 0, 0, 0, 1]));
        let b = w.add_interface("ns1:tun0", second_linktype, None);
        let frame: Vec<u8> = (0u8..60).collect();
        w.add_packet(a, 1_700_000_000_123_456_789, &frame, None);
        w.add_packet(b, 1_700_000_001_000_000_001, &frame[..21], Some("hello"));
        w.add_packet(a, 1_700_000_002_000_000_000, &frame[..42], None);
        w.finish()
    }

    #[test]
    fn pcapng_round_trip_and_determinism() {
        let bytes = sample();
        assert_eq!(bytes, sample());
        assert_eq!(bytes.len() % 4, 0);
        let ifs = read_capture(&bytes).unwrap();
        assert_eq!(ifs.len(), 2);
        assert_eq!(ifs[0].name.as_deref(), Some("root:br0"));
        assert_eq!(ifs[0].linktype, 1);
        assert_eq!(ifs[0].mac, Some([2, 0, 0, 0, 0, 1]));
        assert_eq!(ifs[0].packets.len(), 2);
        assert_eq!(ifs[0].packets[0].0, 1_700_000_000_123_456_789);
        assert_eq!(ifs[0].packets[0].1, (0u8..60).collect::<Vec<_>>());
        assert_eq!(ifs[1].name.as_deref(), Some("ns1:tun0"));
        assert_eq!(ifs[1].linktype, 101);
        assert_eq!(ifs[1].mac, None);
        assert_eq!(ifs[1].packets[0].0, 1_700_000_001_000_000_001);
        assert_eq!(ifs[1].packets[0].1.len(), 21);
    }

    fn classic(magic: u32, big: bool, frac: u32) -> Vec<u8> {
        let mut v = Vec::new();
        let p32 = |v: &mut Vec<u8>, x: u32| {
            if big {
                v.extend_from_slice(&x.to_be_bytes())
            } else {
                v.extend_from_slice(&x.to_le_bytes())
            }
        };
        p32(&mut v, magic);
        v.extend_from_slice(if big { &[0, 2, 0, 4] } else { &[2, 0, 4, 0] });
        p32(&mut v, 0);
        p32(&mut v, 0);
        p32(&mut v, 65535);
        p32(&mut v, 228);
        p32(&mut v, 10);
        p32(&mut v, frac);
        p32(&mut v, 3);
        p32(&mut v, 3);
        v.extend_from_slice(&[1, 2, 3]);
        v
    }

    #[test]
    fn classic_pcap_variants() {
        for (magic, big, frac, want) in [
            (0xa1b2_c3d4, false, 7, 10_000_007_000),
            (0xa1b2_3c4d, false, 7, 10_000_000_007),
            (0xa1b2_c3d4, true, 7, 10_000_007_000),
            (0xa1b2_3c4d, true, 7, 10_000_000_007),
        ] {
            let ifs = read_capture(&classic(magic, big, frac)).unwrap();
            assert_eq!(ifs.len(), 1);
            assert_eq!(ifs[0].linktype, 228);
            assert_eq!(ifs[0].packets, vec![(want, vec![1, 2, 3])]);
        }
    }

    #[test]
    fn pcapng_big_endian_tsresol_tsoffset_and_sections() {
        // Section 1: big-endian, if_tsresol = 2^-10... use 10^-3 and tsoffset = 5 s.
        let mut v = Vec::new();
        let be_block = |v: &mut Vec<u8>, t: u32, body: &[u8]| {
            let len = (body.len() + 12) as u32;
            v.extend_from_slice(&t.to_be_bytes());
            v.extend_from_slice(&len.to_be_bytes());
            v.extend_from_slice(body);
            v.extend_from_slice(&len.to_be_bytes());
        };
        let mut shb = vec![0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0];
        shb.extend_from_slice(&(-1i64).to_be_bytes());
        be_block(&mut v, 0x0A0D_0D0A, &shb);
        let mut idb = vec![0, 1, 0, 0, 0, 0, 0xff, 0xff];
        idb.extend_from_slice(&[0, 9, 0, 1, 3, 0, 0, 0]);
        idb.extend_from_slice(&[0, 14, 0, 8]);
        idb.extend_from_slice(&5i64.to_be_bytes());
        idb.extend_from_slice(&[0, 0, 0, 0]);
        be_block(&mut v, 1, &idb);
        let mut epb = Vec::new();
        epb.extend_from_slice(&0u32.to_be_bytes());
        epb.extend_from_slice(&0u32.to_be_bytes());
        epb.extend_from_slice(&1500u32.to_be_bytes());
        epb.extend_from_slice(&2u32.to_be_bytes());
        epb.extend_from_slice(&2u32.to_be_bytes());
        epb.extend_from_slice(&[9, 9, 0, 0]);
        be_block(&mut v, 6, &epb);
        // Section 2: our writer (little-endian, ns).
        let mut w = PcapngWriter::new();
        let i = w.add_interface("x", 1, None);
        w.add_packet(i, 42, &[7], None);
        v.extend_from_slice(&w.finish());
        let ifs = read_capture(&v).unwrap();
        assert_eq!(ifs.len(), 2);
        assert_eq!(ifs[0].name, None);
        assert_eq!(ifs[0].packets, vec![(6_500_000_000, vec![9, 9])]);
        assert_eq!(ifs[1].packets, vec![(42, vec![7])]);
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let base = sample();
        for round in 0..2000 {
            let mut buf = if round % 2 == 0 {
                base.clone()
            } else {
                vec![0x0a, 0x0d, 0x0d, 0x0a]
            };
            let n = (x % 64) as usize;
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if buf.is_empty() {
                    break;
                }
                let at = (x as usize) % buf.len();
                buf[at] = (x >> 32) as u8;
            }
            let cut = (x as usize >> 3) % (buf.len() + 1);
            buf.truncate(cut.max(if round % 3 == 0 { buf.len() } else { cut }));
            let _ = read_capture(&buf);
        }
    }

    fn tool_reads_cleanly(tool: &str, args: &[&str]) {
        let dir = std::env::temp_dir().join(format!("nslab-pcapng-{tool}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("t.pcapng");
        std::fs::write(&file, sample_with(1)).unwrap();
        let out = match std::process::Command::new(tool)
            .args(args)
            .arg(&file)
            .output()
        {
            Ok(o) => o,
            Err(_) => {
                println!("{tool} not installed: skipping");
                return;
            }
        };
        let _ = std::fs::remove_dir_all(&dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{tool} failed: {stderr}");
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                !l.starts_with("reading from file")
                    && !l.starts_with("Running as user \"root\"")
                    && !l.trim().is_empty()
            })
            .collect();
        assert!(warnings.is_empty(), "{tool} warned: {stderr}");
        assert_eq!(
            stdout.lines().filter(|l| !l.starts_with('\t')).count(),
            3,
            "{stdout}"
        );
    }

    #[test]
    fn tcpdump_reads_written_file() {
        tool_reads_cleanly("tcpdump", &["-nn", "-r"]);
    }

    #[test]
    fn tshark_reads_written_file() {
        tool_reads_cleanly("tshark", &["-n", "-r"]);
    }
}
