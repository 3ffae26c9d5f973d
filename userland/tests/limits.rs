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

#[test]
fn deep_nesting_and_recursion_are_refused() {
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    for prog in ["awk", "jq"] {
        let src = if prog == "awk" {
            format!("BEGIN {{ print {deep} }}")
        } else {
            deep.clone()
        };
        let argv: Vec<&str> = if prog == "awk" {
            vec![prog, &src]
        } else {
            vec![prog, "-n", &src]
        };
        let r = run_with(&argv, "", &[]);
        assert!(r.err.contains("not modelled"), "{prog}: {}", r.err);
    }
    let r = run_with(&["bc"], &format!("{deep}\n"), &[]);
    assert!(r.err.contains("not modelled"), "{}", r.err);
    // jq 1.6 refuses input nested deeper than 256
    let json = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let r = run_with(&["jq", "."], &json, &[]);
    assert_eq!(
        r.err,
        "parse error: Exceeds depth limit for parsing at line 1, column 257\n"
    );
    let r = run_with(&["jq", "-n", "def f: f; f"], "", &[]);
    assert!(r.err.contains("not modelled"), "{}", r.err);
    let r = run_with(
        &["awk", "function f(n) { return f(n + 1) } BEGIN { f(1) }"],
        "",
        &[],
    );
    assert_eq!(r.status, 2);
    let r = run_with(&["printf", "%.999999999f|%999999999d", "1", "2"], "", &[]);
    assert_eq!(r.status, 0);
}
