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

use super::scenario::{name_list, position_of, split_endpoint, Bridge, Link, Node, Scenario, Step};
use super::{check_ifname, sh_quote, sh_quote_always};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How many bytes the topology's strings may add up to beyond the file's own size. YAML
/// aliases repeat their anchor's text (`exec: *big` on every node); serde_yaml_ng bounds the
/// number of alias jumps (100 per event) but not the text they repeat.
pub const MAX_ALIAS_EXPANSION: usize = 1 << 20;

/// The deepest nesting of flow collections (`[`, `{`) accepted, checked on the text before
/// libyaml sees it: libyaml's scanner takes quadratic time in the depth of flow collections
/// (100 000 `[` take a minute), and serde_yaml_ng refuses more than 128 levels anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

thread_local! {
    /// What is left of [`MAX_ALIAS_EXPANSION`] while one topology is deserialized.
    static TEXT_BUDGET: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Counts `n` bytes of deserialized text against the budget.
fn charge<E: de::Error>(n: usize) -> Result<(), E> {
    TEXT_BUDGET.with(|b| {
        let left = b.get();
        match left.checked_sub(n + 1) {
            Some(rest) => {
                b.set(rest);
                Ok(())
            }
            None => Err(E::custom(format!(
                "the topology's text expands (YAML aliases) to more than {MAX_ALIAS_EXPANSION} bytes beyond the file's size: expected fewer repetitions of anchors"
            ))),
        }
    })
}

/// A string of the topology, counted against [`MAX_ALIAS_EXPANSION`].
#[derive(Debug, Clone)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        charge::<D::Error>(s.len())?;
        Ok(Text(s))
    }
}

