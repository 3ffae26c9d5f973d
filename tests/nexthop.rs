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
    let (n, failures) = crate::support::ip_transcript_differences(&mut lab, "t", text);
    assert!(n >= 80, "the transcript has its lines");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A route exception belongs to its nexthop (`free_nh_exceptions`): deleting the device its
/// route went through frees it, as deleting the route does, and replacing the nexthop object a
/// route names frees the object's exceptions (`replace_nexthop_single`). As on the kernel
/// (tests/kernel/nslab-route-exceptions for the legacy route; these by the same rules).
#[test]
fn route_exceptions_go_with_their_nexthop() {
    let setup = "ip netns add a\nip netns add r\nip netns add b\n\
        ip -n a link add eth0 type veth peer name eth0 netns r\n\
        ip -n b link add eth0 type veth peer name eth1 netns r\n\
        ip -n a addr add 10.0.1.1/24 dev eth0\nip -n r addr add 10.0.1.2/24 dev eth0\n\
        ip -n r addr add 10.0.2.2/24 dev eth1\nip -n b addr add 10.0.2.1/24 dev eth0\n\
        ip -n a link set eth0 up\nip -n r link set eth0 up\nip -n r link set eth1 up\n\
        ip -n b link set eth0 up\nip -n b route add default via 10.0.2.2\n\
        ip netns exec r sysctl -qw net.ipv4.ip_forward=1\n\
        ip -n a link set eth0 mtu 2000\nip -n r link set eth0 mtu 2000\n\
        ip -n r link set eth1 mtu 1400\nip -n b link set eth0 mtu 1400\n";
    let ping = "ip netns exec a ping -q -M want -c 2 -i 0.2 -s 1800 10.0.2.1 >/dev/null\n";
    // Through a nexthop object: replaced by an identical one, its exception goes.
    let mut lab = Lab::builder().build();
    lab.sh(&format!(
        "{setup}ip -n a nexthop add id 1 via 10.0.1.2 dev eth0\n\
         ip -n a route add 10.0.2.0/24 nhid 1\n{ping}"
    ));
    let cache = lab.exec("a", "ip route list cache").stdout;
    assert!(cache.contains("10.0.2.1 via 10.0.1.2 dev eth0"), "{cache}");
    assert!(cache.contains("mtu 1400"), "{cache}");
    lab.exec("a", "ip nexthop replace id 1 via 10.0.1.2 dev eth0");
    assert_eq!(lab.exec("a", "ip route list cache").stdout, "");
    // The route's device goes: so do the route and its exception.
    lab.sh(ping);
    assert!(lab
        .exec("a", "ip route get 10.0.2.1")
        .stdout
        .contains("mtu 1400"));
    lab.exec("r", "ip link del eth0");
    assert_eq!(lab.exec("a", "ip route list cache").stdout, "");
    assert_eq!(lab.exec("a", "ip nexthop").stdout, "");
}
