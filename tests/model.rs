//! Model behaviours checked against what the kernel prints.

use nslab::Lab;

fn run(src: &str) -> String {
    let mut lab = Lab::new(1);
    let r = lab.run_shell(src, "model.sh");
    assert_eq!(r.failures, 0, "{}", lab.output());
    lab.output()
}

#[test]
fn secondary_address_routes_use_the_primary_as_source() {
    let out = run("ip link add d0 type dummy\nip link set d0 up\nip addr add 10.1.1.1/24 dev d0\nip addr add 10.1.1.9/24 dev d0\nip route show table local dev d0\nip addr del 10.1.1.9/24 dev d0\nip route show table local dev d0\n");
    // As `ip route show table local` on the kernel: the secondary's local route has src = primary.
    let (before, after) = out.split_at(
        out.find("local 10.1.1.1")
            .and_then(|i| out[i + 1..].find("local 10.1.1.1").map(|j| i + 1 + j))
            .expect("two listings"),
    );
    assert!(
        before.contains("local 10.1.1.9 proto kernel scope host src 10.1.1.1"),
        "{out}"
    );
    assert!(!after.contains("10.1.1.9"), "{out}");
    assert!(
        after.contains("local 10.1.1.1 proto kernel scope host src 10.1.1.1"),
        "{out}"
    );
}
