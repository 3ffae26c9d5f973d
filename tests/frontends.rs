//! The containerlab YAML and RON front ends and `nslab convert`: seed 004's topologies as
//! printed, their shell/RON conversions (snapshots), kernel comparisons of the YAML runs with
//! real-kernel recordings of their shell conversions (`tests/kernel/<lab>-clab/`, whose `lab.sh`
//! is the recorded conversion), the shell → RON → shell round trip of every scenario, and the
//! error messages with positions.

use crate::support::{self, oracle, read, root};
use nslab::frontends::{self, clab, Format, Scenario};
use nslab::Lab;

/// YAML topologies whose run (with their traffic) must compare identical to the kernel
/// recording of their shell conversion.
const CLAB_KERNEL_IDENTICAL: [&str; 3] = ["seed004-hostgw", "seed004-vxlan", "seed004-ipip"];

/// All of seed 004's containerlab topologies.
const CLAB_LABS: [&str; 3] = ["seed004-hostgw", "seed004-vxlan", "seed004-ipip"];

/// `nslab convert scenarios/NAME.clab.yaml --to sh --traffic scenarios/NAME.traffic.sh`.
fn clab_with_traffic(name: &str) -> Scenario {
    let file = format!("{name}.clab.yaml");
    let mut sc = clab::from_clab(&read(&format!("scenarios/{file}")), &file)
        .unwrap_or_else(|e| panic!("{e}"));
    frontends::add_traffic(&mut sc, &read(&format!("scenarios/{name}.traffic.sh")));
    sc
}

fn run_any(text: &str, file: &str, seed: u64) -> (Lab, (i32, u32)) {
    let (lab, r) = support::run_seeded(text, file, seed);
    (lab, (r.status, r.failures))
}

fn run_text(text: &str, file: &str, seed: u64) -> Lab {
    let (lab, r) = support::run_seeded(text, file, seed);
    assert_eq!(
        (r.status, r.failures),
        (0, 0),
        "{file} failed:\n{}",
        lab.output()
    );
    lab
}

fn compare(lab: &Lab, kernel_dir: &str) -> oracle::CompareReport {
    support::compare_with_kernel(lab, kernel_dir)
}

#[test]
fn recorded_labs_are_the_current_conversions() {
    // The kernel recordings are of exactly what `convert --to sh --traffic` prints today.
    for name in CLAB_LABS {
        let sh = clab_with_traffic(name).to_shell();
        assert_eq!(
            sh,
            read(&format!("tests/kernel/{name}-clab/lab.sh")),
            "{name}: conversion changed; re-record it"
        );
    }
}

#[test]
fn clab_topologies_match_the_kernel_recordings_of_their_conversions() {
    for name in CLAB_KERNEL_IDENTICAL {
        let lab = run_text(
            &clab_with_traffic(name).to_shell(),
            &format!("{name}.clab.yaml"),
            1,
        );
        let rep = compare(&lab, &format!("tests/kernel/{name}-clab"));
        assert!(rep.is_identical(), "{name}:\n{rep}");
        assert!(lab
            .output()
            .contains("3 packets transmitted, 3 received, 0% packet loss"));
    }
}

#[test]
fn bridges_take_the_mtu_of_their_9500_ports_as_in_the_kernel_state() {
    // br_mtu_auto_adjust: containerlab's mtu 9500 ports raise switch and cni0 to 9500.
    let mut lab = run_text(
        &clab_with_traffic("seed004-hostgw").to_shell(),
        "seed004-hostgw.clab.yaml",
        1,
    );
    let state = nslab::lab::state_dump(&mut lab);
    for (ns, br) in [("root", "switch"), ("host1", "cni0"), ("host2", "cni0")] {
        let want = format!("{br}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9500 ");
        let kernel = read(&format!("tests/kernel/seed004-hostgw-clab/state/{ns}.txt"));
        assert!(kernel.contains(&want), "kernel {ns}: {want}");
        assert!(state.contains(&want), "ours {ns}: {want}");
    }
}

