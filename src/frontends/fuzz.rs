//! Fuzz targets: the bodies that `fuzz/` (cargo-fuzz, nightly) and the stable driver in
//! `tests/hostile.rs` (seed corpus from `scenarios/` plus deterministic mutations) both run.
//! Each takes arbitrary bytes and checks what must hold for any input: no panic, bounded work,
//! and that whatever a front end accepts converts to shell text that nslab's shell parser reads
//! with every generated word quoted (a scenario's rendering parses; RON printing round-trips).

use super::{clab, Scenario};
use crate::Lab;
use sim_core::Duration;

/// The shell front end: parse, lift to a scenario, render back (the lift must give the same
/// text back or keep the lab as one raw step).
pub fn shell_lab(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    if let Ok(sc) = Scenario::from_shell(&src, "fuzz.sh") {
        let back = sc.to_shell();
        assert_eq!(
            back.trim_end_matches('\n'),
            src.trim_end_matches('\n'),
            "from_shell must render back to its source"
        );
    }
}

/// What every accepted scenario must satisfy: its shell conversion parses, and its RON text
/// reads back as the same scenario.
fn accepted(sc: &Scenario) {
    use super::Step;
    // `Run` commands and `Sh` steps are shell text by definition: when each parses on its
    // own, everything the conversion adds around them (quoted words) must too.
    let steps_parse = sc.steps.iter().all(|st| match st {
        Step::Run(_, cmd) => crate::shell::parse(cmd, "step.sh").is_ok(),
        Step::Sh(t) => crate::shell::parse(t, "step.sh").is_ok(),
        Step::Note(_) | Step::Traffic => true,
    });
    let text = sc.to_shell();
    if let (true, Err(e)) = (steps_parse, crate::shell::parse(&text, "conv.sh")) {
        panic!("the conversion does not parse: {e}\n{text}");
    }
    let ron = sc.to_ron();
    match Scenario::from_ron(&ron, "conv.ron") {
        Ok(back) => assert_eq!(&back, sc, "RON round trip\n{ron}"),
        Err(e) => panic!("the RON printing does not read back: {e}\n{ron}"),
    }
}

/// The containerlab front end.
pub fn clab_yaml(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    if let Ok((sc, _)) = clab::from_clab_mapped(&src, "fuzz.clab.yaml") {
        accepted(&sc);
    }
}

/// The RON front end.
pub fn ron(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    if let Ok(sc) = Scenario::from_ron(&src, "fuzz.ron") {
        accepted(&sc);
    }
}

/// The small lab that [`frames`] injects into: a bridge in the root namespace with an address,
/// a veth port to `ns1`, ip_forward on, an IPIP tunnel and a VXLAN device.
pub const FRAMES_LAB: &str = "ip netns add ns1
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.0.0.1/24 dev br0
ip link add v0 type veth peer name eth0 netns ns1
ip link set v0 master br0 up
ip netns exec ns1 ip link set eth0 up
ip netns exec ns1 ip addr add 10.0.0.2/24 dev eth0
ip link set lo up
sysctl -q -w net.ipv4.ip_forward=1
ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev br0
ip link set vx0 up
ip netns exec ns1 iptables -t nat -A POSTROUTING -j MASQUERADE
";

/// Frames: `data` is a sequence of frames, each a device choice byte and a length byte then
/// that many bytes, injected into [`FRAMES_LAB`] with time running between them.
pub fn frames(data: &[u8]) {
    let mut lab = Lab::builder().seed(1).build();
    lab.sh(FRAMES_LAB);
    frames_into(&mut lab, data);
}

/// [`frames`] into a lab already built (the stable driver builds it once).
pub fn frames_into(lab: &mut Lab, data: &[u8]) {
    let devs = lab.devices();
    let mut rest = data;
    while let [pick, len, tail @ ..] = rest {
        let n = (*len as usize).min(tail.len());
        let (frame, next) = tail.split_at(n);
        let (ns, dev) = &devs[*pick as usize % devs.len()];
        lab.inject(ns, dev, frame.to_vec())
            .expect("a device the lab listed");
        lab.run_for(Duration::from_millis(1));
        rest = next;
    }
    lab.run_for(Duration::from_secs(1));
}
