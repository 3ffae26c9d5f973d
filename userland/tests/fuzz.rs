//! Bad input never panics: every program runs on argument lists drawn from a pool of
//! awkward words and a few stdins (deterministic, seeded), and must return a status.

use userland::programs::PROGRAMS;
use userland::testkit::{run, MemFs};

const WORDS: &[&str] = &[
    "",
    "-",
    "--",
    "-n",
    "-e",
    "-E",
    "-c",
    "-k",
    "-t",
    "-f",
    "-d",
    "-s",
    "-r",
    "-i",
    "-v",
    "-x",
    "-o",
    "-w",
    "-A",
    "-1",
    "-5",
    "+3",
    "0",
    "1",
    "2",
    "-0",
    "9999999999999999999999",
    "1e400",
    "x",
    ".",
    "..",
    "/",
    "f",
    "nofile",
    "d",
    "%",
    "%d",
    "%s%s%s",
    "%*.*f",
    "%.99999f",
    "\\",
    "\\(",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "[[:alpha:]",
    "a-z",
    "z-a",
    "[a*3]",
    "s/a/b/",
    "s/x*/-/g",
    "s/\\(/",
    "y/a/",
    "/re/,/x/p",
    "$!N",
    ":a;ba",
    "{print $1}",
    "$1 ~ /a/",
    "BEGIN{x}",
    "NF=5",
    "split($0,a)",
    ".[]",
    ".a.b",
    "map(.)",
    "..",
    "{a:1}",
    "[.[]|select(.x)]",
    "$x",
    "1/0",
    "scale=3",
    "2^-1",
    "a=",
    "=",
    "==",
    "!",
    "-a",
    "-o",
    "-eq",
    ",",
    ";",
    "'",
    "\"",
    "\u{e9}",
    "\u{2018}",
    "\t",
    "\n",
];
const STDINS: &[&str] = &[
    "",
    "a b c\n1 2 3\n",
    "no newline",
    "\u{0}\u{1}\u{ff}\n\n\n",
    "{\"a\":[1,{\"b\":null}]}\n[1,2",
    "x:y:z\n\tq\n\u{e9}t\u{e9}\n",
];

#[test]
fn no_program_panics_on_awkward_arguments() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (name, _) in PROGRAMS {
        for round in 0..150 {
            let n = (next() % 5) as usize;
            let mut argv = vec![*name];
            for _ in 0..n {
                argv.push(WORDS[(next() % WORDS.len() as u64) as usize]);
            }
            let stdin = STDINS[round % STDINS.len()];
            let mut fs = MemFs::with(&[("f", "1\n2\n"), ("d/x", "")]);
            let r = run(&argv, stdin, &mut fs);
            assert!(r.status >= 0, "{argv:?}");
        }
    }
}
