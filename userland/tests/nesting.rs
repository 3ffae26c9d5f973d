//! Programs nested up to the allowed depth still run (in a test thread's 2 MiB stack, debug build).

use userland::testkit::run_with;
#[test]
fn a_jq_arrays() {
    let p = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let r = run_with(&["jq", "-n", "-c", &p], "", &[]);
    assert_eq!(r.status, 0, "{}", r.err);
}
#[test]
fn b_awk_parens() {
    let p = format!("BEGIN {{ print {}1{} }}", "(".repeat(38), ")".repeat(38));
    let r = run_with(&["awk", &p], "", &[]);
    assert_eq!(r.out, "1\n", "{}", r.err);
}
#[test]
fn c_jq_objs() {
    let p = format!("{}1{}", "{a:".repeat(40), "}".repeat(40));
    let r = run_with(&["jq", "-n", "-c", &p], "", &[]);
    assert_eq!(r.status, 0, "{}", r.err);
}
#[test]
fn d_bc() {
    let p = format!("{}1{}\n", "(".repeat(40), ")".repeat(40));
    let r = run_with(&["bc"], &p, &[]);
    assert_eq!(r.out, "1\n", "{}", r.err);
}
