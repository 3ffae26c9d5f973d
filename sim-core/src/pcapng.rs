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
    let len = value.len().min(MAX_OPTION);
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
        push_idb(&mut self.idbs, name, linktype, mac);
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

/// An option value's longest length (option lengths are 16-bit; longer values are truncated).
const MAX_OPTION: usize = (u16::MAX - 3) as usize;

/// Appends an Enhanced Packet Block to `out` (see [`write_epb`]).
fn push_epb(out: &mut Vec<u8>, if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
    let start = out.len();
    out.resize(start + epb_len(data.len(), comment), 0);
    write_epb(&mut out[start..], if_id, ts_ns, data, comment);
}

/// The length of an Enhanced Packet Block: its header and fields, the frame padded to 4
/// bytes, a comment's two options, the trailing length.
#[inline]
fn epb_len(data_len: usize, comment: Option<&str>) -> usize {
    // A comment's two options: its header, its padded value, then opt_endofopt's 4 bytes.
    let opts = comment.map_or(0, |c| 4 + ((c.len().min(MAX_OPTION) + 3) & !3) + 4);
    12 + 20 + ((data_len + 3) & !3) + opts
}

/// An EPB's fixed part before its frame: block type and length, interface id, timestamp
/// (high, low), captured and original length.
const EPB_HEAD_LEN: usize = 28;

/// Writes an Enhanced Packet Block into `b`, exactly [`epb_len`] bytes, every byte of it
/// (the stream's buffers are reused: the padding is written too). The block's length is known
/// before its body is written, so nothing is built twice. Always inlined (into the capture's
/// taps, through [`PcapngStream::add_packet`]): left to itself the compiler made it a call in
/// the transmit tap.
#[inline(always)]
fn write_epb(b: &mut [u8], if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
    let total = b.len() as u32;
    let padded = (data.len() + 3) & !3;
    // The fixed part (block type and length, interface, timestamp high and low, captured and
    // original length) in one copy, then the frame (its padding first: the frame's last word
    // overwrites it), then the options if any and the trailing length.
    let len = data.len() as u32;
    // The padding first, unconditionally (one store instead of a test): the frame overwrites
    // what of it is the frame's, and with an empty frame the fixed part overwrites it.
    b[EPB_HEAD_LEN - 4 + padded..EPB_HEAD_LEN + padded].fill(0);
    let mut head = [0u8; EPB_HEAD_LEN];
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
    b[..EPB_HEAD_LEN].copy_from_slice(&head);
    let mut at = EPB_HEAD_LEN + padded;
    b[EPB_HEAD_LEN..EPB_HEAD_LEN + data.len()].copy_from_slice(data);
    if let Some(c) = comment {
        let c = &c.as_bytes()[..c.len().min(MAX_OPTION)];
        let cpadded = (c.len() + 3) & !3;
        b[at..at + 2].copy_from_slice(&OPT_COMMENT.to_le_bytes());
        b[at + 2..at + 4].copy_from_slice(&(c.len() as u16).to_le_bytes());
        at += 4;
        if cpadded != c.len() {
            b[at + cpadded - 4..at + cpadded].fill(0);
        }
        b[at..at + c.len()].copy_from_slice(c);
        at += cpadded;
        // opt_endofopt: code 0, length 0.
        b[at..at + 4].fill(0);
        at += 4;
    }
    b[at..at + 4].copy_from_slice(&total.to_le_bytes());
    debug_assert_eq!(at + 4, b.len());
}

/// Appends an Interface Description Block to `out` (see [`write_idb`]; the name cut to
/// [`MAX_OPTION`], an option's longest value).
fn push_idb(out: &mut Vec<u8>, name: &str, linktype: u16, mac: Option<[u8; 6]>) {
    let name = &name.as_bytes()[..name.len().min(MAX_OPTION)];
    let start = out.len();
    out.resize(start + idb_len(name.len(), mac.is_some()), 0);
    write_idb(&mut out[start..], name, linktype, mac);
}

/// The length of an Interface Description Block with a name of `name_len` bytes (at most
/// [`MAX_OPTION`]): its header, link type, reserved, snap length, `if_name`, `if_MACaddr`,
/// `if_tsresol`, `opt_endofopt`, the trailing length.
fn idb_len(name_len: usize, mac: bool) -> usize {
    12 + 8 + 4 + ((name_len + 3) & !3) + if mac { 4 + 8 } else { 0 } + 8 + 4
}

