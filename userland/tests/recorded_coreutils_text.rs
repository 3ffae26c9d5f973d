//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,
//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.

mod common;
use common::Case;

#[test]
fn coreutils_text() {
    let cases: &[Case] = &[
        // $ tr : \n
        Case {
            argv: &["tr", ":", "\\n"],
            stdin: "a:b:c\n",
            files: &[],
            out: "a\nb\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr -d \0
        Case {
            argv: &["tr", "-d", "\\0"],
            stdin: "iplink\0del\0dev\0",
            files: &[],
            out: "iplinkdeldev",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr / _
        Case {
            argv: &["tr", "/", "_"],
            stdin: "a/b/c\n",
            files: &[],
            out: "a_b_c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -d : -f 1
        Case {
            argv: &["cut", "-d", ":", "-f", "1"],
            stdin: "x:y\nz\n",
            files: &[],
            out: "x\nz\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat
        Case {
            argv: &["cat"],
            stdin: "a\nb\n",
            files: &[],
            out: "a\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat f - g
        Case {
            argv: &["cat", "f", "-", "g"],
            stdin: "in\n",
            files: &[("f", "F\n"), ("g", "G")],
            out: "F\nin\nG",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat nofile f
        Case {
            argv: &["cat", "nofile", "f"],
            stdin: "",
            files: &[("f", "x\n")],
            out: "x\n",
            err: "cat: nofile: No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ cat a b
        Case {
            argv: &["cat", "a b"],
            stdin: "",
            files: &[],
            out: "",
            err: "cat: 'a b': No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ cat d
        Case {
            argv: &["cat", "d"],
            stdin: "",
            files: &[("d/", "")],
            out: "",
            err: "cat: d: Is a directory\n",
            status: 1,
            after: &[],
        },
        // $ cat -n f
        Case {
            argv: &["cat", "-n", "f"],
            stdin: "",
            files: &[("f", "a\n\nb\n")],
            out: "     1\ta\n     2\t\n     3\tb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat -b f
        Case {
            argv: &["cat", "-b", "f"],
            stdin: "",
            files: &[("f", "a\n\nb\n")],
            out: "     1\ta\n\n     2\tb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat -A f
        Case {
            argv: &["cat", "-A", "f"],
            stdin: "",
            files: &[("f", "a\tb\u{1}\n")],
            out: "a^Ib^A$\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat -s f
        Case {
            argv: &["cat", "-s", "f"],
            stdin: "",
            files: &[("f", "a\n\n\n\nb\n")],
            out: "a\n\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cat -x
        Case {
            argv: &["cat", "-x"],
            stdin: "",
            files: &[],
            out: "",
            err: "cat: invalid option -- 'x'\nTry 'cat --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ head -n 2
        Case {
            argv: &["head", "-n", "2"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ head -2
        Case {
            argv: &["head", "-2"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ head -n -3
        Case {
            argv: &["head", "-n", "-3"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default via 10.0.0.1 dev eth0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ head -c 5
        Case {
            argv: &["head", "-c", "5"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "defau",
            err: "",
            status: 0,
            after: &[],
        },
        // $ head f g
        Case {
            argv: &["head", "f", "g"],
            stdin: "",
            files: &[("f", "1\n2\n"), ("g", "3\n")],
            out: "==> f <==\n1\n2\n\n==> g <==\n3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ head -n x
        Case {
            argv: &["head", "-n", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "head: invalid number of lines: ‘x’\n",
            status: 1,
            after: &[],
        },
        // $ head nofile
        Case {
            argv: &["head", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "head: cannot open 'nofile' for reading: No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ head -1
        Case {
            argv: &["head", "-1"],
            stdin: "no newline",
            files: &[],
            out: "no newline",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tail -n 2
        Case {
            argv: &["tail", "-n", "2"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tail -1
        Case {
            argv: &["tail", "-1"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tail -n +3
        Case {
            argv: &["tail", "-n", "+3"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tail -c 4
        Case {
            argv: &["tail", "-c", "4"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tail -n 1
        Case {
            argv: &["tail", "-n", "1"],
            stdin: "a\nb",
            files: &[],
            out: "b",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tail nofile
        Case {
            argv: &["tail", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "tail: cannot open 'nofile' for reading: No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ tail -q f g
        Case {
            argv: &["tail", "-q", "f", "g"],
            stdin: "",
            files: &[("f", "1\n2\n"), ("g", "3\n")],
            out: "1\n2\n3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc
        Case {
            argv: &["wc"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "      4      26     175\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc -l
        Case {
            argv: &["wc", "-l"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc -w
        Case {
            argv: &["wc", "-w"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "26\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc -c f
        Case {
            argv: &["wc", "-c", "f"],
            stdin: "",
            files: &[("f", "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n")],
            out: "175 f\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc f g
        Case {
            argv: &["wc", "f", "g"],
            stdin: "",
            files: &[("f", "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n"), ("g", "x\n")],
            out: "  4  26 175 f\n  1   1   2 g\n  5  27 177 total\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc -l f -
        Case {
            argv: &["wc", "-l", "f", "-"],
            stdin: "a\nb\n",
            files: &[("f", "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n")],
            out: "      4 f\n      2 -\n      6 total\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc -L
        Case {
            argv: &["wc", "-L"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "57\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ wc nofile
        Case {
            argv: &["wc", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "wc: nofile: No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ sort
        Case {
            argv: &["sort"],
            stdin: "10\n9\n2\n33\n-1\n2\n1.5\nabc\n",
            files: &[],
            out: "-1\n1.5\n10\n2\n2\n33\n9\nabc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -n
        Case {
            argv: &["sort", "-n"],
            stdin: "10\n9\n2\n33\n-1\n2\n1.5\nabc\n",
            files: &[],
            out: "-1\nabc\n1.5\n2\n2\n9\n10\n33\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -rn
        Case {
            argv: &["sort", "-rn"],
            stdin: "10\n9\n2\n33\n-1\n2\n1.5\nabc\n",
            files: &[],
            out: "33\n10\n9\n2\n2\n1.5\nabc\n-1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -u
        Case {
            argv: &["sort", "-u"],
            stdin: "10\n9\n2\n33\n-1\n2\n1.5\nabc\n",
            files: &[],
            out: "-1\n1.5\n10\n2\n33\n9\nabc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -nu
        Case {
            argv: &["sort", "-nu"],
            stdin: "10\n9\n2\n33\n-1\n2\n1.5\nabc\n",
            files: &[],
            out: "-1\nabc\n1.5\n2\n9\n10\n33\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -k2n
        Case {
            argv: &["sort", "-k2n"],
            stdin: "b 2 x\na 10 y\nc 1 z\na 3 w\n",
            files: &[],
            out: "c 1 z\nb 2 x\na 3 w\na 10 y\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -k2,2 -r
        Case {
            argv: &["sort", "-k2,2", "-r"],
            stdin: "b 2 x\na 10 y\nc 1 z\na 3 w\n",
            files: &[],
            out: "a 3 w\nb 2 x\na 10 y\nc 1 z\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -k1,1 -k2,2n
        Case {
            argv: &["sort", "-k1,1", "-k2,2n"],
            stdin: "b 2 x\na 10 y\nc 1 z\na 3 w\n",
            files: &[],
            out: "a 3 w\na 10 y\nb 2 x\nc 1 z\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -t: -k3,3n
        Case {
            argv: &["sort", "-t:", "-k3,3n"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -t : -k1
        Case {
            argv: &["sort", "-t", ":", "-k1"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "bin:x:2:2:bin:/bin:/usr/sbin/nologin\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nroot:x:0:0:root:/root:/bin/bash\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -f
        Case {
            argv: &["sort", "-f"],
            stdin: "b\nA\na\nB\n",
            files: &[],
            out: "A\na\nB\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -V
        Case {
            argv: &["sort", "-V"],
            stdin: "v1.10\nv1.2\nv1.9\n",
            files: &[],
            out: "v1.2\nv1.9\nv1.10\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -h
        Case {
            argv: &["sort", "-h"],
            stdin: "1K\n2M\n512\n3G\n",
            files: &[],
            out: "512\n1K\n2M\n3G\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort nofile
        Case {
            argv: &["sort", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "sort: cannot read: nofile: No such file or directory\n",
            status: 2,
            after: &[],
        },
        // $ sort -t. -k1,1n -k2,2n -k3,3n -k4,4n
        Case {
            argv: &["sort", "-t.", "-k1,1n", "-k2,2n", "-k3,3n", "-k4,4n"],
            stdin: "10.0.0.10\n10.0.0.9\n9.1.1.1\n10.0.1.1\n",
            files: &[],
            out: "9.1.1.1\n10.0.0.9\n10.0.0.10\n10.0.1.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -k1.2
        Case {
            argv: &["sort", "-k1.2"],
            stdin: "ab\nba\nca\naa\n",
            files: &[],
            out: "aa\nba\nca\nab\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -k2 -b
        Case {
            argv: &["sort", "-k2", "-b"],
            stdin: "x   b\ny a\nz  c\n",
            files: &[],
            out: "y a\nx   b\nz  c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -s -k1,1
        Case {
            argv: &["sort", "-s", "-k1,1"],
            stdin: "b 2\na 2\nb 1\na 1\n",
            files: &[],
            out: "a 2\na 1\nb 2\nb 1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -n -k2 -t   -r
        Case {
            argv: &["sort", "-n", "-k2", "-t", " ", "-r"],
            stdin: "a 1\nb 10\nc 2\n",
            files: &[],
            out: "b 10\nc 2\na 1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -c
        Case {
            argv: &["sort", "-c"],
            stdin: "a\nc\nb\n",
            files: &[],
            out: "",
            err: "sort: -:3: disorder: b\n",
            status: 1,
            after: &[],
        },
        // $ uniq -c
        Case {
            argv: &["uniq", "-c"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -u -k1,1
        Case {
            argv: &["sort", "-u", "-k1,1"],
            stdin: "a 1\na 2\nb 3\n",
            files: &[],
            out: "a 1\nb 3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ sort -k
        Case {
            argv: &["sort", "-k"],
            stdin: "",
            files: &[],
            out: "",
            err: "sort: option requires an argument -- 'k'\nTry 'sort --help' for more information.\n",
            status: 2,
            after: &[],
        },
        // $ sort -t ab
        Case {
            argv: &["sort", "-t", "ab"],
            stdin: "",
            files: &[],
            out: "",
            err: "sort: multi-character tab ‘ab’\n",
            status: 2,
            after: &[],
        },
        // $ sort -o out f
        Case {
            argv: &["sort", "-o", "out", "f"],
            stdin: "",
            files: &[("f", "b\na\n")],
            out: "",
            err: "",
            status: 0,
            after: &[("out", Some("a\nb\n"))],
        },
        // $ uniq
        Case {
            argv: &["uniq"],
            stdin: "a\na\nb\na\n",
            files: &[],
            out: "a\nb\na\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ uniq -c
        Case {
            argv: &["uniq", "-c"],
            stdin: "a\na\nb\na\n",
            files: &[],
            out: "      2 a\n      1 b\n      1 a\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ uniq -d
        Case {
            argv: &["uniq", "-d"],
            stdin: "a\na\nb\nc\nc\n",
            files: &[],
            out: "a\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ uniq -u
        Case {
            argv: &["uniq", "-u"],
            stdin: "a\na\nb\nc\nc\n",
            files: &[],
            out: "b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ uniq -i
        Case {
            argv: &["uniq", "-i"],
            stdin: "a\nA\nb\n",
            files: &[],
            out: "a\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -d: -f1,3
        Case {
            argv: &["cut", "-d:", "-f1,3"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "root:0\ndaemon:1\nbin:2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -d : -f 2-
        Case {
            argv: &["cut", "-d", ":", "-f", "2-"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "x:0:0:root:/root:/bin/bash\nx:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nx:2:2:bin:/bin:/usr/sbin/nologin\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -d   -f 3
        Case {
            argv: &["cut", "-d", " ", "-f", "3"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.1\neth0\n10.0.0.3\n10.0.0.4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -c 1-5
        Case {
            argv: &["cut", "-c", "1-5"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "defau\n10.0.\n192.1\n192.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -c2
        Case {
            argv: &["cut", "-c2"],
            stdin: "abc\n",
            files: &[],
            out: "b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -f 2
        Case {
            argv: &["cut", "-f", "2"],
            stdin: "a\tb\tc\nnotab\n",
            files: &[],
            out: "b\nnotab\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -s -f 2
        Case {
            argv: &["cut", "-s", "-f", "2"],
            stdin: "a\tb\tc\nnotab\n",
            files: &[],
            out: "b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -d: --output-delimiter=, -f1,7
        Case {
            argv: &["cut", "-d:", "--output-delimiter=,", "-f1,7"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "root,/bin/bash\ndaemon,/usr/sbin/nologin\nbin,/usr/sbin/nologin\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut -d: --complement -f2
        Case {
            argv: &["cut", "-d:", "--complement", "-f2"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "root:0:0:root:/root:/bin/bash\ndaemon:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:2:2:bin:/bin:/usr/sbin/nologin\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ cut
        Case {
            argv: &["cut"],
            stdin: "",
            files: &[],
            out: "",
            err: "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ cut -f
        Case {
            argv: &["cut", "-f"],
            stdin: "",
            files: &[],
            out: "",
            err: "cut: option requires an argument -- 'f'\nTry 'cut --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ cut -f 0
        Case {
            argv: &["cut", "-f", "0"],
            stdin: "",
            files: &[],
            out: "",
            err: "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ cut -d ab -f1
        Case {
            argv: &["cut", "-d", "ab", "-f1"],
            stdin: "",
            files: &[],
            out: "",
            err: "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ tr a-z A-Z
        Case {
            argv: &["tr", "a-z", "A-Z"],
            stdin: "hello world\n",
            files: &[],
            out: "HELLO WORLD\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr [:lower:] [:upper:]
        Case {
            argv: &["tr", "[:lower:]", "[:upper:]"],
            stdin: "hello\n",
            files: &[],
            out: "HELLO\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr -d \n
        Case {
            argv: &["tr", "-d", "\\n"],
            stdin: "a\nb\n",
            files: &[],
            out: "ab",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr -d [:digit:]
        Case {
            argv: &["tr", "-d", "[:digit:]"],
            stdin: "a1b22c\n",
            files: &[],
            out: "abc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr -s  
        Case {
            argv: &["tr", "-s", " "],
            stdin: "a   b  c\n",
            files: &[],
            out: "a b c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr -s   \n
        Case {
            argv: &["tr", "-s", " ", "\\n"],
            stdin: "a   b  c\n",
            files: &[],
            out: "a\nb\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr : \t
        Case {
            argv: &["tr", ":", "\\t"],
            stdin: "a:b\n",
            files: &[],
            out: "a\tb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr abc x
        Case {
            argv: &["tr", "abc", "x"],
            stdin: "aabbcc\n",
            files: &[],
            out: "xxxxxx\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr -cd 0-9\n
        Case {
            argv: &["tr", "-cd", "0-9\\n"],
            stdin: "ip 10.0.0.1\n",
            files: &[],
            out: "10001\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tr
        Case {
            argv: &["tr"],
            stdin: "",
            files: &[],
            out: "",
            err: "tr: missing operand\nTry 'tr --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ tr a
        Case {
            argv: &["tr", "a"],
            stdin: "",
            files: &[],
            out: "",
            err: "tr: missing operand after ‘a’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ tr -d a b
        Case {
            argv: &["tr", "-d", "a", "b"],
            stdin: "",
            files: &[],
            out: "",
            err: "tr: extra operand ‘b’\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ tee out
        Case {
            argv: &["tee", "out"],
            stdin: "data\n",
            files: &[],
            out: "data\n",
            err: "",
            status: 0,
            after: &[("out", Some("data\n"))],
        },
        // $ tee -a out
        Case {
            argv: &["tee", "-a", "out"],
            stdin: "more\n",
            files: &[("out", "old\n")],
            out: "more\n",
            err: "",
            status: 0,
            after: &[("out", Some("old\nmore\n"))],
        },
        // $ tee nodir/out
        Case {
            argv: &["tee", "nodir/out"],
            stdin: "x\n",
            files: &[],
            out: "x\n",
            err: "tee: nodir/out: No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ tee /dev/null
        Case {
            argv: &["tee", "/dev/null"],
            stdin: "x\n",
            files: &[],
            out: "x\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ tee -a /dev/stderr
        Case {
            argv: &["tee", "-a", "/dev/stderr"],
            stdin: "x\n",
            files: &[],
            out: "x\n",
            err: "x\n",
            status: 0,
            after: &[],
        },
        // $ cat /dev/null -
        Case {
            argv: &["cat", "/dev/null", "-"],
            stdin: "x\n",
            files: &[],
            out: "x\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq 3
        Case {
            argv: &["seq", "3"],
            stdin: "",
            files: &[],
            out: "1\n2\n3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq 2 5
        Case {
            argv: &["seq", "2", "5"],
            stdin: "",
            files: &[],
            out: "2\n3\n4\n5\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq 0 2 8
        Case {
            argv: &["seq", "0", "2", "8"],
            stdin: "",
            files: &[],
            out: "0\n2\n4\n6\n8\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq 5 -2 1
        Case {
            argv: &["seq", "5", "-2", "1"],
            stdin: "",
            files: &[],
            out: "5\n3\n1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq -s   3
        Case {
            argv: &["seq", "-s", " ", "3"],
            stdin: "",
            files: &[],
            out: "1 2 3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq -w 8 10
        Case {
            argv: &["seq", "-w", "8", "10"],
            stdin: "",
            files: &[],
            out: "08\n09\n10\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq 1 0.5 3
        Case {
            argv: &["seq", "1", "0.5", "3"],
            stdin: "",
            files: &[],
            out: "1.0\n1.5\n2.0\n2.5\n3.0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq -f %03g 3
        Case {
            argv: &["seq", "-f", "%03g", "3"],
            stdin: "",
            files: &[],
            out: "001\n002\n003\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq -1 1
        Case {
            argv: &["seq", "-1", "1"],
            stdin: "",
            files: &[],
            out: "-1\n0\n1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ seq
        Case {
            argv: &["seq"],
            stdin: "",
            files: &[],
            out: "",
            err: "seq: missing operand\nTry 'seq --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ seq x
        Case {
            argv: &["seq", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "seq: invalid floating point argument: ‘x’\nTry 'seq --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ seq 1 0 3
        Case {
            argv: &["seq", "1", "0", "3"],
            stdin: "",
            files: &[],
            out: "",
            err: "seq: invalid Zero increment value: ‘0’\nTry 'seq --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ seq 3 1
        Case {
            argv: &["seq", "3", "1"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
    ];
    common::check_all(cases);
}