#[test]
fn hostgw_topology_also_matches_the_hand_written_shell_lab() {
    // The hand-written shell version (no mtu 9500, links not set up by clab) has the same
    // packets: the YAML run compares identical to that recording too.
    let lab = run_text(
        &clab_with_traffic("seed004-hostgw").to_shell(),
        "seed004-hostgw.clab.yaml",
        1,
    );
    let rep = compare(&lab, "tests/kernel/seed004-hostgw");
    assert!(rep.is_identical(), "{rep}");
}

/// The topology without what Docker adds: no management network, no inherited sysctls, `lo`
/// left down — the same commands in fresh namespaces, as the hand-written shell labs run them.
fn without_docker(sc: &Scenario) -> Scenario {
    let mut bare = sc.clone();
    bare.bridges.retain(|b| b.name != "br-clab");
    bare.links.retain(|l| !l.b.starts_with("br-clab:"));
    for n in &mut bare.nodes {
        n.sysctls.clear();
        n.addresses.clear();
        n.routes.clear();
        n.up.clear();
    }
    bare
}

#[test]
fn ipip_topology_reaches_pod3_only_with_the_inherited_ip_forward() {
    // host3 never enables forwarding in the printed topology. As containerlab runs it (the VM
    // recording of its conversion) pod1 -> pod3 works; in fresh namespaces (the kernel's
    // seed004-ipip, same commands) host3 drops the decapsulated echo requests.
    let sc = clab_with_traffic("seed004-ipip");
    let lab = run_text(&sc.to_shell(), "seed004-ipip.clab.yaml", 1);
    assert!(!lab.output().contains("100% packet loss"));
    let (lab, status) = run_any(&without_docker(&sc).to_shell(), "seed004-ipip.clab.yaml", 1);
    assert_eq!(status.0, 1);
    let rep = compare(&lab, "tests/kernel/seed004-ipip");
    assert!(rep.is_identical(), "{rep}");
    assert!(lab
        .output()
        .contains("3 packets transmitted, 0 received, 100% packet loss"));
}

#[test]
fn vxlan_topology_works_as_printed_because_containers_inherit_ip_forward() {
    // host1 never enables forwarding in the printed topology; run as containerlab runs it, its
    // namespace starts with the Docker host's ip_forward=1, and the run is the kernel's
    // seed004-vxlan-fwd (the shell lab with ip_forward=1 added on host1).
    let sc = clab_with_traffic("seed004-vxlan");
    let lab = run_text(&sc.to_shell(), "seed004-vxlan.clab.yaml", 1);
    let rep = compare(&lab, "tests/kernel/seed004-vxlan-fwd");
    assert!(rep.is_identical(), "{rep}");
    // Without the inherited forwarding (and without the management network, which the shell
    // lab does not have), the same commands are the kernel's seed004-vxlan: host1 drops pod1's
    // packets, both pings fail.
    let (lab, status) = run_any(
        &without_docker(&sc).to_shell(),
        "seed004-vxlan.clab.yaml",
        1,
    );
    assert_eq!(status.0, 1);
    let rep = compare(&lab, "tests/kernel/seed004-vxlan");
    assert!(rep.is_identical(), "{rep}");
    assert!(lab
        .output()
        .contains("3 packets transmitted, 0 received, 100% packet loss"));
}

#[test]
fn snapshots_of_conversions() {
    for name in CLAB_LABS {
        let file = format!("{name}.clab.yaml");
        let sc = clab::from_clab(&read(&format!("scenarios/{file}")), &file).unwrap();
        insta::assert_snapshot!(format!("{name}.clab.sh"), sc.to_shell());
        insta::assert_snapshot!(format!("{name}.clab.ron"), sc.to_ron());
        // The RON conversion reads back as the same scenario.
        assert_eq!(Scenario::from_ron(&sc.to_ron(), "x.ron").unwrap(), sc);
    }
}

#[test]
fn snapshots_of_topology_runs() {
    for name in CLAB_KERNEL_IDENTICAL {
        let mut lab = run_text(
            &clab_with_traffic(name).to_shell(),
            &format!("{name}.clab.yaml"),
            1,
        );
        let text = format!("{}{}", lab.output(), nslab::lab::state_dump(&mut lab));
        insta::assert_snapshot!(format!("{name}.clab.run"), text);
    }
}