/// Writes an Interface Description Block into `b`, exactly [`idb_len`] bytes, every byte of
/// it (`name` already cut to [`MAX_OPTION`]): the writer's and the stream's IDBs, the stream's
/// in place in its buffer.
fn write_idb(b: &mut [u8], name: &[u8], linktype: u16, mac: Option<[u8; 6]>) {
    b.fill(0);
    let total = b.len() as u32;
    let mut put = |at: usize, v: &[u8]| {
        if let Some(d) = b.get_mut(at..at + v.len()) {
            d.copy_from_slice(v);
        }
    };
    put(0, &IDB_TYPE.to_le_bytes());
    put(4, &total.to_le_bytes());
    put(8, &linktype.to_le_bytes());
    put(12, &SNAPLEN.to_le_bytes());
    put(16, &IF_NAME.to_le_bytes());
    put(18, &(name.len() as u16).to_le_bytes());
    put(20, name);
    let mut at = 20 + ((name.len() + 3) & !3);
    if let Some(mac) = mac {
        put(at, &IF_MACADDR.to_le_bytes());
        put(at + 2, &6u16.to_le_bytes());
        put(at + 4, &mac);
        at += 12;
    }
    put(at, &IF_TSRESOL.to_le_bytes());
    put(at + 2, &1u16.to_le_bytes());
    put(at + 4, &[9]);
    // (opt_endofopt: the zeros at at + 8.)
    put(at + 12, &total.to_le_bytes());
    debug_assert_eq!(at + 16, b.len());
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

/// Bytes a [`PcapngStream`] holds before writing them out (handing them to its writer
/// thread; with [`STREAM_SLACK`], the buffer is handed over when the next block does not fit
/// in it). 256 KiB rather than 64: a quarter of the hand-overs and wake-ups, and ext4 takes
/// fewer, larger writes for less (W1 N=1000 cold, 153 MB: the writer thread 42 instead of
/// 67 ms, the simulation's thread unchanged).
pub const STREAM_BUFFER: usize = 256 * 1024;

/// Room in a stream's buffer past [`STREAM_BUFFER`] (a block bigger than a buffer gets a
/// buffer of its own size).
const STREAM_SLACK: usize = 4096;

/// Full buffers queued for the writer thread at most. With the one the thread is writing, the
/// full one waiting for a slot and the one being filled, a stream holds at most
/// `WRITER_QUEUE + 3` buffers (7 × 260 KiB).
pub const WRITER_QUEUE: usize = 4;

/// A repeat in a stream's buffer, 16 bytes: a word with this bit set, an interface id, a
/// timestamp (`u64`): the buffer's last EPB again, with that interface id and timestamp, and
/// then as many times more as the word's [`REPEAT_COUNT`] bits say, at the same timestamp,
/// on the interface ids that follow (the next id up, or down with [`REPEAT_DOWN`]). A stream
/// writes one where the frame is the last EPB's (a flood's copies on each port, both ends of
/// a veth), instead of the block, and counts a flood's next copies in it (its ports'
/// interfaces were numbered in the order of the flood's first pass), and [`expand`] writes the
/// blocks out; so the file is the same. Never in a file (pcapng's block types with the high
/// bit set are for local use; a block's type is the word this one is in).
const REPEAT: u32 = 0x8000_0000;
/// A repeat's run goes down the interface ids (each copy's id one less than the one before).
const REPEAT_DOWN: u32 = 0x4000_0000;
/// A repeat's copies after its first.
const REPEAT_COUNT: u32 = REPEAT_DOWN - 1;
const REPEAT_LEN: usize = 16;

/// The file's bytes a stream's buffer may stand for with its repeats' blocks: past them it
/// is handed to the writer thread, as when its blocks fill it (else a flood's buffer, its
/// copies counted, would hold a round's file, expanded at the end on the caller's thread).
/// Four buffers' worth: a hand-off (a wake-up of the writer thread) for each 1 MiB of the
/// file, the writer's writes still [`STREAM_BUFFER`] bytes each, and what is left for
/// `flush` no more than a buffer of 16-byte repeats stood for before runs (~1.2 MB of 76-byte
/// blocks).
const REPEAT_BUDGET: usize = 4 * STREAM_BUFFER;

/// No repeat that the next one may continue (`PcapngStream::run_at`).
const NO_RUN: usize = usize::MAX;

/// No EPB a repeat may refer to (`PcapngStream::last_len`).
const NO_REPEAT: usize = usize::MAX;

/// A pcapng written as packets happen: blocks go to a buffer of [`STREAM_BUFFER`] bytes and
/// a little more, handed to a writer thread when the next block does not fit. An Interface Description Block is written
/// before the first packet that needs it (pcapng allows IDBs anywhere before their first use),
/// so interface ids are in order of first use.
///
/// The writer thread only writes: it takes the full buffers through a bounded channel in the
/// order they were filled and gives each back empty for reuse, so the file's bytes are the
/// same as if they were written in place, memory stays bounded (a slow disk makes the caller
/// wait for a free slot), and the caller's thread does not pay for the write system calls.
/// [`PcapngStream::flush`] returns only once everything so far is written (the rest of a
/// buffer is written on the caller's thread when the writer is idle, as at a lab's command
/// boundary); the first write error is its answer from then on, and nothing more is written
/// (the buffers are dropped, so a full disk does not stop the run). Where no thread can be
/// started everything is written on the caller's thread.
pub struct PcapngStream {
    /// The buffer being filled (`len` bytes of it): a fixed length, written into in place.
    /// Blocks as the file has them, and repeats ([`REPEAT`]) of the buffer's last EPB, which
    /// [`expand`] writes out as blocks.
    buf: Vec<u8>,
    len: usize,
    /// Where the frame of the buffer's last EPB starts in `buf` (its block + 28), and its
    /// length ([`NO_REPEAT`]: no EPB in this buffer a repeat may refer to — none yet, or the
    /// last one has options).
    last_frame: usize,
    last_len: usize,
    /// The buffer's last record when it is a repeat ([`NO_RUN`] when not): where it is in
    /// `buf`, its timestamp, the step to its next interface id (1, or `u32::MAX`: down; 0
    /// when there is no run), its first word (without the count), the interface id of its
    /// first copy, and the id at which it stops (the first one past its budget; `last_id`
    /// when there is no run, so that no id continues it). A repeat of the last EPB at that
    /// timestamp on the next id continues the run: `last_id` is its last copy's, and its
    /// count of copies is how far that is from `run_first`, written into the buffer when the
    /// run ends ([`PcapngStream::end_run`]). So a continued run is three compares and one
    /// store (a count of its own cost two more instructions and a store a record).
    run_at: usize,
    run_ts: u64,
    run_step: u32,
    run_word: u32,
    run_first: u32,
    run_stop: u32,
    /// The interface id of the last record (an EPB, or a repeat's last copy).
    last_id: u32,
    /// The buffer's last EPB is a copy of the EPB before it: [`PcapngStream::add_packet`]
    /// writes a frame's first copy as a block and its next ones as repeats. Most frames are
    /// seen twice (a veth's two ends, a bridge port's receive and transmit): W1 static, W1
    /// warm, W2 and W4 have no runs, and as repeats of one copy each (a quarter of their
    /// records) they saved 60–110 bytes of the buffer apiece and cost their expansion, a
    /// staging buffer and a copy of every block around them (at a command's end, on the
    /// simulation's thread). A flood's copies pay one block more.
    copied: bool,
    /// The bytes of the last EPB's block, and of the blocks the buffer's ended runs stand
    /// for: a run is as long as the buffer has room for, with its own bytes, in
    /// [`REPEAT_BUDGET`], and the buffer is handed to the writer thread when a new one has
    /// none, as when its blocks fill it.
    last_total: usize,
    expanded: usize,
    /// The frame of the buffer's last EPB as a buffer of the caller's
    /// ([`PcapngStream::add_shared`]): the address of its `Arc` (0: none; set after a shared
    /// frame's record, cleared by every EPB and with the buffer) and where the frame starts in
    /// it; `shared_pin` keeps the `Arc`'s allocation, so while that address is named here no
    /// other buffer can have it.
    shared_ptr: usize,
    shared_off: usize,
    shared_pin: std::sync::Weak<Vec<u8>>,
    /// The caller's block buffer for [`expand`] (`flush`'s rest of a buffer, a stream without
    /// a writer thread); empty until used.
    staging: Staging,
    n_ifaces: u32,
    out: std::sync::Arc<std::sync::Mutex<Destination>>,
    writer: Option<Writer>,
}

/// The file, shared with the writer thread (the caller writes to it only when the thread has
/// nothing queued).
struct Destination {
    out: Box<dyn std::io::Write + Send>,
    /// The first write error.
    error: Option<std::io::Error>,
}

impl Destination {
    fn write(&mut self, b: &[u8]) {
        if self.error.is_none() && !b.is_empty() {
            if let Err(e) = self.out.write_all(b).and_then(|_| self.out.flush()) {
                self.error = Some(e);
            }
        }
    }
}

/// Locks the destination (a writer that panicked leaves it as it was).
fn lock(d: &std::sync::Mutex<Destination>) -> std::sync::MutexGuard<'_, Destination> {
    d.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the writer thread is told: a buffer to write (given back empty), or to answer once
/// everything before it is written.
enum Job {
    /// A buffer and the length of its contents.
    Write(Vec<u8>, usize),
    Sync,
}

/// The caller's side of the writer thread.
struct Writer {
    /// The destination (to report a writer thread that is gone).
    out: std::sync::Arc<std::sync::Mutex<Destination>>,
    jobs: Option<std::sync::mpsc::SyncSender<Job>>,
    /// Buffers sent and not yet written.
    queued: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// Written buffers, empty, for reuse.
    free: std::sync::mpsc::Receiver<Vec<u8>>,
    /// The answers to [`Job::Sync`].
    synced: std::sync::mpsc::Receiver<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    fn start(out: &std::sync::Arc<std::sync::Mutex<Destination>>) -> Option<Writer> {
        use std::sync::atomic::Ordering;
        use std::sync::mpsc::sync_channel;
        let (jobs, jobs_rx) = sync_channel(WRITER_QUEUE);
        let (free_tx, free) = sync_channel(WRITER_QUEUE + 2);
        let (synced_tx, synced) = sync_channel(1);
        let queued = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (dest, q) = (out.clone(), queued.clone());
        let thread = std::thread::Builder::new()
            .name("pcapng writer".into())
            .spawn(move || {
                let mut staging = Staging::default();
                for job in jobs_rx {
                    match job {
                        Job::Write(b, n) => {
                            expand(&dest, &b[..n], &mut staging);
                            q.fetch_sub(1, Ordering::Release);
                            // The pool has room for every buffer there can be.
                            let _ = free_tx.try_send(b);
                        }
                        Job::Sync => {
                            if synced_tx.send(()).is_err() {
                                return;
                            }
                        }
                    }
                }
            })
            .ok()?;
        Some(Writer {
            out: out.clone(),
            jobs: Some(jobs),
            queued,
            free,
            synced,
            thread: Some(thread),
        })
    }

    /// Whether everything sent is written (the thread is idle).
    fn idle(&self) -> bool {
        self.queued.load(std::sync::atomic::Ordering::Acquire) == 0
    }

    /// Sends a buffer to be written; the buffer back if the thread is gone.
    fn send(&mut self, b: Vec<u8>, n: usize) -> Result<(), Vec<u8>> {
        use std::sync::atomic::Ordering;
        let Some(jobs) = &self.jobs else {
            return Err(b);
        };
        self.queued.fetch_add(1, Ordering::Relaxed);
        match jobs.send(Job::Write(b, n)) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.queued.fetch_sub(1, Ordering::Relaxed);
                self.jobs = None;
                match e.0 {
                    Job::Write(b, _) => Err(b),
                    Job::Sync => Err(Vec::new()),
                }
            }
        }
    }

    /// Waits until everything sent is written.
    fn wait(&mut self) {
        if self.idle() {
            return;
        }
        let answered = self
            .jobs
            .as_ref()
            .is_some_and(|j| j.send(Job::Sync).is_ok())
            && self.synced.recv().is_ok();
        if !answered {
            // The thread is gone (it panicked): what it had is lost.
            self.jobs = None;
            self.queued.store(0, std::sync::atomic::Ordering::Relaxed);
            let mut out = lock(&self.out);
            if out.error.is_none() {
                out.error = Some(std::io::Error::other("the pcapng writer thread stopped"));
            }
        }
    }
}

