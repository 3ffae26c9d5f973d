//! Model behaviours checked against what the kernel prints.

use crate::support;
use nslab::Lab;

fn run(src: &str) -> String {
    let (lab, r) = support::run(src, "model.sh");
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

#[test]
fn http_server_job_curl_ss_and_kill() {
    let out = run(r#"ip netns add pod
ip netns exec pod ip link set lo up
echo hello > index.txt
ip netns exec pod python3 -m http.server --bind 127.0.0.1 8080 &
ip netns exec pod ss -tln | grep -q '127.0.0.1:8080' && echo listening
ip netns exec pod curl -sS http://127.0.0.1:8080/index.txt
ip netns exec pod curl -sS -o got.txt http://127.0.0.1:8080/index.txt
cat got.txt
ip netns exec pod curl -s http://127.0.0.1:8081/ || echo "rc=$?"
ip netns exec pod curl -sS http://127.0.0.1:8081/ || echo "rc=$?"
kill %1
wait
ip netns exec pod ss -tln | grep -c LISTEN || echo none
curl -sS nosuchhost || echo "rc=$?"
"#);
    assert_eq!(
        out,
        "Serving HTTP on 127.0.0.1 port 8080 (http://127.0.0.1:8080/) ...\nlistening\n\
         127.0.0.1 - - [01/Jan/1970 00:00:00] \"GET /index.txt HTTP/1.1\" 200 -\nhello\n\
         127.0.0.1 - - [01/Jan/1970 00:00:00] \"GET /index.txt HTTP/1.1\" 200 -\nhello\nrc=7\n\
         curl: (7) Failed to connect to 127.0.0.1 port 8081 after 0 ms: Couldn't connect to server\nrc=7\n\
         0\nnone\n\
         curl: (6) Could not resolve host: nosuchhost\nrc=6\n"
    );
}

#[test]
fn ip_tunnel_show_and_link_details_as_iproute2() {
    let out = run("ip netns add a\n\
        ip netns exec a ip tunnel add tun1 mode ipip remote 10.0.0.2 local 10.0.0.1 ttl 9\n\
        ip netns exec a ip link add ipx type ipip local 10.0.0.1 nopmtudisc\n\
        ip netns exec a ip tunnel show\n\
        ip netns exec a ip tunnel show tun1\n\
        ip netns exec a ip -d link show tun1\n\
        ip netns exec a ip link show ipx\n");
    assert!(out.contains("tunl0: any/ip remote any local any ttl inherit nopmtudisc\ntun1: ip/ip remote 10.0.0.2 local 10.0.0.1 ttl 9\nipx: any/ip remote any local 10.0.0.1 ttl inherit nopmtudisc\n"), "{out}");
    assert!(
        out.contains("\ntun1: ip/ip remote 10.0.0.2 local 10.0.0.1 ttl 9\n3: tun1@NONE"),
        "{out}"
    );
    assert!(out.contains("3: tun1@NONE: <POINTOPOINT,NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ipip 10.0.0.1 peer 10.0.0.2 promiscuity 0  allmulti 0 minmtu 68 maxmtu 65515 \n    ipip ipip remote 10.0.0.2 local 10.0.0.1 ttl 9 pmtudisc numtxqueues 1"), "{out}");
    assert!(out.contains("4: ipx@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ipip 10.0.0.1 brd 0.0.0.0\n"), "{out}");
}

#[test]
fn ipip_without_a_matching_tunnel_is_answered_with_port_unreachable() {
    // ns1 tunnels to ns2, which has no tunnel (only the fallback tunl0, down): tunnel4_rcv
    // finds no handler that takes the packet, sends ICMP port unreachable and frees it.
    let mut lab = Lab::new(1);
    let r = lab.run_shell(
        "ip netns add ns1\nip netns add ns2\n\
         ip link add v1 netns ns1 type veth peer name v2 netns ns2\n\
         ip -n ns1 addr add 10.0.0.1/24 dev v1\nip -n ns1 link set v1 up\n\
         ip -n ns2 addr add 10.0.0.2/24 dev v2\nip -n ns2 link set v2 up\n\
         ip netns exec ns1 ip tunnel add t1 mode ipip remote 10.0.0.2 local 10.0.0.1\n\
         ip -n ns1 link set t1 up\nip -n ns1 addr add 192.168.0.1 peer 192.168.0.2 dev t1\n\
         ip netns exec ns1 ping -c 1 -W 1 192.168.0.2\n",
        "model.sh",
    );
    assert_eq!(r.failures, 1, "{}", lab.output());
    let ifaces = lab.interfaces();
    let text: Vec<String> = lab
        .packets()
        .iter()
        .map(|p| support::packet_line(ifaces[p.iface].linktype, p.data))
        .collect();
    assert!(
        text.iter().any(|l| l.contains(
            "(tos 0xc0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), length 132) \
             10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 protocol 4 port 84 unreachable, length 112 \
             (tos 0x0, ttl 64,"
        )),
        "{text:#?}"
    );
    assert!(
        nslab::lab::drops_report(&lab).contains("ns2 v2 drop NOT_SPECIFIED in tunnel4_rcv"),
        "{}",
        nslab::lab::drops_report(&lab)
    );
    // The inner packet was captured on the tunnel as raw IP.
    let t1 = ifaces.iter().position(|c| c.name == "ns1:t1").unwrap();
    assert_eq!(ifaces[t1].linktype, 101);
}

/// A device's ifindex and whether it is administratively up, from `ip -o link show`.
fn ifindex_and_up(lab: &mut Lab, ns: &str, dev: &str) -> (u32, bool) {
    let o = lab.exec(ns, &format!("ip -o link show dev {dev}"));
    let (index, rest) = o.stdout.split_once(": ").expect("ip -o link line");
    let flags = rest
        .split_once('<')
        .and_then(|(_, r)| r.split_once('>'))
        .map_or("", |x| x.0);
    (
        index.parse().expect("ifindex"),
        flags.split(',').any(|f| f == "UP"),
    )
}

#[test]
fn the_ipip_module_loads_on_first_use_and_adds_tunl0_everywhere() {
    // A lab that names no tunnel until a later line still gets tunl0 in every namespace once
    // `ip tunnel add` loads the module (here only through the Lab API, which skips the
    // boot-time scan of a script's text): existing namespaces get the next free ifindex.
    let mut lab = Lab::new(1);
    let r = lab.run_shell(
        "ip netns add a\nip -n a link add d0 type dummy\n",
        "model.sh",
    );
    assert_eq!(r.failures, 0);
    // Not loaded: no tunl0 anywhere.
    assert!(!lab.devices().iter().any(|(_, d)| d == "tunl0"));
    assert!(!lab.devices().contains(&("a".into(), "tunl0".into())));
    lab.modprobe("ipip").unwrap();
    assert_eq!(ifindex_and_up(&mut lab, "a", "tunl0"), (3, false));
    let r = lab.run_shell("ip netns add b\nip -n b -br link show tunl0\n", "model.sh");
    assert_eq!(r.failures, 0);
    assert!(
        lab.output()
            .contains("tunl0@NONE       DOWN           0.0.0.0 <NOARP> \n"),
        "{}",
        lab.output()
    );
    // A script using ipip boots with the module loaded: tunl0 is ifindex 2 everywhere.
    let mut lab = Lab::new(1);
    lab.run_shell(
        "ip netns add c\nip netns exec c ip link set tunl0 up\n",
        "model.sh",
    );
    assert_eq!(ifindex_and_up(&mut lab, "c", "tunl0"), (2, true));
    assert!(!nslab::lab::uses_ipip(
        "# ipip in a comment\nip link show\n"
    ));
    assert!(nslab::lab::uses_ipip("ip tunnel add t mode ipip\n"));
}

/// A drop with no device still names its namespace: ns b answers a ping it has no route back
/// for (its address is a /32), and the reply dies in `ip_route_output_flow`.
#[test]
fn a_locally_generated_packet_without_a_route_is_dropped_in_its_namespace() {
    let mut lab = Lab::new(1);
    lab.run_shell(
        "ip netns add a\nip netns add b\nip link add va type veth peer name vb\n\
         ip link set va netns a\nip link set vb netns b\n\
         ip netns exec a ip addr add 10.0.0.1/24 dev va\n\
         ip netns exec b ip addr add 10.0.0.2/32 dev vb\n\
         ip netns exec a ip link set va up\nip netns exec b ip link set vb up\n\
         ip netns exec a ping -c 1 -W 1 10.0.0.2\n",
        "t.sh",
    );
    let drops = nslab::lab::drops_report(&lab);
    assert!(
        drops.contains(" b - drop IP_OUTNOROUTES in ip_route_output_flow\n"),
        "{drops}"
    );
}

#[test]
fn ip_netns_pids_and_identify_pid() {
    // Recorded with iproute2 6.1 on Linux (namespaces pids17-a/b; the job's pid replaced by
    // P, the pid of `$!`): `ip netns pids` lists the processes of a namespace, `ip netns
    // identify PID` names the namespace of a process, with these texts and statuses.
    let src = "ip netns add a\nip netns add b\nip netns exec a sleep 30 &\nP=$!\n\
               ip netns pids a | sed \"s/^$P\\$/P/\"; echo rc=$?\nip netns pids b; echo rc=$?\n\
               ip netns pids nosuch; echo rc=$?\nip netns identify $P; echo rc=$?\n\
               ip netns identify 999999; echo rc=$?\nip netns identify abc; echo rc=$?\n\
               ip netns identify 1 2; echo rc=$?\nip netns pids; echo rc=$?\n\
               ip netns pids a b; echo rc=$?\nip netns pids ''; echo rc=$?\n\
               ip netns pids a/b; echo rc=$?\nip netns identify ''; echo rc=$?\n\
               ip netns identify 0$P; echo rc=$?\nkill $P; wait $P\nip netns pids a; echo rc=$?\n\
               ip netns identify $P; echo rc=$?\n";
    let (lab, _) = support::run(src, "model.sh");
    let want = "P\nrc=0\nrc=0\n\
                Cannot open network namespace: No such file or directory\nrc=1\n\
                a\nrc=0\n\
                Cannot open network namespace: No such file or directory\nrc=1\n\
                Specified string 'abc' is not a pid\nrc=1\n\
                extra arguments specified\nrc=1\n\
                No netns name specified\nrc=1\n\
                extra arguments specified\nrc=1\n\
                Invalid netns name \"\"\nrc=255\n\
                Invalid netns name \"a/b\"\nrc=255\n\
                Invalid netns name \"\"\nrc=255\n\
                Cannot open network namespace: No such file or directory\nrc=1\n\
                rc=0\n\
                Cannot open network namespace: No such file or directory\nrc=1\n";
    assert_eq!(lab.bash_output(), want);
}
