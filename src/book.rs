//! `nslab book-gen BOOKDIR`: the generated parts of the mdBook course, from the labs in
//! `scenarios/`. Each lab gets `src/generated/<lab>.md` (the lab file, its diagram, its output,
//! tcpdump at its busiest interfaces, the trace of one packet, a link to its pcapng),
//! `<lab>.svg` and `<lab>.pcapng`; `src/SUMMARY.md` lists the chapters in the seeds' order.
//! Hand-written chapters (`src/<lab>.md`: prose and exercises) include the generated file (so
//! its links are relative to `src/`: `generated/<lab>.svg`); a
//! lab without one gets a short stub chapter, never overwriting an existing one.

use crate::graph;
use crate::Lab;
use sim_models::tcpdump::{Formatter, Opts};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Chapters in the order of the seed posts: parts, each with its labs. Labs not (yet) in
/// `scenarios/` are skipped; labs in `scenarios/` not listed here go to the last part.
pub const PARTS: &[(&str, &[&str])] = &[
    (
        "Pods on one node",
        &[
            "seed003-veth-pair",
            "seed003-bridge",
            "seed002-cni1-bridge",
            "seed003-container-mode",
        ],
    ),
    (
        "Routed pods: /32 addresses and proxy ARP",
        &[
            "seed000-veth-proxyarp",
            "seed002-cni2-routed-opt1",
            "seed002-cni2-routed-opt2",
            "seed002-cni2-routed-opt3",
            "nslab-arp-filter-pvlan",
        ],
    ),
    (
        "Services: masquerade, ClusterIP, NodePort",
        &[
            "seed002-cni3-masquerade",
            "seed002-cni4-clusterip",
            "seed002-cni5-nodeport",
            "kube-proxy-clusterip",
        ],
    ),
    (
        "Across nodes: IP in IP",
        &[
            "seed000-ipip-p2p",
            "seed002-cni6-ipip",
            "seed003-diy-ipip",
            "seed003-flannel-ipip",
            "seed004-ipip",
            "seed001-calico-ipip",
        ],
    ),
    (
        "Across nodes: VXLAN",
        &["seed002-cni7-vxlan", "seed004-vxlan", "seed004-vxlan-fwd"],
    ),
    (
        "Across nodes: plain routing",
        &[
            "seed003-ipforward",
            "seed003-ipforward-arprefresh",
            "seed002-cni8-static",
            "seed004-hostgw",
            "seed002-cni9-bgp",
        ],
    ),
    (
        "Link kinds: macvlan, ipvlan and VLANs",
        &[
            "nslab-macvlan",
            "nslab-macvlan-passthru",
            "nslab-macvlan-source",
            "nslab-ipvlan",
            "nslab-ipvlan-l3",
            "nslab-ipvlan-l3s",
            "nslab-ipvlan-xmit",
            "nslab-ipvlan-flags",
            "nslab-vlan",
            "nslab-vlan-qos",
            "nslab-bridge-vlan",
        ],
    ),
    ("Traffic control", &["nslab-netem"]),
];