impl std::fmt::Debug for PcapngStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcapngStream")
            .field("buffered", &self.len)
            .field("n_ifaces", &self.n_ifaces)
            .field("thread", &self.writer.is_some())
            .finish()
    }
}

impl PcapngStream {
    /// Starts a file on `out` (its Section Header Block), written by a thread of its own.
    pub fn new(out: Box<dyn std::io::Write + Send>) -> Self {
        let mut s = Self::new_unthreaded(out);
        s.writer = Writer::start(&s.out);
        s
    }

    /// Starts a file on `out` written on the caller's thread (as [`PcapngStream::new`] does
    /// where no thread can be started).
    pub fn new_unthreaded(out: Box<dyn std::io::Write + Send>) -> Self {
        let mut s = PcapngStream {
            buf: new_buffer(),
            len: 0,
            last_frame: 0,
            last_len: NO_REPEAT,
            run_at: NO_RUN,
            run_ts: 0,
            run_step: 0,
            run_word: 0,
            run_first: 0,
            run_stop: 0,
            last_id: 0,
            copied: false,
            last_total: 0,
            expanded: 0,
            shared_ptr: 0,
            shared_off: 0,
            shared_pin: std::sync::Weak::new(),
            staging: Staging::default(),
            n_ifaces: 0,
            out: std::sync::Arc::new(std::sync::Mutex::new(Destination { out, error: None })),
            writer: None,
        };
        let mut shb = Vec::new();
        push_shb(&mut shb);
        s.push_bytes(&shb);
        s
    }

    /// Writes an Interface Description Block; returns its interface id. The block is written
    /// in place (`write_idb`): no buffers of its own (W1 N=1000 cold writes 3 000 IDBs,
    /// ~2 400 instructions each when they were built option by option and copied).
    pub fn add_interface(&mut self, name: &str, linktype: u16, mac: Option<[u8; 6]>) -> u32 {
        let name = &name.as_bytes()[..name.len().min(MAX_OPTION)];
        let total = idb_len(name.len(), mac.is_some());
        let at = self.room(total);
        write_idb(&mut self.buf[at..at + total], name, linktype, mac);
        self.len = at + total;
        // A repeat after this block is not the run's before it.
        self.end_run();
        let id = self.n_ifaces;
        self.n_ifaces += 1;
        id
    }

    fn push_bytes(&mut self, b: &[u8]) {
        let at = self.room(b.len());
        self.buf[at..at + b.len()].copy_from_slice(b);
        self.len = at + b.len();
        // A repeat after this block is not the run's before it.
        self.end_run();
    }