#[test]
fn hand_written_ron_matches_the_kernel() {
    // scenarios/veth-pair.ron uses the structured fields (addresses, up, links) for what
    // seed003-veth-pair does with ip commands.
    let sc = Scenario::from_ron(&read("scenarios/veth-pair.ron"), "veth-pair.ron").unwrap();
    let lab = run_text(&sc.to_shell(), "veth-pair.ron", 1);
    let rep = compare(&lab, "tests/kernel/seed003-veth-pair");
    assert!(rep.is_identical(), "{rep}");
}

fn shell_scenarios() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().into_owned();
            (n.ends_with(".sh") && !n.ends_with(".traffic.sh")).then_some(n)
        })
        .collect();
    v.sort();
    assert!(v.len() >= 10, "{v:?}");
    v
}

#[test]
fn shell_to_ron_to_shell_round_trip_behaves_the_same() {
    let mut packets = 0;
    for file in shell_scenarios() {
        let src = read(&format!("scenarios/{file}"));
        let sc = frontends::load(&src, &file, Format::Shell).unwrap_or_else(|e| panic!("{e}"));
        let ron = sc.to_ron();
        let back = Scenario::from_ron(&ron, "x.ron").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, sc, "{file}");
        let sh = back.to_shell();
        assert_eq!(sh.trim_end(), src.trim_end(), "{file}");
        // Structure was found, not everything left as raw shell.
        assert!(
            back.steps
                .iter()
                .any(|s| matches!(s, frontends::Step::Run(..))),
            "{file}: no Run step"
        );
        // (Labs whose pings fail as written, e.g. seed004-vxlan, end non-zero: same status.)
        let ((a, ra), (b, rb)) = (run_any(&src, &file, 1), run_any(&sh, &file, 1));
        assert_eq!(ra, rb, "{file}");
        assert_eq!(a.output(), b.output(), "{file}");
        assert!(a.pcapng() == b.pcapng(), "{file}: pcapng differs");
        packets += a.packets().len();
    }
    // (Some labs only check command texts and send nothing; the others must.)
    assert!(packets > 1000, "only {packets} packets in all labs");
}

#[test]
fn shell_structure_is_lifted() {
    let src = "# Lab: t\n# two nodes\nip netns add a\nip netns add b\n\n# link\nip link add x type veth peer name y\nip netns exec a ip link set lo up\nfor i in 1 2; do\n  echo $i\ndone\n# --- traffic ---\nip netns exec a  true\n";
    let sc = Scenario::from_shell(src, "t.sh").unwrap();
    assert_eq!(sc.notes, vec!["Lab: t", "two nodes"]);
    let names: Vec<&str> = sc.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    use frontends::Step::*;
    assert_eq!(
        sc.steps,
        vec![
            Sh(String::new()),
            Note("link".into()),
            Sh("ip link add x type veth peer name y".into()),
            Run("a".into(), "ip link set lo up".into()),
            Sh("for i in 1 2; do\n  echo $i\ndone".into()),
            Traffic,
            // Two spaces would not render back as written: kept as shell text.
            Sh("ip netns exec a  true".into()),
        ]
    );
    assert_eq!(sc.to_shell(), src);
}

fn clab_err(src: &str) -> String {
    clab::from_clab(src, "t.clab.yaml").unwrap_err()
}

