//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,
//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.

mod common;
use common::Case;

#[test]
fn awk() {
    let cases: &[Case] = &[
        // $ awk {\n		for (i = 3; i <= NF; ++i) {\n			if ($i ~ /^fe80/)\n				print $i\n		}\n	}
        Case {
            argv: &["awk", "{\n\t\tfor (i = 3; i <= NF; ++i) {\n\t\t\tif ($i ~ /^fe80/)\n\t\t\t\tprint $i\n\t\t}\n\t}"],
            stdin: "2: eth0    inet6 fe80::a8bb:ccff:fedd:ee01/64 scope link \\       valid_lft forever preferred_lft forever\n",
            files: &[],
            out: "fe80::a8bb:ccff:fedd:ee01/64\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {sub(/,/,"",$3); print $3}
        Case {
            argv: &["awk", "{sub(/,/,\"\",$3); print $3}"],
            stdin: "a b 1,000 c\n",
            files: &[],
            out: "1000\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {print $1}
        Case {
            argv: &["awk", "{print $1}"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "default\n10.0.0.0/24\n192.168.10.0/24\n192.168.20.0/24\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {print $NF}
        Case {
            argv: &["awk", "{print $NF}"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "eth0\n10.0.0.2\neth0\n100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {print NR": "$0}
        Case {
            argv: &["awk", "{print NR\": \"$0}"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "1: default via 10.0.0.1 dev eth0\n2: 10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n3: 192.168.10.0/24 via 10.0.0.3 dev eth0\n4: 192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk /via/ {print $3}
        Case {
            argv: &["awk", "/via/ {print $3}"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.1\n10.0.0.3\n10.0.0.4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk $1 == "default" {print $3}
        Case {
            argv: &["awk", "$1 == \"default\" {print $3}"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk NR==2
        Case {
            argv: &["awk", "NR==2"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk NR>1 && NR<4 {print NF}
        Case {
            argv: &["awk", "NR>1 && NR<4 {print NF}"],
            stdin: "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n192.168.10.0/24 via 10.0.0.3 dev eth0\n192.168.20.0/24 via 10.0.0.4 dev eth0 metric 100\n",
            files: &[],
            out: "9\n5\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -F: {print $1, $3}
        Case {
            argv: &["awk", "-F:", "{print $1, $3}"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "root 0\ndaemon 1\nbin 2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -F : -v OFS=- {print $1,$NF}
        Case {
            argv: &["awk", "-F", ":", "-v", "OFS=-", "{print $1,$NF}"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "root-/bin/bash\ndaemon-/usr/sbin/nologin\nbin-/usr/sbin/nologin\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN{FS=":"} $3 >= 1 {n++} END{print n}
        Case {
            argv: &["awk", "BEGIN{FS=\":\"} $3 >= 1 {n++} END{print n}"],
            stdin: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n",
            files: &[],
            out: "2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -v x=5 BEGIN{print x*2}
        Case {
            argv: &["awk", "-v", "x=5", "BEGIN{print x*2}"],
            stdin: "",
            files: &[],
            out: "10\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {s+=$2} END{print s, s/NR}
        Case {
            argv: &["awk", "{s+=$2} END{print s, s/NR}"],
            stdin: "b 2 x\na 10 y\nc 1 z\na 3 w\n",
            files: &[],
            out: "16 4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {a[$1]+=$2} END{for (k in a) print k, a[k]}
        Case {
            argv: &["awk", "{a[$1]+=$2} END{for (k in a) print k, a[k]}"],
            stdin: "x 1\nx 2\ny 5\n",
            files: &[],
            out: "x 3\ny 5\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {print length($0), length()}
        Case {
            argv: &["awk", "{print length($0), length()}"],
            stdin: "abc\nhello world\n",
            files: &[],
            out: "3 3\n11 11\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {print substr($0, 2, 3), index($0, "l"), toupper($1)}
        Case {
            argv: &["awk", "{print substr($0, 2, 3), index($0, \"l\"), toupper($1)}"],
            stdin: "hello world\n",
            files: &[],
            out: "ell 3 HELLO\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {n=split($0, p, "."); print n, p[1], p[4]}
        Case {
            argv: &["awk", "{n=split($0, p, \".\"); print n, p[1], p[4]}"],
            stdin: "10.0.0.254\n",
            files: &[],
            out: "4 10 254\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {gsub(/o/, "0"); print}
        Case {
            argv: &["awk", "{gsub(/o/, \"0\"); print}"],
            stdin: "foo boo\n",
            files: &[],
            out: "f00 b00\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {sub(/o+/, "[&]"); print}
        Case {
            argv: &["awk", "{sub(/o+/, \"[&]\"); print}"],
            stdin: "foo boo\n",
            files: &[],
            out: "f[oo] boo\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {n=gsub("a", "\\&"); print n, $0}
        Case {
            argv: &["awk", "{n=gsub(\"a\", \"\\\\&\"); print n, $0}"],
            stdin: "banana\n",
            files: &[],
            out: "3 b&n&n&\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk match($0, /[0-9]+/) {print RSTART, RLENGTH, substr($0, RSTART, RLENGTH)}
        Case {
            argv: &["awk", "match($0, /[0-9]+/) {print RSTART, RLENGTH, substr($0, RSTART, RLENGTH)}"],
            stdin: "abc123def\n",
            files: &[],
            out: "4 3 123\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {printf "%-10s|%5.1f|%03d|%x|%c|%e\n", $1, $2, $2, $2, 65, $2}
        Case {
            argv: &["awk", "{printf \"%-10s|%5.1f|%03d|%x|%c|%e\\n\", $1, $2, $2, $2, 65, $2}"],
            stdin: "abc 42.25\n",
            files: &[],
            out: "abc       | 42.2|042|2a|A|4.225000e+01\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN{printf "%s %d %i %5s%%\n", "a", "12abc", 3.9, "x"}
        Case {
            argv: &["awk", "BEGIN{printf \"%s %d %i %5s%%\\n\", \"a\", \"12abc\", 3.9, \"x\"}"],
            stdin: "",
            files: &[],
            out: "a 12 3     x%\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN{print 0.1+0.2, 1e6, 1e17, 100000000000000000000, 3.0, -0, "3x"+1, 1/3}
        Case {
            argv: &["awk", "BEGIN{print 0.1+0.2, 1e6, 1e17, 100000000000000000000, 3.0, -0, \"3x\"+1, 1/3}"],
            stdin: "",
            files: &[],
            out: "0.3 1000000 100000000000000000 100000000000000000000 3 0 4 0.333333\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN{x = 0.1; print x ""; CONVFMT="%.2g"; y = 3.14159; print (y "")}
        Case {
            argv: &["awk", "BEGIN{x = 0.1; print x \"\"; CONVFMT=\"%.2g\"; y = 3.14159; print (y \"\")}"],
            stdin: "",
            files: &[],
            out: "0.1\n3.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN{print substr("hello",2), substr("hello",0,2), substr("hello",-1,3), substr("hello",1.5,2.3)}
        Case {
            argv: &["awk", "BEGIN{print substr(\"hello\",2), substr(\"hello\",0,2), substr(\"hello\",-1,3), substr(\"hello\",1.5,2.3)}"],
            stdin: "",
            files: &[],
            out: "ello he hel he\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { if (1 < 2) print "yes"; else print "no" }
        Case {
            argv: &["awk", "BEGIN { if (1 < 2) print \"yes\"; else print \"no\" }"],
            stdin: "",
            files: &[],
            out: "yes\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { for (i = 0; i < 3; i++) printf "%d ", i; print "" }
        Case {
            argv: &["awk", "BEGIN { for (i = 0; i < 3; i++) printf \"%d \", i; print \"\" }"],
            stdin: "",
            files: &[],
            out: "0 1 2 \n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { i = 5; while (i--) { if (i == 2) continue; if (i == 0) break; printf "%d ", i }; print "" }
        Case {
            argv: &["awk", "BEGIN { i = 5; while (i--) { if (i == 2) continue; if (i == 0) break; printf \"%d \", i }; print \"\" }"],
            stdin: "",
            files: &[],
            out: "4 3 1 \n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { do { n++ } while (n < 3); print n }
        Case {
            argv: &["awk", "BEGIN { do { n++ } while (n < 3); print n }"],
            stdin: "",
            files: &[],
            out: "3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk function f(a, b) { return a * b } BEGIN { print f(3, 4) }
        Case {
            argv: &["awk", "function f(a, b) { return a * b } BEGIN { print f(3, 4) }"],
            stdin: "",
            files: &[],
            out: "12\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i } BEGIN { fill(sq, 3); print sq[1], sq[2], sq[3], length(sq) }
        Case {
            argv: &["awk", "function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i } BEGIN { fill(sq, 3); print sq[1], sq[2], sq[3], length(sq) }"],
            stdin: "",
            files: &[],
            out: "1 4 9 3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10) }
        Case {
            argv: &["awk", "function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10) }"],
            stdin: "",
            files: &[],
            out: "3628800\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { a["x"]; if ("x" in a) print "in"; delete a["x"]; if (!("x" in a)) print "gone" }
        Case {
            argv: &["awk", "BEGIN { a[\"x\"]; if (\"x\" in a) print \"in\"; delete a[\"x\"]; if (!(\"x\" in a)) print \"gone\" }"],
            stdin: "",
            files: &[],
            out: "in\ngone\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { a[1,2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2], a[k] } ; if ((1,2) in a) print "yes" }
        Case {
            argv: &["awk", "BEGIN { a[1,2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2], a[k] } ; if ((1,2) in a) print \"yes\" }"],
            stdin: "",
            files: &[],
            out: "1 2 3\nyes\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk $2 > 5
        Case {
            argv: &["awk", "$2 > 5"],
            stdin: "a 10\nb 9\nc 50\nd x\n",
            files: &[],
            out: "a 10\nb 9\nc 50\nd x\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk $1 < $2 {print "lt"} $1 >= $2 {print "ge"}
        Case {
            argv: &["awk", "$1 < $2 {print \"lt\"} $1 >= $2 {print \"ge\"}"],
            stdin: "10 9\n2 10\nab b\n",
            files: &[],
            out: "ge\nlt\nlt\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk $1 == 1
        Case {
            argv: &["awk", "$1 == 1"],
            stdin: "1\n1.0\n 1 \nx\n",
            files: &[],
            out: "1\n1.0\n 1 \n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { $2 = "X"; print; print NF }
        Case {
            argv: &["awk", "{ $2 = \"X\"; print; print NF }"],
            stdin: "a b c\n",
            files: &[],
            out: "a X c\n3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { $5 = "e"; print; print NF }
        Case {
            argv: &["awk", "{ $5 = \"e\"; print; print NF }"],
            stdin: "a b c\n",
            files: &[],
            out: "a b c  e\n5\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { NF = 2; print }
        Case {
            argv: &["awk", "{ NF = 2; print }"],
            stdin: "a b c d\n",
            files: &[],
            out: "a b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { OFS = "-" } { $1 = $1; print }
        Case {
            argv: &["awk", "BEGIN { OFS = \"-\" } { $1 = $1; print }"],
            stdin: "a  b   c\n",
            files: &[],
            out: "a-b-c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { $0 = "x y"; print $2, NF }
        Case {
            argv: &["awk", "{ $0 = \"x y\"; print $2, NF }"],
            stdin: "a b c\n",
            files: &[],
            out: "y 2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk /start/,/end/
        Case {
            argv: &["awk", "/start/,/end/"],
            stdin: "a\nstart\nb\nend\nc\n",
            files: &[],
            out: "start\nb\nend\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk NR==1, NR==2 { print NR }
        Case {
            argv: &["awk", "NR==1, NR==2 { print NR }"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "1\n2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { print; next; print "no" }
        Case {
            argv: &["awk", "{ print; next; print \"no\" }"],
            stdin: "a\nb\n",
            files: &[],
            out: "a\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk NR==2 { exit 3 } { print } END { print "end" }
        Case {
            argv: &["awk", "NR==2 { exit 3 } { print } END { print \"end\" }"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nend\n",
            err: "",
            status: 3,
            after: &[],
        },
        // $ awk BEGIN { exit } END { print "end" }
        Case {
            argv: &["awk", "BEGIN { exit } END { print \"end\" }"],
            stdin: "",
            files: &[],
            out: "end\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { RS = "" } { print NR": "$1 }
        Case {
            argv: &["awk", "BEGIN { RS = \"\" } { print NR\": \"$1 }"],
            stdin: "a b\nc\n\n\nd e\n",
            files: &[],
            out: "1: a\n2: d\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { RS = ";" } { print }
        Case {
            argv: &["awk", "BEGIN { RS = \";\" } { print }"],
            stdin: "a;b;c\n",
            files: &[],
            out: "a\nb\nc\n\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -F [:,] { print $2 }
        Case {
            argv: &["awk", "-F", "[:,]", "{ print $2 }"],
            stdin: "a:b,c\n",
            files: &[],
            out: "b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -F 	 { print $2 }
        Case {
            argv: &["awk", "-F", "\t", "{ print $2 }"],
            stdin: "a b\tc d\n",
            files: &[],
            out: "c d\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -Ft { print $2 }
        Case {
            argv: &["awk", "-Ft", "{ print $2 }"],
            stdin: "a\tb\n",
            files: &[],
            out: "\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN{print substr("hello",0) "|" substr("hello",2.7,1.6) "|" substr("hello",2.5) "|" substr("hello", 1.49999, 2.5) "|" substr("hello",-1,2) "|" substr("hello",0,1)}
        Case {
            argv: &["awk", "BEGIN{print substr(\"hello\",0) \"|\" substr(\"hello\",2.7,1.6) \"|\" substr(\"hello\",2.5) \"|\" substr(\"hello\", 1.49999, 2.5) \"|\" substr(\"hello\",-1,2) \"|\" substr(\"hello\",0,1)}"],
            stdin: "",
            files: &[],
            out: "hello|e|ello|he|he|h\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { x = 1; print x % 0 }
        Case {
            argv: &["awk", "BEGIN { x = 1; print x % 0 }"],
            stdin: "",
            files: &[],
            out: "",
            err: "awk: cmd. line:1: error: division by zero attempted in `%'\n",
            status: 1,
            after: &[],
        },
        // $ awk -Q
        Case {
            argv: &["awk", "-Q"],
            stdin: "",
            files: &[],
            out: "",
            err: "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] 'program' file ...\nPOSIX options:\t\tGNU long options: (standard)\n\t-f progfile\t\t--file=progfile\n\t-F fs\t\t\t--field-separator=fs\n\t-v var=val\t\t--assign=var=val\nShort options:\t\tGNU long options: (extensions)\n\t-b\t\t\t--characters-as-bytes\n\t-c\t\t\t--traditional\n\t-C\t\t\t--copyright\n\t-d[file]\t\t--dump-variables[=file]\n\t-D[file]\t\t--debug[=file]\n\t-e 'program-text'\t--source='program-text'\n\t-E file\t\t\t--exec=file\n\t-g\t\t\t--gen-pot\n\t-h\t\t\t--help\n\t-i includefile\t\t--include=includefile\n\t-I\t\t\t--trace\n\t-l library\t\t--load=library\n\t-L[fatal|invalid|no-ext]\t--lint[=fatal|invalid|no-ext]\n\t-M\t\t\t--bignum\n\t-N\t\t\t--use-lc-numeric\n\t-n\t\t\t--non-decimal-data\n\t-o[file]\t\t--pretty-print[=file]\n\t-O\t\t\t--optimize\n\t-p[file]\t\t--profile[=file]\n\t-P\t\t\t--posix\n\t-r\t\t\t--re-interval\n\t-s\t\t\t--no-optimize\n\t-S\t\t\t--sandbox\n\t-t\t\t\t--lint-old\n\t-V\t\t\t--version\n\nTo report bugs, use the `gawkbug' program.\nFor full instructions, see the node `Bugs' in `gawk.info'\nwhich is section `Reporting Problems and Bugs' in the\nprinted version.  This same information may be found at\nhttps://www.gnu.org/software/gawk/manual/html_node/Bugs.html.\nPLEASE do NOT try to report bugs by posting in comp.lang.awk,\nor by using a web forum such as Stack Overflow.\n\ngawk is a pattern scanning and processing language.\nBy default it reads standard input and writes standard output.\n\nExamples:\n\tawk '{ sum += $1 }; END { print sum }' file\n\tawk -F: '{ print $1 }' /etc/passwd\n",
            status: 1,
            after: &[],
        },
        // $ awk { print $1 > "out" } END { close("out"); while ((getline l < "out") > 0) print "got " l }
        Case {
            argv: &["awk", "{ print $1 > \"out\" } END { close(\"out\"); while ((getline l < \"out\") > 0) print \"got \" l }"],
            stdin: "a\nb\n",
            files: &[],
            out: "got a\ngot b\n",
            err: "",
            status: 0,
            after: &[("out", Some("a\nb\n"))],
        },
        // $ awk BEGIN { while ((getline line < "f") > 0) n++; print n }
        Case {
            argv: &["awk", "BEGIN { while ((getline line < \"f\") > 0) n++; print n }"],
            stdin: "",
            files: &[("f", "1\n2\n3\n")],
            out: "3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { getline < "f"; print NR, $0 } END { print NR }
        Case {
            argv: &["awk", "{ getline < \"f\"; print NR, $0 } END { print NR }"],
            stdin: "a\nb\n",
            files: &[("f", "1\n2\n3\n")],
            out: "1 1\n2 2\n2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { print "x" > "/dev/stderr"; print "y" > "/dev/null" }
        Case {
            argv: &["awk", "{ print \"x\" > \"/dev/stderr\"; print \"y\" > \"/dev/null\" }"],
            stdin: "a\n",
            files: &[],
            out: "",
            err: "x\n",
            status: 0,
            after: &[],
        },
        // $ awk { getline; print }
        Case {
            argv: &["awk", "{ getline; print }"],
            stdin: "1\n2\n3\n",
            files: &[],
            out: "2\n3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk FNR==1 { print FILENAME } END { print NR } f g
        Case {
            argv: &["awk", "FNR==1 { print FILENAME } END { print NR }", "f", "g"],
            stdin: "",
            files: &[("f", "1\n2\n"), ("g", "3\n")],
            out: "f\ng\n3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { print x, $0 } x=1 f x=2 f
        Case {
            argv: &["awk", "{ print x, $0 }", "x=1", "f", "x=2", "f"],
            stdin: "",
            files: &[("f", "l\n")],
            out: "1 l\n2 l\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print ARGC, ARGV[1] } foo
        Case {
            argv: &["awk", "BEGIN { print ARGC, ARGV[1] }", "foo"],
            stdin: "",
            files: &[],
            out: "2 foo\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print length("héllo"), toupper("abc"), tolower("ÀB") }
        Case {
            argv: &["awk", "BEGIN { print length(\"héllo\"), toupper(\"abc\"), tolower(\"ÀB\") }"],
            stdin: "",
            files: &[],
            out: "5 ABC àb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { x["a"] = 1; print length(x); s = sprintf("%5.2f", 3.14159); print s }
        Case {
            argv: &["awk", "BEGIN { x[\"a\"] = 1; print length(x); s = sprintf(\"%5.2f\", 3.14159); print s }"],
            stdin: "",
            files: &[],
            out: "1\n 3.14\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print 2^10, 2**3, 7%3, -7%3, int(-3.7), int("4.9x") }
        Case {
            argv: &["awk", "BEGIN { print 2^10, 2**3, 7%3, -7%3, int(-3.7), int(\"4.9x\") }"],
            stdin: "",
            files: &[],
            out: "1024 8 1 -1 -3 4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print 1 " " 2, 1 + 2 " " 3 }
        Case {
            argv: &["awk", "BEGIN { print 1 \" \" 2, 1 + 2 \" \" 3 }"],
            stdin: "",
            files: &[],
            out: "1 2 3 3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print 10 > 9 ? "a" : "b" }
        Case {
            argv: &["awk", "BEGIN { print 10 > 9 ? \"a\" : \"b\" }"],
            stdin: "",
            files: &[],
            out: "",
            err: "awk: cmd. line:1: BEGIN { print 10 > 9 ? \"a\" : \"b\" }\nawk: cmd. line:1:                      ^ syntax error\n",
            status: 1,
            after: &[],
        },
        // $ awk BEGIN { print (10 > 9) ? "a" : "b" }
        Case {
            argv: &["awk", "BEGIN { print (10 > 9) ? \"a\" : \"b\" }"],
            stdin: "",
            files: &[],
            out: "a\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print !0, !1, !"", !"a", - -3 }
        Case {
            argv: &["awk", "BEGIN { print !0, !1, !\"\", !\"a\", - -3 }"],
            stdin: "",
            files: &[],
            out: "1 0 1 0 3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { x = y = 3; x += 2; y *= x; print x, y; print x++ + ++x, x }
        Case {
            argv: &["awk", "BEGIN { x = y = 3; x += 2; y *= x; print x, y; print x++ + ++x, x }"],
            stdin: "",
            files: &[],
            out: "5 15\n12 7\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { print ($1 ~ /^[0-9]+$/) ? "num" : "str" }
        Case {
            argv: &["awk", "{ print ($1 ~ /^[0-9]+$/) ? \"num\" : \"str\" }"],
            stdin: "12\nab\n",
            files: &[],
            out: "num\nstr\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk $0 !~ /b/
        Case {
            argv: &["awk", "$0 !~ /b/"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { print gensub(/([a-z]+)([0-9]+)/, "\2-\1", "g") }
        Case {
            argv: &["awk", "{ print gensub(/([a-z]+)([0-9]+)/, \"\\2-\\1\", \"g\") }"],
            stdin: "ab12 cd34\n",
            files: &[],
            out: "\u{2}-\u{1} \u{2}-\u{1}\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk /inet / { split($2, a, "/"); print a[1] }
        Case {
            argv: &["awk", "/inet / { split($2, a, \"/\"); print a[1] }"],
            stdin: "    inet 10.0.0.1/24 scope global eth0\n    inet6 fe80::1/64\n",
            files: &[],
            out: "10.0.0.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk -F [ /]+ /inet / { print $3 }
        Case {
            argv: &["awk", "-F", "[ /]+", "/inet / { print $3 }"],
            stdin: "    inet 10.0.0.1/24 scope global eth0\n",
            files: &[],
            out: "10.0.0.1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { printf "%s%s", (NR > 1 ? "," : ""), $1 } END { print "" }
        Case {
            argv: &["awk", "{ printf \"%s%s\", (NR > 1 ? \",\" : \"\"), $1 } END { print \"\" }"],
            stdin: "a\nb\nc\n",
            files: &[],
            out: "a,b,c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk END { print $0, NF }
        Case {
            argv: &["awk", "END { print $0, NF }"],
            stdin: "a b\nc d e\n",
            files: &[],
            out: "c d e 3\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk {print $1
        Case {
            argv: &["awk", "{print $1"],
            stdin: "a b\n",
            files: &[],
            out: "",
            err: "awk: cmd. line:1: {print $1\nawk: cmd. line:1:          ^ unexpected newline or end of string\n",
            status: 1,
            after: &[],
        },
        // $ awk BEGIN { x = 1; print x / 0 }
        Case {
            argv: &["awk", "BEGIN { x = 1; print x / 0 }"],
            stdin: "",
            files: &[],
            out: "",
            err: "awk: cmd. line:1: error: division by zero attempted\n",
            status: 1,
            after: &[],
        },
        // $ awk { print 1 / $1 }
        Case {
            argv: &["awk", "{ print 1 / $1 }"],
            stdin: "0\n",
            files: &[],
            out: "",
            err: "awk: cmd. line:1: (FILENAME=- FNR=1) fatal: division by zero attempted\n",
            status: 2,
            after: &[],
        },
        // $ awk 1 nofile
        Case {
            argv: &["awk", "1", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "awk: fatal: cannot open file `nofile' for reading: No such file or directory\n",
            status: 2,
            after: &[],
        },
        // $ awk 1 f nofile
        Case {
            argv: &["awk", "1", "f", "nofile"],
            stdin: "",
            files: &[("f", "ok\n")],
            out: "ok\n",
            err: "awk: cmd. line:1: fatal: cannot open file `nofile' for reading: No such file or directory\n",
            status: 2,
            after: &[],
        },
        // $ awk
        Case {
            argv: &["awk"],
            stdin: "",
            files: &[],
            out: "",
            err: "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] 'program' file ...\nPOSIX options:\t\tGNU long options: (standard)\n\t-f progfile\t\t--file=progfile\n\t-F fs\t\t\t--field-separator=fs\n\t-v var=val\t\t--assign=var=val\nShort options:\t\tGNU long options: (extensions)\n\t-b\t\t\t--characters-as-bytes\n\t-c\t\t\t--traditional\n\t-C\t\t\t--copyright\n\t-d[file]\t\t--dump-variables[=file]\n\t-D[file]\t\t--debug[=file]\n\t-e 'program-text'\t--source='program-text'\n\t-E file\t\t\t--exec=file\n\t-g\t\t\t--gen-pot\n\t-h\t\t\t--help\n\t-i includefile\t\t--include=includefile\n\t-I\t\t\t--trace\n\t-l library\t\t--load=library\n\t-L[fatal|invalid|no-ext]\t--lint[=fatal|invalid|no-ext]\n\t-M\t\t\t--bignum\n\t-N\t\t\t--use-lc-numeric\n\t-n\t\t\t--non-decimal-data\n\t-o[file]\t\t--pretty-print[=file]\n\t-O\t\t\t--optimize\n\t-p[file]\t\t--profile[=file]\n\t-P\t\t\t--posix\n\t-r\t\t\t--re-interval\n\t-s\t\t\t--no-optimize\n\t-S\t\t\t--sandbox\n\t-t\t\t\t--lint-old\n\t-V\t\t\t--version\n\nTo report bugs, use the `gawkbug' program.\nFor full instructions, see the node `Bugs' in `gawk.info'\nwhich is section `Reporting Problems and Bugs' in the\nprinted version.  This same information may be found at\nhttps://www.gnu.org/software/gawk/manual/html_node/Bugs.html.\nPLEASE do NOT try to report bugs by posting in comp.lang.awk,\nor by using a web forum such as Stack Overflow.\n\ngawk is a pattern scanning and processing language.\nBy default it reads standard input and writes standard output.\n\nExamples:\n\tawk '{ sum += $1 }; END { print sum }' file\n\tawk -F: '{ print $1 }' /etc/passwd\n",
            status: 1,
            after: &[],
        },
        // $ awk BEGIN { printf "%d %s\n", "0x1A", 017 }
        Case {
            argv: &["awk", "BEGIN { printf \"%d %s\\n\", \"0x1A\", 017 }"],
            stdin: "",
            files: &[],
            out: "0 15\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { print index("abc", ""), substr("abc", 2, -1) "|" }
        Case {
            argv: &["awk", "BEGIN { print index(\"abc\", \"\"), substr(\"abc\", 2, -1) \"|\" }"],
            stdin: "",
            files: &[],
            out: "1 |\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { n = split("", a); print n, length(a) }
        Case {
            argv: &["awk", "BEGIN { n = split(\"\", a); print n, length(a) }"],
            stdin: "",
            files: &[],
            out: "0 0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { s = "a.b.c"; n = split(s, a, "."); print n, a[3] }
        Case {
            argv: &["awk", "BEGIN { s = \"a.b.c\"; n = split(s, a, \".\"); print n, a[3] }"],
            stdin: "",
            files: &[],
            out: "3 c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk BEGIN { "echo hi" | getline x; print "got", x }
        Case {
            argv: &["awk", "BEGIN { \"echo hi\" | getline x; print \"got\", x }"],
            stdin: "",
            files: &[],
            out: "got hi\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ awk { print $1 | "sort -r" }
        Case {
            argv: &["awk", "{ print $1 | \"sort -r\" }"],
            stdin: "a\nc\nb\n",
            files: &[],
            out: "c\nb\na\n",
            err: "",
            status: 0,
            after: &[],
        },
    ];
    common::check_all(cases);
}