    /// Writes an Enhanced Packet Block (`ts_ns`: nanoseconds since the Unix epoch), in place
    /// in the buffer — or, when the frame is the buffer's last EPB's (and neither has
    /// options) and that EPB is a copy already (`copied`), a [`REPEAT`] of it with this interface id and timestamp: 16 bytes instead of
    /// the block, or none when it continues the repeat before it (same timestamp, the next
    /// interface id), which the writer thread expands. Inlined into the capture's tap (another
    /// crate): it runs for every frame of `nslab run --pcap`. The buffer goes to the writer
    /// when a block does not fit in what is left of it (one test a block, which the block's
    /// slice needs anyway). Always inlined: the compiler kept it out of line in the transmit
    /// tap (~12 instructions a record more).
    #[inline(always)]
    pub fn add_packet(&mut self, if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
        if comment.is_none() && data.len() == self.last_len {
            // (Slices taken in two steps: two tests, where a range's is three.)
            let last = self
                .buf
                .get(self.last_frame..)
                .and_then(|b| b.get(..data.len()));
            if last.is_some_and(|last| same_frame(last, data)) {
                if self.copied {
                    if self.add_repeat(if_id, ts_ns) {
                        return;
                    }
                    // No room for it: the block, in the next buffer.
                    return self.add_packet_past_buffer(if_id, ts_ns, data, comment);
                }
                // The frame's first copy is a block too (`copied`).
                self.add_epb(if_id, ts_ns, data, comment);
                self.copied = true;
                return;
            }
        }
        self.add_epb(if_id, ts_ns, data, comment);
    }

    /// [`PcapngStream::add_packet`] of the frame `buf[off..]`, where `buf` is a buffer the
    /// caller shares among copies of a frame (an skb's shared buffer: a flood's copies on each
    /// port): when the last record was this buffer's frame from the same offset, it is the same
    /// frame — the bytes of a buffer an `Arc` holds cannot change while it is held, and the
    /// stream's `Weak` of it keeps its address from being another buffer's — so it is a repeat
    /// of the last EPB without comparing the bytes. Always inlined (into the taps).
    #[inline(always)]
    pub fn add_shared(
        &mut self,
        if_id: u32,
        ts_ns: u64,
        buf: &std::sync::Arc<Vec<u8>>,
        off: usize,
    ) {
        if std::sync::Arc::as_ptr(buf) as usize == self.shared_ptr
            && off == self.shared_off
            && self.add_repeat(if_id, ts_ns)
        {
            return;
        }
        self.add_shared_first(if_id, ts_ns, buf, off);
    }

    /// [`PcapngStream::add_shared`] of a frame that is not the last record's buffer (or has no
    /// room for a repeat): written as [`PcapngStream::add_packet`] writes it, then the
    /// buffer's last EPB is this frame, known by the buffer's address from now on.
    #[inline(never)]
    fn add_shared_first(
        &mut self,
        if_id: u32,
        ts_ns: u64,
        buf: &std::sync::Arc<Vec<u8>>,
        off: usize,
    ) {
        self.add_packet(if_id, ts_ns, buf.get(off..).unwrap_or_default(), None);
        let p = std::sync::Arc::as_ptr(buf) as usize;
        if std::sync::Weak::as_ptr(&self.shared_pin) as usize != p {
            self.shared_pin = std::sync::Arc::downgrade(buf);
        }
        self.shared_ptr = p;
        self.shared_off = off;
    }

    /// [`PcapngStream::add_packet`]'s block, out of line: most of a flood's records are
    /// repeats, whose path is shorter without this one's registers to save around it.
    #[inline(never)]
    fn add_epb(&mut self, if_id: u32, ts_ns: u64, data: &[u8], comment: Option<&str>) {
        let total = epb_len(data.len(), comment);
        let at = self.len;
        match self.buf.get_mut(at..at + total) {
            Some(b) => {
                write_epb(b, if_id, ts_ns, data, comment);
                self.epb_written(at, total, data.len(), comment.is_none(), if_id);
            }
            None => self.add_packet_past_buffer(if_id, ts_ns, data, comment),
        }
    }

    /// The last EPB again on `if_id` at `ts_ns`: one more in the run of the repeat before it
    /// when it continues it (a few tests and a count: no bytes written), else a new repeat;
    /// false when there is no room for one, or the buffer's blocks and repeats stand for a
    /// buffer's bytes already (the block is written instead, in the next buffer).
    #[inline(always)]
    fn add_repeat(&mut self, if_id: u32, ts_ns: u64) -> bool {
        if ts_ns == self.run_ts
            && if_id.wrapping_sub(self.last_id) == self.run_step
            && if_id != self.run_stop
        {
            self.last_id = if_id;
            return true;
        }
        self.new_repeat(if_id, ts_ns)
    }

    /// A new repeat of the last EPB, the start of a run ([`PcapngStream::add_repeat`]).
    #[inline(always)]
    fn new_repeat(&mut self, if_id: u32, ts_ns: u64) -> bool {
        self.end_run();
        let at = self.len;
        // The file's bytes this buffer stands for with this repeat's block, and how many more
        // copies of it fit in a buffer's worth.
        let Some(left) =
            REPEAT_BUDGET.checked_sub(at + REPEAT_LEN + self.expanded + self.last_total)
        else {
            return false;
        };
        let Some(e) = self
            .buf
            .get_mut(at..)
            .and_then(|b| b.first_chunk_mut::<REPEAT_LEN>())
        else {
            return false;
        };
        // The run goes the way this id went from the last record's: down when one less, else
        // up.
        let down = if_id.wrapping_sub(self.last_id) == u32::MAX;
        let word = if down { REPEAT | REPEAT_DOWN } else { REPEAT };
        let (head, ts) = e.split_at_mut(8);
        head.copy_from_slice(&(u64::from(word) | u64::from(if_id) << 32).to_le_bytes());
        ts.copy_from_slice(&ts_ns.to_le_bytes());
        self.len = at + REPEAT_LEN;
        self.expanded += self.last_total;
        self.run_at = at;
        self.run_ts = ts_ns;
        let step = if down { u32::MAX } else { 1 };
        self.run_step = step;
        self.run_word = word;
        // (`last_total` is at least an EPB's 32 bytes.)
        let more = (left / self.last_total.max(1)).min(REPEAT_COUNT as usize) as u32;
        // The id of the copy past the last one the run may count: `more` copies at most
        // (`more + 1` steps at most 2^30, so the id is not one the run reaches before).
        self.run_first = if_id;
        self.run_stop = if_id.wrapping_add(step.wrapping_mul(more + 1));
        self.last_id = if_id;
        true
    }

    /// Ends the buffer's last run, if any: its count into its repeat, its copies' blocks
    /// into `expanded`. (One test when there is none, as after a block: without a run
    /// `run_step` is 0 and `run_stop` is `last_id` already.)
    #[inline(always)]
    fn end_run(&mut self) {
        if self.run_at != NO_RUN {
            self.close_run();
        }
    }

