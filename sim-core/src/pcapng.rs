//! pcapng writers (one section, little-endian, nanosecond timestamps): [`PcapngWriter`] builds
//! a file in memory (all interfaces first), [`PcapngStream`] writes one as packets happen,
//! through a bounded buffer, so a long run holds no capture in memory and a run that is
//! stopped or killed leaves a readable file of what it captured.
//!
//! Output is a pure function of the calls made: identical calls give identical bytes.

/// Snapshot length written into every Interface Description Block.
pub const SNAPLEN: u32 = 262_144;

const SHB_TYPE: u32 = 0x0A0D_0D0A;
const IDB_TYPE: u32 = 1;
const EPB_TYPE: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

const OPT_ENDOFOPT: u16 = 0;
const OPT_COMMENT: u16 = 1;
const SHB_USERAPPL: u16 = 4;
const IF_NAME: u16 = 2;
const IF_MACADDR: u16 = 6;
const IF_TSRESOL: u16 = 9;

/// Builds a pcapng capture in memory; see [`PcapngWriter::finish`].
#[derive(Debug, Clone, Default)]
pub struct PcapngWriter {
    idbs: Vec<u8>,
    n_ifaces: u32,
    epbs: Vec<u8>,
}

fn push_option(buf: &mut Vec<u8>, code: u16, value: &[u8]) {
    // Option lengths are 16-bit; longer values are truncated rather than corrupting the file.
    let len = value.len().min(usize::from(u16::MAX - 3));
    buf.extend_from_slice(&code.to_le_bytes());
    buf.extend_from_slice(&(len as u16).to_le_bytes());
    buf.extend_from_slice(&value[..len]);
    pad4(buf);
}

fn pad4(buf: &mut Vec<u8>) {
    while buf.len() & 3 != 0 {
        buf.push(0);
    }
}

fn push_block(out: &mut Vec<u8>, block_type: u32, body: &[u8]) {
    let total = (body.len() + 12) as u32;
    out.extend_from_slice(&block_type.to_le_bytes());
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&total.to_le_bytes());
}

impl PcapngWriter {
    /// An empty capture.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an Interface Description Block (`if_name`, `if_tsresol` = 9, optional
    /// `if_MACaddr`); returns its interface id for [`PcapngWriter::add_packet`].
    pub fn add_interface(&mut self, name: &str, linktype: u16, mac: Option<[u8; 6]>) -> u32 {
        let mut body = Vec::new();
        body.extend_from_slice(&linktype.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        body.extend_from_slice(&SNAPLEN.to_le_bytes());
        push_option(&mut body, IF_NAME, name.as_bytes());
        if let Some(mac) = mac {
            push_option(&mut body, IF_MACADDR, &mac);
        }
        push_option(&mut body, IF_TSRESOL, &[9]);
        push_option(&mut body, OPT_ENDOFOPT, &[]);
        push_block(&mut self.idbs, IDB_TYPE, &body);
        let id = self.n_ifaces;
        self.n_ifaces += 1;
        id
    }

    /// Adds an Enhanced Packet Block; `ts_ns` is nanoseconds since the Unix epoch.
    pub fn add_packet(&mut self, if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
        push_epb(&mut self.epbs, if_id, ts_ns, data, comment);
    }

    /// Number of interfaces added so far.
    pub fn interface_count(&self) -> u32 {
        self.n_ifaces
    }

    /// The file: SHB (`shb_userappl` = "nslab"), all IDBs, then all EPBs in order added.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.idbs.len() + self.epbs.len());
        push_shb(&mut out);
        out.extend_from_slice(&self.idbs);
        out.extend_from_slice(&self.epbs);
        out
    }
}