/// The labs of `scenarios/`, sorted.
pub fn scenario_labs(repo: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(repo.join("scenarios"))
        .map(|rd| {
            rd.filter_map(|e| {
                let p = e.ok()?.path();
                let stem = p.file_stem()?.to_string_lossy().into_owned();
                // `X.traffic.sh` is the traffic of a topology `X.clab.yaml`, not a lab.
                (p.extension()? == "sh" && !stem.ends_with(".traffic")).then_some(stem)
            })
            .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The chapter list: (part title, labs present). Labs outside the seeds' list (the project's
/// own test labs, `nslab-*`) are not chapters; `kube-proxy-clusterip` (the project's own lab
/// of kube-proxy's iptables chains) is an extra chapter after NodePort.
pub fn chapters(labs: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (title, names) in PARTS {
        let present: Vec<String> = names
            .iter()
            .filter(|n| labs.iter().any(|l| l == *n))
            .map(|n| n.to_string())
            .collect();
        if !present.is_empty() {
            out.push((title.to_string(), present));
        }
    }
    out
}

/// A lab's chapter title.
fn lab_title(_src: &str, name: &str) -> String {
    let t = match name {
        "seed003-veth-pair" => "Two pods, one veth pair",
        "seed003-bridge" => "Pods on a Linux bridge",
        "seed002-cni1-bridge" => "Hand-made CNI 1: a bridge",
        "seed003-container-mode" => "Containers sharing one namespace",
        "seed000-veth-proxyarp" => "Routed /32 pods and proxy ARP",
        "seed002-cni2-routed-opt1" => "Hand-made CNI 2: one gateway address on every veth",
        "seed002-cni2-routed-opt2" => "Hand-made CNI 2: Calico's 169.254.1.1",
        "seed002-cni2-routed-opt3" => "Hand-made CNI 2: Cilium's gateway device",
        "seed002-cni3-masquerade" => "Hand-made CNI 3: masquerade",
        "seed002-cni4-clusterip" => "Hand-made CNI 4: a ClusterIP service",
        "seed002-cni5-nodeport" => "Hand-made CNI 5: a NodePort service",
        "seed000-ipip-p2p" => "IPIP: a point-to-point tunnel",
        "seed002-cni6-ipip" => "Hand-made CNI 6: IPIP between nodes",
        "seed003-diy-ipip" => "IPIP by hand",
        "seed003-flannel-ipip" => "Flannel's IPIP backend",
        "seed004-ipip" => "IPIP with containerlab",
        "seed001-calico-ipip" => "Calico IPIP mode",
        "seed002-cni7-vxlan" => "Hand-made CNI 7: VXLAN",
        "seed004-vxlan" => "Flannel VXLAN as written: a host that does not forward",
        "seed004-vxlan-fwd" => "VXLAN when the containers inherit ip_forward=1",
        "seed003-ipforward" => "A namespace as a router",
        "seed003-ipforward-arprefresh" => "A router's neighbour entry ages",
        "seed002-cni8-static" => "Hand-made CNI 8: static routes between nodes",
        "seed004-hostgw" => "Host-gw: the node is the gateway",
        "seed002-cni9-bgp" => "Hand-made CNI 9: routes from BGP",
        "kube-proxy-clusterip" => "Extra: kube-proxy's Service chains",
        "nslab-macvlan" => "Macvlan: containers with their own MAC on the host's link",
        "nslab-vlan" => "VLANs: 802.1Q and 802.1ad tags on one link",
        "nslab-vlan-qos" => "VLAN priorities: QoS maps and the PCP bits",
        "nslab-ipvlan" => "Ipvlan: many containers behind one MAC address",
        "nslab-ipvlan-l3" => "Ipvlan L3: containers routed by their host's namespace",
        "nslab-ipvlan-l3s" => "Ipvlan L3S: the host's firewall sees the containers' traffic",
        "nslab-ipvlan-xmit" => "Ipvlan: what the sender is told",
        "nslab-macvlan-passthru" => "Macvlan passthru: one macvlan takes over its parent",
        "nslab-arp-filter-pvlan" => "ARP flux, arp_filter and private-VLAN proxy ARP",
        "nslab-macvlan-source" => "Macvlan source mode: receiving by the sender's address",
        "nslab-ipvlan-flags" => "Ipvlan private and VEPA: keeping siblings apart",
        "nslab-bridge-vlan" => {
            "A VLAN-aware bridge: access ports, a trunk and the bridge's own VLANs"
        }
        "nslab-netem" => "Netem: delay, loss, duplicates and reordering on a link",
        _ => return name.to_string(),
    };
    t.to_string()
}

/// The post a lab follows, as a sentence with its public address (the seed posts of
/// `scenarios/`; the addresses are the posts' own, as printed in them or where they are
/// published).
fn source_post(name: &str) -> Option<String> {
    let (what, url) = match name {
        "seed000-veth-proxyarp" => (
            "the post on joining same-node pods with veth pairs only",
            "https://zhuanlan.zhihu.com/p/571966611",
        ),
        "seed000-ipip-p2p" => (
            "the post the IPIP demo is taken from",
            "https://blog.csdn.net/qq_22918243/article/details/130886641",
        ),
        n if n.starts_with("seed004-") => (
            "\"Host-GW, VXLAN, IPIP: K8s cross-node communication, reproduced by hand\"",
            "https://hihihiai.com/cni/2025/06/08/containerlab-cni.html",
        ),
        n if n.starts_with("seed00") => {
            return Some(
                "This lab follows a Chinese-language blog post whose public address is not \
                 recorded with the lab; the lab file's header names its section."
                    .into(),
            )
        }
        _ => return None,
    };
    Some(format!("This lab follows {what}: <{url}> (in Chinese)."))
}

/// The lab as the chapter shows it: without its header of provenance notes (the seed file's
/// hash and section titles, which stay in the lab file) and without comment lines in other
/// scripts than Latin (they render as boxes without CJK fonts).
fn displayed_lab(src: &str) -> String {
    let mut lines = src.lines().peekable();
    while lines
        .peek()
        .is_some_and(|l| l.starts_with('#') && !l.starts_with("#!") && !l.starts_with("# ---"))
    {
        lines.next();
    }
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    let mut out = String::new();
    for l in lines {
        let comment = l.trim_start().starts_with('#');
        if comment && !l.is_ascii() {
            continue;
        }
        out += l;
        out.push('\n');
    }
    out
}

/// The generated files for one lab: (relative path under `src/generated/`, bytes).
pub fn generate_lab(name: &str, src: &str) -> Vec<(String, Vec<u8>)> {
    let mut lab = Lab::new(sim_core::rng::DEFAULT_SEED);
    lab.enable_trace();
    lab.run_shell(src, &format!("{name}.sh"));
    let topo = graph::topology(&lab.kernel);
    let svg = graph::svg(&topo);
    let mut md = String::new();
    md += "<!-- generated by `nslab book-gen book`: do not edit -->\n\n";
    if let Some(follows) = source_post(name) {
        md += &format!("{follows}\n\n");
    }
    md += &format!(
        "### The lab: `scenarios/{name}.sh`\n\n```sh\n{}\n```\n\n",
        displayed_lab(src).trim_end()
    );
    md += &format!(
        "### The topology\n\nDrawn by `nslab graph scenarios/{name}.sh` after the lab ran: \
         dashed frames are network namespaces, boxes their devices with addresses and MACs, \
         thin blue lines veth pairs, thick orange lines bridge ports.\n\n\
         ![topology of {name}](generated/{name}.svg)\n\n"
    );
    md += &format!(
        "### What it prints\n\n`nslab run scenarios/{name}.sh`:\n\n```text\n{}```\n\n",
        lab.output()
    );
    // tcpdump at the busiest interfaces (what `tcpdump -nn -e -i IF` in that namespace prints).
    let mut counts: Vec<(u64, usize)> = lab
        .kernel
        .capture
        .ifaces
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind != "loopback" && c.npkts > 0)
        .map(|(i, c)| (c.npkts, i))
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut picked: Vec<usize> = counts.iter().take(3).map(|x| x.1).collect();
    picked.sort();
    if !picked.is_empty() {
        md += "### On the wire\n\nThe three busiest interfaces, as `tcpdump -nn -e -i IF` \
               started in their namespace before the lab would print them:\n\n";
    }
    for ci in picked {
        let c = &lab.kernel.capture.ifaces[ci];
        let (ns, dev) = c.name.split_once(':').unwrap_or(("root", &c.name));
        let pre = if ns == "root" {
            String::new()
        } else {
            format!("ip netns exec {ns} ")
        };
        let mut fm = Formatter::with_opts(Opts {
            eflag: true,
            vflag: 0,
            nflag: 2,
            aflag: false,
        });
        let mut text = String::new();
        for (i, ts, data) in &lab.kernel.capture.packets {
            if *i as usize == ci {
                // A tunnel device (IPIP) is captured without a link-layer header.
                text += &fm.print_line(*ts, c.linktype, data, data.len());
            }
        }
        md += &format!("`{pre}tcpdump -nn -e -i {dev}`\n\n```text\n{text}```\n\n");
    }
    let trace = lab.trace("icmp or tcp").unwrap_or_default();
    let first: String = {
        let mut s = String::new();
        for (k, l) in trace.lines().enumerate() {
            if l.starts_with("journey") && k > 0 {
                break;
            }
            s += l;
            s.push('\n');
        }
        s
    };
    if !first.is_empty() {
        md += &format!(
            "### One packet's path\n\n`nslab run scenarios/{name}.sh --trace='icmp or tcp'` follows every \
             journey that starts with an ICMP or TCP packet; here is the first one — each line is a \
             decision a layer of the kernel made (seconds since the lab started, namespace, \
             note):\n\n```text\n{first}```\n\n"
        );
    }
    md += &format!(
        "### The capture\n\n[{name}.pcapng](generated/{name}.pcapng) holds every interface's frames \
         (`nslab run scenarios/{name}.sh --pcap {name}.pcapng --pcap-comments`); open it in \
         Wireshark to see each packet's trace notes as its comment.\n"
    );
    vec![
        (format!("{name}.md"), md.into_bytes()),
        (format!("{name}.svg"), svg.into_bytes()),
        (format!("{name}.pcapng"), lab.pcapng_with_comments()),
    ]
}

/// Everything book-gen writes: paths relative to the book directory.
pub fn generate(repo: &Path) -> BTreeMap<String, Vec<u8>> {
    let labs = scenario_labs(repo);
    let mut files = BTreeMap::new();
    let mut summary = String::from(
        "# Summary\n\n<!-- generated by `nslab book-gen book`: do not edit -->\n\n\
         [Introduction](introduction.md)\n\n",
    );
    for (part, names) in chapters(&labs) {
        summary += &format!("# {part}\n\n");
        for name in names {
            let src = std::fs::read_to_string(repo.join("scenarios").join(format!("{name}.sh")))
                .unwrap_or_default();
            summary += &format!("- [{}]({name}.md)\n", lab_title(&src, &name));
            for (p, b) in generate_lab(&name, &src) {
                files.insert(format!("src/generated/{p}"), b);
            }
        }
        summary += "\n";
    }
    files.insert("src/SUMMARY.md".into(), summary.into_bytes());
    files
}

/// A stub chapter for a lab without a hand-written one.
fn stub_chapter(name: &str, title: &str) -> String {
    format!(
        "# {title}\n\nThis lab has no written chapter yet; here is what it does.\n\n\
         {{{{#include generated/{name}.md}}}}\n"
    )
}

/// `nslab book-gen BOOKDIR`.
pub fn cli(args: &[String]) -> ExitCode {
    let [dir] = args else {
        eprintln!("nslab: book-gen needs one BOOKDIR\nTry 'nslab --help'.");
        return ExitCode::from(2);
    };
    let book = Path::new(dir);
    let repo = book
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(|x| x.to_path_buf()))
        .unwrap_or_else(|| Path::new(".").to_path_buf());
    let files = generate(&repo);
    let gen_dir = book.join("src/generated");
    // Stale generated files (a lab that was removed) go.
    if let Ok(rd) = std::fs::read_dir(&gen_dir) {
        for e in rd.flatten() {
            let rel = format!("src/generated/{}", e.file_name().to_string_lossy());
            if !files.contains_key(&rel) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    for (rel, bytes) in &files {
        let p = book.join(rel);
        if let Some(parent) = p.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("nslab: cannot create {}: {e}", parent.display());
                return ExitCode::from(2);
            }
        }
        if let Err(e) = std::fs::write(&p, bytes) {
            eprintln!("nslab: cannot write {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    // A chapter lab (one the chapter table lists) without a written chapter gets a stub.
    let chapter_labs: Vec<String> = chapters(&scenario_labs(&repo))
        .into_iter()
        .flat_map(|(_, labs)| labs)
        .collect();
    for name in chapter_labs {
        let ch = book.join("src").join(format!("{name}.md"));
        if !ch.exists() {
            let src = std::fs::read_to_string(repo.join("scenarios").join(format!("{name}.sh")))
                .unwrap_or_default();
            let _ = std::fs::write(&ch, stub_chapter(&name, &lab_title(&src, &name)));
        }
    }
    println!(
        "book-gen: wrote {} files under {}",
        files.len(),
        book.display()
    );
    ExitCode::SUCCESS
}