    /// [`PcapngStream::end_run`] of a run.
    #[inline]
    fn close_run(&mut self) {
        if let Some(w) = self
            .buf
            .get_mut(self.run_at..)
            .and_then(|b| b.first_chunk_mut::<4>())
        {
            // The copies after the first: how many steps `last_id` is from it (at most
            // `REPEAT_COUNT`, `run_stop`'s bound).
            let count = self
                .last_id
                .wrapping_sub(self.run_first)
                .wrapping_mul(self.run_step);
            *w = (self.run_word | count).to_le_bytes();
            self.expanded += count as usize * self.last_total;
        }
        self.run_at = NO_RUN;
        // No id continues it: the only one a step of 0 allows is `last_id`, where it stops.
        self.run_step = 0;
        self.run_stop = self.last_id;
    }

    /// [`PcapngStream::add_packet`] of a block that does not fit in the buffer's rest (or is a
    /// repeat the buffer has no room for).
    #[cold]
    #[inline(never)]
    fn add_packet_past_buffer(
        &mut self,
        if_id: u32,
        ts_ns: u64,
        data: &[u8],
        comment: Option<&str>,
    ) {
        let total = epb_len(data.len(), comment);
        self.make_room(total);
        let at = self.len;
        write_epb(&mut self.buf[at..at + total], if_id, ts_ns, data, comment);
        self.epb_written(at, total, data.len(), comment.is_none(), if_id);
    }

    /// After an EPB of `total` bytes was written at `at` for `if_id`: the buffer's length, and
    /// the frame a later [`REPEAT`] may refer to (none when the block has options: a repeat
    /// has none); no run to continue.
    #[inline(always)]
    fn epb_written(
        &mut self,
        at: usize,
        total: usize,
        data_len: usize,
        repeatable: bool,
        if_id: u32,
    ) {
        // (The run's count first: `expanded` counts its copies with the block they repeat.)
        self.end_run();
        self.len = at + total;
        self.shared_ptr = 0;
        self.copied = false;
        self.last_frame = at + EPB_HEAD_LEN;
        self.last_len = if repeatable { data_len } else { NO_REPEAT };
        self.last_id = if_id;
        // (No run: `end_run` made the step 0; the stop follows `last_id`.)
        self.run_stop = if_id;
        self.last_total = total;
    }

    /// Where `n` more bytes go in the buffer (a new buffer if they do not fit).
    #[inline]
    fn room(&mut self, n: usize) -> usize {
        if self.len + n > self.buf.len() {
            self.make_room(n);
        }
        self.len
    }

    #[cold]
    fn make_room(&mut self, n: usize) {
        self.hand_off();
        if n > self.buf.len() {
            self.buf.resize(n, 0);
        }
    }

    /// The buffer's contents to the writer thread (without one: written here).
    #[cold]
    fn hand_off(&mut self) {
        if self.len == 0 {
            return;
        }
        self.end_run();
        // A repeat refers to an EPB of its own buffer.
        self.last_len = NO_REPEAT;
        self.shared_ptr = 0;
        self.expanded = 0;
        if let Some(w) = &mut self.writer {
            // A buffer the thread has written, or a new one while there are fewer than the
            // channel and the thread hold (sending waits for a free slot).
            let next = w.free.try_recv().unwrap_or_else(|_| new_buffer());
            let full = std::mem::replace(&mut self.buf, next);
            let n = std::mem::take(&mut self.len);
            match w.send(full, n) {
                Ok(()) => return,
                Err(full) => {
                    // The thread is gone (it panicked): what it had is lost; say so.
                    self.writer = None;
                    let mut out = lock(&self.out);
                    if out.error.is_none() {
                        out.error = Some(std::io::Error::other("the pcapng writer thread stopped"));
                    }
                    drop(full);
                    return;
                }
            }
        }
        expand(&self.out, &self.buf[..self.len], &mut self.staging);
        self.len = 0;
    }

    /// Writes out what is buffered and returns once everything so far is written; the first
    /// error of any write so far.
    pub fn flush(&mut self) -> Result<(), String> {
        if let Some(w) = &mut self.writer {
            // The thread's queue first; then the rest is written here (no round trip to the
            // thread for the few frames of a command).
            w.wait();
        }
        self.end_run();
        expand(&self.out, &self.buf[..self.len], &mut self.staging);
        self.len = 0;
        self.last_len = NO_REPEAT;
        self.shared_ptr = 0;
        self.expanded = 0;
        match &lock(&self.out).error {
            Some(e) => Err(e.to_string()),
            None => Ok(()),
        }
    }
}

/// The file's bytes being put together from a stream buffer with repeats ([`expand`]): a
/// fixed-length buffer (allocated at its first use) and how much of it is filled.
#[derive(Default)]
struct Staging {
    buf: Vec<u8>,
    len: usize,
}

impl Staging {
    /// Writes out what is staged.
    fn write_out(&mut self, out: &std::sync::Mutex<Destination>) {
        lock(out).write(&self.buf[..self.len]);
        self.len = 0;
    }

    /// Room for `n` more bytes: what is staged is written out first when they do not fit in
    /// a buffer's length. `None` when `n` is more than that.
    #[inline]
    fn room(&mut self, out: &std::sync::Mutex<Destination>, n: usize) -> Option<&mut [u8]> {
        self.room_for(out, n, 1)
    }

    /// Room for as many as `k` pieces of `n` bytes, at least one (a whole number of them):
    /// what is staged is written out first when not one fits in a buffer's length. `None`
    /// when `n` is more than that.
    #[inline]
    fn room_for(
        &mut self,
        out: &std::sync::Mutex<Destination>,
        n: usize,
        k: usize,
    ) -> Option<&mut [u8]> {
        if self.len + n > STREAM_BUFFER {
            self.write_out(out);
            if n > STREAM_BUFFER {
                return None;
            }
        }
        if self.buf.is_empty() {
            self.buf = vec![0; STREAM_BUFFER];
        }
        let at = self.len;
        // (Most repeats are one block: no division for those.)
        let m = if k == 1 {
            1
        } else {
            ((STREAM_BUFFER - at) / n.max(1)).min(k)
        };
        self.len = at + m * n;
        self.buf.get_mut(at..at + m * n)
    }
}

