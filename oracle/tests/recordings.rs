//! The oracle port against the recorded kernel runs in the repository's `tests/kernel/<lab>/`
//! (moved here from the root package's tests with the port: it tests this crate, not a lab).

use std::path::{Path, PathBuf};

use nslab_oracle::pcap::read_capture;
use sim_models::tcpdump::Formatter;

fn kernel_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
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
        let kd = nslab_oracle::load_kernel_dir(&lab).unwrap();
        let ours = kd.renormalize();
        let name = lab.file_name().unwrap().to_string_lossy().into_owned();
        let rep = nslab_oracle::compare(&kd.norm, &ours, false);
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
        let kd = nslab_oracle::load_kernel_dir(&lab).unwrap();
        let linktypes: std::collections::BTreeSet<u16> = kd.pcaps.values().map(|p| p.0).collect();
        let mut w = sim_core::pcapng::PcapngWriter::new();
        let ids: Vec<(u32, &nslab_oracle::Packets)> = kd
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
        let split = nslab_oracle::split_and_normalize_with(&bytes, Some(&kd.macmap)).unwrap();
        let rep = nslab_oracle::compare(&kd.norm, &split, false);
        assert!(
            rep.is_identical(),
            "{}: {linktypes:?}\n{rep}",
            lab.display()
        );
    }
}

