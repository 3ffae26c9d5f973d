//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,
//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.

mod common;
use common::Case;

#[test]
fn coreutils_misc() {
    let cases: &[Case] = &[
        // $ echo a b
        Case {
            argv: &["echo", "a", "b"],
            stdin: "",
            files: &[],
            out: "a b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ echo -n a
        Case {
            argv: &["echo", "-n", "a"],
            stdin: "",
            files: &[],
            out: "a",
            err: "",
            status: 0,
            after: &[],
        },
        // $ echo -e a\tb\n
        Case {
            argv: &["echo", "-e", "a\\tb\\n"],
            stdin: "",
            files: &[],
            out: "a\tb\n\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ echo -e a\cb
        Case {
            argv: &["echo", "-e", "a\\cb"],
            stdin: "",
            files: &[],
            out: "a",
            err: "",
            status: 0,
            after: &[],
        },
        // $ echo -x a
        Case {
            argv: &["echo", "-x", "a"],
            stdin: "",
            files: &[],
            out: "-x a\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ echo a\nb
        Case {
            argv: &["echo", "a\\nb"],
            stdin: "",
            files: &[],
            out: "a\\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %s-%d\n a 1 b 2
        Case {
            argv: &["printf", "%s-%d\\n", "a", "1", "b", "2"],
            stdin: "",
            files: &[],
            out: "a-1\nb-2\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %5s|%-5s|\n ab cd
        Case {
            argv: &["printf", "%5s|%-5s|\\n", "ab", "cd"],
            stdin: "",
            files: &[],
            out: "   ab|cd   |\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %05d %x %X %o %#x\n 42 255 255 8 255
        Case {
            argv: &["printf", "%05d %x %X %o %#x\\n", "42", "255", "255", "8", "255"],
            stdin: "",
            files: &[],
            out: "00042 ff FF 10 0xff\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %.2f %e %g %g\n 3.14159 12345.678 0.0001 1e20
        Case {
            argv: &["printf", "%.2f %e %g %g\\n", "3.14159", "12345.678", "0.0001", "1e20"],
            stdin: "",
            files: &[],
            out: "3.14 1.234568e+04 0.0001 1e+20\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %d\n abc
        Case {
            argv: &["printf", "%d\\n", "abc"],
            stdin: "",
            files: &[],
            out: "0\n",
            err: "printf: ‘abc’: expected a numeric value\n",
            status: 1,
            after: &[],
        },
        // $ printf %d\n 12abc
        Case {
            argv: &["printf", "%d\\n", "12abc"],
            stdin: "",
            files: &[],
            out: "12\n",
            err: "printf: ‘12abc’: value not completely converted\n",
            status: 1,
            after: &[],
        },
        // $ printf %d %d\n 'A 0x10
        Case {
            argv: &["printf", "%d %d\\n", "'A", "0x10"],
            stdin: "",
            files: &[],
            out: "65 16\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %b\n a\tb
        Case {
            argv: &["printf", "%b\\n", "a\\tb"],
            stdin: "",
            files: &[],
            out: "a\tb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %c%c\n hello x
        Case {
            argv: &["printf", "%c%c\\n", "hello", "x"],
            stdin: "",
            files: &[],
            out: "hx\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf no args\n extra
        Case {
            argv: &["printf", "no args\\n", "extra"],
            stdin: "",
            files: &[],
            out: "no args\n",
            err: "printf: warning: ignoring excess arguments, starting with ‘extra’\n",
            status: 0,
            after: &[],
        },
        // $ printf %s\n
        Case {
            argv: &["printf", "%s\\n"],
            stdin: "",
            files: &[],
            out: "\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %*d|\n 5 42
        Case {
            argv: &["printf", "%*d|\\n", "5", "42"],
            stdin: "",
            files: &[],
            out: "   42|\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf \101\x42\n
        Case {
            argv: &["printf", "\\101\\x42\\n"],
            stdin: "",
            files: &[],
            out: "AB\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ printf %z
        Case {
            argv: &["printf", "%z"],
            stdin: "",
            files: &[],
            out: "",
            err: "printf: %z: invalid conversion specification\n",
            status: 1,
            after: &[],
        },
        // $ printf
        Case {
            argv: &["printf"],
            stdin: "",
            files: &[],
            out: "",
            err: "printf: missing operand\nTry 'printf --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ test 1 -eq 1
        Case {
            argv: &["test", "1", "-eq", "1"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test 1 -lt 0
        Case {
            argv: &["test", "1", "-lt", "0"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ test 1 -eq x
        Case {
            argv: &["test", "1", "-eq", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "test: invalid integer ‘x’\n",
            status: 2,
            after: &[],
        },
        // $ test a = a -a b != c
        Case {
            argv: &["test", "a", "=", "a", "-a", "b", "!=", "c"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test -n 
        Case {
            argv: &["test", "-n", ""],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ test -z 
        Case {
            argv: &["test", "-z", ""],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test ! -f nofile
        Case {
            argv: &["test", "!", "-f", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test -f f
        Case {
            argv: &["test", "-f", "f"],
            stdin: "",
            files: &[("f", "x")],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test -d d
        Case {
            argv: &["test", "-d", "d"],
            stdin: "",
            files: &[("d/", "")],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test -s f
        Case {
            argv: &["test", "-s", "f"],
            stdin: "",
            files: &[("f", "")],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ test -e d -o -e nofile
        Case {
            argv: &["test", "-e", "d", "-o", "-e", "nofile"],
            stdin: "",
            files: &[("d/", "")],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test ( a = b ) -o x
        Case {
            argv: &["test", "(", "a", "=", "b", ")", "-o", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ test a b c
        Case {
            argv: &["test", "a", "b", "c"],
            stdin: "",
            files: &[],
            out: "",
            err: "test: ‘b’: binary operator expected\n",
            status: 2,
            after: &[],
        },
        // $ test -q a
        Case {
            argv: &["test", "-q", "a"],
            stdin: "",
            files: &[],
            out: "",
            err: "test: ‘-q’: unary operator expected\n",
            status: 2,
            after: &[],
        },
        // $ test 1 -eq
        Case {
            argv: &["test", "1", "-eq"],
            stdin: "",
            files: &[],
            out: "",
            err: "test: missing argument after ‘-eq’\n",
            status: 2,
            after: &[],
        },
        // $ test
        Case {
            argv: &["test"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ test 
        Case {
            argv: &["test", ""],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ [ 1 = 1 ]
        Case {
            argv: &["[", "1", "=", "1", "]"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ [ 1 = 1
        Case {
            argv: &["[", "1", "=", "1"],
            stdin: "",
            files: &[],
            out: "",
            err: "[: missing ‘]’\n",
            status: 2,
            after: &[],
        },
        // $ [ -x nofile ]
        Case {
            argv: &["[", "-x", "nofile", "]"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ true x
        Case {
            argv: &["true", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ false
        Case {
            argv: &["false"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ basename /a/b/c.txt
        Case {
            argv: &["basename", "/a/b/c.txt"],
            stdin: "",
            files: &[],
            out: "c.txt\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ basename /a/b/c.txt .txt
        Case {
            argv: &["basename", "/a/b/c.txt", ".txt"],
            stdin: "",
            files: &[],
            out: "c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ basename -s .c a.c b.c
        Case {
            argv: &["basename", "-s", ".c", "a.c", "b.c"],
            stdin: "",
            files: &[],
            out: "a\nb\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ basename /
        Case {
            argv: &["basename", "/"],
            stdin: "",
            files: &[],
            out: "/\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ basename a/b/
        Case {
            argv: &["basename", "a/b/"],
            stdin: "",
            files: &[],
            out: "b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ basename
        Case {
            argv: &["basename"],
            stdin: "",
            files: &[],
            out: "",
            err: "basename: missing operand\nTry 'basename --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ basename a b c
        Case {
            argv: &["basename", "a", "b", "c"],
            stdin: "",
            files: &[],
            out: "",
            err: "basename: extra operand ‘c’\nTry 'basename --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ dirname /a/b/c
        Case {
            argv: &["dirname", "/a/b/c"],
            stdin: "",
            files: &[],
            out: "/a/b\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ dirname a /x  a/b/ //
        Case {
            argv: &["dirname", "a", "/x", "", "a/b/", "//"],
            stdin: "",
            files: &[],
            out: ".\n/\n.\na\n/\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ dirname
        Case {
            argv: &["dirname"],
            stdin: "",
            files: &[],
            out: "",
            err: "dirname: missing operand\nTry 'dirname --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ mkdir a
        Case {
            argv: &["mkdir", "a"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ mkdir a
        Case {
            argv: &["mkdir", "a"],
            stdin: "",
            files: &[("a/", "")],
            out: "",
            err: "mkdir: cannot create directory ‘a’: File exists\n",
            status: 1,
            after: &[],
        },
        // $ mkdir x/y
        Case {
            argv: &["mkdir", "x/y"],
            stdin: "",
            files: &[],
            out: "",
            err: "mkdir: cannot create directory ‘x/y’: No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ mkdir -p x/y/z
        Case {
            argv: &["mkdir", "-p", "x/y/z"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ mkdir -pv x/y
        Case {
            argv: &["mkdir", "-pv", "x/y"],
            stdin: "",
            files: &[],
            out: "mkdir: created directory 'x'\nmkdir: created directory 'x/y'\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ mkdir
        Case {
            argv: &["mkdir"],
            stdin: "",
            files: &[],
            out: "",
            err: "mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ rm f
        Case {
            argv: &["rm", "f"],
            stdin: "",
            files: &[("f", "x")],
            out: "",
            err: "",
            status: 0,
            after: &[("f", None)],
        },
        // $ rm nofile
        Case {
            argv: &["rm", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "rm: cannot remove 'nofile': No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ rm -f nofile
        Case {
            argv: &["rm", "-f", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ rm d
        Case {
            argv: &["rm", "d"],
            stdin: "",
            files: &[("d/", "")],
            out: "",
            err: "rm: cannot remove 'd': Is a directory\n",
            status: 1,
            after: &[],
        },
        // $ rm -r d
        Case {
            argv: &["rm", "-r", "d"],
            stdin: "",
            files: &[("d/x", "1"), ("d/e/y", "2")],
            out: "",
            err: "",
            status: 0,
            after: &[("d/x", None), ("d/e/y", None)],
        },
        // $ rm -d d
        Case {
            argv: &["rm", "-d", "d"],
            stdin: "",
            files: &[("d/x", "1")],
            out: "",
            err: "rm: cannot remove 'd': Directory not empty\n",
            status: 1,
            after: &[],
        },
        // $ rm
        Case {
            argv: &["rm"],
            stdin: "",
            files: &[],
            out: "",
            err: "rm: missing operand\nTry 'rm --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ rm -f
        Case {
            argv: &["rm", "-f"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ rmdir d
        Case {
            argv: &["rmdir", "d"],
            stdin: "",
            files: &[("d/x", "1")],
            out: "",
            err: "rmdir: failed to remove 'd': Directory not empty\n",
            status: 1,
            after: &[],
        },
        // $ touch new
        Case {
            argv: &["touch", "new"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[("new", Some(""))],
        },
        // $ touch nodir/new
        Case {
            argv: &["touch", "nodir/new"],
            stdin: "",
            files: &[],
            out: "",
            err: "touch: cannot touch 'nodir/new': No such file or directory\n",
            status: 1,
            after: &[],
        },
        // $ readlink f
        Case {
            argv: &["readlink", "f"],
            stdin: "",
            files: &[("f", "")],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ readlink -f f
        Case {
            argv: &["readlink", "-f", "f"],
            stdin: "",
            files: &[("f", "")],
            out: "/lab/f\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ readlink -f nofile
        Case {
            argv: &["readlink", "-f", "nofile"],
            stdin: "",
            files: &[],
            out: "/lab/nofile\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ readlink -f x/y
        Case {
            argv: &["readlink", "-f", "x/y"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ readlink -f ./a/../f
        Case {
            argv: &["readlink", "-f", "./a/../f"],
            stdin: "",
            files: &[("f", ""), ("a/", "")],
            out: "/lab/f\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ realpath f
        Case {
            argv: &["realpath", "f"],
            stdin: "",
            files: &[("f", "")],
            out: "/lab/f\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ mktemp fooXX
        Case {
            argv: &["mktemp", "fooXX"],
            stdin: "",
            files: &[],
            out: "",
            err: "mktemp: too few X's in template ‘fooXX’\n",
            status: 1,
            after: &[],
        },
        // $ ls
        Case {
            argv: &["ls"],
            stdin: "",
            files: &[("b", ""), ("a", ""), ("d/x", "")],
            out: "a\nb\nd\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ ls d
        Case {
            argv: &["ls", "d"],
            stdin: "",
            files: &[("d/x", ""), ("d/y", "")],
            out: "x\ny\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ ls nofile
        Case {
            argv: &["ls", "nofile"],
            stdin: "",
            files: &[],
            out: "",
            err: "ls: cannot access 'nofile': No such file or directory\n",
            status: 2,
            after: &[],
        },
        // $ ls f d
        Case {
            argv: &["ls", "f", "d"],
            stdin: "",
            files: &[("f", ""), ("d/x", "")],
            out: "f\n\nd:\nx\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ date -u -d @0
        Case {
            argv: &["date", "-u", "-d", "@0"],
            stdin: "",
            files: &[],
            out: "Thu Jan  1 00:00:00 UTC 1970\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ date -d @1700000000 +%a %A %b %B %e %j %u %w %p %I %k %l %Z %z %c %x %X %D %R %T %F %s %N %3N %y %C %G %V %h %-d %_m
        Case {
            argv: &["date", "-d", "@1700000000", "+%a %A %b %B %e %j %u %w %p %I %k %l %Z %z %c %x %X %D %R %T %F %s %N %3N %y %C %G %V %h %-d %_m"],
            stdin: "",
            files: &[],
            out: "Tue Tuesday Nov November 14 318 2 2 PM 10 22 10 UTC +0000 Tue Nov 14 22:13:20 2023 11/14/23 22:13:20 11/14/23 22:13 22:13:20 2023-11-14 1700000000 000000000 000 23 20 2023 46 Nov 14 11\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ date -R -d @0
        Case {
            argv: &["date", "-R", "-d", "@0"],
            stdin: "",
            files: &[],
            out: "Thu, 01 Jan 1970 00:00:00 +0000\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ date -I -d @86399
        Case {
            argv: &["date", "-I", "-d", "@86399"],
            stdin: "",
            files: &[],
            out: "1970-01-01\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ date -Iseconds -d 2024-02-29 12:34:56
        Case {
            argv: &["date", "-Iseconds", "-d", "2024-02-29 12:34:56"],
            stdin: "",
            files: &[],
            out: "2024-02-29T12:34:56+00:00\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ date -d foo
        Case {
            argv: &["date", "-d", "foo"],
            stdin: "",
            files: &[],
            out: "",
            err: "date: invalid date ‘foo’\n",
            status: 1,
            after: &[],
        },
        // $ date -d 2023-12-31 +%s %j %V %G
        Case {
            argv: &["date", "-d", "2023-12-31", "+%s %j %V %G"],
            stdin: "",
            files: &[],
            out: "1703980800 365 52 2023\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ id
        Case {
            argv: &["id"],
            stdin: "",
            files: &[],
            out: "uid=0(root) gid=0(root) groups=0(root)\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ id -u
        Case {
            argv: &["id", "-u"],
            stdin: "",
            files: &[],
            out: "0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ id -un
        Case {
            argv: &["id", "-un"],
            stdin: "",
            files: &[],
            out: "root\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ id -n
        Case {
            argv: &["id", "-n"],
            stdin: "",
            files: &[],
            out: "",
            err: "id: cannot print only names or real IDs in default format\n",
            status: 1,
            after: &[],
        },
        // $ which ip ls nothing-here
        Case {
            argv: &["which", "ip", "ls", "nothing-here"],
            stdin: "",
            files: &[],
            out: "/usr/sbin/ip\n/usr/bin/ls\n",
            err: "",
            status: 1,
            after: &[],
        },
        // $ xargs
        Case {
            argv: &["xargs"],
            stdin: "a b\nc\n",
            files: &[],
            out: "a b c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs echo x
        Case {
            argv: &["xargs", "echo", "x"],
            stdin: "a b\nc\n",
            files: &[],
            out: "x a b c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs -n 1 echo
        Case {
            argv: &["xargs", "-n", "1", "echo"],
            stdin: "a b\nc\n",
            files: &[],
            out: "a\nb\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs -n1 false
        Case {
            argv: &["xargs", "-n1", "false"],
            stdin: "a b\n",
            files: &[],
            out: "",
            err: "",
            status: 123,
            after: &[],
        },
        // $ xargs -I {} echo <{}>
        Case {
            argv: &["xargs", "-I", "{}", "echo", "<{}>"],
            stdin: "  a b\nc\n",
            files: &[],
            out: "<a b>\n<c>\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs -L 1 echo
        Case {
            argv: &["xargs", "-L", "1", "echo"],
            stdin: "a b\nc\n",
            files: &[],
            out: "a b\nc\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs echo
        Case {
            argv: &["xargs", "echo"],
            stdin: "it's\n",
            files: &[],
            out: "",
            err: "xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n",
            status: 1,
            after: &[],
        },
        // $ xargs echo
        Case {
            argv: &["xargs", "echo"],
            stdin: "\"a b\" c\\ d\n",
            files: &[],
            out: "a b c d\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs -0 echo
        Case {
            argv: &["xargs", "-0", "echo"],
            stdin: "a b\0c\0",
            files: &[],
            out: "a b c\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs -r echo x
        Case {
            argv: &["xargs", "-r", "echo", "x"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs echo x
        Case {
            argv: &["xargs", "echo", "x"],
            stdin: "",
            files: &[],
            out: "x\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ xargs -n 0
        Case {
            argv: &["xargs", "-n", "0"],
            stdin: "",
            files: &[],
            out: "",
            err: "xargs: value 0 for -n option should be >= 1\nTry 'xargs --help' for more information.\n",
            status: 1,
            after: &[],
        },
        // $ xargs -t echo
        Case {
            argv: &["xargs", "-t", "echo"],
            stdin: "a\n",
            files: &[],
            out: "a\n",
            err: "echo a\n",
            status: 0,
            after: &[],
        },
        // $ timeout 5 echo hi
        Case {
            argv: &["timeout", "5", "echo", "hi"],
            stdin: "",
            files: &[],
            out: "hi\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ timeout x true
        Case {
            argv: &["timeout", "x", "true"],
            stdin: "",
            files: &[],
            out: "",
            err: "timeout: invalid time interval ‘x’\nTry 'timeout --help' for more information.\n",
            status: 125,
            after: &[],
        },
        // $ timeout
        Case {
            argv: &["timeout"],
            stdin: "",
            files: &[],
            out: "",
            err: "Try 'timeout --help' for more information.\n",
            status: 125,
            after: &[],
        },
        // $ timeout 1 false
        Case {
            argv: &["timeout", "1", "false"],
            stdin: "",
            files: &[],
            out: "",
            err: "",
            status: 1,
            after: &[],
        },
        // $ timeout 1 nonexistent-prog
        Case {
            argv: &["timeout", "1", "nonexistent-prog"],
            stdin: "",
            files: &[],
            out: "",
            err: "timeout: failed to run command ‘nonexistent-prog’: No such file or directory\n",
            status: 127,
            after: &[],
        },
        // $ xargs nonexistent-prog
        Case {
            argv: &["xargs", "nonexistent-prog"],
            stdin: "a\n",
            files: &[],
            out: "",
            err: "xargs: nonexistent-prog: No such file or directory\n",
            status: 127,
            after: &[],
        },
    ];
    common::check_all(cases);
}
