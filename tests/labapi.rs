//! The `Lab` handle (`src/lab/handle.rs`): one command in a namespace with its own output and
//! status (texts as the real `ip netns exec` prints them), the clock under the caller's control,
//! frames injected on a device, and a namespace's state.

use crate::support;
use nslab::{Duration, Lab};

/// Two namespaces on a veth pair: a 10.0.0.1/24, b 10.0.0.2/24, both up.
fn pair_seeded(seed: u64) -> Lab {
    let mut lab = Lab::builder().seed(seed).build();
    let r = lab.sh("ip netns add a\nip netns add b\n\
         ip -n a link add eth0 type veth peer name eth0 netns b\n\
         ip -n a addr add 10.0.0.1/24 dev eth0\nip -n b addr add 10.0.0.2/24 dev eth0\n\
         ip -n a link set eth0 up\nip -n b link set eth0 up\n");
    assert_eq!((r.status, r.failures), (0, 0), "{}", lab.output());
    lab
}

fn pair() -> Lab {
    pair_seeded(1)
}

/// Texts recorded with the real `ip netns exec` (iproute2 6.1) on this host.
#[test]
fn exec_returns_what_the_command_printed_and_its_status() {
    let mut lab = Lab::new(1);
    lab.sh("ip netns add y\n");
    let o = lab.exec("y", "ip -o link show dev lo");
    assert_eq!(o.status, 0);
    assert_eq!(
        o.stdout,
        "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
    );
    assert_eq!(o.stderr, "");
    let o = lab.exec("nosuch", "true");
    assert_eq!(o.status, 255);
    assert_eq!(
        o.stderr,
        "Cannot open network namespace \"nosuch\": No such file or directory\n"
    );
    // None of it went to the lab's terminal.
    assert_eq!(lab.output(), "");
    // The initial namespace is `root`.
    assert_eq!(lab.exec("root", "ip -o link show dev lo").status, 0);
    assert_eq!(lab.namespaces(), ["root", "y"]);
}

#[test]
fn background_jobs_run_as_the_caller_moves_the_clock() {
    let mut lab = pair();
    lab.sh("ip netns exec a ping -c 3 -i 0.5 10.0.0.2 &\n");
    let start = lab.now();
    assert!(!lab.output().contains("packets transmitted"));
    lab.run_until(start + Duration::from_millis(1500));
    assert_eq!(lab.now(), start + Duration::from_millis(1500));
    assert!(
        lab.output()
            .contains("3 packets transmitted, 3 received, 0% packet loss"),
        "{}",
        lab.output()
    );
    // Every frame so far is at or before the clock; an idle lab's queue runs dry.
    assert!(lab.packets().iter().all(|p| p.time <= lab.now()));
    let mut n = 0;
    while lab.step() && n < 1_000_000 {
        n += 1;
    }
    assert!(!lab.step());
}

/// An ARP request injected on b's eth0 for b's address is answered (`arp_process`): the reply
/// goes back out of eth0 to the requester's MAC with b's MAC and address.
#[test]
fn an_injected_arp_request_is_answered() {
    let mut lab = pair();
    let bmac = support::mac_bytes(&mut lab, "b", "eth0");
    let me = [2, 0, 0, 0, 0, 0x42];
    let mut arp = vec![0, 1, 8, 0, 6, 4, 0, 1];
    arp.extend_from_slice(&me);
    arp.extend_from_slice(&[10, 0, 0, 9]);
    arp.extend_from_slice(&[0; 6]);
    arp.extend_from_slice(&[10, 0, 0, 2]);
    let frame = support::eth_frame([0xff; 6], me, 0x0806, &arp);
    let before = lab.packets().len();
    lab.inject("b", "eth0", frame).unwrap();
    lab.run_for(Duration::from_millis(1));
    let ifaces = lab.interfaces();
    let reply = lab.packets()[before..]
        .iter()
        .find(|p| ifaces[p.iface].name == "b:eth0" && p.data.get(20..22) == Some(&[0, 2]))
        .map(|p| p.data.to_vec())
        .expect("an ARP reply on b:eth0");
    assert_eq!(reply[0..6], me);
    assert_eq!(reply[22..28], bmac);
    assert_eq!(reply[28..32], [10, 0, 0, 2]);
    assert_eq!(reply[32..38], me);
    assert_eq!(reply[38..42], [10, 0, 0, 9]);
    assert!(lab.inject("b", "nosuch", vec![]).is_err());
    assert!(lab
        .exec("b", "ip -4 neigh")
        .stdout
        .contains("10.0.0.9 dev eth0 lladdr 02:00:00:00:00:42 STALE"));
}

