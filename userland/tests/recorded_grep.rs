//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,
//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.

mod common;
use common::Case;

#[test]
fn grep() {
    let cases: &[Case] = &[
        // $ grep 192
        Case {
            argv: &["grep", "192"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -c 192
        Case {
            argv: &["grep", "-c", "192"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -v 192
        Case {
            argv: &["grep", "-v", "192"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -q default
        Case {
            argv: &["grep", "-q", "default"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -q nothing
        Case {
            argv: &["grep", "-q", "nothing"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ grep ^192\.168\.[12]0\.0/24
        Case {
            argv: &["grep", "^192\\.168\\.[12]0\\.0/24"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -E default|metric [0-9]+
        Case {
            argv: &["grep", "-E", "default|metric [0-9]+"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep via \(10\.0\.0\.[34]\)
        Case {
            argv: &["grep", "via \\(10\\.0\\.0\\.[34]\\)"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -o [0-9]\+\.[0-9]\+\.[0-9]\+\.[0-9]\+
        Case {
            argv: &["grep", "-o", "[0-9]\\+\\.[0-9]\\+\\.[0-9]\\+\\.[0-9]\\+"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.1\n10.0.0.0\n10.0.0.2\n192.168.10.0\n10.0.0.3\n192.168.20.0\n10.0.0.4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -oE src [^ ]+
        Case {
            argv: &["grep", "-oE", "src [^ ]+"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -i DEFAULT
        Case {
            argv: &["grep", "-i", "DEFAULT"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -n dev
        Case {
            argv: &["grep", "-n", "dev"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "1:default via 10.0.0.1 dev eth0\n2:10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n3:192.168.10.0/24 via 10.0.0.3 dev eth0\n4:192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -w eth
        Case {
            argv: &["grep", "-w", "eth"],
            stdin: "eth0\neth\nmy eth here\n",
            files: &[],
            out: "eth\nmy eth here\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -x eth
        Case {
            argv: &["grep", "-x", "eth"],
            stdin: "eth0\neth\nmy eth here\n",
            files: &[],
            out: "eth\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -F 10.0.0.1
        Case {
            argv: &["grep", "-F", "10.0.0.1"],
            stdin: "10.0.0.1\n10a0b0c1\n",
            files: &[],
            out: "10.0.0.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep 10.0.0.1
        Case {
            argv: &["grep", "10.0.0.1"],
            stdin: "10.0.0.1\n10a0b0c1\n",
            files: &[],
            out: "10.0.0.1\n10a0b0c1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -e a -e c
        Case {
            argv: &["grep", "-e", "a", "-e", "c"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -m 1 via
        Case {
            argv: &["grep", "-m", "1", "via"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -A 1 default
        Case {
            argv: &["grep", "-A", "1", "default"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -B 1 metric
        Case {
            argv: &["grep", "-B", "1", "metric"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -C 1 x
        Case {
            argv: &["grep", "-C", "1", "x"],
            stdin: "a\nx\nb\nc\nd\ne\nx\nf\n",
            files: &[],
            out: "a\nx\nb\n--\ne\nx\nf\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep x f g
        Case {
            argv: &["grep", "x", "f", "g"],
            stdin: "",
            files: &[("f", "x1\ny\n"), ("g", "x2\n")],
            out: "f:x1\ng:x2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -h x f g
        Case {
            argv: &["grep", "-h", "x", "f", "g"],
            stdin: "",
            files: &[("f", "x1\ny\n"), ("g", "x2\n")],
            out: "x1\nx2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -l x f g h
        Case {
            argv: &["grep", "-l", "x", "f", "g", "h"],
            stdin: "",
            files: &[("f", "x1\n"), ("g", "y\n"), ("h", "x\n")],
            out: "f\nh\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -L x f g
        Case {
            argv: &["grep", "-L", "x", "f", "g"],
            stdin: "",
            files: &[("f", "x1\n"), ("g", "y\n")],
            out: "g\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -c x f g
        Case {
            argv: &["grep", "-c", "x", "f", "g"],
            stdin: "",
            files: &[("f", "x1\n"), ("g", "y\n")],
            out: "f:1\ng:0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep x nofile
        Case {
            argv: &["grep", "x", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "grep: nofile: No such file or directory\n",
            status: 2,
            after: &[],
        },
        // $ grep -s x nofile f
        Case {
            argv: &["grep", "-s", "x", "nofile", "f"],
            stdin: "",
            files: &[("f", "x\n")],
            out: "f:x\n",
            err: "",
            status: 2,
            after: &[],
        },
        // $ grep -q x nofile f
        Case {
            argv: &["grep", "-q", "x", "nofile", "f"],
            stdin: "",
            files: &[("f", "x\n")],
            out: "",
            err: "grep: nofile: No such file or directory\n",
            status: 0,
            after: &[],
        },
        // $ grep \( f
        Case {
            argv: &["grep", "\\(", "f"],
            stdin: "",
            files: &[("f", "")],
            out: "",
            err: "grep: Unmatched ( or \\(\n",
            status: 2,
            after: &[],
        },
        // $ grep -E a{1
        Case {
            argv: &["grep", "-E", "a{1"],
            stdin: "a{1\n",
            files: &[],
            out: "a{1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep [[:digit:]]\{2\}
        Case {
            argv: &["grep", "[[:digit:]]\\{2\\}"],
            stdin: "a1\nb22\n",
            files: &[],
            out: "b22\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep \<eth0\>
        Case {
            argv: &["grep", "\\<eth0\\>"],
            stdin: "eth0 up\nveth0\n",
            files: &[],
            out: "eth0 up\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -E (^| )tcp( |$)
        Case {
            argv: &["grep", "-E", "(^| )tcp( |$)"],
            stdin: "tcp 1\nudp\nx tcp\n",
            files: &[],
            out: "tcp 1\nx tcp\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep
        Case {
            argv: &["grep"],
            stdin: "",
            files: &[],
            out: "",
            err: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
            status: 2,
            after: &[],
        },
        // $ grep -Q x
        Case {
            argv: &["grep", "-Q", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "grep: invalid option -- 'Q'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
            status: 2,
            after: &[],
        },
        // $ grep -e
        Case {
            argv: &["grep", "-e"],
            stdin: "",
            files: &[],
            out: "",
            err: "grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
            status: 2,
            after: &[],
        },
        // $ grep a
        Case {
            argv: &["grep", "a"],
            stdin: "a\0b\n",
            files: &[],
            out: "",
            err: "grep: (standard input): binary file matches\n",
            status: 0,
            after: &[],
        },
        // $ grep -r x d
        Case {
            argv: &["grep", "-r", "x", "d"],
            stdin: "",
            files: &[("d/e/b", "yx\n")],
            out: "d/e/b:yx\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -vc ^$
        Case {
            argv: &["grep", "-vc", "^$"],
            stdin: "a\n\nb\n",
            files: &[],
            out: "2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -ow foo\w*
        Case {
            argv: &["grep", "-ow", "foo\\w*"],
            stdin: "foobar foo\n",
            files: &[],
            out: "foobar\nfoo\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -ow foo
        Case {
            argv: &["grep", "-ow", "foo"],
            stdin: "xfoo foo\n",
            files: &[],
            out: "foo\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -c  f
        Case {
            argv: &["grep", "-c", "", "f"],
            stdin: "",
            files: &[("f", "a\nb")],
            out: "2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -- --show-mm f
        Case {
            argv: &["grep", "--", "--show-mm", "f"],
            stdin: "",
            files: &[("f", "x --show-mm y\n")],
            out: "x --show-mm y\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep -E ipv4|ipv6
        Case {
            argv: &["grep", "-E", "ipv4|ipv6"],
            stdin: "ipv4 a\nmpls\nipv6 b\n",
            files: &[],
            out: "ipv4 a\nipv6 b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ grep 
        Case {
            argv: &["grep", ""],
            stdin: "a\n\nb\n",
            files: &[],
            out: "a\n\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
    ];
    common::check_all(cases);
}