/// Differential test of the normalize port against the python original on
/// synthetic lines that stress the regex edge cases. Runs only when
/// `NSLAB_ORACLE_DIR` names the directory holding the python `normalize`.
#[test]
fn normalize_matches_python_on_synthetic_lines() {
    let Some(dir) = std::env::var_os("NSLAB_ORACLE_DIR") else {
        println!("NSLAB_ORACLE_DIR not set: skipping");
        return;
    };
    let script = Path::new(&dir).join("normalize");
    let pool = [
        "1700000000.123456 ",
        "1700000000.1234567890 ",
        "12.123456",
        " ",
        "  ",
        ", ",
        ": ",
        "Flags [S.]",
        "Flags [",
        "]",
        "proto TCP (6)",
        ", seq 12",
        ", seq 1:5",
        ", seq 7:",
        ", ack 9",
        ", win 3",
        ", urg 1",
        ", options [mss 1460,nop]",
        ", options [x",
        ", length 64",
        "length 0",
        "xlength 5",
        "(length 9)",
        ": HTTP, length: 76",
        "10.0.0.1.40000",
        "10.0.0.1.80",
        "1.2.3.4.5.6",
        "1.2.3.4.0032768",
        "9.9.9.9.99999999",
        " > ",
        "10.0.0.2.4789:",
        "10.0.0.2.8472:",
        "1.2.3.4.6081:",
        ".",
        ":",
        ")",
        "id 77",
        "xid 3",
        "_id 5",
        "cksum 0x1a2b (correct)",
        "cksum 0xAB (correct)",
        "cksum 0x1 (incorrect -> 0x2)",
        "cksum 0x12",
        "[bad udp cksum 0x1 -> 0x2!]",
        "[bad udp cksum",
        "bad cksum 12 (->34)!",
        "bad cksum 12 (->3z)!",
        "7e:8f:2d:cf:b4:3a",
        "7E:8F:2D:CF:B4:3A",
        "ee:ee:ee:ee:ee:ee",
        "ff:ff:ff:ff:ff:ff",
        "00:00:00:00:00:00",
        "a7e:8f:2d:cf:b4:3a",
        "7e:8f:2d:cf:b4:3a:",
        "02:00:00:00:00:01",
        "\t",
        "\u{b5}",
        "é1",
        "ICMP echo request",
        "tell 0.0.0.0",
    ];
    let mut x: u64 = 0x1234_5678_9abc_def1;
    let mut lines = Vec::new();
    for _ in 0..4000 {
        let mut l = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = 1 + (x % 14) as usize;
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            l.push_str(pool[(x >> 8) as usize % pool.len()]);
        }
        lines.push(l.replace('\n', " "));
    }
    let mm = "7e:8f:2d:cf:b4:3a\tns1:eth0\nee:ee:ee:ee:ee:ee\t*\n02:00:00:00:00:01\troot:br0\n";
    let tmp = std::env::temp_dir().join(format!("nslab-normdiff-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("lines.txt"), lines.join("\n")).unwrap();
    std::fs::write(tmp.join("macmap.tsv"), mm).unwrap();
    let py = "import sys, importlib.machinery, importlib.util\n\
        l = importlib.machinery.SourceFileLoader('n', sys.argv[1])\n\
        s = importlib.util.spec_from_loader('n', l)\n\
        n = importlib.util.module_from_spec(s)\n\
        l.exec_module(n)\n\
        mm = n.load_macmap(sys.argv[3])\n\
        for line in open(sys.argv[2]).read().split('\\n'):\n    \
            sys.stdout.write(n.normalize_line(line, mm) + '\\n')\n";
    let out = std::process::Command::new("python3")
        .args(["-c", py])
        .arg(&script)
        .arg(tmp.join("lines.txt"))
        .arg(tmp.join("macmap.tsv"))
        .output()
        .expect("python3");
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split_terminator('\n')
        .map(str::to_string)
        .collect();
    let macmap = nslab_oracle::MacMap::parse(mm);
    assert_eq!(want.len(), lines.len());
    let mut bad = 0;
    for (l, w) in lines.iter().zip(&want) {
        let g = nslab_oracle::normalize_line(l, &macmap);
        if &g != w {
            bad += 1;
            if bad < 10 {
                println!("input:  {l:?}\npython: {w:?}\nrust:   {g:?}\n");
            }
        }
    }
    println!("{} synthetic lines equal to python", lines.len());
    assert_eq!(bad, 0, "{bad} lines differ");
}

/// Interop with the python oracle (only when `NSLAB_ORACLE_DIR` is set):
/// 1. the oracle's `tests/mkpcapng.py` packs each lab into a two-section,
///    mixed-endian, mixed-resolution pcapng; our split + normalize equals norm/;
/// 2. a pcapng written by our writer, split by the python `split-pcapng` and
///    checked by the python `compare`, equals the kernel recording.
#[test]
fn interop_with_python_split_and_compare() {
    let Some(dir) = std::env::var_os("NSLAB_ORACLE_DIR") else {
        println!("NSLAB_ORACLE_DIR not set: skipping");
        return;
    };
    let dir = PathBuf::from(dir);
    let tmp = std::env::temp_dir().join(format!("nslab-interop-{}", std::process::id()));
    for lab in labs() {
        if pcaps(&lab).is_empty() {
            continue;
        }
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        let mk = tmp.join("mk.pcapng");
        let st = std::process::Command::new("python3")
            .arg(dir.join("tests").join("mkpcapng.py"))
            .arg(&mk)
            .arg(&lab)
            .status()
            .unwrap();
        assert!(st.success());
        let kd = nslab_oracle::load_kernel_dir(&lab).unwrap();
        let bytes = std::fs::read(&mk).unwrap();
        let ours = nslab_oracle::split_and_normalize_with(&bytes, Some(&kd.macmap)).unwrap();
        let rep = nslab_oracle::compare(&kd.norm, &ours, false);
        assert!(rep.is_identical(), "{} (mkpcapng):\n{rep}", lab.display());

        let mut w = sim_core::pcapng::PcapngWriter::new();
        let mut by_lt: Vec<(u32, &nslab_oracle::Packets)> = Vec::new();
        for (n, (lt, pk)) in &kd.pcaps {
            by_lt.push((w.add_interface(n, *lt, None), pk));
        }
        for (id, pk) in by_lt {
            for (ts, p) in pk {
                w.add_packet(id, *ts, p, None);
            }
        }
        let ours_file = tmp.join("ours.pcapng");
        std::fs::write(&ours_file, w.finish()).unwrap();
        let split_dir = tmp.join("split");
        let out = std::process::Command::new("python3")
            .arg(dir.join("split-pcapng"))
            .arg(&ours_file)
            .arg(&split_dir)
            .arg(lab.join("macmap.tsv"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = std::process::Command::new("python3")
            .arg(dir.join("compare"))
            .arg(&lab)
            .arg(&split_dir)
            .output()
            .unwrap();
        let py_report = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{}:\n{py_report}", lab.display());
        // Our compare prints the same table as the python one.
        let split_norm = nslab_oracle::load_kernel_dir(&split_dir).unwrap().norm;
        let rep = nslab_oracle::compare(&kd.norm, &split_norm, false);
        assert_eq!(rep.to_string(), py_report, "{}", lab.display());
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
