//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,
//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.

mod common;
use common::Case;

#[test]
fn sed() {
    let cases: &[Case] = &[
        // $ sed s/^/000/;s/^.*\(..\)\(..\)$/\1:\2/
        Case {
            argv: &["sed", "s/^/000/;s/^.*\\(..\\)\\(..\\)$/\\1:\\2/"],
            stdin: "5\n1234\n12345\n",
            files: &[],
            out: "00:05\n12:34\n23:45\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -e s/ pref medium//
        Case {
            argv: &["sed", "-e", "s/ pref medium//"],
            stdin: "default via fe80::1 dev eth0 proto ra metric 1024 pref medium\n",
            files: &[],
            out: "default via fe80::1 dev eth0 proto ra metric 1024\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/ link-netnsid [0-9]*//
        Case {
            argv: &["sed", "s/ link-netnsid [0-9]*//"],
            stdin: "link/ether aa:bb:cc:dd:ee:ff brd ff:ff:ff:ff:ff:ff link-netnsid 0\n",
            files: &[],
            out: "link/ether aa:bb:cc:dd:ee:ff brd ff:ff:ff:ff:ff:ff\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/eth0/eth1/
        Case {
            argv: &["sed", "s/eth0/eth1/"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth1\n10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth1\n192.168.20.0/24 via 10.0.0.4 dev eth1 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n /192/p
        Case {
            argv: &["sed", "-n", "/192/p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n 2p
        Case {
            argv: &["sed", "-n", "2p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n $p
        Case {
            argv: &["sed", "-n", "$p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 2,3d
        Case {
            argv: &["sed", "2,3d"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed /default/,/192/d
        Case {
            argv: &["sed", "/default/,/192/d"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 1!d
        Case {
            argv: &["sed", "1!d"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n 2,+1p
        Case {
            argv: &["sed", "-n", "2,+1p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n 0,/dev/p
        Case {
            argv: &["sed", "-n", "0,/dev/p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n 1~2p
        Case {
            argv: &["sed", "-n", "1~2p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n192.168.10.0/24 via 10.0.0.3 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 3q
        Case {
            argv: &["sed", "3q"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 2Q
        Case {
            argv: &["sed", "2Q"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed /metric/q5
        Case {
            argv: &["sed", "/metric/q5"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 5,
            after: &[],
        },
        // $ sed s/ /_/g
        Case {
            argv: &["sed", "s/ /_/g"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default_via_10.0.0.1_dev_eth0\n10.0.0.0/24_dev_eth0_proto_kernel_scope_link_src_10.0.0.2\n192.168.10.0/24_via_10.0.0.3_dev_eth0\n192.168.20.0/24_via_10.0.0.4_dev_eth0_metric_100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/ /_/2
        Case {
            argv: &["sed", "s/ /_/2"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via_10.0.0.1 dev eth0\n10.0.0.0/24 dev_eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via_10.0.0.3 dev eth0\n192.168.20.0/24 via_10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/ /_/2g
        Case {
            argv: &["sed", "s/ /_/2g"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via_10.0.0.1_dev_eth0\n10.0.0.0/24 dev_eth0_proto_kernel_scope_link_src_10.0.0.2\n192.168.10.0/24 via_10.0.0.3_dev_eth0\n192.168.20.0/24 via_10.0.0.4_dev_eth0_metric_100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -E s/([0-9]+)\.([0-9]+)/\2.\1/g
        Case {
            argv: &["sed", "-E", "s/([0-9]+)\\.([0-9]+)/\\2.\\1/g"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 0.10.1.0 dev eth0\n0.10.0.0/24 dev eth0 proto kernel scope link src 0.10.2.0\n168.192.0.10/24 via 0.10.3.0 dev eth0\n168.192.0.20/24 via 0.10.4.0 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/\([a-z]*\) via \(.*\)/\2 <- \1/
        Case {
            argv: &["sed", "s/\\([a-z]*\\) via \\(.*\\)/\\2 <- \\1/"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.1 dev eth0 <- default\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/2410.0.0.3 dev eth0 <- \n192.168.20.0/2410.0.0.4 dev eth0 metric 100 <- \n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -r s/^([^ ]+).*dev ([^ ]+).*/\1 on \2/
        Case {
            argv: &["sed", "-r", "s/^([^ ]+).*dev ([^ ]+).*/\\1 on \\2/"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default on eth0\n10.0.0.0/24 on eth0\n192.168.10.0/24 on eth0\n192.168.20.0/24 on eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/DEFAULT/dflt/I
        Case {
            argv: &["sed", "s/DEFAULT/dflt/I"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "dflt via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n s/dev/DEV/p
        Case {
            argv: &["sed", "-n", "s/dev/DEV/p"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 DEV eth0\n10.0.0.0/24 DEV eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 DEV eth0\n192.168.20.0/24 via 10.0.0.4 DEV eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/.*/[&]/
        Case {
            argv: &["sed", "s/.*/[&]/"],
            stdin: "a\nb\n",
            files: &[],
            out: "[a]\n[b]\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/x*/-/g
        Case {
            argv: &["sed", "s/x*/-/g"],
            stdin: "a.b\n",
            files: &[],
            out: "-a-.-b-\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/a*/x/g
        Case {
            argv: &["sed", "s/a*/x/g"],
            stdin: "baaac\n",
            files: &[],
            out: "xbxcx\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/\(l\+\)/[\U\1\E]/
        Case {
            argv: &["sed", "s/\\(l\\+\\)/[\\U\\1\\E]/"],
            stdin: "hello\n",
            files: &[],
            out: "he[LL]o\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/\w\+/\u&/g
        Case {
            argv: &["sed", "s/\\w\\+/\\u&/g"],
            stdin: "hello big world\n",
            files: &[],
            out: "Hello Big World\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s|/|\\|g
        Case {
            argv: &["sed", "s|/|\\\\|g"],
            stdin: "/a/b\n",
            files: &[],
            out: "\\a\\b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/a/b/;s/b/c/
        Case {
            argv: &["sed", "s/a/b/;s/b/c/"],
            stdin: "a\n",
            files: &[],
            out: "c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -e s/a/b/ -e s/b/c/
        Case {
            argv: &["sed", "-e", "s/a/b/", "-e", "s/b/c/"],
            stdin: "a\n",
            files: &[],
            out: "c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed y/abc/xyz/
        Case {
            argv: &["sed", "y/abc/xyz/"],
            stdin: "aabbcc\n",
            files: &[],
            out: "xxyyzz\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed $!N;s/\n/ /
        Case {
            argv: &["sed", "$!N;s/\\n/ /"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a b\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed N;P;D
        Case {
            argv: &["sed", "N;P;D"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nb\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed n;d
        Case {
            argv: &["sed", "n;d"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n $=
        Case {
            argv: &["sed", "-n", "$="],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed =
        Case {
            argv: &["sed", "="],
            stdin: "a\nb\n",
            files: &[],
            out: "1\na\n2\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 1a foo
        Case {
            argv: &["sed", "1a foo"],
            stdin: "a\nb\n",
            files: &[],
            out: "a\nfoo\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 1a\\n  foo
        Case {
            argv: &["sed", "1a\\\n  foo"],
            stdin: "a\nb\n",
            files: &[],
            out: "a\n  foo\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 2c\\nX
        Case {
            argv: &["sed", "2c\\\nX"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nX\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 1,2c X
        Case {
            argv: &["sed", "1,2c X"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "X\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed $a end
        Case {
            argv: &["sed", "$a end"],
            stdin: "a\nb",
            files: &[],
            out: "a\nb\nend\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed /b/{s/b/B/;p}
        Case {
            argv: &["sed", "/b/{s/b/B/;p}"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nB\nB\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n /b/!p
        Case {
            argv: &["sed", "-n", "/b/!p"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed :a;N;$!ba;s/\n/,/g
        Case {
            argv: &["sed", ":a;N;$!ba;s/\\n/,/g"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a,b,c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n h;n;G;p
        Case {
            argv: &["sed", "-n", "h;n;G;p"],
            stdin: "a\nb\nc\nd\n",
            files: &[],
            out: "b\na\nd\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed 1!G;h;$!d
        Case {
            argv: &["sed", "1!G;h;$!d"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "c\nb\na\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/a/A/;ta;s/$/ no/;b;:a;s/$/ yes/
        Case {
            argv: &["sed", "s/a/A/;ta;s/$/ no/;b;:a;s/$/ yes/"],
            stdin: "a\nb\n",
            files: &[],
            out: "A yes\nb no\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -n l
        Case {
            argv: &["sed", "-n", "l"],
            stdin: "a\tb\u{1}\\\n",
            files: &[],
            out: "a\\tb\\001\\\\$\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed /^#/d;/^$/d
        Case {
            argv: &["sed", "/^#/d;/^$/d"],
            stdin: "# c\n\nx=1\n",
            files: &[],
            out: "x=1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -i s/old/new/ f
        Case {
            argv: &["sed", "-i", "s/old/new/", "f"],
            stdin: "",
            files: &[("f", "old line\nold\n")],
            out: "",
            err: "",
            status: 0,
            after: &[("f", Some("new line\nnew\n"))],
        },
        // $ sed -i.bak 1d f
        Case {
            argv: &["sed", "-i.bak", "1d", "f"],
            stdin: "",
            files: &[("f", "a\nb\n")],
            out: "",
            err: "",
            status: 0,
            after: &[("f", Some("b\n")), ("f.bak", Some("a\nb\n"))],
        },
        // $ sed -i $d f g
        Case {
            argv: &["sed", "-i", "$d", "f", "g"],
            stdin: "",
            files: &[("f", "a\nb\n"), ("g", "c\nd\n")],
            out: "",
            err: "",
            status: 0,
            after: &[("f", Some("a\n")), ("g", Some("c\n"))],
        },
        // $ sed -n $p f g
        Case {
            argv: &["sed", "-n", "$p", "f", "g"],
            stdin: "",
            files: &[("f", "a\nb\n"), ("g", "c\nd\n")],
            out: "d\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -s -n $p f g
        Case {
            argv: &["sed", "-s", "-n", "$p", "f", "g"],
            stdin: "",
            files: &[("f", "a\nb\n"), ("g", "c\nd\n")],
            out: "b\nd\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed p nofile f
        Case {
            argv: &["sed", "p", "nofile", "f"],
            stdin: "",
            files: &[("f", "x\n")],
            out: "x\nx\n",
            err: "sed: can't read nofile: No such file or directory\n",
            status: 2,
            after: &[],
        },
        // $ sed -f s.sed
        Case {
            argv: &["sed", "-f", "s.sed"],
            stdin: "a b\n",
            files: &[("s.sed", "s/a/A/\ns/b/B/\n")],
            out: "A B\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed w out
        Case {
            argv: &["sed", "w out"],
            stdin: "a\nb\n",
            files: &[],
            out: "a\nb\n",
            err: "",
            status: 0,
            after: &[("out", Some("a\nb\n"))],
        },
        // $ sed /x/r inc f
        Case {
            argv: &["sed", "/x/r inc", "f"],
            stdin: "",
            files: &[("f", "a\nx\nb\n"), ("inc", "INC\n")],
            out: "a\nx\nINC\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed s/a/b
        Case {
            argv: &["sed", "s/a/b"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 5: unterminated `s' command\n",
            status: 1,
            after: &[],
        },
        // $ sed s/a/b/x
        Case {
            argv: &["sed", "s/a/b/x"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 7: unknown option to `s'\n",
            status: 1,
            after: &[],
        },
        // $ sed k
        Case {
            argv: &["sed", "k"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 1: unknown command: `k'\n",
            status: 1,
            after: &[],
        },
        // $ sed p;}
        Case {
            argv: &["sed", "p;}"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 3: unexpected `}'\n",
            status: 1,
            after: &[],
        },
        // $ sed {p
        Case {
            argv: &["sed", "{p"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 0: unmatched `{'\n",
            status: 1,
            after: &[],
        },
        // $ sed b foo
        Case {
            argv: &["sed", "b foo"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: can't find label for jump to `foo'\n",
            status: 4,
            after: &[],
        },
        // $ sed s/\(a\)/\2/
        Case {
            argv: &["sed", "s/\\(a\\)/\\2/"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 11: invalid reference \\2 on `s' command's RHS\n",
            status: 1,
            after: &[],
        },
        // $ sed p x
        Case {
            argv: &["sed", "p x"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 3: extra characters after command\n",
            status: 1,
            after: &[],
        },
        // $ sed 3,
        Case {
            argv: &["sed", "3,"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 2: unexpected `,'\n",
            status: 1,
            after: &[],
        },
        // $ sed /abc
        Case {
            argv: &["sed", "/abc"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 4: unterminated address regex\n",
            status: 1,
            after: &[],
        },
        // $ sed y/ab/c/
        Case {
            argv: &["sed", "y/ab/c/"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 7: strings for `y' command are different lengths\n",
            status: 1,
            after: &[],
        },
        // $ sed a
        Case {
            argv: &["sed", "a"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 1: expected \\ after `a', `c' or `i'\n",
            status: 1,
            after: &[],
        },
        // $ sed -e p -e s/a
        Case {
            argv: &["sed", "-e", "p", "-e", "s/a"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #2, char 3: unterminated `s' command\n",
            status: 1,
            after: &[],
        },
        // $ sed
        Case {
            argv: &["sed"],
            stdin: "",
            files: &[],
            out: "",
            err: "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n      --debug\n                 annotate program execution\n  -e script, --expression=script\n                 add the script to the commands to be executed\n  -f script-file, --file=script-file\n                 add the contents of script-file to the commands to be executed\n  --follow-symlinks\n                 follow symlinks when processing in place\n  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n  -l N, --line-length=N\n                 specify the desired line-wrap length for the `l' command\n  --posix\n                 disable all GNU extensions.\n  -E, -r, --regexp-extended\n                 use extended regular expressions in the script\n                 (for portability use POSIX -E).\n  -s, --separate\n                 consider files as separate rather than as a single,\n                 continuous long stream.\n      --sandbox\n                 operate in sandbox mode (disable e/r/w commands).\n  -u, --unbuffered\n                 load minimal amounts of data from the input files and flush\n                 the output buffers more often\n  -z, --null-data\n                 separate lines by NUL characters\n      --help     display this help and exit\n      --version  output version information and exit\n\nIf no -e, --expression, -f, or --file option is given, then the first\nnon-option argument is taken as the sed script to interpret.  All\nremaining arguments are names of input files; if no input files are\nspecified, then the standard input is read.\n\nGNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\n",
            status: 1,
            after: &[],
        },
        // $ sed -n
        Case {
            argv: &["sed", "-n"],
            stdin: "",
            files: &[],
            out: "",
            err: "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n      --debug\n                 annotate program execution\n  -e script, --expression=script\n                 add the script to the commands to be executed\n  -f script-file, --file=script-file\n                 add the contents of script-file to the commands to be executed\n  --follow-symlinks\n                 follow symlinks when processing in place\n  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n  -l N, --line-length=N\n                 specify the desired line-wrap length for the `l' command\n  --posix\n                 disable all GNU extensions.\n  -E, -r, --regexp-extended\n                 use extended regular expressions in the script\n                 (for portability use POSIX -E).\n  -s, --separate\n                 consider files as separate rather than as a single,\n                 continuous long stream.\n      --sandbox\n                 operate in sandbox mode (disable e/r/w commands).\n  -u, --unbuffered\n                 load minimal amounts of data from the input files and flush\n                 the output buffers more often\n  -z, --null-data\n                 separate lines by NUL characters\n      --help     display this help and exit\n      --version  output version information and exit\n\nIf no -e, --expression, -f, or --file option is given, then the first\nnon-option argument is taken as the sed script to interpret.  All\nremaining arguments are names of input files; if no input files are\nspecified, then the standard input is read.\n\nGNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\n",
            status: 1,
            after: &[],
        },
        // $ sed -Z p
        Case {
            argv: &["sed", "-Z", "p"],
            stdin: "",
            files: &[],
            out: "",
            err: "sed: invalid option -- 'Z'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n      --debug\n                 annotate program execution\n  -e script, --expression=script\n                 add the script to the commands to be executed\n  -f script-file, --file=script-file\n                 add the contents of script-file to the commands to be executed\n  --follow-symlinks\n                 follow symlinks when processing in place\n  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n  -l N, --line-length=N\n                 specify the desired line-wrap length for the `l' command\n  --posix\n                 disable all GNU extensions.\n  -E, -r, --regexp-extended\n                 use extended regular expressions in the script\n                 (for portability use POSIX -E).\n  -s, --separate\n                 consider files as separate rather than as a single,\n                 continuous long stream.\n      --sandbox\n                 operate in sandbox mode (disable e/r/w commands).\n  -u, --unbuffered\n                 load minimal amounts of data from the input files and flush\n                 the output buffers more often\n  -z, --null-data\n                 separate lines by NUL characters\n      --help     display this help and exit\n      --version  output version information and exit\n\nIf no -e, --expression, -f, or --file option is given, then the first\nnon-option argument is taken as the sed script to interpret.  All\nremaining arguments are names of input files; if no input files are\nspecified, then the standard input is read.\n\nGNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\n",
            status: 1,
            after: &[],
        },
        // $ sed s/a/b/gg
        Case {
            argv: &["sed", "s/a/b/gg"],
            stdin: "x\n",
            files: &[],
            out: "",
            err: "sed: -e expression #1, char 8: multiple `g' options to `s' command\n",
            status: 1,
            after: &[],
        },
        // $ sed s/x/y/ -
        Case {
            argv: &["sed", "s/x/y/", "-"],
            stdin: "x\n",
            files: &[],
            out: "y\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sed -z s/\n/,/g
        Case {
            argv: &["sed", "-z", "s/\\n/,/g"],
            stdin: "a\nb\n",
            files: &[],
            out: "a,b,",
            err: "",
            status: 0,
            after: &[],
        },
    ];
    common::check_all(cases);
}