/// Writes a stream buffer's contents (`src`: whole blocks and [`REPEAT`]s) to `out` as the
/// file has them: each repeat as the buffer's last EPB before it, with the repeat's interface
/// id and timestamp. The blocks between repeats are copied to `staging` with the repeats'
/// blocks and written from there (up to [`STREAM_BUFFER`] bytes a write); a buffer without
/// repeats is written as it is, with no copy.
fn expand(out: &std::sync::Mutex<Destination>, src: &[u8], staging: &mut Staging) {
    // The blocks from `run` on are neither written nor staged yet; `last`: the last EPB.
    let (mut at, mut run) = (0, 0);
    let mut last: &[u8] = &[];
    while let Some(h) = src.get(at..).and_then(|b| b.first_chunk::<REPEAT_LEN>()) {
        let ty = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
        if ty & REPEAT == 0 {
            let n = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
            if ty == EPB_TYPE {
                last = src.get(at..at + n).unwrap_or_default();
            }
            at += n.max(REPEAT_LEN);
            continue;
        }
        debug_assert!(!last.is_empty(), "a repeat without an EPB before it");
        if run < at {
            stage(out, staging, &src[run..at]);
        }
        // The run's copies, as many at a time as the staging buffer has room for: the
        // block with the repeat's timestamp (high and low words), doubled (a copy of one
        // block, then of two, four ...: a few large copies instead of one a block), then each
        // copy's interface id.
        let n = last.len();
        let step = if ty & REPEAT_DOWN != 0 { u32::MAX } else { 1 };
        let mut id = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        let set_ts = |b: &mut [u8]| {
            if let Some(f) = b.get_mut(12..).and_then(|f| f.first_chunk_mut::<8>()) {
                f[..4].copy_from_slice(&h[12..16]);
                f[4..].copy_from_slice(&h[8..12]);
            }
        };
        let set_id = |b: &mut [u8], id: u32| {
            if let Some(f) = b.get_mut(8..).and_then(|f| f.first_chunk_mut::<4>()) {
                *f = id.to_le_bytes();
            }
        };
        let mut left = (ty & REPEAT_COUNT) as usize + 1;
        while left > 0 && n > 0 {
            let Some(s) = staging.room_for(out, n, left) else {
                // A block bigger than a staging buffer: each copy written as it is.
                let mut b = last.to_vec();
                set_ts(&mut b);
                for _ in 0..left {
                    set_id(&mut b, id);
                    lock(out).write(&b);
                    id = id.wrapping_add(step);
                }
                break;
            };
            s[..n].copy_from_slice(last);
            set_ts(s);
            let mut done = n;
            while done < s.len() {
                let c = done.min(s.len() - done);
                s.copy_within(..c, done);
                done += c;
            }
            for b in s.chunks_exact_mut(n) {
                set_id(b, id);
                id = id.wrapping_add(step);
            }
            left -= s.len() / n;
        }
        at += REPEAT_LEN;
        run = at;
    }
    if staging.len == 0 {
        lock(out).write(&src[run..]);
    } else {
        stage(out, staging, &src[run..]);
        staging.write_out(out);
    }
}

/// Appends `b` to what `staging` holds for the file (a run longer than a buffer is written
/// as it is, after what is staged).
fn stage(out: &std::sync::Mutex<Destination>, staging: &mut Staging, b: &[u8]) {
    match staging.room(out, b.len()) {
        Some(s) => s.copy_from_slice(b),
        None => lock(out).write(b),
    }
}

/// Whether two frames are the same bytes. The taps' frames are mostly 32 to 128 bytes (an ARP
/// frame 42, a ping 98): those are compared as two or four pieces of 32 bytes from either end
/// (overlapping), each a compare the compiler writes out with vector loads, rather than by a
/// call to `bcmp`, around which the tap saved and reloaded its registers (~25 instructions a
/// record against ~40). (Not pieces of 64 bytes: the compiler calls `bcmp` for those.)
#[inline(always)]
fn same_frame(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if (32..=64).contains(&a.len()) {
        if let (Some(a0), Some(b0), Some(a1), Some(b1)) = (
            a.first_chunk::<32>(),
            b.first_chunk::<32>(),
            a.last_chunk::<32>(),
            b.last_chunk::<32>(),
        ) {
            return (a0 == b0) & (a1 == b1);
        }
    } else if (65..=128).contains(&a.len()) {
        if let (Some(a0), Some(b0), Some(a1), Some(b1)) = (
            a.first_chunk::<64>(),
            b.first_chunk::<64>(),
            a.last_chunk::<64>(),
            b.last_chunk::<64>(),
        ) {
            return same_64(a0, b0) & same_64(a1, b1);
        }
    }
    a == b
}

/// [`same_frame`]'s 64 bytes, as two pieces of 32.
#[inline(always)]
fn same_64(a: &[u8; 64], b: &[u8; 64]) -> bool {
    let (a0, a1) = a.split_at(32);
    let (b0, b1) = b.split_at(32);
    match (
        <&[u8; 32]>::try_from(a0),
        <&[u8; 32]>::try_from(a1),
        <&[u8; 32]>::try_from(b0),
        <&[u8; 32]>::try_from(b1),
    ) {
        (Ok(a0), Ok(a1), Ok(b0), Ok(b1)) => (a0 == b0) & (a1 == b1),
        _ => a == b,
    }
}

/// A stream's buffer (zeroed: the allocator's fresh pages).
fn new_buffer() -> Vec<u8> {
    vec![0; STREAM_BUFFER + STREAM_SLACK]
}

