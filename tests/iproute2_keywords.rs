//! iproute2's keyword matching (issue 13, class L): `ip` compares some keywords exactly and
//! abbreviates others with `matches()`, in its own order of checks, so `ip link set br up` is
//! `broadcast up` (`"up" is invalid lladdr.`). Every line of the real `ip`'s transcript
//! (`tests/recorded/iproute2-keywords.txt`, made by the `.sh` next to it with iproute2 6.1.0) is
//! run in nslab in the same order and must print the same text with the same status.

use nslab::Lab;

#[test]
fn ip_keywords_match_as_iproute2_does() {
    let text = include_str!("recorded/iproute2-keywords.txt");
    let mut lab = Lab::builder().build();
    lab.sh("ip netns add t\nip -n t link add v1 type veth peer name v2\n");
    let (n, failures) = crate::support::ip_transcript_differences(&mut lab, "t", text);
    assert!(n >= 30, "the transcript has its lines");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