/// Docker's rule for container names (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`, daemon/names): containerlab
/// names a node's container `clab-LAB-NODE`, so the lab and node names may only hold these
/// characters.
fn container_name_part_valid(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The Docker daemon's words for an invalid container name.
fn invalid_container_name(lab: &str, node: &str) -> String {
    format!(
        "Invalid container name (clab-{lab}-{node}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
    )
}

/// Refuses flow collections nested deeper than [`MAX_FLOW_DEPTH`], with the position of the
/// first bracket too deep. A lexical scan: quoted scalars and comments are skipped, and in
/// block context a `[` or `{` opens a collection only where a node starts (line start, after
/// `- `, `? `, `key: `, an anchor or a tag), as in YAML, where a plain scalar may contain them.
fn check_flow_depth(src: &str) -> Result<(), (usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (ln, line) in src.split('\n').enumerate() {
        let mut last_token: Option<&str> = None;
        let mut token_start: Option<usize> = None;
        let mut prev: Option<char> = None;
        let mut it = line.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if let Some(q) = quote {
                match c {
                    '\\' if q == '"' => {
                        it.next();
                    }
                    '\'' if q == '\'' && it.peek().map(|&(_, n)| n) == Some('\'') => {
                        it.next();
                    }
                    c if c == q => quote = None,
                    _ => {}
                }
                prev = Some(c);
                continue;
            }
            let at_boundary = prev.is_none_or(|p| p == ' ' || p == '\t' || "[{,:".contains(p));
            match c {
                ' ' | '\t' => {
                    if let Some(st) = token_start.take() {
                        last_token = Some(&line[st..i]);
                    }
                }
                '#' if prev.is_none_or(|p| p == ' ' || p == '\t') => break,
                '\'' | '"' if at_boundary => quote = Some(c),
                '[' | '{' => {
                    let node_start = token_start.is_none()
                        && last_token.is_none_or(|t| {
                            t == "-"
                                || t == "?"
                                || t == "---"
                                || t.ends_with(':')
                                || t.starts_with('&')
                                || t.starts_with('!')
                        });
                    if depth > 0 || node_start {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Err((ln + 1, line[..i].chars().count() + 1));
                        }
                    } else if token_start.is_none() {
                        token_start = Some(i);
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {
                    if token_start.is_none() && depth == 0 {
                        token_start = Some(i);
                    }
                }
            }
            prev = Some(c);
        }
    }
    Ok(())
}

/// containerlab's default veth MTU.
pub const CLAB_MTU: u32 = 9500;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ClabFile {
    name: Text,
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
    image: Option<Text>,
    #[serde(default, rename = "network-mode")]
    network_mode: Option<NetworkMode>,
    #[serde(default)]
    exec: Vec<Text>,
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
        let s = Text::deserialize(d)?.0;
        match split_endpoint(&s) {
            Some((n, i)) => match check_ifname(i) {
                Ok(()) => Ok(Endpoint {
                    node: n.to_string(),
                    ifname: i.to_string(),
                }),
                Err(e) => Err(de::Error::custom(format!(
                    "bad endpoint \"{s}\": interface name \"{i}\": {e}: expected at most 15 characters, none of them `/`, `:` or blank"
                ))),
            },
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
                let mut seen = BTreeSet::new();
                while let Some(Text(k)) = m.next_key::<Text>()? {
                    if !seen.insert(k.clone()) {
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
/// Linear in the file: key lines are indexed once, an exec item is looked for in the
/// [`Finder::WINDOW`] lines after the previous one, and the whole search scans at most
/// [`Finder::work_limit`] bytes (past that, items are placed on their node's line).
struct Finder<'a> {
    lines: Vec<&'a str>,
    nodes_from: usize,
    /// Mapping keys (`KEY:`, `KEY: value`, `"KEY":`) under `nodes:` → their first line.
    keys: BTreeMap<&'a str, usize>,
    work_left: Cell<usize>,
}

impl<'a> Finder<'a> {
    const WINDOW: usize = 64;

    fn work_limit(src: &str) -> usize {
        16 * src.len() + (1 << 16)
    }

    fn new(src: &'a str) -> Self {
        let lines: Vec<&str> = src.lines().collect();
        let nodes_from = lines.iter().position(|l| l.trim() == "nodes:").unwrap_or(0);
        let mut keys = BTreeMap::new();
        for (i, l) in lines.iter().enumerate().skip(nodes_from) {
            let t = l.trim();
            let key = match t.strip_suffix(':') {
                Some(k) => k,
                None => match t.split_once(": ") {
                    Some((k, _)) => k,
                    None => continue,
                },
            };
            let key = key
                .strip_prefix('"')
                .and_then(|k| k.strip_suffix('"'))
                .unwrap_or(key);
            keys.entry(key).or_insert(i);
        }
        Finder {
            lines,
            nodes_from,
            keys,
            work_left: Cell::new(Self::work_limit(src)),
        }
    }

    fn node(&self, name: &str) -> usize {
        self.keys.get(name).copied().unwrap_or(self.nodes_from)
    }

    /// Index of the first line in `from..to` containing `needle`, within the work budget.
    fn find_in(&self, from: usize, to: usize, needle: &str) -> Option<usize> {
        for i in from..to.min(self.lines.len()) {
            let cost = self.lines[i].len() + needle.len();
            let left = self.work_left.get().checked_sub(cost)?;
            self.work_left.set(left);
            if self.lines[i].contains(needle) {
                return Some(i);
            }
        }
        None
    }

    /// The lines of a node's exec items, searched in order after its key line.
    fn execs(&self, node_line: usize, cmds: &[Text]) -> Vec<usize> {
        let mut at = node_line;
        cmds.iter()
            .map(|c| match self.find_in(at, at + Self::WINDOW, &c.0) {
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
        let mut at = self
            .lines
            .iter()
            .position(|l| l.trim() == "links:")
            .unwrap_or(0);
        let mut found = true;
        (0..n)
            .map(|_| {
                // Once one is missing, the rest are too: the search would only rescan.
                let next = if found {
                    (at..self.lines.len()).find(|&i| self.lines[i].contains("endpoints"))
                } else {
                    None
                };
                match next {
                    Some(i) => {
                        at = i + 1;
                        i
                    }
                    None => {
                        found = false;
                        at
                    }
                }
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

/// Parses a containerlab topology into a scenario. Errors are `FILE:LINE:COL: message`.
pub fn from_clab(src: &str, file: &str) -> Result<Scenario, String> {
    from_clab_mapped(src, file).map(|(sc, _)| sc)
}

/// [`from_clab`] and the file lines of the scenario's parts.
pub fn from_clab_mapped(src: &str, file: &str) -> Result<(Scenario, SourceLines), String> {
    // A UTF-8 byte order mark is allowed at the start of a YAML stream (YAML 1.2 §5.2;
    // go-yaml, which containerlab uses, skips it).
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    check_flow_depth(src).map_err(|(line, col)| {
        format!(
            "{file}:{line}:{col}: flow collections nested more than {MAX_FLOW_DEPTH} levels deep: expected a shallower document"
        )
    })?;
    TEXT_BUDGET.with(|b| b.set(src.len().saturating_add(MAX_ALIAS_EXPANSION)));
    let parsed: Result<ClabFile, _> = serde_yaml_ng::from_str(src);
    TEXT_BUDGET.with(|b| b.set(usize::MAX));
    let f = parsed.map_err(|e| yaml_error(file, &e))?;
    let lab = f.name.0.clone();
    if !container_name_part_valid(&lab) {
        let (line, col) = position_of(src, "name:", 0).unwrap_or((1, 1));
        return Err(format!(
            "{file}:{line}:{col}: lab name \"{}\": {}",
            lab.escape_debug(),
            invalid_container_name(&lab.escape_debug().to_string(), "NODE")
        ));
    }
    let finder = Finder::new(src);
    for (name, _) in &f.topology.nodes.0 {
        if !container_name_part_valid(name) {
            let line = finder.node(name) + 1;
            let name = name.escape_debug().to_string();
            return Err(format!(
                "{file}:{line}: node name \"{name}\": {}",
                invalid_container_name(&lab, &name)
            ));
        }
    }
    let mut sc = Scenario {
        name: lab.clone(),
        ..Scenario::default()
    };
    sc.notes.push(format!(
        "containerlab topology {lab} ({file}), as `clab deploy` builds it:"
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
                if let Some(Text(img)) = &n.image {
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
    // (sc.nodes are the linux nodes in file order.)
    let node_index: BTreeMap<&str, usize> = nodes
        .iter()
        .filter(|(_, n)| n.kind == Kind::Linux)
        .enumerate()
        .map(|(i, (name, _))| (name.as_str(), i))
        .collect();
    let known: BTreeSet<&str> = nodes.iter().map(|(n, _)| n.as_str()).collect();
    // Management links first: Docker attaches eth0 when it creates the container.
    for (k, name) in mgmt.iter().enumerate() {
        let host_if: String = format!("veth-{name}").chars().take(15).collect();
        lines.links.push(line_no(finder.node(name)));
        sc.links.push(Link {
            a: format!("{name}:eth0"),
            b: format!("br-clab:{host_if}"),
            mtu: None,
            up: true,
            created_in: None,
        });
        let node = &mut sc.nodes[node_index[name]];
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
            if !known.contains(ep.node.as_str()) {
                let text = format!("{}:{}", ep.node, ep.ifname);
                let (line, col) = position_of(src, &text, links_at).unwrap_or((1, 1));
                let known: Vec<String> = nodes.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                return Err(format!(
                    "{file}:{line}:{col}: link endpoint \"{text}\" names an unknown node \"{}\": expected one of {}",
                    ep.node,
                    name_list(known)
                ));
            }
        }
        sc.links.push(Link {
            a: format!("{}:{}", l.endpoints[0].node, l.endpoints[0].ifname),
            b: format!("{}:{}", l.endpoints[1].node, l.endpoints[1].ifname),
            mtu: Some(CLAB_MTU),
            up: true,
            created_in: None,
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
        for (Text(c), l) in n.exec.iter().zip(finder.execs(at, &n.exec)) {
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
                        sh_quote_always(w)
                    } else {
                        sh_quote(w)
                    }
                })
                .collect();
            sc.steps.push(Step::Run(name.clone(), cmd.join(" ")));
            lines.steps.push(line_no(l));
        }
    }
    sc.validate().map_err(|e| {
        let from = src.find(e.section).unwrap_or(0);
        match position_of(src, e.needle.trim_matches('"'), from) {
            Some((line, col)) => format!("{file}:{line}:{col}: {}", e.msg),
            None => format!("{file}: {}", e.msg),
        }
    })?;
    Ok((sc, lines))
}