impl Drop for PcapngStream {
    fn drop(&mut self) {
        let _ = self.flush();
        if let Some(w) = &mut self.writer {
            drop(w.jobs.take());
            if let Some(t) = w.thread.take() {
                let _ = t.join();
            }
        }
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
        let mut s = PcapngStream::new_unthreaded(Box::new(Shared(got.clone())));
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

    /// An IDB as the pcapng spec lays it out, option by option (the encoder before the block
    /// was written in place): the writer's and the stream's IDBs give the same bytes for
    /// every name's padding, with and without a MAC, and a name longer than an option.
    #[test]
    fn an_idb_written_in_place_is_the_specs_layout() {
        fn reference(name: &str, linktype: u16, mac: Option<[u8; 6]>) -> Vec<u8> {
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
            let mut out = Vec::new();
            push_block(&mut out, IDB_TYPE, &body);
            out
        }
        let long = "x".repeat(70_000);
        let mut names: Vec<String> = (0..13).map(|n| "abcdefghijklm"[..n].to_string()).collect();
        names.push(long);
        for name in &names {
            for mac in [None, Some([2, 0, 0, 0, 0, 7])] {
                let got = Arc::new(Mutex::new(Vec::new()));
                let mut s = PcapngStream::new_unthreaded(Box::new(Shared(got.clone())));
                let mut w = PcapngWriter::new();
                // Over bytes the buffer held before (the block writes every byte of its own).
                let l = s.len;
                s.buf[l..].fill(0xa5);
                assert_eq!(s.add_interface(name, 113, mac), 0);
                w.add_interface(name, 113, mac);
                s.flush().unwrap();
                let mut want = Vec::new();
                push_shb(&mut want);
                want.extend_from_slice(&reference(name, 113, mac));
                let file = w.finish();
                assert_eq!(file, want, "{} {mac:?}", name.len());
                assert_eq!(*got.lock().unwrap(), file, "{} {mac:?}", name.len());
            }
        }
    }

    #[test]
    fn frames_of_shared_buffers_are_the_same_file() {
        // Floods of copies of a shared buffer (from an offset, as an skb's data after its
        // headroom) between frames of owned ones, new interfaces, flushes; buffers dropped and
        // new ones made with other bytes (the allocator may give a new buffer a dropped one's
        // address: the stream's pin of the last one keeps it from doing so while it counts).
        for threaded in [false, true] {
            let got = Arc::new(Mutex::new(Vec::new()));
            let out = Box::new(Shared(got.clone()));
            let mut s = if threaded {
                PcapngStream::new(out)
            } else {
                PcapngStream::new_unthreaded(out)
            };
            let mut w = PcapngWriter::new();
            for n in 0..8 {
                s.add_interface(&format!("i{n}"), 1, None);
                w.add_interface(&format!("i{n}"), 1, None);
            }
            let mut ts = 0;
            let mut kept = Vec::new();
            for i in 0..40_000usize {
                let len = 42 + i % 3 * 28;
                let off = i % 4 * 7;
                let buf = Arc::new(vec![(i % 251) as u8; off + len]);
                let copies = 1 + i % 9;
                for c in 0..copies {
                    if (i + c) % 13 == 0 {
                        ts += 1;
                    }
                    let id = ((i + c) % 8) as u32;
                    // Another frame between copies now and then; the same bytes owned as well.
                    if (i * 7 + c) % 17 == 0 {
                        let other = vec![(i % 7) as u8; len];
                        s.add_packet(id, ts, &other, None);
                        w.add_packet(id, ts, &other, None);
                    }
                    if (i + c) % 23 == 0 {
                        s.add_packet(id, ts, &buf[off..], None);
                    } else {
                        s.add_shared(id, ts, &buf, off);
                    }
                    w.add_packet(id, ts, &buf[off..], None);
                }
                if i % 1001 == 0 {
                    s.flush().unwrap();
                }
                if i % 5 == 0 {
                    // Some buffers outlive others.
                    kept.push(buf);
                    if kept.len() > 3 {
                        kept.remove(0);
                    }
                }
            }
            // A buffer written to after its copies are gone (the copy on write of an skb whose
            // last holder writes): the same allocation, other bytes.
            let mut b = Arc::new(vec![1u8; 60]);
            s.add_shared(0, ts, &b, 0);
            w.add_packet(0, ts, &b, None);
            if let Some(v) = Arc::get_mut(&mut b) {
                v[0] = 2;
            }
            let mut v = Arc::try_unwrap(b).unwrap_or_else(|a| a.to_vec());
            v[1] = 3;
            let b = Arc::new(v);
            s.add_shared(1, ts, &b, 0);
            w.add_packet(1, ts, &b, None);
            s.flush().unwrap();
            let want = w.finish();
            assert!(want.len() > 4 * REPEAT_BUDGET);
            assert!(*got.lock().unwrap() == want, "threaded {threaded}");
        }
    }

    /// What a test's stream wrote.
    type Written = Arc<Mutex<Vec<u8>>>;

    /// A stream with the writer thread and one without, each writing to a shared vector.
    fn two_streams() -> (PcapngStream, PcapngStream, Written, Written) {
        let threaded = Arc::new(Mutex::new(Vec::new()));
        let direct = Arc::new(Mutex::new(Vec::new()));
        let t = PcapngStream::new(Box::new(Shared(threaded.clone())));
        let d = PcapngStream::new_unthreaded(Box::new(Shared(direct.clone())));
        (t, d, threaded, direct)
    }

    /// Both streams flushed: each wrote `want` (more than ten buffers of it).
    fn assert_both_wrote(
        t: &mut PcapngStream,
        d: &mut PcapngStream,
        threaded: &Mutex<Vec<u8>>,
        direct: &Mutex<Vec<u8>>,
        want: &[u8],
    ) {
        t.flush().unwrap();
        d.flush().unwrap();
        assert!(want.len() > 10 * STREAM_BUFFER);
        assert!(*threaded.lock().unwrap() == want);
        assert!(*direct.lock().unwrap() == want);
    }

    /// The same calls give the same bytes with the writer thread, without it, and in memory.
    #[test]
    fn the_writer_thread_writes_the_same_bytes_in_the_same_order() {
        let (mut t, mut d, threaded, direct) = two_streams();
        assert!(t.writer.is_some());
        let mut w = PcapngWriter::new();
        for s in [&mut t, &mut d] {
            s.add_interface("a:eth0", 1, None);
        }
        w.add_interface("a:eth0", 1, None);
        // Enough frames for many buffers: more than the queue and the pool hold.
        for i in 0..40_000u64 {
            // Every length modulo 4 (the padding of a reused buffer), and frames bigger than
            // what is left of a buffer and than a whole buffer.
            let n = match i {
                20_000 => 3 * STREAM_BUFFER + 1,
                20_001 => STREAM_BUFFER - 10,
                _ => 42 + (i % 61) as usize,
            };
            let frame = vec![(i % 251) as u8; n];
            for s in [&mut t, &mut d] {
                s.add_packet(0, i, &frame, None);
            }
            w.add_packet(0, i, &frame, None);
            if i % 10_000 == 0 {
                // A command boundary.
                t.flush().unwrap();
            }
        }
        let want = w.finish();
        assert_both_wrote(&mut t, &mut d, &threaded, &direct, &want);
        // What is buffered at the stream's end is written when it is dropped.
        t.add_packet(0, 9, &[1, 2, 3], None);
        let before = threaded.lock().unwrap().len();
        drop(t);
        assert_eq!(threaded.lock().unwrap().len(), before + 36);
    }

    /// Frames repeated on many interfaces (a flood's copies, a veth's two ends) are held as
    /// 16-byte repeats and written out as the blocks they stand for: the same bytes as the
    /// in-memory file, with the writer thread and without, across buffer hand-offs, flushes
    /// (which reuse the buffer from its start), IDBs between a block and its repeats, blocks
    /// with comments (never repeated) and frames bigger than a buffer.
    #[test]
    fn repeated_frames_are_written_as_the_blocks_they_stand_for() {
        let (mut t, mut d, threaded, direct) = two_streams();
        // The file as the calls lay it out, block by block (the in-memory writer puts the
        // IDBs first).
        let mut want = Vec::new();
        push_shb(&mut want);
        let mut n_ifaces = 0;
        let mut repeats = 0;
        for i in 0..60_000u64 {
            // Runs of one frame (of 1 to 12 copies), every length modulo 4, some timestamps
            // equal and some not.
            let f = i / (1 + (i / 1_000) % 12);
            // Four copies of a frame bigger than a buffer (with its block, a buffer's slack
            // still has room for repeats).
            let (f, n) = match i {
                30_000..=30_003 => (7, STREAM_BUFFER + 5),
                _ => (f, 42 + (f % 9) as usize),
            };
            let frame = vec![(f % 253) as u8; n];
            let ts = i / 3;
            let comment = (i % 997 == 0).then_some("x");
            if i % 1_009 == 0 {
                let name = format!("a:eth{n_ifaces}");
                for s in [&mut t, &mut d] {
                    s.add_interface(&name, 1, None);
                }
                let mut w = PcapngWriter::new();
                w.add_interface(&name, 1, None);
                want.extend_from_slice(&w.idbs);
                n_ifaces += 1;
            }
            let id = (i % n_ifaces as u64) as u32;
            let before = t.len;
            for s in [&mut t, &mut d] {
                s.add_packet(id, ts, &frame, comment);
            }
            push_epb(&mut want, id, ts, &frame, comment);
            // A new repeat, or one more in the run of the repeat before.
            if t.len == before + REPEAT_LEN || t.len == before {
                repeats += 1;
            }
            if i % 7_919 == 0 {
                t.flush().unwrap();
            }
            if i % 4_001 == 0 {
                d.flush().unwrap();
            }
        }
        assert!(repeats > 20_000, "{repeats} repeats");
        assert_both_wrote(&mut t, &mut d, &threaded, &direct, &want);
    }

    /// A flood's copies (the same frame at the same time on interface ids going up, or down)
    /// are counted in one repeat, and the file is still the blocks one by one: runs up and
    /// down, of every length from 1 to 40 copies, broken by a step of 2, a new timestamp, a
    /// new frame, an IDB or a flush, across buffer hand-offs, with the thread and without.
    #[test]
    fn a_floods_copies_are_one_repeat_and_the_same_file() {
        let (mut t, mut d, threaded, direct) = two_streams();
        let mut want = Vec::new();
        push_shb(&mut want);
        let idb = |name: &str| {
            let mut w = PcapngWriter::new();
            w.add_interface(name, 1, None);
            w.idbs
        };
        for s in [&mut t, &mut d] {
            s.add_interface("a:eth0", 1, None);
        }
        want.extend_from_slice(&idb("a:eth0"));
        let (mut calls, mut bytes_after) = (0u64, 0u64);
        for f in 0..6_000u64 {
            let frame = vec![(f % 251) as u8; 42 + (f % 70) as usize];
            let copies = 1 + f % 40;
            let down = f % 3 == 1;
            let first = (f * 7) % 500 + if down { 40 } else { 0 };
            let ts = 1_000 * (f / 2);
            for k in 0..copies {
                let mut id = if down { first - k } else { first + k } as u32;
                let mut ts = ts;
                match (f % 13, k) {
                    // A step of 2 in the middle of the run.
                    (3, 5) => id += 1,
                    // A new timestamp.
                    (4, 7) => ts += 1,
                    // An IDB between two copies.
                    (5, 3) => {
                        for s in [&mut t, &mut d] {
                            s.add_interface("a:ethx", 1, None);
                        }
                        want.extend_from_slice(&idb("a:ethx"));
                    }
                    // A command boundary.
                    (6, 9) => {
                        t.flush().unwrap();
                        d.flush().unwrap();
                    }
                    _ => {}
                }
                let before = t.len;
                for s in [&mut t, &mut d] {
                    s.add_packet(id, ts, &frame, None);
                }
                push_epb(&mut want, id, ts, &frame, None);
                calls += 1;
                if t.len == before && k > 0 {
                    bytes_after += 1;
                }
            }
        }
        // Most copies took no bytes of the buffer.
        assert!(bytes_after * 10 > calls * 8, "{bytes_after} of {calls}");
        assert_both_wrote(&mut t, &mut d, &threaded, &direct, &want);
    }

    /// A flood's buffer is handed on when its repeats stand for [`REPEAT_BUDGET`] bytes, as a
    /// buffer of blocks is when full: what is left for the end (`flush`, on the caller's
    /// thread) is never more than that, however long the run.
    #[test]
    fn a_long_run_is_handed_on_a_buffer_at_a_time() {
        let direct = Arc::new(Mutex::new(Vec::new()));
        let mut d = PcapngStream::new_unthreaded(Box::new(Shared(direct.clone())));
        let mut w = PcapngWriter::new();
        d.add_interface("a:eth0", 1, None);
        w.add_interface("a:eth0", 1, None);
        let frame = [7u8; 98];
        for id in 0..100_000u32 {
            d.add_packet(id, 5, &frame, None);
            w.add_packet(id, 5, &frame, None);
        }
        let want = w.finish();
        let written = direct.lock().unwrap().len();
        assert!(
            written + REPEAT_BUDGET + 200 >= want.len(),
            "{written} of {}",
            want.len()
        );
        d.flush().unwrap();
        assert!(*direct.lock().unwrap() == want);
    }

    /// The compare of two frames, for every length around its pieces' edges, a difference at
    /// each byte.
    #[test]
    fn same_frame_finds_a_difference_at_every_byte() {
        for n in 0..200 {
            let a: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(29)).collect();
            assert!(same_frame(&a, &a.clone()));
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x10;
                assert!(!same_frame(&a, &b), "{n} {i}");
            }
            assert!(!same_frame(&a, &a[..n.saturating_sub(1)]) || n == 0);
        }
    }

    /// A destination that takes `room` bytes, then fails as a full device does.
    struct Full {
        room: usize,
        writes: Arc<Mutex<usize>>,
    }
    impl std::io::Write for Full {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            *self.writes.lock().unwrap() += 1;
            if self.room == 0 {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            let n = b.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A write error is the stream's answer from then on, in the system's words (ENOSPC), with
    /// or without the thread; nothing more is written after it, and the run is not held up.
    #[test]
    fn a_write_error_is_reported_and_stops_the_writes() {
        for threaded in [true, false] {
            let writes = Arc::new(Mutex::new(0));
            let out = Box::new(Full {
                room: 3 * STREAM_BUFFER,
                writes: writes.clone(),
            });
            let mut s = if threaded {
                PcapngStream::new(out)
            } else {
                PcapngStream::new_unthreaded(out)
            };
            s.add_interface("a:eth0", 1, None);
            for i in 0..100_000u64 {
                s.add_packet(0, i, &[0u8; 100], None);
            }
            let e = s.flush().unwrap_err();
            assert_eq!(e, std::io::Error::from_raw_os_error(28).to_string());
            assert!(e.starts_with("No space left on device"), "{e}");
            // The first failing write ended the writes: 3 buffers, a partial one, the error.
            let n = *writes.lock().unwrap();
            assert!(n <= 6, "{n} writes");
            s.add_packet(0, 0, &[0u8; 100], None);
            assert_eq!(s.flush().unwrap_err(), e);
            assert_eq!(*writes.lock().unwrap(), n);
        }
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