/// Appends an Enhanced Packet Block to `out` in place: no buffer of its own per packet (the
/// block's length is known before its body is written, so nothing is built twice).
#[inline]
fn push_epb(out: &mut Vec<u8>, if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
    let padded = (data.len() + 3) & !3;
    // A comment's two options: its header, its padded value, then opt_endofopt's 4 bytes.
    let opts = comment.map_or(0, |c| {
        let len = c.len().min(usize::from(u16::MAX - 3));
        4 + ((len + 3) & !3) + 4
    });
    let total = (12 + 20 + padded + opts) as u32;
    out.reserve(total as usize);
    let start = out.len();
    // The fixed part (block type and length, interface, timestamp high and low, captured and
    // original length) in one copy, then the frame, then its padding and the trailing
    // length (or the options) in one more.
    let len = data.len() as u32;
    let mut head = [0u8; 28];
    for (i, w) in [
        EPB_TYPE,
        total,
        if_id,
        (ts_ns >> 32) as u32,
        ts_ns as u32,
        len,
        len,
    ]
    .into_iter()
    .enumerate()
    {
        head[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
    }
    out.extend_from_slice(&head);
    out.extend_from_slice(data);
    let pad = padded - data.len();
    if let Some(c) = comment {
        out.resize(out.len() + pad, 0);
        push_option(out, OPT_COMMENT, c.as_bytes());
        push_option(out, OPT_ENDOFOPT, &[]);
        out.extend_from_slice(&total.to_le_bytes());
    } else {
        let mut tail = [0u8; 7];
        tail[pad..pad + 4].copy_from_slice(&total.to_le_bytes());
        out.extend_from_slice(&tail[..pad + 4]);
    }
    debug_assert_eq!(out.len() - start, total as usize);
}

fn push_shb(out: &mut Vec<u8>) {
    let mut shb = Vec::new();
    shb.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    // Section length unknown (-1): the file is written as it grows.
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    push_option(&mut shb, SHB_USERAPPL, b"nslab");
    push_option(&mut shb, OPT_ENDOFOPT, &[]);
    push_block(out, SHB_TYPE, &shb);
}

/// Bytes a [`PcapngStream`] holds before writing them out.
pub const STREAM_BUFFER: usize = 64 * 1024;

/// A pcapng written as packets happen: blocks go to a buffer of at most [`STREAM_BUFFER`]
/// bytes, written to the destination when full and on [`PcapngStream::flush`]. An Interface
/// Description Block is written before the first packet that needs it (pcapng allows IDBs
/// anywhere before their first use), so interface ids are in order of first use.
pub struct PcapngStream {
    out: Box<dyn std::io::Write>,
    buf: Vec<u8>,
    n_ifaces: u32,
    /// The first write error, reported by [`PcapngStream::flush`].
    error: Option<std::io::Error>,
}

impl std::fmt::Debug for PcapngStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcapngStream")
            .field("buffered", &self.buf.len())
            .field("n_ifaces", &self.n_ifaces)
            .finish()
    }
}

impl PcapngStream {
    /// Starts a file on `out` (its Section Header Block).
    pub fn new(out: Box<dyn std::io::Write>) -> Self {
        let mut s = PcapngStream {
            out,
            buf: Vec::with_capacity(STREAM_BUFFER),
            n_ifaces: 0,
            error: None,
        };
        push_shb(&mut s.buf);
        s
    }

    /// Writes an Interface Description Block; returns its interface id.
    pub fn add_interface(&mut self, name: &str, linktype: u16, mac: Option<[u8; 6]>) -> u32 {
        let mut w = PcapngWriter::new();
        w.add_interface(name, linktype, mac);
        self.buf.extend_from_slice(&w.idbs);
        let id = self.n_ifaces;
        self.n_ifaces += 1;
        self.spill();
        id
    }

    /// Writes an Enhanced Packet Block (`ts_ns`: nanoseconds since the Unix epoch). Inlined
    /// into the capture's tap (another crate): it runs for every frame of `nslab run --pcap`.
    #[inline]
    pub fn add_packet(&mut self, if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
        push_epb(&mut self.buf, if_id, ts_ns, data, comment);
        self.spill();
    }

    fn spill(&mut self) {
        if self.buf.len() >= STREAM_BUFFER {
            let _ = self.flush();
        }
    }

