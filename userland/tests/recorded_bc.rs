//! Recorded by `python3 userland/tests/record.py` from the real tools (GNU coreutils 9.1,
//! grep 3.8, sed 4.9, gawk 5.2.1, jq 1.6) in C.UTF-8: do not edit, re-record.

mod common;
use common::Case;

#[test]
fn bc() {
    let cases: &[Case] = &[
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "scale=1; 1500 / 1024\n",
            files: &[],
            out: "1.4\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc -l
        Case {
            argv: &["bc", "-l"],
            stdin: "1/3\n",
            files: &[],
            out: ".33333333333333333333\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "0.5 - 1; 2^10; 1.50 * 2; 3 < 4; -.25 * 2; 10 % 3; x = 5; x * 2; 7/2; sqrt(2)\n",
            files: &[],
            out: "-.5\n1024\n3.00\n1\n-.50\n1\n10\n3\n1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "scale=3; 2.5 ^ 2; 1.25 + 1.5; 100 * 0.15; 2/3*3\n",
            files: &[],
            out: "6.25\n2.75\n15.00\n1.998\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "a=3;a++;a;-a;(1+2)*3\n",
            files: &[],
            out: "3\n4\n-4\n9\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "0.1 - 0.1; 1 - 0.5; 123456789 * 987654321\n",
            files: &[],
            out: "0\n.5\n121932631112635269\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc -l
        Case {
            argv: &["bc", "-l"],
            stdin: "1024 < 1024\n",
            files: &[],
            out: "0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc -l
        Case {
            argv: &["bc", "-l"],
            stdin: "0.3 - 0.25 / 2\n",
            files: &[],
            out: ".17500000000000000000\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc -l
        Case {
            argv: &["bc", "-l"],
            stdin: "(0.26 - 0.25) / 0.25 > 0.15\n",
            files: &[],
            out: "0\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc -l
        Case {
            argv: &["bc", "-l"],
            stdin: "sqrt(2); scale=4; 10/3; 2^-1\n",
            files: &[],
            out: "1.41421356237309504880\n3.3333\n.5000\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "1 +\n",
            files: &[],
            out: "",
            err: "(standard_in) 2: syntax error\n",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "1/0\n",
            files: &[],
            out: "",
            err: "Runtime error (func=(main), adr=3): Divide by zero\n",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "2 == 2 && 1 > 2; !0; 3 >= 3 || 0\n",
            files: &[],
            out: "0\n1\n1\n",
            err: "",
            status: 0,
            after: &[],
        },
        // $ bc
        Case {
            argv: &["bc"],
            stdin: "10 % 3; scale=2; 10 % 3; -7 % 3\n",
            files: &[],
            out: "1\n.01\n-.01\n",
            err: "",
            status: 0,
            after: &[],
        },
    ];
    common::check_all(cases);
}