const TOPO: &str = "name: t
topology:
  nodes:
    a:
      kind: linux
      network-mode: none
    br:
      kind: bridge
  links:
    - endpoints: [\"a:eth1\", \"br:p1\"]
";

#[test]
fn clab_errors_name_file_line_column_and_what_was_expected() {
    assert!(clab::from_clab(TOPO, "t.clab.yaml").is_ok());
    assert_eq!(
        clab_err(&TOPO.replace("\"br:p1\"", "\"b:p1\"")),
        "t.clab.yaml:10:30: link endpoint \"b:p1\" names an unknown node \"b\": expected one of \"a\", \"br\""
    );
    assert_eq!(
        clab_err(&TOPO.replace("kind: bridge", "kind: ovs-bridge")),
        "t.clab.yaml:8:13: topology.nodes.br.kind: unknown variant `ovs-bridge`, expected `linux` or `bridge`"
    );
    assert_eq!(
        clab_err(&TOPO.replace("\"a:eth1\"", "\"a-eth1\"")),
        "t.clab.yaml:10:18: topology.links[0].endpoints: bad endpoint \"a-eth1\": expected \"node:interface\""
    );
    assert_eq!(
        clab_err(&TOPO.replace("\"br:p1\"", "\"br:a-very-long-ifname\"")),
        "t.clab.yaml:10:18: topology.links[0].endpoints: bad endpoint \"br:a-very-long-ifname\": interface name \"a-very-long-ifname\": Error: argument \"a-very-long-ifname\" is wrong: \"name\" not a valid ifname: expected at most 15 characters, none of them `/`, `:` or blank"
    );
    assert_eq!(
        clab_err(&TOPO.replace("network-mode: none", "network-mode: host")),
        "t.clab.yaml:6:21: topology.nodes.a.network-mode: unknown variant `host`, expected `none`"
    );
    assert_eq!(
        clab_err(&TOPO.replace("      network-mode", "      startup-config: x\n      network-mode")),
        "t.clab.yaml:6:7: topology.nodes.a: unknown field `startup-config`, expected one of `kind`, `image`, `network-mode`, `exec`"
    );
    // Bad YAML syntax: libyaml's message, position first.
    assert_eq!(
        clab_err(&TOPO.replace("    br:\n", "   br:\n")),
        "t.clab.yaml:7:4: did not find expected key, while parsing a block mapping at line 3 column 3"
    );
    assert_eq!(
        clab_err("name: \"t\ntopology:\n"),
        "t.clab.yaml:3:1: found unexpected end of stream, while scanning a quoted scalar at line 1 column 7"
    );
}

#[test]
fn ron_errors_name_file_line_column_and_what_was_expected() {
    let err = |s: &str| Scenario::from_ron(s, "t.ron").unwrap_err();
    assert_eq!(
        err("Scenario(\n    nodes: [\n        Node(name: \"a\", adresses: []),\n    ],\n)\n"),
        "t.ron:3:25: Unexpected field named `adresses` in `Node`, expected one of `name`, `sysctls`, `addresses`, `up`, or `routes` instead"
    );
    assert_eq!(
        err("Scenario(\n    nodes: [Node(name: \"a\")],\n    links: [Link(a: \"a:eth0\", b: \"b:eth0\")],\n)\n"),
        "t.ron:3:34: links[0]: endpoint \"b:eth0\" names an unknown node \"b\": expected one of \"a\", \"root\""
    );
    // a pair is created in the root namespace or a node, and moved from a node only to nodes
    assert_eq!(
        err("Scenario(\n    nodes: [Node(name: \"a\")],\n    links: [Link(a: \"a:e0\", b: \"root:e1\", created_in: Some(\"b\"))],\n)\n"),
        "t.ron:3:43: links[0]: created_in \"b\": unknown node: expected one of \"a\", \"root\""
    );
    assert_eq!(
        err("Scenario(\n    nodes: [Node(name: \"a\")],\n    links: [Link(a: \"a:e0\", b: \"root:e1\", created_in: Some(\"a\"))],\n)\n"),
        "t.ron:3:43: links[0]: created_in \"a\": an end in the root namespace cannot be moved there from a node"
    );
    assert_eq!(
        err("Scenario(\n    steps: [Run(\"a\")],\n)\n"),
        "t.ron:2:20: Expected tuple variant Step::Run with 2 elements but found one element instead"
    );
    assert_eq!(
        err("Scenario(\n    steps: [Ping],\n)\n"),
        "t.ron:2:13: Unexpected variant named `Ping` in enum `Step`, expected one of `Run`, `Note`, `Traffic`, or `Sh` instead"
    );
}

#[test]
fn cli_runs_and_converts_every_format() {
    let bin = env!("CARGO_BIN_EXE_nslab");
    let sc = root().join("scenarios");
    let o = std::process::Command::new(bin)
        .arg("run")
        .arg(sc.join("seed004-hostgw.clab.yaml"))
        .arg("--traffic")
        .arg(sc.join("seed004-hostgw.traffic.sh"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout)
        .ends_with("rtt min/avg/max/mdev = 0.080/0.107/0.160/0.038 ms\n"));
    let o = std::process::Command::new(bin)
        .arg("convert")
        .arg(sc.join("veth-pair.ron"))
        .args(["--to", "sh"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "ip netns add ns1\nip netns add ns2\nip netns exec ns1 ip link add veth0 type veth peer name veth1 netns ns2\nip netns exec ns1 ip addr add 10.1.1.2/24 dev veth0\nip netns exec ns1 ip link set veth0 up\nip netns exec ns2 ip addr add 10.1.1.3/24 dev veth1\nip netns exec ns2 ip link set veth1 up\n# --- traffic ---\nip netns exec ns1 ping -c 3 -i 0.2 10.1.1.3\n"
    );
    let dir = std::env::temp_dir().join(format!("nslab-front-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.clab.yaml");
    std::fs::write(&bad, TOPO.replace("\"br:p1\"", "\"b:p1\"")).unwrap();
    let o = std::process::Command::new(bin)
        .arg("run")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "bad.clab.yaml:10:30: link endpoint \"b:p1\" names an unknown node \"b\": expected one of \"a\", \"br\"\n"
    );
    let o = std::process::Command::new(bin)
        .arg("convert")
        .arg(&bad)
        .args(["--to", "yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A section (`### TITLE` up to the next `### `) of a kernel `state/<label>.txt`.
fn state_section(text: &str, title: &str) -> String {
    let mut out = String::new();
    let mut on = false;
    for l in text.lines() {
        if let Some(t) = l.strip_prefix("### ") {
            on = t == title;
            continue;
        }
        if on {
            out += l;
            out.push('\n');
        }
    }
    out
}

#[test]
fn final_addresses_and_routes_match_the_kernel_state() {
    for name in CLAB_KERNEL_IDENTICAL {
        let mut lab = run_text(
            &clab_with_traffic(name).to_shell(),
            &format!("{name}.clab.yaml"),
            1,
        );
        let dir = root().join(format!("tests/kernel/{name}-clab/state"));
        let mut labels: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let n = e.unwrap().file_name().to_string_lossy().into_owned();
                n.trim_end_matches(".txt").to_string()
            })
            .collect();
        labels.sort();
        assert!(labels.len() >= 5, "{labels:?}");
        for label in labels {
            let kernel = std::fs::read_to_string(dir.join(format!("{label}.txt"))).unwrap();
            assert!(lab.namespaces().contains(&label), "namespace {label}");
            for cmd in ["ip -4 -o addr", "ip -4 route show table all"] {
                let o = lab.exec(&label, cmd);
                assert_eq!(
                    o.stdout,
                    state_section(&kernel, cmd),
                    "{name} {label}: {cmd}"
                );
            }
        }
    }
}

#[test]
fn unusual_shell_text_still_renders_back_exactly() {
    // CRLF line endings and odd spacing stay part of the steps' text.
    let src = "ip netns add a\r\nip netns exec a ip link set lo up\r\n  ip netns add b\n\t# tab\n";
    let sc = Scenario::from_shell(src, "t.sh").unwrap();
    assert_eq!(sc.to_shell(), src);
    use frontends::Step::*;
    assert_eq!(
        sc.steps,
        vec![
            Sh("ip netns add a\r".into()),
            Run("a".into(), "ip link set lo up\r".into()),
            Sh("  ip netns add b".into()),
            Sh("\t# tab".into()),
        ]
    );
}

fn run_prepared(name: &str) -> Lab {
    let file = format!("{name}.clab.yaml");
    let src = read(&format!("scenarios/{file}"));
    let traffic = read(&format!("scenarios/{name}.traffic.sh"));
    let p = frontends::prepare(
        &src,
        &file,
        Format::Clab,
        Some((&traffic, &format!("{name}.traffic.sh"))),
    )
    .unwrap();
    let mut lab = Lab::new(1);
    let r = lab.run_parts(&p.parts, &p.text);
    assert_eq!((r.status, r.failures), (0, 0), "{}", lab.output());
    lab
}

#[test]
fn running_a_topology_is_running_its_conversion() {
    // `nslab run X.clab.yaml --traffic T` (parts with YAML line numbers, then T) gives the
    // same bytes and output as the one shell lab `convert --to sh --traffic T` prints.
    for name in CLAB_LABS {
        let a = run_prepared(name);
        let b = run_text(
            &clab_with_traffic(name).to_shell(),
            &format!("{name}.clab.yaml"),
            1,
        );
        assert_eq!(a.output(), b.output(), "{name}");
        assert!(a.pcapng() == b.pcapng(), "{name}");
    }
}

#[test]
fn runtime_messages_name_the_yaml_line() {
    let src = "name: t
topology:
  nodes:
    a:
      kind: linux
      network-mode: none
      exec:
        - ip link set eth1 up
        - ip route add 10.9.0.0/16 via 10.0.0.9
        - ip link set nosuch up
  links:
    - endpoints: [\"a:eth1\", \"a:eth2\"]
";
    let traffic = "ip netns exec a ip link set x up\n";
    let p = frontends::prepare(src, "t.clab.yaml", Format::Clab, Some((traffic, "t.sh"))).unwrap();
    let mut lab = Lab::new(1);
    let r = lab.run_parts(&p.parts, &p.text);
    assert_eq!(r.failures, 3);
    assert_eq!(
        lab.output(),
        "t.clab.yaml:9: Error: Nexthop has invalid gateway.\n\
         t.clab.yaml:10: Cannot find device \"nosuch\"\n\
         t.sh:1: Cannot find device \"x\"\n"
    );
}

#[test]
fn exec_lines_are_split_as_containerlab_does_not_run_by_a_shell() {
    let topo = |exec: &str| {
        format!(
            "name: t\ntopology:\n  nodes:\n    a:\n      kind: linux\n      network-mode: none\n      exec:\n{exec}"
        )
    };
    let sc = clab::from_clab(
        &topo(
            "        - echo 1 > /proc/sys/net/ipv4/ip_forward\n        - 'sysctl -w \"net.ipv4.conf.all.forwarding=1\"'\n        - echo \"it's\" $HOME # note\n",
        ),
        "t.clab.yaml",
    )
    .unwrap();
    use frontends::Step::*;
    assert_eq!(
        sc.steps[1..],
        [
            Run(
                "a".into(),
                "echo 1 '>' /proc/sys/net/ipv4/ip_forward".into()
            ),
            Run(
                "a".into(),
                "sysctl -w net.ipv4.conf.all.forwarding=1".into()
            ),
            Run("a".into(), "echo 'it'\\''s' '$HOME'".into()),
        ]
    );
    let lab = run_text(&sc.to_shell(), "t.clab.yaml", 1);
    // No shell in containerlab's exec: `>` and `$HOME` are echo's arguments.
    assert_eq!(
        lab.output(),
        "1 > /proc/sys/net/ipv4/ip_forward\nnet.ipv4.conf.all.forwarding = 1\nit's $HOME\n"
    );
    assert_eq!(
        clab::from_clab(&topo("        - echo \"oops\n"), "t.clab.yaml").unwrap_err(),
        "t.clab.yaml:8: exec item \"echo \\\"oops\" of node \"a\": EOF found when expecting closing quote: expected a command line as containerlab splits it"
    );
}

/// A shell lab without a marker run with `--traffic T` gets the marker before T, as
/// `convert --to sh --traffic T` prints it: the traffic phase (its capture and stdout) is the
/// same.
#[test]
fn running_a_shell_lab_with_traffic_is_running_its_conversion() {
    let lab = "ip netns add a\nip netns exec a ip link set lo up\n\
               ip netns exec a ping -c 1 127.0.0.1 > /dev/null\n";
    let traffic = "ip netns exec a ping -c 2 -i 0.2 127.0.0.1\n";
    let p = frontends::prepare(lab, "l.sh", Format::Shell, Some((traffic, "t.sh"))).unwrap();
    let mut a = Lab::new(1);
    a.run_parts(&p.parts, &p.text);
    let mut sc = frontends::load(lab, "l.sh", Format::Shell).unwrap();
    frontends::add_traffic(&mut sc, traffic);
    let b = run_text(&sc.to_shell(), "l.sh", 1);
    assert!(a.traffic_pkt.is_some() && a.traffic_pkt == b.traffic_pkt);
    assert_eq!(a.traffic_stdout(), b.traffic_stdout());
    assert!(a.traffic_stdout().contains("2 packets transmitted"));
    assert!(a.pcapng_traffic() == b.pcapng_traffic());
}
