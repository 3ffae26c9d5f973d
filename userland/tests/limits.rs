//! Bad input never hangs the lab: endless loops stop with nslab's "not modelled" text.

use userland::testkit::run_with;

#[test]
fn endless_awk_and_sed_loops_stop() {
    let r = run_with(&["awk", "BEGIN { while (1) x++ }"], "", &[]);
    assert_eq!(r.status, 2);
    assert!(r.err.contains("not modelled"), "{}", r.err);
    let r = run_with(&["sed", ":a;ba"], "x\n", &[]);
    assert_eq!(r.status, 4);
    assert!(r.err.contains("not modelled"), "{}", r.err);
}
