//! What the integration tests share: where the repository is, running a lab (text or a file of
//! `scenarios/`), the kernel recordings and the comparison with them (the oracle port in the
//! `nslab-oracle` dev-dependency), and frames built byte by byte for injection. Tests reach the
//! model only through the `Lab` API.

#![allow(dead_code)]

use nslab::shell::ScriptResult;
use nslab::Lab;
pub use nslab_oracle as oracle;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// The repository (the root package's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A file of the repository as text.
pub fn read(rel: &str) -> String {
    let p = root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The text of `scenarios/NAME.sh`.
pub fn lab_src(name: &str) -> String {
    read(&format!("scenarios/{name}.sh"))
}

/// Runs lab text to its end (as `nslab run FILE`) with `seed`.
pub fn run_seeded(src: &str, file: &str, seed: u64) -> (Lab, ScriptResult) {
    let mut lab = Lab::new(seed);
    let r = lab.run_shell(src, file);
    (lab, r)
}

/// Runs lab text to its end with seed 1.
pub fn run(src: &str, file: &str) -> (Lab, ScriptResult) {
    run_seeded(src, file, 1)
}

/// Runs `scenarios/NAME.sh` to its end with `seed` (failures are the caller's to check).
pub fn run_scenario(name: &str, seed: u64) -> (Lab, ScriptResult) {
    run_seeded(&lab_src(name), &format!("{name}.sh"), seed)
}

/// The kernel recording `tests/kernel/<dir>` (or any directory of the repository the recorder
/// wrote), normalized as the oracle does.
pub fn kernel_recording(dir: &str) -> oracle::KernelDir {
    let p = if dir.contains('/') {
        root().join(dir)
    } else {
        root().join("tests/kernel").join(dir)
    };
    oracle::load_kernel_dir(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The lab's capture from its traffic marker on, split per interface and normalized as the
/// oracle's `split-pcapng` + `normalize` do (with the lab's macmap).
pub fn normalized_capture(lab: &Lab) -> std::collections::BTreeMap<String, Vec<String>> {
    let mm = oracle::MacMap::parse(&lab.macmap());
    oracle::split_and_normalize_with(&lab.pcapng_traffic(), Some(&mm)).expect("our pcapng splits")
}

/// The oracle's `compare` of the lab's capture with a kernel recording (see
/// [`kernel_recording`] for `dir`).
pub fn compare_with_kernel(lab: &Lab, dir: &str) -> oracle::CompareReport {
    oracle::compare(&kernel_recording(dir).norm, &normalized_capture(lab), true)
}

/// tcpdump's `-e -vv`-style one-line text of a frame (the printer the oracle uses).
pub fn packet_line(linktype: u16, data: &[u8]) -> String {
    oracle::packet_line(linktype, data)
}

/// The MAC address of `dev` in `ns` as `ip -o link show` prints it.
pub fn mac_of(lab: &mut Lab, ns: &str, dev: &str) -> String {
    let o = lab.exec(ns, &format!("ip -o link show dev {dev}"));
    o.stdout
        .split_once("link/ether ")
        .and_then(|(_, r)| r.split(' ').next())
        .unwrap_or_else(|| panic!("no MAC for {ns} {dev}: {o:?}"))
        .to_string()
}

/// [`mac_of`] as bytes.
pub fn mac_bytes(lab: &mut Lab, ns: &str, dev: &str) -> [u8; 6] {
    let text = mac_of(lab, ns, dev);
    let mut m = [0u8; 6];
    for (i, x) in text.split(':').enumerate() {
        m[i] = u8::from_str_radix(x, 16).expect("hex");
    }
    m
}

/// The RFC 1071 Internet checksum of `data` (with `sum` already added in).
fn inet_fold(mut sum: u32, data: &[u8]) -> u16 {
    for c in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The TCP/UDP checksum over the IPv4 pseudo-header and `l4` (whose checksum field is zero).
pub fn l4_checksum(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, l4: &[u8]) -> u16 {
    let mut pseudo = Vec::with_capacity(12);
    pseudo.extend_from_slice(&src.octets());
    pseudo.extend_from_slice(&dst.octets());
    pseudo.extend_from_slice(&[0, proto]);
    pseudo.extend_from_slice(&(l4.len() as u16).to_be_bytes());
    let mut sum = 0u32;
    for c in pseudo.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    inet_fold(sum, l4)
}

/// An IPv4 packet (20-byte header, checksum set) carrying `payload`; `frag` is the flags and
/// fragment offset field (0x4000 DF, 0x2000 MF).
pub fn ipv4_packet(
    id: u16,
    frag: u16,
    ttl: u8,
    proto: u8,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    payload: &[u8],
) -> Vec<u8> {
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
    h.extend_from_slice(&id.to_be_bytes());
    h.extend_from_slice(&frag.to_be_bytes());
    h.extend_from_slice(&[ttl, proto, 0, 0]);
    h.extend_from_slice(&src.octets());
    h.extend_from_slice(&dst.octets());
    let c = inet_fold(0, &h);
    h[10..12].copy_from_slice(&c.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

/// An ICMP message (checksum set): type, code, the 4 bytes after the checksum, data.
pub fn icmp_message(ty: u8, code: u8, rest: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut m = vec![ty, code, 0, 0];
    m.extend_from_slice(&rest);
    m.extend_from_slice(data);
    let c = inet_fold(0, &m);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    m
}

/// An Ethernet II frame.
pub fn eth_frame(dst: [u8; 6], src: [u8; 6], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(14 + payload.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// Replays a recorded `ip` transcript (blocks `--- ip ARGS`, the output, then `[STATUS]`) in
/// namespace `ns` of `lab`: how many commands it holds, and a line for each whose output or
/// status differs from the recording.
pub fn ip_transcript_differences(lab: &mut Lab, ns: &str, text: &str) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut n = 0;
    for block in text.split("--- ip ").skip(1) {
        let (cmd, rest) = block.split_once('\n').expect("command line");
        let rest = rest.trim_end_matches('\n');
        let (out, status) = rest.rsplit_once('[').expect("status");
        let status: i32 = status.trim_end_matches(']').parse().expect("status number");
        let got = lab.exec(ns, &format!("ip {cmd}"));
        let got_text = format!("{}{}", got.stdout, got.stderr);
        n += 1;
        if got_text != out || got.status != status {
            failures.push(format!(
                "ip {cmd}\n  kernel [{status}]: {out:?}\n  nslab  [{}]: {got_text:?}",
                got.status
            ));
        }
    }
    (n, failures)
}
