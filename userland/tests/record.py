#!/usr/bin/env python3
"""Records what the real tools print, as Rust tests of the userland programs.

Each case is (argv, stdin, files): the real program runs in a fresh directory holding
`files` (name -> text), with LC_ALL=C.UTF-8 and TZ=UTC, and its stdout, stderr and exit status
are written into `recorded_<family>.rs` as literals, with the command as a comment. The
temporary directory's path is shown as /lab, the lab's working directory.

    python3 userland/tests/record.py   # rewrites userland/tests/recorded_*.rs
"""
import os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import FAMILIES  # noqa: E402


def rust_str(s):
    out = []
    for ch in s:
        if ch == '\\':
            out.append('\\\\')
        elif ch == '"':
            out.append('\\"')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif ch == '\0':
            out.append('\\0')
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append('\\u{%x}' % ord(ch))
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def run(argv, stdin, files, check):
    base = tempfile.mkdtemp(prefix='nslab-rec-')
    lab = os.path.join(base, 'lab')
    os.mkdir(lab)
    try:
        for name, text in files.items():
            p = os.path.join(lab, name)
            if name.endswith('/'):
                os.makedirs(p, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w') as f:
                f.write(text)
        env = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LC_ALL': 'C.UTF-8', 'TZ': 'UTC',
               'HOME': '/root'}
        r = subprocess.run(argv, input=stdin.encode(), cwd=lab, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
        out = r.stdout.decode('utf-8', 'replace').replace(lab, '/lab')
        err = r.stderr.decode('utf-8', 'replace').replace(lab, '/lab')
        after = {}
        for name in check:
            p = os.path.join(lab, name)
            if os.path.isfile(p):
                after[name] = open(p).read()
        return out, err, r.returncode, after
    finally:
        shutil.rmtree(base)


def main():
    for family, cases in FAMILIES.items():
        lines = [
            '//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,',
            '//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.',
            '',
            'mod common;',
            'use common::Case;',
            '',
            '#[test]',
            'fn %s() {' % family.replace('-', '_'),
            '    let cases: &[Case] = &[',
        ]
        for case in cases:
            argv, stdin, files = case[0], case[1], case[2]
            check_files = case[3] if len(case) > 3 else []
            out, err, st, after = run(argv, stdin, files, check_files)
            lines.append('        // $ %s' % ' '.join(argv).replace('\n', '\\n'))
            lines.append('        Case {')
            lines.append('            argv: &[%s],' % ', '.join(rust_str(a) for a in argv))
            lines.append('            stdin: %s,' % rust_str(stdin))
            lines.append('            files: &[%s],' % ', '.join(
                '(%s, %s)' % (rust_str(k), rust_str(v)) for k, v in files.items()))
            lines.append('            out: %s,' % rust_str(out))
            lines.append('            err: %s,' % rust_str(err))
            lines.append('            status: %d,' % st)
            lines.append('            after: &[%s],' % ', '.join(
                '(%s, %s)' % (rust_str(k), rust_str(after[k]) if k in after else 'None')
                if False else '(%s, %s)' % (rust_str(k), ('Some(%s)' % rust_str(after[k])) if k in after else 'None')
                for k in check_files))
            lines.append('        },')
        lines.append('    ];')
        lines.append('    common::check_all(cases);')
        lines.append('}')
        with open(os.path.join(HERE, 'recorded_%s.rs' % family.replace('-', '_')), 'w') as f:
            f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
