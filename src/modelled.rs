//! README.md's table of what the model has, generated from the code: each link kind of
//! iproute2 6.1's `ip link help` and each qdisc of the 6.1 kernel is tried in a fresh lab (a kind
//! is modelled when nslab does not answer "not modelled yet" or "Unknown device type"), and the
//! sysctls are the knobs a namespace holds (`DevConf`, `NeighParms`, the namespace-wide ones).
//! `tests/web.rs` (`readme_modelled_table`) keeps README.md equal to [`readme_modelled`].

use crate::lab::Lab;
use sim_models::kernel::ROOT_NS;
use sim_models::net::devconf::{CONF_NAMES, NEIGH_NAMES};

/// `TYPE := { ... }` of iproute2 6.1's `ip link help` (without the `_slave` forms).
const IP_LINK_TYPES: &[&str] = &[
    "amt",
    "bareudp",
    "bond",
    "bridge",
    "dsa",
    "dummy",
    "erspan",
    "geneve",
    "gre",
    "gretap",
    "gtp",
    "ifb",
    "ip6erspan",
    "ip6gre",
    "ip6gretap",
    "ip6tnl",
    "ipip",
    "ipoib",
    "ipvlan",
    "ipvtap",
    "macsec",
    "macvlan",
    "macvtap",
    "netdevsim",
    "nlmon",
    "rmnet",
    "sit",
    "team",
    "vcan",
    "veth",
    "vlan",
    "vrf",
    "vti",
    "vxcan",
    "vxlan",
    "wwan",
    "xfrm",
    "virt_wifi",
];

/// The qdiscs a 6.1 kernel has modules for (`sch_*.ko`), as `tc qdisc add` names them.
const QDISCS: &[&str] = &[
    "bfifo",
    "cake",
    "cbs",
    "choke",
    "clsact",
    "codel",
    "drr",
    "etf",
    "ets",
    "fq",
    "fq_codel",
    "fq_pie",
    "gred",
    "hfsc",
    "hhf",
    "htb",
    "ingress",
    "mqprio",
    "multiq",
    "netem",
    "pfifo",
    "pfifo_fast",
    "pfifo_head_drop",
    "pie",
    "plug",
    "prio",
    "qfq",
    "red",
    "sfb",
    "sfq",
    "skbprio",
    "taprio",
    "tbf",
];

/// True when `cmd`, run in a fresh lab after `setup`, is not refused as unmodelled.
fn modelled(setup: &str, cmd: &str) -> bool {
    let mut lab = Lab::new(1);
    if !setup.is_empty() {
        lab.exec("", setup);
    }
    let o = lab.exec("", cmd);
    let text = format!("{}{}", o.stdout, o.stderr);
    !(text.contains("not modelled yet") || text.contains("Unknown device type"))
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The README section between `<!-- modelled:begin -->` and `<!-- modelled:end -->`.
pub fn readme_modelled() -> String {
    let split = |kinds: &[&str], probe: &dyn Fn(&str) -> bool| {
        let (yes, no): (Vec<&str>, Vec<&str>) = kinds.iter().partition(|k| probe(k));
        let s = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
        (s(yes), s(no))
    };
    let (links, links_not) = split(IP_LINK_TYPES, &|k| {
        modelled("", &format!("ip link add lk0 type {k}"))
    });
    let (qdiscs, qdiscs_not) = split(QDISCS, &|k| {
        let cmd = if matches!(k, "ingress" | "clsact") {
            format!("tc qdisc add dev lk0 {k}")
        } else {
            format!("tc qdisc add dev lk0 root {k}")
        };
        modelled("ip link add lk0 type veth peer name lk1", &cmd)
    });
    let lab = Lab::new(1);
    let mut ns_knobs: Vec<String> = vec!["net.ipv4.ip_forward".into()];
    // IPv6's knobs are kept (a lab may write them) but IPv6 is not modelled: one entry
    let v6 = lab
        .kernel
        .net(ROOT_NS)
        .misc_sysctl
        .keys()
        .filter(|k| k.starts_with("net.ipv6.conf."))
        .count();
    ns_knobs.extend(
        lab.kernel
            .net(ROOT_NS)
            .misc_sysctl
            .keys()
            .filter(|k| !k.starts_with("net.ipv6.conf."))
            .cloned(),
    );
    if v6 > 0 {
        ns_knobs.push(format!(
            "net.ipv6.conf.{{all,default}}.* ({v6} knobs kept, IPv6 not modelled)"
        ));
    }
    ns_knobs.sort();
    ns_knobs.dedup();
    let conf: Vec<String> = CONF_NAMES.iter().map(|s| s.to_string()).collect();
    let neigh: Vec<String> = NEIGH_NAMES.iter().map(|s| s.to_string()).collect();

    let mut s = String::from(
        "<!-- modelled:begin -->\n<!-- generated from the code by `NSLAB_UPDATE_README=1 cargo test --test integration readme_modelled_table`; do not edit -->\n",
    );
    s.push_str("### What the model has\n\n| | modelled | not modelled yet |\n|---|---|---|\n");
    s.push_str(&format!(
        "| link kinds (`ip link add ... type`) | {} | {} |\n",
        code_list(&links),
        code_list(&links_not)
    ));
    s.push_str(&format!(
        "| qdiscs (`tc qdisc add`) | {} | {} |\n",
        code_list(&qdiscs),
        code_list(&qdiscs_not)
    ));
    s.push_str(&format!(
        "| per-device sysctls (`net.ipv4.conf.{{all,default,DEV}}.`) | {} | others |\n",
        code_list(&conf)
    ));
    s.push_str(&format!(
        "| neighbour sysctls (`net.ipv4.neigh.{{default,DEV}}.`) | {} | others |\n",
        code_list(&neigh)
    ));
    s.push_str(&format!(
        "| namespace sysctls | {} | others (`sysctl -a` too) |\n",
        code_list(&ns_knobs)
    ));
    s.push_str("<!-- modelled:end -->\n");
    s
}
