//! containerlab topology files (`*.clab.yaml`): the subset that linux-container labs use,
//! translated into a [`Scenario`] the way `clab deploy` builds the lab.
//!
//! Schema subset: `name`; `topology.nodes.NAME` with `kind: linux | bridge`, `image` (recorded
//! in the conversion's notes, otherwise ignored: no image is run), `network-mode: none`, `exec`
//! (command lines); `topology.links[].endpoints: ["node:if", "node:if"]`. Anything else is an
//! error naming FILE:LINE:COL.
//!
//! What `clab deploy` does and the translation models:
//! * Every `kind: linux` node is a container: one network namespace, named after the node
//!   (containerlab names the container `clab-<lab>-<node>`; the namespace keeps the bare node
//!   name so that labels line up with the shell labs and their kernel recordings).
//! * A container's `lo` is up (Docker sets it up, also with `network-mode: none`).
//! * Containers start from the Docker host's IPv4 configuration (new netns copy init_net's
//!   `conf/all` and `conf/default` when `net.core.devconf_inherit_init_net=0`), and Docker
//!   enables `net.ipv4.ip_forward` on its host: every linux node boots with ip_forward=1.
//! * A node without `network-mode: none` is attached to the management network (containerlab's
//!   docker network `clab`, 172.20.20.0/24, gateway 172.20.20.1 on a bridge in the host): `eth0`
//!   gets 172.20.20.2, .3, ... in node order (Docker's IPAM order; clab creates nodes
//!   concurrently, so on a real host the order may vary) and a default route via 172.20.20.1.
//!   The bridge is modelled as `br-clab` (Docker names it `br-<network id>`), the host ends
//!   of the management veths `veth-<node>` (Docker: `veth` + random hex). IPv6 on the management
//!   network is not modelled.
//! * A `kind: bridge` node is a Linux bridge in the host (root) namespace that containerlab
//!   requires to exist already (the seed creates it with `brctl addbr`); the translation
//!   creates it and sets it up.
//! * Links after nodes, in file order: a veth pair with the endpoint names, MTU 9500 on both ends
//!   (containerlab's default), both ends set up; a bridge endpoint is enslaved to the bridge.
//!   containerlab's `aa:c1:ab:xx:xx:xx` MACs are not copied (our MACs come from the seeded RNG).
//! * `exec` after all links, node by node in file order (containerlab runs the nodes' exec
//!   lists concurrently, each in order; file order is one of its possible interleavings), each
//!   line in the node's namespace
//!   (`ip netns exec NODE CMD`). containerlab splits an exec line into words like a POSIX shell
//!   (`shlex.Split`: quotes, backslashes, `#` comments) and runs them without a shell, so `>`,
//!   `|`, `$X` are plain arguments there: the conversion quotes such words, and an exec line
//!   that does not split (an unclosed quote) is an error naming its line.

use super::scenario::{position_of, split_endpoint, Bridge, Link, Node, Scenario, Step};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// containerlab's default veth MTU.
pub const CLAB_MTU: u32 = 9500;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ClabFile {
    name: String,
    topology: Topology,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Topology {
    nodes: Ordered<ClabNode>,
    #[serde(default)]
    links: Vec<ClabLink>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Linux,
    Bridge,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum NetworkMode {
    None,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ClabNode {
    kind: Kind,
    #[serde(default)]
    image: Option<String>,
    #[serde(default, rename = "network-mode")]
    network_mode: Option<NetworkMode>,
    #[serde(default)]
    exec: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ClabLink {
    endpoints: [Endpoint; 2],
}

#[derive(Debug, Clone)]
struct Endpoint {
    node: String,
    ifname: String,
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match split_endpoint(&s) {
            Some((n, i)) if i.len() <= 15 => Ok(Endpoint {
                node: n.to_string(),
                ifname: i.to_string(),
            }),
            Some((_, i)) => Err(de::Error::custom(format!(
                "bad endpoint \"{s}\": interface name \"{i}\" is longer than 15 characters"
            ))),
            None => Err(de::Error::custom(format!(
                "bad endpoint \"{s}\": expected \"node:interface\""
            ))),
        }
    }
}

/// A YAML mapping kept in document order.
#[derive(Debug)]
struct Ordered<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of node names to nodes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut v: Vec<(String, T)> = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    if v.iter().any(|(n, _)| *n == k) {
                        return Err(de::Error::custom(format!("duplicate node \"{k}\"")));
                    }
                    let val = m.next_value::<T>()?;
                    v.push((k, val));
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// `FILE:LINE:COL: message` from a YAML error.
fn yaml_error(file: &str, e: &serde_yaml_ng::Error) -> String {
    let msg = e.to_string();
    match e.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            // libyaml's scanner messages carry the position in the middle, serde's at the end.
            let msg = msg.replacen(&suffix, "", 1);
            format!("{}:{}:{}: {}", file, loc.line(), loc.column(), msg)
        }
        None => format!("{file}: {msg}"),
    }
}

/// Lines (1-based) of the topology file that a scenario's parts come from, indexed like the
/// scenario's `bridges`, `nodes`, `links` and `steps`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceLines {
    pub bridges: Vec<u32>,
    pub nodes: Vec<u32>,
    pub links: Vec<u32>,
    pub steps: Vec<u32>,
}

