//! The oracle port against the recorded kernel runs in `tests/kernel/<lab>/`.

use std::path::{Path, PathBuf};

use sim_core::pcap::read_capture;
use sim_models::tcpdump::Formatter;

fn kernel_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("kernel")
}

fn labs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(kernel_root())
        .expect("tests/kernel")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn pcaps(lab: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(lab.join("pcap")) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Splits `tcpdump -tt` output into packets (timestamp and final newline removed).
fn split_tt(text: &str) -> Vec<String> {
    let mut pkts: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let start = line.split_once(' ').is_some_and(|(ts, _)| {
            let (a, b) = ts.split_once('.').unwrap_or(("", ""));
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && (6..=9).contains(&b.len())
                && b.bytes().all(|c| c.is_ascii_digit())
        });
        if start {
            pkts.push(line.split_once(' ').map(|x| x.1).unwrap_or("").to_string());
        } else if let Some(last) = pkts.last_mut() {
            last.push_str(line);
        }
    }
    for p in &mut pkts {
        if p.ends_with('\n') {
            p.pop();
        }
    }
    pkts
}

/// Our formatter equals the real `tcpdump -nn -e -v` on every recorded kernel
/// packet (skipped when tcpdump is not installed).
#[test]
fn formatter_matches_real_tcpdump_on_kernel_pcaps() {
    let mut total = 0usize;
    let mut errs = Vec::new();
    for lab in labs() {
        for pcap in pcaps(&lab) {
            let out = match std::process::Command::new("tcpdump")
                .args(["-tt", "-nn", "-e", "-v", "-r"])
                .arg(&pcap)
                .output()
            {
                Ok(o) => o,
                Err(_) => {
                    println!("tcpdump not installed: skipping");
                    return;
                }
            };
            let want = split_tt(&String::from_utf8_lossy(&out.stdout));
            let bytes = std::fs::read(&pcap).unwrap();
            let ifs = read_capture(&bytes).unwrap();
            let mut f = Formatter::new();
            let got: Vec<String> = ifs[0]
                .packets
                .iter()
                .map(|(_, p)| f.format(ifs[0].linktype, p))
                .collect();
            let name = pcap
                .strip_prefix(kernel_root())
                .unwrap()
                .display()
                .to_string();
            if got.len() != want.len() {
                errs.push(format!(
                    "{name}: {} packets, tcpdump {}",
                    got.len(),
                    want.len()
                ));
            }
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                total += 1;
                if g != w {
                    errs.push(format!("{name} #{i}\n  tcpdump: {w:?}\n  ours:    {g:?}"));
                }
            }
        }
    }
    println!("compared {total} packets with tcpdump");
    assert!(
        errs.is_empty(),
        "{} mismatches:\n{}",
        errs.len(),
        errs[..errs.len().min(20)].join("\n")
    );
    assert!(total > 1000);
}

/// Our reader + formatter + normalizer reproduce every recorded `norm/*.txt`
/// byte for byte (no tcpdump, no python).
#[test]
fn renormalized_kernel_pcaps_equal_recorded_norm() {
    let mut total = 0usize;
    let mut errs = Vec::new();
    for lab in labs() {
        let kd = nslab::oracle::load_kernel_dir(&lab).unwrap();
        let ours = kd.renormalize();
        let name = lab.file_name().unwrap().to_string_lossy().into_owned();
        let rep = nslab::oracle::compare(&kd.norm, &ours, false);
        total += ours.values().map(Vec::len).sum::<usize>();
        if !rep.is_identical() {
            errs.push(format!("{name}:\n{rep}"));
        }
        // Exact equality too (not only "no packets on either side").
        for (iface, lines) in &kd.norm {
            if !lines.is_empty() {
                assert_eq!(ours.get(iface), Some(lines), "{name} {iface}");
            }
        }
    }
    println!("renormalized {total} packets");
    assert!(errs.is_empty(), "{}", errs.join("\n"));
    assert!(total > 1000);
}

/// A simulator-style pcapng (several interfaces, one file) written with our
/// writer from the kernel recordings splits and normalizes to the recorded norm/.
#[test]
fn pcapng_round_trip_of_kernel_labs_compares_equal() {
    for lab in labs() {
        let kd = nslab::oracle::load_kernel_dir(&lab).unwrap();
        let linktypes: std::collections::BTreeSet<u16> = kd.pcaps.values().map(|p| p.0).collect();
        let mut w = sim_core::pcapng::PcapngWriter::new();
        let ids: Vec<(u32, &nslab::oracle::Packets)> = kd
            .pcaps
            .iter()
            .map(|(n, (lt, pk))| (w.add_interface(n, *lt, None), pk))
            .collect();
        for (id, pk) in ids {
            for (ts, p) in pk {
                w.add_packet(id, *ts, p, None);
            }
        }
        let bytes = w.finish();
        let split = nslab::oracle::split_and_normalize_with(&bytes, Some(&kd.macmap)).unwrap();
        let rep = nslab::oracle::compare(&kd.norm, &split, false);
        assert!(
            rep.is_identical(),
            "{}: {linktypes:?}\n{rep}",
            lab.display()
        );
    }
}