    /// Writes out what is buffered; the first error of any write so far.
    pub fn flush(&mut self) -> Result<(), String> {
        if self.error.is_none() && !self.buf.is_empty() {
            if let Err(e) = self.out.write_all(&self.buf).and_then(|_| self.out.flush()) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
        match &self.error {
            Some(e) => Err(e.to_string()),
            None => Ok(()),
        }
    }
}

impl Drop for PcapngStream {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stream_is_the_same_file_as_the_writer_when_interfaces_come_first() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let mut s = PcapngStream::new(Box::new(Shared(got.clone())));
        let mut w = PcapngWriter::new();
        s.add_interface("a:eth0", 1, Some([2, 0, 0, 0, 0, 1]));
        w.add_interface("a:eth0", 1, Some([2, 0, 0, 0, 0, 1]));
        for i in 0..3000u64 {
            let frame = vec![i as u8; 60 + (i % 7) as usize];
            s.add_packet(0, i * 1000, &frame, None);
            w.add_packet(0, i * 1000, &frame, None);
        }
        // Past the buffer, the file so far is out already, at block boundaries.
        assert!(!got.lock().unwrap().is_empty());
        s.flush().unwrap();
        assert_eq!(*got.lock().unwrap(), w.finish());
    }

    /// An EPB as the pcapng spec lays it out, field by field (the encoder before it wrote
    /// the block in place): `push_epb` gives the same bytes for every padding and comment.
    #[test]
    fn an_epb_is_the_specs_layout() {
        fn reference(if_id: u32, ts: u64, data: &[u8], comment: Option<&str>) -> Vec<u8> {
            let mut body = Vec::new();
            body.extend_from_slice(&if_id.to_le_bytes());
            body.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
            body.extend_from_slice(&(ts as u32).to_le_bytes());
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(data);
            pad4(&mut body);
            if let Some(c) = comment {
                push_option(&mut body, OPT_COMMENT, c.as_bytes());
                push_option(&mut body, OPT_ENDOFOPT, &[]);
            }
            let mut out = Vec::new();
            push_block(&mut out, EPB_TYPE, &body);
            out
        }
        for n in 0..9 {
            let data: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            for comment in [None, Some(""), Some("a"), Some("abcde")] {
                let ts = 0x1234_5678_9abc_def0 + n as u64;
                let mut got = vec![0xee; 4];
                push_epb(&mut got, 7, ts, &data, comment);
                assert_eq!(&got[..4], &[0xee; 4]);
                assert_eq!(
                    got[4..],
                    reference(7, ts, &data, comment)[..],
                    "{n} {comment:?}"
                );
            }
        }
    }

    #[test]
    fn an_epb_with_a_comment_has_its_length_at_both_ends_and_padded_options() {
        let mut w = PcapngWriter::new();
        w.add_interface("a:eth0", 1, None);
        for (n, c) in [(60, "x"), (61, "abcd"), (63, "abcde"), (1, "")] {
            w.add_packet(0, 7, &vec![0xab; n], Some(c));
        }
        let f = w.finish();
        let u32_at = |i: usize| u32::from_le_bytes(f[i..i + 4].try_into().unwrap());
        // Walk the blocks by their lengths: SHB, IDB, then the four EPBs.
        let mut at = 0;
        let mut epbs = Vec::new();
        while at < f.len() {
            let (ty, total) = (u32_at(at), u32_at(at + 4) as usize);
            assert_eq!(total % 4, 0);
            assert_eq!(u32_at(at + total - 4) as usize, total);
            if ty == EPB_TYPE {
                epbs.push((at, total));
            }
            at += total;
        }
        assert_eq!(at, f.len());
        assert_eq!(epbs.len(), 4);
        for ((at, total), (n, c)) in
            epbs.into_iter()
                .zip([(60, "x"), (61, "abcd"), (63, "abcde"), (1, "")])
        {
            assert_eq!(u32_at(at + 20) as usize, n);
            let opt = at + 28 + n.div_ceil(4) * 4;
            assert_eq!(u16::from_le_bytes([f[opt], f[opt + 1]]), OPT_COMMENT);
            assert_eq!(
                u16::from_le_bytes([f[opt + 2], f[opt + 3]]) as usize,
                c.len()
            );
            assert_eq!(&f[opt + 4..opt + 4 + c.len()], c.as_bytes());
            let end = opt + 4 + c.len().div_ceil(4) * 4;
            assert_eq!(&f[end..end + 4], &[0, 0, 0, 0], "opt_endofopt");
            assert_eq!(end + 8, at + total);
        }
    }
}
