//! Issue 17: the networking programs tutorials and the kernel selftests use (net-tools
//! `ifconfig`/`arp`, `ping -I/-b`, `ip neigh get`, ...) against the real programs' recorded
//! output, and the labs of `scenarios/web/` against their kernel recordings.

use crate::support::{self, root};

/// Masks what differs between runs of the real programs: ping's times.
fn mask_times(text: &str) -> String {
    let t = regex::Regex::new(r"time[= ][0-9.]+ ?ms").unwrap();
    text.lines()
        .map(|l| {
            if l.starts_with("rtt ") {
                "rtt".to_string()
            } else {
                t.replace_all(l, "time T").into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `tests/recorded/web17/NAME.sh` and compares its output as bash writes it into a file
/// (without nslab's `FILE:LINE: ` pointers) with the real programs' output in `NAME.out` (recorded with
/// `PATH=oracle/lib/shim:$PATH bash NAME.sh > NAME.out 2>&1`: the shim disables IPv6 in each
/// namespace as the lab's are).
fn compare_recorded(name: &str) {
    let dir = root().join("tests/recorded/web17");
    let src = std::fs::read_to_string(dir.join(format!("{name}.sh"))).unwrap();
    let want = std::fs::read_to_string(dir.join(format!("{name}.out"))).unwrap();
    let (lab, _) = support::run(&src, &format!("{name}.sh"));
    let got = lab.bash_output();
    assert_eq!(mask_times(&got), mask_times(&want), "{name}");
}

/// `ip -j` / `ip -j -p` of links and addresses and the jq pipelines tutorials run on them,
/// against iproute2 6.1 and jq 1.6 on the kernel (`tests/recorded/json/iplink-json.sh`,
/// recorded with the oracle's shim; MACs and the peer's nsid masked by the lab itself).
#[test]
fn ip_json_link_and_addr_match_iproute2() {
    compare_json("iplink-json");
}

/// `ip -j [-p] route` (main table, one table, `table all` with the route types) and jq on it,
/// against iproute2 6.1 and jq on the kernel (`tests/recorded/json/iproute-json.sh`).
#[test]
fn ip_json_route_matches_iproute2() {
    compare_json("iproute-json");
}

/// `ip -j [-p] neigh` (REACHABLE, INCOMPLETE and PERMANENT entries, `show dev`) and jq on
/// it, against iproute2 6.1 on the kernel (`tests/recorded/json/ipneigh-json.sh`).
#[test]
fn ip_json_neigh_matches_iproute2() {
    compare_json("ipneigh-json");
}

/// `bridge -j [-p] [-d]` of the fdb (all, `dev`, `br`, VXLAN remotes) and of the ports, and
/// jq on them, against iproute2 6.1 and jq on the host kernel
/// (`tests/recorded/json/bridge-json.sh`).
#[test]
fn bridge_json_fdb_and_link_match_iproute2() {
    compare_json("bridge-json");
}

/// `bridge -j [-p] [-d] vlan show` and the VLAN fdb entries of a VLAN-filtering bridge,
/// against iproute2 6.1 on the oracle VM's Linux 6.1 (`tests/recorded/json/bridge-vlan-json.sh`).
#[test]
fn bridge_json_vlan_matches_iproute2() {
    compare_json("bridge-vlan-json");
}

/// `ip -j` and text listings with selectors (`show up`: `{}` for a device that is down,
/// `type KIND`, `type KIND_slave`, `master`, `dev`, `-4`, `-br`, `route show table N`) and
/// jq on them, against iproute2 6.1 (`tests/recorded/json/ipsel-json.sh`).
#[test]
fn ip_json_selectors_match_iproute2() {
    compare_json("ipsel-json");
}

/// The nsids the kernel allocates (`peernet2id_alloc` on link messages and device moves),
/// `ip netns set|list|list-id|attach` and `link-netns`/`link-netnsid`/`link_netnsid`,
/// against iproute2 6.1 on the kernel (`tests/recorded/json/netns-ids.sh`, recorded under
/// `unshare -n`: the initial namespace has no name).
#[test]
fn netns_ids_match_the_kernel() {
    compare_json("netns-ids");
}

/// Runs `tests/recorded/json/NAME.sh` and compares what it prints with `NAME.out`.
fn compare_json(name: &str) {
    let dir = root().join("tests/recorded/json");
    let src = std::fs::read_to_string(dir.join(format!("{name}.sh"))).unwrap();
    let want = std::fs::read_to_string(dir.join(format!("{name}.out"))).unwrap();
    let (lab, _) = support::run(&src, &format!("{name}.sh"));
    assert_eq!(lab.bash_output(), want, "{name}");
}

#[test]
fn net_tools_ping_bind_and_neigh_get_match_the_real_programs() {
    compare_recorded("nettools");
}

/// The labs of `scenarios/web/` (tutorial-style, written for issue 17), each recorded on the
/// kernel with the oracle's `record` into `tests/kernel/<lab>/` (both recorder runs
/// identical: `determinism.txt`).
const WEB_LABS: &[&str] = &[
    "web01-netns-veth",
    "web02-bridge-three",
    "web03-router-two-subnets",
    "web04-nat-masquerade",
    "web05-dnat-port-forward",
    "web06-vxlan-two-hosts",
    "web07-vxlan-flannel-static",
    "web08-k8s-pods-same-node",
    "web09-k8s-hostgw-routes",
    "web10-k8s-clusterip",
    "web11-nettools-static-arp",
    "web12-arping-gratuitous",
    "web13-firewall-heredoc",
    "web14-routed-pod-proxyarp",
    "web15-nat-http-conntrack",
    "web16-ip-json-jq",
    "web17-bridge-json-jq",
    "web18-socat-port-forward",
];

fn run_web_lab(name: &str) -> nslab::Lab {
    let src = std::fs::read_to_string(root().join(format!("scenarios/web/{name}.sh"))).unwrap();
    let (lab, r) = support::run(&src, &format!("{name}.sh"));
    assert_eq!(r.status, 0, "{name}:\n{}", lab.output());
    lab
}

#[test]
fn web_labs_match_the_kernel_recordings() {
    let mut failed = Vec::new();
    for name in WEB_LABS {
        let dir = format!("tests/kernel/{name}");
        let lab = run_web_lab(name);
        let rep = support::compare_with_kernel(&lab, &dir);
        if !rep.is_identical() {
            failed.push(format!("{name}: capture\n{rep}"));
        }
        let want = support::kernel_recording(&dir)
            .stdout_norm
            .expect("stdout.norm.txt");
        let got = crate::support::oracle::normalize_stdout(&lab.traffic_stdout());
        if got != want {
            failed.push(format!(
                "{name}: stdout\n--- kernel\n{}\n--- nslab\n{}",
                want.join("\n"),
                got.join("\n")
            ));
        }
        assert!(
            !lab.output().contains("not modelled"),
            "{name}: {}",
            lab.output()
        );
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// ping's numeric destinations in inet_aton's forms (`127.1`, `0x7f.1`, `192.168.100`),
/// against iputils ping (`tests/recorded/web17/ping-forms.sh`).
#[test]
fn ping_short_address_forms_match_iputils() {
    compare_recorded("ping-forms");
}

/// `curl http://localhost:PORT/`: curl's own resolution of `localhost` (connection refused,
/// error 7), against curl 7.88 (`tests/recorded/web17/curl-localhost.sh`).
#[test]
fn curl_resolves_localhost_as_curl_does() {
    compare_recorded("curl-localhost");
}

/// socat 1.7.4's TCP and UDP listeners and clients (`-u`, `fork`, `reuseaddr`, UDP-LISTEN
/// connected to its first peer) and its error messages, the pid in `socat[PID]` being `$!`
/// for a background job, against the real socat in two namespaces
/// (`tests/recorded/web17/socat.sh`, recorded with `bash socat.sh > socat.out 2>&1`).
#[test]
fn socat_matches_the_real_socat() {
    compare_recorded("socat");
}

/// socat with nc at the other end, request/response between two socats whose stdin is a
/// here-string (stdin's EOF a half-close, the peer's EOF the end), a connected UDP client's
/// `Connection refused` from the ICMP port unreachable, against the real programs
/// (`tests/recorded/web17/socat-nc.sh`).
#[test]
fn socat_exchanges_match_the_real_socat_and_nc() {
    compare_recorded("socat-nc");
}

/// `ip help`, `ip`, `ip link help`, `ip addr help`, `ip route help`, `bridge help`, `bridge`
/// (and prefixes of `help`): the usage on stderr, status 255, against iproute2 6.1
/// (`tests/recorded/web17/iproute2-help.sh`).
#[test]
fn iproute2_help_matches_iproute2() {
    compare_recorded("iproute2-help");
}

/// A pipeline in the background (`printf ... | nc -l -p 9000 &`) is one background job whose
/// last command keeps running while the script goes on, and `$!` is that command's pid (killed:
/// status 143), against bash 5.2 and openbsd nc (`tests/recorded/web17/bg-pipeline.sh`).
#[test]
fn background_pipeline_matches_bash() {
    compare_recorded("bg-pipeline");
}

#[test]
fn arping_matches_the_real_arping() {
    compare_recorded("arping");
}

/// README.md's section between `<!-- NAME:begin -->` and `<!-- NAME:end -->` is `want`;
/// with `NSLAB_UPDATE_README=1` it is rewritten instead.
fn readme_section(name: &str, want: &str) {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        format!("<!-- {name}:begin -->"),
        format!("<!-- {name}:end -->\n"),
    );
    let (Some(b), Some(e)) = (readme.find(&begin), readme.find(&end)) else {
        panic!("README.md has no {begin} ... {end} section");
    };
    let have = &readme[b..e + end.len()];
    if have != want && std::env::var_os("NSLAB_UPDATE_README").is_some() {
        let new = format!("{}{want}{}", &readme[..b], &readme[e + end.len()..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        have, want,
        "README.md's {name} section is stale: run with NSLAB_UPDATE_README=1"
    );
}

/// README.md's list of programs is the one `programs::readme_programs` generates from the
/// program table; `NSLAB_UPDATE_README=1` rewrites it.
#[test]
fn readme_program_list() {
    readme_section("programs", &nslab::programs::readme_programs());
}

/// README.md's table of link kinds, qdiscs and sysctls is the one `modelled::readme_modelled`
/// finds by trying each in a lab; `NSLAB_UPDATE_README=1` rewrites it.
#[test]
fn readme_modelled_table() {
    readme_section("modelled", &nslab::modelled::readme_modelled());
}

/// The README starts with the two commands: run a lab, run the tests.
#[test]
fn readme_starts_with_the_two_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first_block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap_or("");
    let lines: Vec<&str> = first_block.lines().collect();
    assert_eq!(
        lines,
        [
            "cargo run --release -- run scenarios/seed000-veth-proxyarp.sh --pcap out.pcapng",
            "cargo test --workspace"
        ]
    );
}

#[test]
fn tcpdump_reads_back_the_capture_the_lab_wrote() {
    compare_recorded("tcpdump-r");
}

/// `unshare --net` and the nsenter forms (`--net=FILE`, `-t PID -n`, `--target PID --net`).
/// Recorded without the oracle's shim (its `ip` forks, so `$!` would not be in the namespace);
/// no command here shows IPv6.
#[test]
fn unshare_and_nsenter_match_util_linux() {
    compare_recorded("unshare");
}

/// The kernel selftests in forwarding/ `source ../lib.sh`: a lab reads the files of its
/// directory's parent too (read-only), as `bash lab.sh` there would (bash 5.2 printed the same).
#[test]
fn a_lab_sources_files_of_its_parent_directory() {
    let dir = std::env::temp_dir().join(format!("nslab-web17-src-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("lib.sh"), "echo \"lib: $# $1\"\n").unwrap();
    let lab_path = dir.join("sub/lab.sh");
    let src = "source ../lib.sh\ncat /lib.sh\ncat ../nosuch.sh\necho \"st=$?\"\n";
    std::fs::write(&lab_path, src).unwrap();
    let mut lab = nslab::Lab::new(1);
    lab.run_shell(src, lab_path.to_str().unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    let out = lab.output();
    assert!(out.starts_with("lib: 0 \necho \"lib: $# $1\"\n"), "{out}");
    assert!(
        out.contains("cat: ../nosuch.sh: No such file or directory\n"),
        "{out}"
    );
    assert!(out.contains("st=1\n"), "{out}");
}

/// A lab using what nslab lacks runs up to that line, says `nslab: X is not modelled yet`
/// there with status 127 (bash's for a missing command), goes on as bash would (`|| echo`,
/// `$?`, `set -e` stopping), and lists what was missing at the end.
#[test]
fn unmodelled_commands_are_reported_where_they_are_and_the_lab_goes_on() {
    let src = "ip netns add a\n\
               nft add table inet x; echo \"st=$?\"\n\
               ip netns exec a nft list ruleset || echo fallback\n\
               socat - EXEC:cat </dev/null\n\
               ip netns exec a python3 -c 'print(1)'\n\
               echo reached\n\
               set -e\n\
               nft list ruleset\n\
               echo not-reached\n";
    let (lab, r) = support::run(src, "lab.sh");
    assert_eq!(
        lab.output(),
        "lab.sh:2: nslab: nft is not modelled yet\nst=127\n\
         lab.sh:3: nslab: nft is not modelled yet\nfallback\n\
         lab.sh:4: nslab: socat EXEC is not modelled yet\n\
         lab.sh:5: nslab: python3 -c is not modelled yet\nreached\n\
         lab.sh:8: nslab: nft is not modelled yet\n\
         nslab: not modelled in this lab: nft (3), python3 -c (1), socat EXEC (1)\n"
    );
    assert_eq!(r.status, 127);
}

/// traceroute 2.1.2: UDP and ICMP probes, `-n`, `-q`, `-w`, `-m`, an unreachable network
/// (`!N`), a REJECT with host-unreachable (`!H`), the usage and option errors. The kernel
/// rate-limits ICMP errors per peer (not modelled): the recording waits 7 s between runs.
#[test]
fn traceroute_matches_the_real_traceroute() {
    compare_recorded("traceroute");
}

/// `sleep N &` is a process on the simulated clock (it used to pause the lab for N seconds),
/// `$!` names it for `kill`/`wait`/`nsenter -t`, SIGTERM ends it with 143 (bash 5.2 and
/// util-linux 2.38 give the same lines and statuses; `date +%s` is the simulated clock).
#[test]
fn background_sleep_is_a_process() {
    let src = "ip netns add a\nip netns exec a sleep 3 &\nnsenter -t $! -n ip netns identify\n\
               kill $!; wait $!; echo \"st=$?\"\nsleep 1 &\nwait $!; echo \"st=$?\"\ndate +%s\n";
    let (lab, _) = support::run(src, "lab.sh");
    assert_eq!(lab.output(), "a\nst=143\nst=0\n1\n");
}

/// IPv6 is disabled in every namespace, but its conf/all, conf/default and route knobs exist
/// as on the recording kernel (pmtu.sh sets accept_dad before its IPv4 tests): recorded with
/// procps-ng 4.0.2 in a fresh namespace.
#[test]
fn ipv6_conf_knobs_exist_and_keep_what_is_written() {
    let src = "ip netns add a\nip netns exec a sh -c \"sysctl -w net.ipv6.conf.all.forwarding=1; sysctl net.ipv6.conf.default.accept_dad net.ipv6.route.mtu_expires net.ipv6.conf.all.keep_addr_on_down; sysctl -q net/ipv6/conf/default/accept_dad=0; cat /proc/sys/net/ipv6/conf/default/accept_dad\"\n";
    let (lab, _) = support::run(src, "lab.sh");
    assert_eq!(
        lab.output(),
        "net.ipv6.conf.all.forwarding = 1\nnet.ipv6.conf.default.accept_dad = 1\n\
         net.ipv6.route.mtu_expires = 600\nnet.ipv6.conf.all.keep_addr_on_down = 0\n0\n"
    );
}

/// `ip netns set NAME NSID|auto` gives the running namespace an nsid for a peer
/// (`rtnl_net_newid`), which `ip netns list` then shows; a namespace without ids lists bare
/// names. Texts and statuses recorded with iproute2 6.1 inside a namespace (fib_tests.sh's
/// setup runs `ip netns set ns1 auto`).
#[test]
fn ip_netns_set_assigns_nsids() {
    let src = "ip netns add a\nip netns add b\nip netns add c\nip netns add d\n\
               ip netns exec a sh -c 'ip netns list; ip netns set b auto; echo rc=$?; \
               ip netns set c auto; ip netns set c 5; echo rc=$?; ip netns set b 7; echo rc=$?; \
               ip netns set nosuch auto; echo rc=$?; ip netns set b; echo rc=$?; \
               ip netns set b abc; echo rc=$?; ip netns set b -5; echo rc=$?; ip netns set; echo rc=$?; \
               ip netns set a 3; echo rc=$?; ip netns set d 0; echo rc=$?; \
               ip netns set d 2147483648; echo rc=$?; ip netns set d 0x10; echo rc=$?; ip netns list' 2>&1\n\
               ip netns list\nip netns del b\nip netns exec a ip netns list\n";
    let (lab, _) = support::run(src, "lab.sh");
    // (the front end prefixes a tool's stderr with the script's FILE:LINE)
    assert_eq!(
        lab.output().replace("lab.sh:5: ", ""),
        "a\nb\nc\nd\nrc=0\n\
         Error: Peer netns already has a nsid assigned.\nrc=2\n\
         Error: Peer netns already has a nsid assigned.\nrc=2\n\
         Cannot open network namespace \"nosuch\": No such file or directory\nrc=1\n\
         No nsid specified\nrc=1\n\
         Error: argument \"abc\" is wrong: Invalid \"netnsid\" value\nrc=255\n\
         Error: argument \"-5\" is wrong: \"netnsid\" value should be >= 0\nrc=255\n\
         No netns name specified\nrc=1\nrc=0\n\
         Error: The specified nsid is already used.\nrc=2\n\
         Error: argument \"2147483648\" is wrong: Invalid \"netnsid\" value\nrc=255\nrc=0\n\
         a (id: 3)\nb (id: 0)\nc (id: 1)\nd (id: 16)\n\
         a\nb\nc\nd\n\
         a (id: 3)\nc (id: 1)\nd (id: 16)\n"
    );
}

/// `ping -f` (iputils 20221126, as root): a `.` per echo, a backspace per reply, `\bE` per
/// ICMP error, no reply lines, `ipg/ewma` after the rtt line, with `-q`, with `-i` and to
/// loopback; numbers masked by the lab (the kernel's timing differs), structure, counts and
/// statuses exact (`tests/recorded/web17/ping-flood.sh`).
#[test]
fn ping_flood_matches_the_real_ping() {
    compare_recorded("ping-flood");
}
