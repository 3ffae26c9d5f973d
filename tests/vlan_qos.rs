//! VLAN QoS maps (`ip link ... type vlan ingress-qos-map/egress-qos-map`) and the default and
//! fq_codel qdiscs' tc texts, against what iproute2 6.1 and tc printed on the oracle VM's
//! kernel 6.1 (`tests/recorded/vlan-qos/vlan-qos-texts.sh`, recorded with
//! `oracle/vm/run-kernel-vm`: the host has no 8021q, ip_gre or sch_fq_codel; its stdout,
//! normalized as the oracle does, is `vlan-qos-texts.out`). The packets (PCP bits in the tags)
//! are compared by the kernel lab `nslab-vlan-qos` (`tests/labs.rs`).

use crate::support::{self, oracle, root};

#[test]
fn vlan_qos_and_qdisc_texts_match_the_vm_recording() {
    let dir = root().join("tests/recorded/vlan-qos");
    let src = std::fs::read_to_string(dir.join("vlan-qos-texts.sh")).unwrap();
    let want = std::fs::read_to_string(dir.join("vlan-qos-texts.out")).unwrap();
    let want: Vec<String> = want.lines().map(str::to_string).collect();
    let (lab, _) = support::run(&src, "vlan-qos-texts.sh");
    let got = oracle::normalize_stdout(&lab.traffic_stdout());
    let diff: Vec<String> = got
        .iter()
        .zip(want.iter())
        .enumerate()
        .filter(|(_, (g, w))| g != w)
        .take(8)
        .map(|(i, (g, w))| format!("line {}:\n  got  {g}\n  want {w}", i + 1))
        .collect();
    assert!(
        diff.is_empty() && got.len() == want.len(),
        "{} lines, want {}:\n{}",
        got.len(),
        want.len(),
        diff.join("\n")
    );
}