impl SourceLines {
    /// The file line of a rendered line's origin (`None` for notes and for steps past the
    /// topology's own, such as appended traffic).
    pub fn line_of(&self, o: super::scenario::Origin) -> Option<u32> {
        use super::scenario::Origin;
        match o {
            Origin::Note => None,
            Origin::Bridge(i) => self.bridges.get(i).copied(),
            Origin::Node(i) => self.nodes.get(i).copied(),
            Origin::Link(i) => self.links.get(i).copied(),
            Origin::Step(i) => self.steps.get(i).copied(),
        }
    }
}

/// Finds source lines by searching the text (serde_yaml_ng has no spans): a node's key line
/// under `nodes:`, its exec items in order after it, the n-th `endpoints` under `links:`.
struct Finder<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Finder<'a> {
    fn new(src: &'a str) -> Self {
        Finder {
            lines: src.lines().collect(),
        }
    }

    /// Index of the first line at or after `from` whose trimmed text satisfies `f`.
    fn find(&self, from: usize, f: impl Fn(&str) -> bool) -> Option<usize> {
        (from..self.lines.len()).find(|&i| f(self.lines[i].trim()))
    }

    fn section(&self, key: &str) -> usize {
        self.find(0, |l| l == key).unwrap_or(0)
    }

    fn node(&self, name: &str) -> usize {
        let from = self.section("nodes:");
        let key = format!("{name}:");
        self.find(from, |l| {
            l == key || l.starts_with(&format!("{key} ")) || l == format!("\"{name}\":")
        })
        .unwrap_or(from)
    }

    /// The lines of a node's exec items, searched in order after its key line.
    fn execs(&self, node_line: usize, cmds: &[String]) -> Vec<usize> {
        let mut at = node_line;
        cmds.iter()
            .map(|c| match self.find(at, |l| l.contains(c.as_str())) {
                Some(i) => {
                    at = i + 1;
                    i
                }
                // Flow sequences put several items on one line.
                None => at.saturating_sub(1).max(node_line),
            })
            .collect()
    }

    fn links(&self, n: usize) -> Vec<usize> {
        let mut at = self.section("links:");
        (0..n)
            .map(|_| match self.find(at, |l| l.contains("endpoints")) {
                Some(i) => {
                    at = i + 1;
                    i
                }
                None => at,
            })
            .collect()
    }
}

/// `shlex.Split` as containerlab uses it (github.com/google/shlex): words separated by blanks,
/// `'...'` literal, `"..."` with `\\` escapes, `\\x` outside quotes is `x`, `#` at the start of a
/// word comments out the rest.
pub fn shlex_split(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
            }
            '#' if cur.is_none() => break,
            '\\' => match it.next() {
                Some(n) => cur.get_or_insert_with(String::new).push(n),
                None => return Err("EOF found after escape character".into()),
            },
            '\'' => {
                let w = cur.get_or_insert_with(String::new);
                loop {
                    match it.next() {
                        Some('\'') => break,
                        Some(n) => w.push(n),
                        None => return Err("EOF found when expecting closing quote".into()),
                    }
                }
            }
            '"' => {
                let w = cur.get_or_insert_with(String::new);
                loop {
                    match it.next() {
                        Some('"') => break,
                        Some('\\') => match it.next() {
                            Some(n) => w.push(n),
                            None => return Err("EOF found after escape character".into()),
                        },
                        Some(n) => w.push(n),
                        None => return Err("EOF found when expecting closing quote".into()),
                    }
                }
            }
            c => cur.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = cur {
        words.push(w);
    }
    Ok(words)
}

