//! `ip rule` and `ip route get` with selectors against iproute2 6.1 on the kernel (issue 11):
//! every command's status, stdout and stderr as the real `ip` gave them, recorded in a fresh
//! namespace (`ip netns exec NS ...`, the commands in order, after the same setup) on the host
//! kernel 6.18.

use nslab::Lab;

const SETUP: &str = "ip netns add t
ip -n t link add v0 type veth peer name v1
ip -n t link set lo up
ip -n t link set v0 up
ip -n t link set v1 up
ip -n t addr add 192.51.100.1/24 dev v0
ip -n t route add table 100 default via 192.51.100.2 dev v0 onlink
ip netns exec t sysctl -qw net.ipv4.ip_forward=1
ip netns exec t sysctl -qw net.ipv4.conf.v0.rp_filter=0
";

/// (command, status, stdout, stderr), recorded.
const RECORDED: &[(&str, i32, &str, &str)] = &[
    ("ip rule", 0, "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n", ""),
    ("ip rule add oif v0 table 100", 0, "", ""),
    ("ip rule add from 192.51.100.3 iif v0 table 100", 0, "", ""),
    ("ip rule add tos 0x10 table 100", 0, "", ""),
    ("ip rule add fwmark 0x64 table 100", 0, "", ""),
    ("ip rule add uidrange 100-100 table 100", 0, "", ""),
    ("ip rule add sport 666 dport 777 table 100", 0, "", ""),
    ("ip rule add sport 100-200 dport 300-400 table 100", 0, "", ""),
    ("ip rule add ipproto tcp table 100", 0, "", ""),
    ("ip rule add not from 10.0.0.0/8 to 10.1.2.3 fwmark 0x1/0xff iif nonexist table 100 suppress_prefixlength 8 proto static", 0, "", ""),
    ("ip rule add pref 200 from 1.2.3.4 goto 300", 0, "", ""),
    ("ip rule add pref 201 nop", 0, "", ""),
    ("ip rule add pref 202 from 1.2.3.5 blackhole", 0, "", ""),
    ("ip rule add pref 203 to 1.2.3.0/24 unreachable", 0, "", ""),
    ("ip rule add pref 204 from 1.2.3.6 prohibit", 0, "", ""),
    ("ip rule add pref 205 ipproto 200 table 5", 0, "", ""),
    ("ip rule show", 0, "0:\tfrom all lookup local\n200:\tfrom 1.2.3.4 goto 300 [unresolved]\n201:\tfrom all nop\n202:\tfrom 1.2.3.5 blackhole\n203:\tfrom all to 1.2.3.0/24 unreachable\n204:\tfrom 1.2.3.6 prohibit\n205:\tfrom all ipproto ipproto-200 lookup 5\n32757:\tnot from 10.0.0.0/8 to 10.1.2.3 fwmark 0x1/0xff iif nonexist [detached] lookup 100 suppress_prefixlength 8 proto static\n32758:\tfrom all ipproto tcp lookup 100\n32759:\tfrom all sport 100-200 dport 300-400 lookup 100\n32760:\tfrom all sport 666 dport 777 lookup 100\n32761:\tfrom all uidrange 100-100 lookup 100\n32762:\tfrom all fwmark 0x64 lookup 100\n32763:\tfrom all tos 0x10 lookup 100\n32764:\tfrom 192.51.100.3 iif v0 lookup 100\n32765:\tfrom all oif v0 lookup 100\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n", ""),
    ("ip rule show oif v0 table 100", 0, "32765:\tfrom all oif v0 lookup 100\n", ""),
    ("ip rule show tos 0x10", 0, "32763:\tfrom all tos 0x10 lookup 100\n", ""),
    ("ip rule show table 5", 0, "205:\tfrom all ipproto ipproto-200 lookup 5\n", ""),
    ("ip rule show from 1.2.3.4", 0, "200:\tfrom 1.2.3.4 goto 300 [unresolved]\n", ""),
    ("ip route get 192.51.100.2", 0, "192.51.100.2 dev v0 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 oif v0", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 from 192.51.100.3 iif v0", 0, "192.51.100.2 from 192.51.100.3 via 192.51.100.2 dev v0 table 100 \n    cache <redirect> iif v0 \n", ""),
    ("ip route get 192.51.100.2 from 192.51.100.3 iif lo", 0, "192.51.100.2 from 192.51.100.3 dev v0 \n    cache iif lo \n", ""),
    ("ip route get 192.51.100.2 tos 0x13", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 tos 0x20", 0, "192.51.100.2 dev v0 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 mark 0x64", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 mark 0x64 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 mark 0x63", 0, "192.51.100.2 dev v0 src 192.51.100.1 mark 0x63 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 uid 100", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 uid 100 \n    cache \n", ""),
    ("ip route get 192.51.100.2 sport 666 dport 777", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 sport 150 dport 350", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 ipproto tcp", 0, "192.51.100.2 via 192.51.100.2 dev v0 table 100 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 192.51.100.2 ipproto udp", 0, "192.51.100.2 dev v0 src 192.51.100.1 uid 0 \n    cache \n", ""),
    ("ip route get 1.2.3.9 from 1.2.3.5", 2, "", "RTNETLINK answers: Network is unreachable\n"),
    ("ip route get 192.51.100.2 from 192.51.100.3 iif v0 tos 0x11", 0, "192.51.100.2 from 192.51.100.3 via 192.51.100.2 dev v0 table 100 \n    cache iif v0 \n", ""),
    ("ip route get fibmatch 192.51.100.2", 0, "192.51.100.0/24 dev v0 proto kernel scope link src 192.51.100.1 \n", ""),
    ("ip route get fibmatch 192.51.100.2 mark 0x64", 0, "default via 192.51.100.2 dev v0 table 100 onlink \n", ""),
    ("ip rule del fwmark 0x64 table 100", 0, "", ""),
    ("ip rule del fwmark 0x64 table 100", 2, "", "RTNETLINK answers: No such file or directory\n"),
    ("ip rule del pref 201", 0, "", ""),
    ("ip rule del pref 32761", 0, "", ""),
    ("ip rule add pref 99 from 1.2.3.4 table main", 0, "", ""),
    ("ip rule add pref 99 from 1.2.3.4 table main", 2, "", "RTNETLINK answers: File exists\n"),
    ("ip rule add to 10.0.0.0/8 goto 100", 0, "", ""),
    ("ip rule add dsfield 1 table 100", 2, "", "Error: Invalid dsfield (tos): ECN bits must be 0.\n"),
    ("ip rule add dsfield 0x13 table 100", 2, "", "Error: Invalid dsfield (tos): ECN bits must be 0.\n"),
    ("ip rule add from 1.2.3.4/33 table 1", 1, "", "Error: any valid prefix is expected rather than \"1.2.3.4/33\".\n"),
    ("ip rule add foo", 255, "", "Error: argument \"foo\" is wrong: Failed to parse rule type\n"),
    ("ip rule add fwmark zz table 1", 255, "", "Error: argument \"zz\" is wrong: fwmark value is invalid\n\n"),
    ("ip rule add uidrange 5 table 1", 255, "", "Error: argument \"5\" is wrong: invalid UID range\n\n"),
    ("ip rule add ipproto nosuch table 1", 255, "", "Error: argument \"nosuch\" is wrong: Invalid \"ipproto\" value\n\n"),
    ("ip rule add", 1, "", "\"ip rule add\" requires arguments.\n"),
    ("ip rule frob", 255, "", "Command \"frob\" is unknown, try \"ip rule help\".\n"),
    ("ip rule help", 255, "", "Usage: ip rule { add | del } SELECTOR ACTION\n       ip rule { flush | save | restore }\n       ip rule [ list [ SELECTOR ]]\nSELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]\n            [ fwmark FWMARK[/MASK] ]\n            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]\n            [ uidrange NUMBER-NUMBER ]\n            [ ipproto PROTOCOL ]\n            [ sport [ NUMBER | NUMBER-NUMBER ]\n            [ dport [ NUMBER | NUMBER-NUMBER ] ]\nACTION := [ table TABLE_ID ]\n          [ protocol PROTO ]\n          [ nat ADDRESS ]\n          [ realms [SRCREALM/]DSTREALM ]\n          [ goto NUMBER ]\n          SUPPRESSOR\nSUPPRESSOR := [ suppress_prefixlength NUMBER ]\n              [ suppress_ifgroup DEVGROUP ]\nTABLE_ID := [ local | main | default | NUMBER ]\n"),
    ("ip route help", 255, "", "Usage: ip route { list | flush } SELECTOR\n       ip route save SELECTOR\n       ip route restore\n       ip route showdump\n       ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n                            [ from ADDRESS iif STRING ]\n                            [ oif STRING ] [ tos TOS ]\n                            [ mark NUMBER ] [ vrf NAME ]\n                            [ uid NUMBER ] [ ipproto PROTOCOL ]\n                            [ sport NUMBER ] [ dport NUMBER ]\n       ip route { add | del | change | append | replace } ROUTE\nSELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]\n            [ type TYPE ] [ scope SCOPE ]\nROUTE := NODE_SPEC [ INFO_SPEC ]\nNODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n             [ table TABLE_ID ] [ proto RTPROTO ]\n             [ scope SCOPE ] [ metric METRIC ]\n             [ ttl-propagate { enabled | disabled } ]\nINFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...\nNH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]\n      [ dev STRING ] [ weight NUMBER ] NHFLAGS\nFAMILY := [ inet | inet6 | mpls | bridge | link ]\nOPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]\n           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]\n           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]\n           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]\n           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]\n           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]\n           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]\nTYPE := { unicast | local | broadcast | multicast | throw |\n          unreachable | prohibit | blackhole | nat }\nTABLE_ID := [ local | main | default | all | NUMBER ]\nSCOPE := [ host | link | global | NUMBER ]\nNHFLAGS := [ onlink | pervasive ]\nRTPROTO := [ kernel | boot | static | NUMBER ]\nPREF := [ low | medium | high ]\nTIME := NUMBER[s|ms]\nBOOL := [1|0]\nFEATURES := ecn\nENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]\nENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]\nSEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]\nSEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]\nSEG6LOCAL := action ACTION [ OPTIONS ] [ count ]\nACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |\n            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |\n            End.BM | End.S | End.AS | End.AM | End.BPF }\nOPTIONS := OPTION [ OPTIONS ]\nOPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |\n            table TABLEID | vrftable TABLEID | endpoint PROGNAME }\nFLAVORS := { FLAVOR[,FLAVOR] }\nFLAVOR := { psp | usp | usd | next-csid }\nIOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE\nXFRMINFO := if_id IF_ID [ link_dev LINK ]\nROUTE_GET_FLAGS := [ fibmatch ]\n"),
    ("ip route get help", 255, "", "Usage: ip route { list | flush } SELECTOR\n       ip route save SELECTOR\n       ip route restore\n       ip route showdump\n       ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n                            [ from ADDRESS iif STRING ]\n                            [ oif STRING ] [ tos TOS ]\n                            [ mark NUMBER ] [ vrf NAME ]\n                            [ uid NUMBER ] [ ipproto PROTOCOL ]\n                            [ sport NUMBER ] [ dport NUMBER ]\n       ip route { add | del | change | append | replace } ROUTE\nSELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]\n            [ type TYPE ] [ scope SCOPE ]\nROUTE := NODE_SPEC [ INFO_SPEC ]\nNODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n             [ table TABLE_ID ] [ proto RTPROTO ]\n             [ scope SCOPE ] [ metric METRIC ]\n             [ ttl-propagate { enabled | disabled } ]\nINFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...\nNH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]\n      [ dev STRING ] [ weight NUMBER ] NHFLAGS\nFAMILY := [ inet | inet6 | mpls | bridge | link ]\nOPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]\n           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]\n           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]\n           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]\n           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]\n           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]\n           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]\nTYPE := { unicast | local | broadcast | multicast | throw |\n          unreachable | prohibit | blackhole | nat }\nTABLE_ID := [ local | main | default | all | NUMBER ]\nSCOPE := [ host | link | global | NUMBER ]\nNHFLAGS := [ onlink | pervasive ]\nRTPROTO := [ kernel | boot | static | NUMBER ]\nPREF := [ low | medium | high ]\nTIME := NUMBER[s|ms]\nBOOL := [1|0]\nFEATURES := ecn\nENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]\nENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]\nSEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]\nSEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]\nSEG6LOCAL := action ACTION [ OPTIONS ] [ count ]\nACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |\n            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |\n            End.BM | End.S | End.AS | End.AM | End.BPF }\nOPTIONS := OPTION [ OPTIONS ]\nOPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |\n            table TABLEID | vrftable TABLEID | endpoint PROGNAME }\nFLAVORS := { FLAVOR[,FLAVOR] }\nFLAVOR := { psp | usp | usd | next-csid }\nIOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE\nXFRMINFO := if_id IF_ID [ link_dev LINK ]\nROUTE_GET_FLAGS := [ fibmatch ]\n"),
    ("ip route get 192.51.100.2 mark zz", 255, "", "Error: argument \"zz\" is wrong: invalid mark value\n"),
    ("ip route get 192.51.100.2 ipproto nosuch", 255, "", "Error: argument \"nosuch\" is wrong: Invalid \"ipproto\" value\n\n"),
    ("ip route get 192.51.100.2 tos zz", 255, "", "Error: argument \"zz\" is wrong: TOS value is invalid\n\n"),
    ("ip route flush cache", 0, "", ""),
    ("ip rule flush", 0, "", ""),
    ("ip rule show", 0, "0:\tfrom all lookup local\n", ""),
];

/// Runs each recorded (namespace, command, status, stdout, stderr) in its namespace and fails
/// with every difference from what the kernel and the real tool gave.
fn assert_as_recorded<'a>(
    lab: &mut Lab,
    recorded: impl IntoIterator<Item = (&'a str, &'a str, i32, &'a str, &'a str)>,
) {
    let mut diffs = Vec::new();
    for (ns, cmd, status, stdout, stderr) in recorded {
        let o = lab.exec(ns, cmd);
        if (o.status, o.stdout.as_str(), o.stderr.as_str()) != (status, stdout, stderr) {
            diffs.push(format!(
                "{ns}: {cmd}\n  kernel: {status} {stdout:?} {stderr:?}\n  nslab:  {} {:?} {:?}",
                o.status, o.stdout, o.stderr
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn ip_rule_and_route_get_match_iproute2_on_the_kernel() {
    let mut lab = Lab::builder().build();
    lab.sh(SETUP);
    let in_ns = RECORDED.iter().map(|&(c, st, o, e)| ("t", c, st, o, e));
    assert_as_recorded(&mut lab, in_ns);
}

/// `ip neigh get` and the `arp_evict_nocarrier` knob, recorded the same way.
#[test]
fn ip_neigh_get_matches_iproute2_on_the_kernel() {
    let mut lab = Lab::builder().build();
    lab.sh("ip netns add n
ip -n n link add v0 type veth peer name v1
ip -n n link set v0 up
ip -n n link set v1 up
ip -n n addr add 10.0.10.1/24 dev v0
ip -n n addr add 10.0.10.2/24 dev v1
ip -n n neigh add 10.0.10.5 lladdr 02:00:00:00:00:05 dev v0
");
    let recorded: &[(&str, i32, &str, &str)] = &[
        (
            "ip neigh get 10.0.10.5 dev v0",
            0,
            "10.0.10.5 dev v0 lladdr 02:00:00:00:00:05 PERMANENT \n",
            "",
        ),
        (
            "ip neigh get 10.0.10.9 dev v0",
            2,
            "",
            "Error: Neighbour entry not found.\n",
        ),
        (
            "ip neigh get 10.0.10.5",
            1,
            "",
            "Device and address are required arguments.\n",
        ),
        (
            "ip neigh get 10.0.10.5 dev nosuch",
            1,
            "",
            "Cannot find device \"nosuch\"\n",
        ),
        (
            "ip neigh get dev v0",
            1,
            "",
            "Device and address are required arguments.\n",
        ),
        (
            "ip neigh get 10.0.10.5 dev v1",
            2,
            "",
            "Error: Neighbour entry not found.\n",
        ),
        (
            "ip neigh get 1.2.3.x dev v0",
            1,
            "",
            "Error: any valid address is expected rather than \"1.2.3.x\".\n",
        ),
        (
            "sysctl net.ipv4.conf.v0.arp_evict_nocarrier",
            0,
            "net.ipv4.conf.v0.arp_evict_nocarrier = 1\n",
            "",
        ),
        (
            "sysctl net.ipv4.conf.all.arp_evict_nocarrier",
            0,
            "net.ipv4.conf.all.arp_evict_nocarrier = 1\n",
            "",
        ),
    ];
    for (cmd, status, stdout, stderr) in recorded {
        let o = lab.exec("n", cmd);
        assert_eq!(
            (o.status, o.stdout.as_str(), o.stderr.as_str()),
            (*status, *stdout, *stderr),
            "{cmd}"
        );
    }
}

/// `arp_accept` 0/1/2 with the gratuitous ARP reply `arping -A -U -I veth-host ADDR` sends
/// (broadcast, reply, sender = target address, sender = target hardware address), as
/// arp_ndisc_untracked_subnets.sh checks it: recorded on the kernel (host 6.18, iputils
/// arping), `ip neigh show to ADDR dev veth-router nud stale` after the frame.
#[test]
fn arp_accept_and_gratuitous_arp_as_the_kernel() {
    let recorded = [
        (0, [10, 0, 10, 3], false),
        (1, [10, 0, 10, 3], true),
        (2, [10, 0, 11, 3], false),
        (2, [10, 0, 10, 3], true),
        (1, [10, 0, 11, 3], true),
    ];
    for (accept, addr, created) in recorded {
        let mut lab = Lab::builder().build();
        lab.sh(&format!(
            "ip netns add r
ip -n r link add veth-router type veth peer name veth-host
ip -n r link set veth-router up
ip -n r addr add 10.0.10.1/24 dev veth-router
ip netns exec r sysctl -qw net.ipv4.conf.veth-router.arp_accept={accept}
"
        ));
        let mac = [0xde, 0x5d, 0x90, 0x34, 0x2d, 0x5f];
        let mut f = vec![0xff; 6];
        f.extend_from_slice(&mac);
        f.extend_from_slice(&[0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 2]);
        f.extend_from_slice(&mac);
        f.extend_from_slice(&addr);
        f.extend_from_slice(&mac);
        f.extend_from_slice(&addr);
        lab.inject("r", "veth-router", f).unwrap();
        lab.run_for(nslab::Duration::from_millis(300));
        let ip = std::net::Ipv4Addr::from(addr);
        let o = lab.exec("r", "ip neigh show dev veth-router");
        let want = format!("{ip} lladdr de:5d:90:34:2d:5f STALE \n");
        assert_eq!(
            o.stdout == want,
            created,
            "arp_accept={accept} {ip}: {:?}",
            o.stdout
        );
    }
}

/// With an output device, a failed lookup — no route, a blackhole/unreachable/prohibit route,
/// a prohibit rule — takes the destination to be on the device's link
/// (`ip_route_output_key_hash_rcu`: "Apparently, routing tables are wrong"): `ping -I DEV`
/// ARPs for it, `ip route get ADDR oif DEV` answers the device; without the device the lookup's
/// error stands. Recorded in a namespace on the host's 6.18 kernel (iputils ping, iproute2).
#[test]
fn a_failed_lookup_with_an_output_device_assumes_the_destination_on_link() {
    let src = "ip link add va type veth peer name vb
ip link set va up
ip link set vb up
ip addr add 10.0.0.1/24 dev va
ping -c1 -W1 -I va 10.9.9.9
ping -c1 -W1 10.9.9.9
ip route add blackhole 10.9.0.0/16
ip route add unreachable 10.8.0.0/16
ip route add prohibit 10.7.0.0/16
for a in 10.9.9.9 10.8.8.8 10.7.7.7; do ip route get $a oif va; ip route get $a; done
ip rule add prohibit to 10.6.0.0/16
ip route get 10.6.6.6 oif va
ping -c1 -W1 -I va 10.7.7.7 | head -2
ip neigh show 10.9.9.9 nud all
ip neigh show 10.7.7.7 nud all
";
    let (lab, _) = crate::support::run(src, "onlink.sh");
    let out: String = lab
        .output()
        .lines()
        .filter(|l| !l.starts_with("nslab: "))
        .map(|l| {
            let l = l
                .strip_prefix("onlink.sh:")
                .and_then(|r| r.split_once(": ").map(|x| x.1))
                .unwrap_or(l);
            format!("{l}\n")
        })
        .collect();
    let want = "PING 10.9.9.9 (10.9.9.9) from 10.0.0.1 va: 56(84) bytes of data.

--- 10.9.9.9 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms

ping: connect: Network is unreachable
10.9.9.9 dev va src 10.0.0.1 uid 0 
    cache 
RTNETLINK answers: Invalid argument
10.8.8.8 dev va src 10.0.0.1 uid 0 
    cache 
RTNETLINK answers: No route to host
10.7.7.7 dev va src 10.0.0.1 uid 0 
    cache 
RTNETLINK answers: Permission denied
10.6.6.6 dev va src 10.0.0.1 uid 0 
    cache 
PING 10.7.7.7 (10.7.7.7) from 10.0.0.1 va: 56(84) bytes of data.

10.9.9.9 dev va INCOMPLETE 
10.7.7.7 dev va INCOMPLETE 
";
    assert_eq!(out, want);
}

/// The local table as routes come and go between two lookups (`ip route get` and ping's
/// output route read it first under the default rules; a given source is checked against the
/// addresses, then the local table, as `__ip_dev_find` does): a local and a broadcast route
/// added and deleted by hand, an address's routes, 127/8 deleted. Recorded with iproute2 on
/// the host kernel 6.18 (`ip -n a ...` after the same setup).
#[test]
fn local_table_changes_between_lookups_as_the_kernel() {
    let mut lab = Lab::builder().build();
    lab.sh("ip netns add a
ip netns add b
ip -n a link add v0 type veth peer name v1 netns b
ip -n a link set lo up
ip -n b link set lo up
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
");
    const RECORDED: &[(&str, i32, &str, &str)] = &[
        ("ping -c1 -W1 10.0.0.2 >/dev/null", 0, "", ""),
        (
            "ip route get 10.0.0.5 from 10.0.0.2",
            2,
            "",
            "RTNETLINK answers: Network is unreachable\n",
        ),
        ("ip route add table local local 10.0.0.2 dev lo", 0, "", ""),
        (
            "ip route get 10.0.0.5 from 10.0.0.2",
            0,
            "10.0.0.5 from 10.0.0.2 dev v0 uid 0 \n    cache \n",
            "",
        ),
        ("ip route del table local local 10.0.0.2 dev lo", 0, "", ""),
        (
            "ip route get 10.0.0.5 from 10.0.0.2",
            2,
            "",
            "RTNETLINK answers: Network is unreachable\n",
        ),
        (
            "ip route get 10.0.0.5 from 127.0.0.9",
            2,
            "",
            "RTNETLINK answers: Invalid argument\n",
        ),
        (
            "ip route get 10.0.0.2",
            0,
            "10.0.0.2 dev v0 src 10.0.0.1 uid 0 \n    cache \n",
            "",
        ),
        ("ip route add table local local 10.0.0.2 dev lo", 0, "", ""),
        (
            "ip route get 10.0.0.2",
            0,
            "local 10.0.0.2 dev lo src 10.0.0.2 uid 0 \n    cache <local> \n",
            "",
        ),
        (
            "ip route get 10.0.0.2 from 10.0.0.1",
            0,
            "local 10.0.0.2 from 10.0.0.1 dev lo uid 0 \n    cache <local> \n",
            "",
        ),
        ("ping -c1 -W1 10.0.0.2 >/dev/null", 0, "", ""),
        (
            "ip route add table local broadcast 10.0.0.9 dev v0",
            0,
            "",
            "",
        ),
        (
            "ip route get 10.0.0.9",
            0,
            "broadcast 10.0.0.9 dev v0 src 10.0.0.1 uid 0 \n    cache <local,brd> \n",
            "",
        ),
        ("ip route del table local local 10.0.0.2 dev lo", 0, "", ""),
        (
            "ip route get 10.0.0.2",
            0,
            "10.0.0.2 dev v0 src 10.0.0.1 uid 0 \n    cache \n",
            "",
        ),
        (
            "ip route del table local broadcast 10.0.0.9 dev v0",
            0,
            "",
            "",
        ),
        (
            "ip route get 10.0.0.9",
            0,
            "10.0.0.9 dev v0 src 10.0.0.1 uid 0 \n    cache \n",
            "",
        ),
        ("ip addr add 10.0.0.3/24 dev v0", 0, "", ""),
        (
            "ip route get 10.0.0.3",
            0,
            "local 10.0.0.3 dev lo src 10.0.0.1 uid 0 \n    cache <local> \n",
            "",
        ),
        (
            "ip route get 10.0.0.3 from 10.0.0.3",
            0,
            "local 10.0.0.3 from 10.0.0.3 dev lo uid 0 \n    cache <local> \n",
            "",
        ),
        ("ip addr del 10.0.0.3/24 dev v0", 0, "", ""),
        (
            "ip route get 10.0.0.3",
            0,
            "10.0.0.3 dev v0 src 10.0.0.1 uid 0 \n    cache \n",
            "",
        ),
        (
            "ip route get 127.0.0.5",
            0,
            "local 127.0.0.5 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n",
            "",
        ),
        (
            "ip route del table local local 127.0.0.0/8 dev lo",
            0,
            "",
            "",
        ),
        (
            "ip route get 127.0.0.5",
            2,
            "",
            "RTNETLINK answers: Network is unreachable\n",
        ),
        ("ping -c1 -W1 10.0.0.2 >/dev/null", 0, "", ""),
    ];
    let in_ns = RECORDED.iter().map(|&(c, st, o, e)| ("a", c, st, o, e));
    assert_as_recorded(&mut lab, in_ns);
}

/// Without custom rules the local table is an alias of main's trie (`fib_new_table`;
/// `fib_unmerge` separates them on the first rule added): a lookup is one longest-prefix match
/// over both tables' routes, so a longer main route wins over a local range, at an equal
/// length the local route comes first, a `throw` goes on to the default table; the local
/// table's reads for an address's type (`__ip_dev_find`'s fallback for a given source) see
/// main's routes too, and the input route of a ping follows the same lookup. After a rule is
/// added and deleted, or only deleted, the tables stay apart: the local range answers again,
/// `table local`. Recorded with iproute2 and iputils ping on the host kernel 6.18 (namespaces
/// `a`, `b`, `c`).
#[test]
fn merged_local_and_main_tables_as_the_kernel() {
    let mut lab = Lab::builder().build();
    lab.sh("ip netns add a
ip netns add b
ip -n a link add v0 type veth peer name v1 netns b
ip -n a addr add 192.168.5.1/24 dev v0
ip -n b addr add 192.168.5.2/24 dev v1
ip -n a link set lo up
ip -n a link set v0 up
ip -n b link set v1 up
ip -n b link set lo up
ip -n b route add 10.9.0.0/16 via 192.168.5.1
ip -n a route add table local local 10.9.0.0/16 dev lo
ip -n a route add 10.9.1.0/24 dev v0
ip netns add c
ip -n c link add v0 type veth peer name v1
ip -n c addr add 192.168.5.1/24 dev v0
ip -n c link set lo up
ip -n c link set v0 up
ip -n c link set v1 up
ip -n c route add table local local 10.9.0.0/16 dev lo
ip -n c route add 10.9.1.0/24 dev v0
");
    const UNREACH: &str = "RTNETLINK answers: Network is unreachable\n";
    const RECORDED: &[(&str, &str, i32, &str, &str)] = &[
        ("a", "ip route get 10.9.1.5", 0, "10.9.1.5 dev v0 src 192.168.5.1 uid 0 \n    cache \n", ""),
        ("a", "ip route get 10.9.2.5", 0, "local 10.9.2.5 dev lo src 10.9.2.5 uid 0 \n    cache <local> \n", ""),
        ("a", "ip route get 10.9.1.5 from 10.9.1.7", 2, "", UNREACH),
        ("a", "ip route get 10.9.1.5 from 10.9.2.7", 0, "10.9.1.5 from 10.9.2.7 dev v0 uid 0 \n    cache \n", ""),
        ("a", "ip route get 192.168.5.1 from 10.9.1.7", 2, "", UNREACH),
        ("a", "ip route get 192.168.5.2 from 10.9.1.7", 2, "", UNREACH),
        ("a", "ip route get 192.168.5.2 from 10.9.2.7", 0, "192.168.5.2 from 10.9.2.7 dev v0 uid 0 \n    cache \n", ""),
        ("a", "ip route get fibmatch 10.9.1.5", 0, "10.9.1.0/24 dev v0 scope link \n", ""),
        ("a", "ip route get fibmatch 10.9.2.5", 0, "local 10.9.0.0/16 dev lo scope host \n", ""),
        ("a", "ip route add 10.9.0.0/16 dev v0", 0, "", ""),
        ("a", "ip route get 10.9.2.5", 0, "local 10.9.2.5 dev lo src 10.9.2.5 uid 0 \n    cache <local> \n", ""),
        ("a", "ip route get fibmatch 10.9.2.5", 0, "local 10.9.0.0/16 dev lo scope host \n", ""),
        ("a", "ip route del 10.9.0.0/16 dev v0", 0, "", ""),
        ("a", "ip route add throw 10.9.3.0/24", 0, "", ""),
        ("a", "ip route get 10.9.3.5", 2, "", UNREACH),
        ("a", "ip route add table default 10.9.3.0/24 dev v0", 0, "", ""),
        ("a", "ip route get 10.9.3.5", 0, "10.9.3.5 dev v0 table default src 192.168.5.1 uid 0 \n    cache \n", ""),
        ("a", "ip route del table default 10.9.3.0/24 dev v0", 0, "", ""),
        ("a", "ip route get 10.9.3.5", 2, "", UNREACH),
        ("a", "ip route del throw 10.9.3.0/24", 0, "", ""),
        ("a", "ip route add unreachable 10.9.4.0/24", 0, "", ""),
        ("a", "ip route get 10.9.4.5", 2, "", "RTNETLINK answers: No route to host\n"),
        ("a", "ip route add table default 10.9.4.0/24 dev v0", 0, "", ""),
        ("a", "ip route get 10.9.4.5", 2, "", "RTNETLINK answers: No route to host\n"),
        ("a", "ip route del table default 10.9.4.0/24 dev v0", 0, "", ""),
        ("a", "ip route del unreachable 10.9.4.0/24", 0, "", ""),
        ("b", "ping -c1 -W1 10.9.2.5 >/dev/null", 0, "", ""),
        ("b", "ping -c1 -W1 10.9.1.5 >/dev/null", 1, "", ""),
        ("a", "ip route get 10.9.2.5 iif v0 from 192.168.5.2", 0, "local 10.9.2.5 from 192.168.5.2 dev lo \n    cache <local> iif v0 \n", ""),
        ("a", "ip route get 192.168.5.1 iif v0 from 192.168.5.2", 0, "local 192.168.5.1 from 192.168.5.2 dev lo \n    cache <local> iif v0 \n", ""),
        ("a", "ip route get 10.9.1.5 iif v0 from 192.168.5.2", 2, "", "RTNETLINK answers: No route to host\n"),
        ("a", "ip route get 10.9.1.5 oif lo", 0, "local 10.9.1.5 dev lo src 10.9.1.5 uid 0 \n    cache <local> \n", ""),
        ("a", "ip rule add from 1.2.3.4 lookup 100", 0, "", ""),
        ("a", "ip rule del from 1.2.3.4 lookup 100", 0, "", ""),
        ("a", "ip rule", 0, "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n", ""),
        ("a", "ip route get 10.9.1.5", 0, "local 10.9.1.5 dev lo table local src 10.9.1.5 uid 0 \n    cache <local> \n", ""),
        ("a", "ip route get 10.9.2.5", 0, "local 10.9.2.5 dev lo table local src 10.9.2.5 uid 0 \n    cache <local> \n", ""),
        ("a", "ip route get 10.9.1.5 from 10.9.1.7", 0, "local 10.9.1.5 from 10.9.1.7 dev lo table local uid 0 \n    cache <local> \n", ""),
        ("a", "ip route get fibmatch 10.9.2.5", 0, "local 10.9.0.0/16 dev lo table local scope host \n", ""),
        ("b", "ping -c1 -W1 10.9.1.5 >/dev/null", 0, "", ""),
        // a rule deleted, none added: apart too
        ("c", "ip route get 10.9.1.5", 0, "10.9.1.5 dev v0 src 192.168.5.1 uid 0 \n    cache \n", ""),
        ("c", "ip rule del pref 32767", 0, "", ""),
        ("c", "ip rule", 0, "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n", ""),
        ("c", "ip route get 10.9.1.5", 0, "local 10.9.1.5 dev lo table local src 10.9.1.5 uid 0 \n    cache <local> \n", ""),
        ("c", "ip route get 10.9.2.5", 0, "local 10.9.2.5 dev lo table local src 10.9.2.5 uid 0 \n    cache <local> \n", ""),
        ("c", "ip route get 10.9.1.5 from 10.9.1.7", 0, "local 10.9.1.5 from 10.9.1.7 dev lo table local uid 0 \n    cache <local> \n", ""),
        ("c", "ip rule add pref 32767 table default", 0, "", ""),
        ("c", "ip route get 10.9.1.5", 0, "local 10.9.1.5 dev lo table local src 10.9.1.5 uid 0 \n    cache <local> \n", ""),
        ("c", "ip route get 192.168.5.255", 0, "broadcast 192.168.5.255 dev v0 table local src 192.168.5.1 uid 0 \n    cache <local,brd> \n", ""),
    ];
    assert_as_recorded(&mut lab, RECORDED.iter().copied());
}
