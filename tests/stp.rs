//! The bridge's STP options, their limits and texts, against iproute2 6.1 / bridge-utils on
//! the recording host (kernel 6.18): the errors and `ip -d link`/`bridge link` fields were
//! recorded in a namespace with the same commands.

use crate::support;

fn run(src: &str) -> (nslab::Lab, nslab::shell::ScriptResult) {
    support::run(&format!("ip netns add t\n{src}"), "stp.sh")
}

#[test]
fn bridge_stp_options_have_the_kernels_limits() {
    // forward_delay is range-checked only with STP on; stp_state comes after it, and
    // br_stp_start clamps the delay to 2 s. stp_state 2 is kernel STP too.
    let (lab, r) = run(
        "ip -n t link add br0 type bridge stp_state 1 forward_delay 100\n\
         ip -n t link add br2 type bridge stp_state 2\n\
         ip -n t -d link show br0\nip -n t -d link show br2\n",
    );
    assert_eq!(r.status, 0, "{}", lab.output());
    let out = lab.output();
    assert!(out.contains("bridge forward_delay 200 hello_time 200 max_age 2000 ageing_time 30000 stp_state 1 priority 32768 vlan_filtering 0 bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 root_port 0 root_path_cost 0"), "{out}");
    assert!(out.contains("bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 1 priority 32768"), "{out}");
    for bad in [
        "hello_time 50",
        "hello_time 1100",
        "max_age 500",
        "max_age 4100",
    ] {
        let (lab, r) = run(&format!(
            "ip -n t link add br1 type bridge {bad}\nip -n t link show br1\n"
        ));
        assert_eq!(r.status, 1, "{bad}: {}", lab.output());
        assert!(
            lab.output()
                .contains("RTNETLINK answers: Numerical result out of range"),
            "{bad}: {}",
            lab.output()
        );
        // A failed newlink unregisters the bridge.
        assert!(
            lab.output().contains("Device \"br1\" does not exist."),
            "{}",
            lab.output()
        );
    }
    let (lab, _) = run("ip -n t link add br1 type bridge priority 70000\n");
    assert!(lab
        .output()
        .contains("Error: argument \"70000\" is wrong: invalid priority"));
    let (lab, r) =
        run("ip -n t link add br1 type bridge priority 65535\nip -n t -d link show br1\n");
    assert_eq!(r.status, 0);
    assert!(lab.output().contains("stp_state 0 priority 65535 vlan_filtering 0 bridge_id ffff.0:0:0:0:0:0 designated_root ffff.0:0:0:0:0:0"), "{}", lab.output());
}

#[test]
fn port_cost_and_priority_as_bridge_and_ip_set_them() {
    let setup = "ip -n t link add br1 type bridge priority 65535\n\
        ip -n t link add v1 address 32:9f:43:90:ff:7b type veth peer name v2\n\
        ip -n t link set v1 master br1\n";
    // `bridge` sends a cost only when positive: cost 0 is no request.
    let (lab, r) = run(&format!("{setup}bridge -n t link set dev v1 cost 0\n"));
    assert_eq!(r.status, 0, "{}", lab.output());
    for (cmd, status) in [
        ("bridge -n t link set dev v1 cost 65536", 255),
        ("bridge -n t link set dev v1 cost 70000", 255),
        ("bridge -n t link set dev v1 priority 64", 255),
        ("ip -n t link set v1 type bridge_slave cost 0", 2),
        ("ip -n t link set v1 type bridge_slave priority 64", 2),
    ] {
        let (lab, r) = run(&format!("{setup}{cmd}\n"));
        assert_eq!(r.status, status, "{cmd}: {}", lab.output());
        assert!(
            lab.output()
                .contains("RTNETLINK answers: Numerical result out of range"),
            "{cmd}: {}",
            lab.output()
        );
    }
    let (lab, r) = run(&format!(
        "{setup}bridge -n t link set dev v1 priority 63 cost 100\n\
         ip -n t link set v1 type bridge_slave cost 5 priority 3\n\
         bridge -n t link\nip -n t -d link show v1\n"
    ));
    assert_eq!(r.status, 0, "{}", lab.output());
    let out = lab.output();
    assert!(
        out.contains("master br1 state disabled priority 3 cost 5 \n"),
        "{out}"
    );
    assert!(out.contains("bridge_slave state disabled priority 3 cost 5 hairpin off guard off root_block off fastleave off learning on flood on port_id 0xc01 port_no 0x1 designated_port 3073 designated_cost 0 designated_bridge ffff.32:9f:43:90:ff:7b designated_root ffff.32:9f:43:90:ff:7b"), "{out}");
}

#[test]
fn brctl_stp_turns_stp_on() {
    let (lab, r) = run(
        "ip -n t link add br1 type bridge\nip netns exec t brctl stp br1 on\n\
         ip netns exec t brctl show\n",
    );
    assert_eq!(r.status, 0, "{}", lab.output());
    assert!(
        lab.output().contains("br1\t\t8000.000000000000\tyes\t\t\n"),
        "{}",
        lab.output()
    );
    let (lab, r) = run("ip -n t link add br1 type bridge\nip netns exec t brctl stp br1 foo\n");
    assert_eq!(r.status, 1);
    assert!(lab.output().contains("expect on/off for argument\n"));
}

/// A BPDU with the largest root path cost and ages does not upset the bridge (the kernel's u32
/// sums wrap): the lab goes on.
#[test]
fn a_bpdu_with_extreme_values_is_taken_without_harm() {
    let mut lab = nslab::Lab::new(1);
    let r = lab.run_shell(
        "ip netns add t\nip -n t link add br0 type bridge stp_state 1\n\
         ip -n t link add p1 type veth peer name q1\nip -n t link set p1 master br0\n\
         ip -n t link set p1 up\nip -n t link set q1 up\nip -n t link set br0 up\n",
        "bpdu.sh",
    );
    assert_eq!(r.status, 0, "{}", lab.output());
    let mut f = vec![
        0x01, 0x80, 0xc2, 0, 0, 0, 2, 0, 0, 0, 0, 9, 0, 38, 0x42, 0x42, 3,
    ];
    f.extend_from_slice(&[0, 0, 0, 0, 0x81]);
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]); // root 0000.00:00:00:00:00:00 (best)
    f.extend_from_slice(&[0xff; 4]); // root path cost
    f.extend_from_slice(&[0, 0, 2, 0, 0, 0, 0, 9, 0x80, 1]);
    f.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0, 1, 0, 0]);
    assert_eq!(f.len(), 52);
    lab.inject("t", "p1", f).unwrap();
    let r = lab.run_shell("sleep 30\nbridge -n t link show\n", "bpdu2.sh");
    assert_eq!(r.status, 0, "{}", lab.output());
}