/// A word as the shell must see it to pass it through unchanged.
fn sh_quote(w: &str) -> String {
    let safe = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=,+@%^!".contains(c));
    if safe {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// Parses a containerlab topology into a scenario. Errors are `FILE:LINE:COL: message`.
pub fn from_clab(src: &str, file: &str) -> Result<Scenario, String> {
    from_clab_mapped(src, file).map(|(sc, _)| sc)
}

/// [`from_clab`] and the file lines of the scenario's parts.
pub fn from_clab_mapped(src: &str, file: &str) -> Result<(Scenario, SourceLines), String> {
    let f: ClabFile = serde_yaml_ng::from_str(src).map_err(|e| yaml_error(file, &e))?;
    let mut sc = Scenario {
        name: f.name.clone(),
        ..Scenario::default()
    };
    sc.notes.push(format!(
        "containerlab topology {} ({file}), as `clab deploy` builds it:",
        f.name
    ));
    sc.notes.push(
        "  node NAME = netns NAME (containerlab: container clab-LAB-NAME); linux nodes start with"
            .into(),
    );
    sc.notes.push(
        "  the Docker host's IPv4 conf, which has ip_forward=1, and lo up; links: veth mtu 9500,"
            .into(),
    );
    sc.notes
        .push("  both ends up; `exec` lines run after all links, node by node.".into());
    let nodes = &f.topology.nodes.0;
    let finder = Finder::new(src);
    let mut lines = SourceLines::default();
    let line_no = |i: usize| i as u32 + 1;
    let mgmt: Vec<&str> = nodes
        .iter()
        .filter(|(_, n)| n.kind == Kind::Linux && n.network_mode.is_none())
        .map(|(name, _)| name.as_str())
        .collect();
    if !mgmt.is_empty() {
        sc.notes.push(format!(
            "  management network (no `network-mode: none`): eth0 of {} on bridge br-clab 172.20.20.1/24",
            mgmt.join(", ")
        ));
        sc.bridges.push(Bridge {
            name: "br-clab".into(),
            addresses: vec!["172.20.20.1/24".into()],
        });
        lines.bridges.push(line_no(finder.node(mgmt[0])));
    }
    for (name, n) in nodes {
        match n.kind {
            Kind::Bridge => {
                sc.notes.push(format!(
                    "  {name}: kind bridge = bridge {name} in the host namespace (must pre-exist for clab)"
                ));
                sc.bridges.push(Bridge {
                    name: name.clone(),
                    addresses: Vec::new(),
                });
                lines.bridges.push(line_no(finder.node(name)));
            }
            Kind::Linux => {
                if let Some(img) = &n.image {
                    sc.notes.push(format!("  {name}: image {img} (not run)"));
                }
                sc.nodes.push(Node {
                    name: name.clone(),
                    sysctls: vec![("net.ipv4.ip_forward".into(), "1".into())],
                    up: vec!["lo".into()],
                    ..Node::default()
                });
                lines.nodes.push(line_no(finder.node(name)));
            }
        }
    }
    // Management links first: Docker attaches eth0 when it creates the container.
    for (k, name) in mgmt.iter().enumerate() {
        let host_if: String = format!("veth-{name}").chars().take(15).collect();
        lines.links.push(line_no(finder.node(name)));
        sc.links.push(Link {
            a: format!("{name}:eth0"),
            b: format!("br-clab:{host_if}"),
            mtu: None,
            up: true,
        });
        let node = sc
            .nodes
            .iter_mut()
            .find(|n| n.name == *name)
            .expect("listed");
        node.addresses
            .push(("eth0".into(), format!("172.20.20.{}/24", k + 2)));
        node.routes.push("default via 172.20.20.1".into());
    }
    let links_at = src.find("links:").unwrap_or(0);
    lines.links.extend(
        finder
            .links(f.topology.links.len())
            .into_iter()
            .map(line_no),
    );
    for l in &f.topology.links {
        for ep in &l.endpoints {
            if !nodes.iter().any(|(n, _)| *n == ep.node) {
                let text = format!("{}:{}", ep.node, ep.ifname);
                let (line, col) = position_of(src, &text, links_at).unwrap_or((1, 1));
                let known: Vec<String> = nodes.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                return Err(format!(
                    "{file}:{line}:{col}: link endpoint \"{text}\" names an unknown node \"{}\": expected one of {}",
                    ep.node,
                    known.join(", ")
                ));
            }
        }
        sc.links.push(Link {
            a: format!("{}:{}", l.endpoints[0].node, l.endpoints[0].ifname),
            b: format!("{}:{}", l.endpoints[1].node, l.endpoints[1].ifname),
            mtu: Some(CLAB_MTU),
            up: true,
        });
    }
    for (name, n) in nodes {
        if n.exec.is_empty() {
            continue;
        }
        if n.kind == Kind::Bridge {
            let (line, col) = position_of(src, &format!("{name}:"), 0).unwrap_or((1, 1));
            return Err(format!(
                "{file}:{line}:{col}: node \"{name}\" of kind bridge cannot have exec commands: expected them on a linux node"
            ));
        }
        let at = finder.node(name);
        sc.steps.push(Step::Note(format!("{name} exec")));
        lines.steps.push(line_no(at));
        for (c, l) in n.exec.iter().zip(finder.execs(at, &n.exec)) {
            let words = shlex_split(c).map_err(|e| {
                format!(
                    "{file}:{}: exec item {c:?} of node \"{name}\": {e}: expected a command line as containerlab splits it",
                    line_no(l)
                )
            })?;
            if words.is_empty() {
                return Err(format!(
                    "{file}:{}: exec item of node \"{name}\" is empty: expected a command line",
                    line_no(l)
                ));
            }
            // (A first word with `=` would be an assignment to the shell.)
            let cmd: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 && w.contains('=') {
                        format!("'{w}'")
                    } else {
                        sh_quote(w)
                    }
                })
                .collect();
            sc.steps.push(Step::Run(name.clone(), cmd.join(" ")));
            lines.steps.push(line_no(l));
        }
    }
    sc.validate().map_err(|(e, _)| format!("{file}: {e}"))?;
    Ok((sc, lines))
}