#[test]
fn state_is_one_namespace_s_section() {
    let mut lab = pair();
    lab.exec("a", "ping -c 1 10.0.0.2");
    let s = lab.state("a");
    assert!(s.starts_with("$ ip addr\n"), "{s}");
    assert!(s.contains("inet 10.0.0.1/24 scope global eth0"), "{s}");
    assert!(s.contains("10.0.0.2 dev eth0 lladdr "), "{s}");
    assert!(!s.contains("10.0.0.2/24"), "{s}");
    assert_eq!(lab.state("nosuch"), "");
}

#[test]
fn same_seed_same_bytes_through_the_handle() {
    let run = |seed| {
        let mut lab = pair_seeded(seed);
        lab.exec("a", "ping -c 2 -i 0.2 10.0.0.2");
        lab.run_for(Duration::from_secs(1));
        lab.pcapng()
    };
    assert!(run(1) == run(1));
    // (ping's ICMP id is random, from the lab's RNG.)
    assert!(run(1) != run(2));
}

/// A writer the test reads back (what `nslab run --pcap` writes to its file).
#[derive(Clone, Default)]
struct SharedFile(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedFile {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A capture file's interfaces (name, link type, MAC, frames), in name order: the streamed
/// file lists them in order of first frame, the in-memory one in order of creation.
fn capture_by_name(bytes: &[u8]) -> Vec<nslab_oracle::pcap::CapIface> {
    let mut v = nslab_oracle::pcap::read_capture(bytes).expect("a readable pcapng");
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// `script` run twice: with every frame kept (the `Lab` API's default), and streamed to a file
/// as `nslab run --pcap` does; the two terminals and the two captures must be the same. The
/// two labs, and the capture's interfaces by name.
fn kept_and_streamed(script: &str) -> (Lab, Lab, Vec<nslab_oracle::pcap::CapIface>) {
    let mut kept = Lab::new(1);
    let r = kept.sh(script);
    assert_eq!(r.failures, 0, "{}", kept.output());
    let mut streamed = Lab::new(1);
    let file = SharedFile::default();
    streamed.stream_pcapng(Box::new(file.clone()), false);
    let r = streamed.sh(script);
    assert_eq!(r.failures, 0, "{}", streamed.output());
    streamed.finish_pcapng().unwrap();
    assert_eq!(streamed.output(), kept.output());
    let (got, want) = (
        capture_by_name(&file.0.lock().unwrap()),
        capture_by_name(&kept.pcapng()),
    );
    assert_eq!(got, want);
    (kept, streamed, want)
}

/// `nslab run --pcap`'s capture takes a fast path while nothing holds frames; in-lab
/// tcpdumps that start and stop (`-c` prints each frame as it comes, `-w` holds them until
/// its end) and a VRF's frames (held by their own tap) must each close it, and the end of
/// each reopen it: the terminal is the same as with every frame kept,
/// and the streamed file has the same frames as the kept capture.
#[test]
fn a_streamed_capture_is_the_kept_capture_while_tcpdumps_come_and_go() {
    let script = "ip netns add a\nip netns add b\n\
        ip -n a link add eth0 type veth peer name eth0 netns b\n\
        ip -n a addr add 10.0.0.1/24 dev eth0\nip -n b addr add 10.0.0.2/24 dev eth0\n\
        ip -n a link set eth0 up\nip -n b link set eth0 up\n\
        ip netns exec a ping -c 2 -i 0.2 10.0.0.2\n\
        ip netns exec b tcpdump -nn -i eth0 -c 3 &\n\
        ip netns exec a ping -c 3 -i 0.2 10.0.0.2\n\
        wait\n\
        ip netns exec a ping -c 2 -i 0.2 10.0.0.2\n\
        ip netns exec b tcpdump -nn -i eth0 -c 4 -w cap.pcap &\n\
        ip netns exec a ping -c 3 -i 0.2 10.0.0.2\n\
        wait\n\
        tcpdump -nn -r cap.pcap\n\
        ip netns exec a ping -c 2 -i 0.2 10.0.0.2\n\
        ip -n a link add red type vrf table 10\nip -n a link set red up\n\
        ip -n a link set eth0 master red\n\
        ip netns exec a ping -c 2 -i 0.2 -I red 10.0.0.2\n\
        ip netns exec a ping -c 2 -i 0.2 -I red 10.0.0.2\n";
    let (mut kept, mut streamed, want) = kept_and_streamed(script);
    assert!(
        kept.output().contains("4 packets captured"),
        "{}",
        kept.output()
    );
    // Every ping's frames, in both directions, and the VRF device's.
    let frames = |n: &str| {
        want.iter()
            .find(|c| c.name.as_deref() == Some(n))
            .unwrap()
            .packets
            .len()
    };
    assert!(frames("b:eth0") >= 2 * 16, "{want:?}");
    assert!(frames("a:red") >= 2 * 2, "{want:?}");

    // A second stream (a new file) writes its own interface descriptions: the ids the
    // first one gave the interfaces are not used in it.
    let second = SharedFile::default();
    streamed.stream_pcapng(Box::new(second.clone()), false);
    let ping = "ip netns exec a ping -c 2 -i 0.2 -I red 10.0.0.2\n";
    kept.sh(ping);
    let r = streamed.sh(ping);
    assert_eq!(r.failures, 0, "{}", streamed.output());
    streamed.finish_pcapng().unwrap();
    let got = capture_by_name(&second.0.lock().unwrap());
    let b = got
        .iter()
        .find(|c| c.name.as_deref() == Some("b:eth0"))
        .unwrap();
    let all = capture_by_name(&kept.pcapng());
    let kb = all
        .iter()
        .find(|c| c.name.as_deref() == Some("b:eth0"))
        .unwrap();
    assert!(b.packets.len() >= 4, "{got:?}");
    assert_eq!(
        b.packets[..],
        kb.packets[kb.packets.len() - b.packets.len()..]
    );
}

/// The taps' fast path knows an interface by tables of its own (the receive tap's interface
/// id, none on lo; the transmit taps' device → capture interface table): lo's frames (seen on
/// transmit only), a device renamed after its frames (a new capture interface), one deleted
/// and another made in its stead, each through the fast path of `nslab run --pcap`, give the
/// frames of the kept capture.
#[test]
fn a_streamed_capture_follows_renamed_deleted_and_new_devices() {
    let script = "ip netns add a\nip netns add b\n\
        ip -n a link set lo up\n\
        ip -n a link add eth0 type veth peer name eth0 netns b\n\
        ip -n a addr add 10.0.0.1/24 dev eth0\nip -n b addr add 10.0.0.2/24 dev eth0\n\
        ip -n a link set eth0 up\nip -n b link set eth0 up\n\
        ip netns exec a ping -c 2 -i 0.2 10.0.0.2\n\
        ip netns exec a ping -c 2 -i 0.2 127.0.0.1\n\
        ip netns exec a ping -c 2 -i 0.2 10.0.0.1\n\
        ip -n a link set eth0 down\nip -n a link set eth0 name e1\nip -n a link set e1 up\n\
        ip netns exec a ping -c 2 -i 0.2 10.0.0.2\n\
        ip -n a link del e1\n\
        ip -n a link add eth1 type veth peer name eth1 netns b\n\
        ip -n a addr add 10.0.1.1/24 dev eth1\nip -n b addr add 10.0.1.2/24 dev eth1\n\
        ip -n a link set eth1 up\nip -n b link set eth1 up\n\
        ip netns exec a ping -c 3 -i 0.2 10.0.1.2\n\
        ip netns exec b ping -c 2 -i 0.2 10.0.1.1\n";
    let (_, _, want) = kept_and_streamed(script);
    let frames = |n: &str| {
        want.iter()
            .filter(|c| c.name.as_deref() == Some(n))
            .map(|c| c.packets.len())
            .sum::<usize>()
    };
    // lo's echo requests and replies, each once (on transmit).
    assert!(frames("a:lo") >= 4, "{want:?}");
    assert!(frames("a:e1") >= 4, "{want:?}");
    assert!(frames("b:eth1") >= 10, "{want:?}");
}
