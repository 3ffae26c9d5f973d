//! Nexthop objects (issue 11): `ip nexthop` and routes with `nhid`, their texts, errors and
//! exit statuses against a transcript of iproute2 6.1.0 on this machine's kernel
//! (`tests/recorded/ip-nexthop.txt`, made by the `.sh` next to it in a namespace of its own).
//! The traffic side (routes through nexthop objects, replace and delete) is the kernel lab
//! `nslab-nexthop` in tests/labs.rs.

use nslab::Lab;

#[test]
fn ip_nexthop_texts_match_the_recording() {
    let text = include_str!("recorded/ip-nexthop.txt");
    let mut lab = Lab::builder().build();
    lab.sh("ip netns add t\n");
    let mut failures = Vec::new();
    let mut n = 0;
    for block in text.split("--- ip ").skip(1) {
        let (cmd, rest) = block.split_once('\n').expect("command line");
        let rest = rest.trim_end_matches('\n');
        let (out, status) = rest.rsplit_once('[').expect("status");
        let status: i32 = status.trim_end_matches(']').parse().expect("status number");
        let got = lab.exec("t", &format!("ip {cmd}"));
        let got_text = format!("{}{}", got.stdout, got.stderr);
        n += 1;
        if got_text != out || got.status != status {
            failures.push(format!(
                "ip {cmd}\n  kernel [{status}]: {out:?}\n  nslab  [{}]: {got_text:?}",
                got.status
            ));
        }
    }
    assert!(n >= 80, "the transcript has its lines");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
