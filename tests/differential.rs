//! Issue 13's small labs, each recorded on the kernel with the oracle (`record`: two runs that
//! agree) into `tests/kernel/<lab>/` with its script as `lab.sh`: every interface and the
//! traffic's stdout must compare identical (per-run values masked by `oracle::mask_per_run`).

use crate::support::{self, oracle, root};

/// (recording, what it pins down)
const LABS: &[(&str, &str)] = &[
    (
        "gen13-nc-z",
        "H: openbsd nc warns about refusal, timeout and success only with -v",
    ),
    (
        "gen13-tcp-delay-probe",
        "K: netfilter-tcp plus `sleep 6`: the 5 s DELAY timer runs on the wheel's 64-jiffy \
         level, ~0.25 s late, after TCP's confirmation at its start has aged: a unicast probe",
    ),
    (
        "gen13-synack-order",
        "I: a client SYN retransmit and a server SYN-ACK retransmit in one tick: on the wire \
         the SYN first, then the timer's SYN-ACK and the one answering the SYN",
    ),
    (
        "gen13-ping-stderr-order",
        "ping flushes stdout after every line: with stdout and stderr in one file (the \
         recorder's capture, `2>&1 | cat`, `> f 2>&1`, `&> f`) its sendmsg errors follow the \
         PING line; apart, each file keeps its own order",
    ),
    (
        "gen13-br-nf-defrag",
        "C (bridge part): br_netfilter with conntrack reassembles fragments at its PREROUTING \
         hook (the bridge's stack and its capture see the whole echo) and fragments a bridged \
         packet again on the way out",
    ),
    (
        "gen13-reject-reset-forward",
        "REJECT --reject-with tcp-reset in FORWARD: the reset comes from the segment's \
         destination, not an address of the router (ip_route_me_harder's FLOWI_FLAG_ANYSRC)",
    ),
    (
        "gen13-bg-stream-order",
        "a background ping's stdout and stderr in one place (the terminal, `> f 2>&1 &`, \
         `&> f &`) in the order ping wrote them: its broadcast and -I source warnings before \
         the PING line; apart, each file keeps its own order",
    ),
];

fn check(name: &str) -> Result<(), String> {
    let src = std::fs::read_to_string(root().join("tests/kernel").join(name).join("lab.sh"))
        .map_err(|e| format!("{name}: {e}"))?;
    let (lab, _) = support::run(&src, "lab.sh");
    let rep = support::compare_with_kernel(&lab, name);
    let kernel = support::kernel_recording(name);
    let want = oracle::mask_per_run(&kernel.stdout_norm.unwrap_or_default());
    let got = oracle::mask_per_run(&oracle::normalize_stdout(&lab.traffic_stdout()));
    let mut msg = String::new();
    if !rep.is_identical() {
        msg.push_str(&format!("{rep}\n"));
    }
    if want != got {
        msg.push_str(&format!(
            "stdout:\n{}\n",
            oracle::unified_diff(&want, &got, "kernel", "nslab").join("\n")
        ));
    }
    if msg.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}:\n{}", lab.output() + &msg))
    }
}

#[test]
fn issue13_labs_match_the_kernel() {
    let failed: Vec<String> = LABS.iter().filter_map(|(n, _)| check(n).err()).collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
