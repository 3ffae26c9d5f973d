//! The native scenario form (RON): what the shell and containerlab front ends translate into.
//!
//! A scenario is a topology (root-namespace bridges, nodes = network namespaces, links = veth
//! pairs between `node:if` endpoints), each node's boot sysctls and configuration (addresses,
//! links set up, routes), then steps: commands run in a node or raw shell lines, with the
//! `# --- traffic ---` marker as a step of its own. It runs by rendering to a shell lab
//! ([`Scenario::to_shell`]), so a scenario and its `nslab convert --to sh` output behave the same
//! by construction.
//!
//! Order of the rendered lab: `notes` (comment lines), bridges, `ip netns add` + boot sysctls per
//! node, links in order, per-node configuration (addresses, up, routes), steps.

use super::{check_ifname, check_netns_name, sh_quote};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The MTU range of a veth device (`veth_setup`: min_mtu ETH_MIN_MTU 68, max_mtu ETH_MAX_MTU
/// 65535); `ip link add ... mtu M type veth` outside it fails with "RTNETLINK answers: Invalid
/// argument" (recorded on Linux 6.x).
pub const VETH_MTU: std::ops::RangeInclusive<u32> = 68..=65535;

/// Why a scenario does not render to a working lab: the message (in the words of the tool the
/// value would reach), and where to find the offending value in a source text: `needle` at or
/// after the first `section` keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub msg: String,
    pub needle: String,
    pub section: &'static str,
}

/// A lab in the native structured form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The lab's name (containerlab's `name`); informational.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Comment lines put at the top of the rendered shell lab (without the leading `# `).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Linux bridges in the root namespace, created and set up first. A link endpoint
    /// `BRIDGE:if` is a veth end in the root namespace enslaved to that bridge.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bridges: Vec<Bridge>,
    /// Network namespaces, created in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<Node>,
    /// veth pairs, created in this order after all nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// What runs after the topology is built, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// A bridge in the root namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bridge {
    pub name: String,
    /// Addresses with prefix length (`"172.20.20.1/24"`), added after creation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
}

/// A network namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub name: String,
    /// `(key, value)` set with `sysctl -q -w` right after the namespace is created, before any
    /// link exists (a container's initial configuration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sysctls: Vec<(String, String)>,
    /// `(device, address/prefix)`, added after all links exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<(String, String)>,
    /// Devices set up after the addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub up: Vec<String>,
    /// `ip route add` arguments (`"default via 10.0.1.1"`), added after `up`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<String>,
}

/// A veth pair between two `node:if` endpoints. The node may be a [`Node`], a [`Bridge`] (the
/// end stays in the root namespace and becomes a port of that bridge, set up) or `root` (the
/// root namespace, as everywhere in nslab; `host`, containerlab's word for it, is accepted too).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub a: String,
    pub b: String,
    /// MTU of both ends (containerlab uses 9500); the kernel's 1500 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    /// Set both ends up right after creation (containerlab does).
    #[serde(default, skip_serializing_if = "is_false")]
    pub up: bool,
    /// Where the pair is created, as labs written by hand often do it: in `root` (or a node)
    /// with `ip link add A type veth peer name B`, `a` being the name given first; then each
    /// end that lives elsewhere is moved to its node with `ip link set IF netns NODE`, `a`
    /// first. The order matters: the kernel draws the two ends' MAC addresses in the order
    /// they are created. Absent: created from the `a` end's namespace with the peer put in its
    /// own (`peer name B netns NODE`), or from the root end's when only `b` is in the root
    /// namespace. Ends moved from a node cannot go to the root namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_in: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One step after the topology.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// A command line run in a node: `ip netns exec NODE CMD`.
    Run(String, String),
    /// A comment line (`# TEXT`).
    Note(String),
    /// The `# --- traffic ---` marker: what follows is the lab's traffic.
    Traffic,
    /// Shell text run as is in the root namespace (one or more lines; `""` is an empty line).
    Sh(String),
}

/// What a line of a rendered shell lab comes from (indices into the scenario's lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Note,
    Bridge(usize),
    Node(usize),
    Link(usize),
    Step(usize),
}

#[derive(Default)]
struct Traced {
    text: String,
    origins: Vec<Origin>,
}

impl Traced {
    /// Appends whole lines (`s` ends with a newline), each from `o`.
    fn emit(&mut self, o: Origin, s: &str) {
        self.text += s;
        for _ in 0..s.matches('\n').count() {
            self.origins.push(o);
        }
    }
}

/// The namespace an endpoint's interface lives in.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Side<'a> {
    Ns(&'a str),
    Root { bridge: Option<&'a str> },
}

/// Splits `node:if`.
pub fn split_endpoint(ep: &str) -> Option<(&str, &str)> {
    let (n, i) = ep.split_once(':')?;
    if n.is_empty() || i.is_empty() || i.contains(':') {
        return None;
    }
    Some((n, i))
}

/// Where each node name lives (nodes first, then bridges, then `root`/`host`), for lookups in
/// O(log n) however many nodes a lab has.
struct Sides<'a>(BTreeMap<&'a str, Side<'a>>);

impl<'a> Sides<'a> {
    fn new(sc: &'a Scenario) -> Self {
        let mut m = BTreeMap::new();
        m.insert("root", Side::Root { bridge: None });
        m.insert("host", Side::Root { bridge: None });
        for b in &sc.bridges {
            m.insert(
                b.name.as_str(),
                Side::Root {
                    bridge: Some(&b.name),
                },
            );
        }
        for n in &sc.nodes {
            m.insert(n.name.as_str(), Side::Ns(&n.name));
        }
        Sides(m)
    }

    fn side(&self, node: &str) -> Option<Side<'a>> {
        self.0.get(node).cloned()
    }
}

impl Scenario {
    /// Checks that the scenario renders to a lab the tools accept: names as iproute2 and the
    /// kernel take them (bridges and interfaces: [`check_ifname`], nodes:
    /// [`check_netns_name`]), every link endpoint `node:if` with a known node, veth MTUs in
    /// [`VETH_MTU`].
    pub fn validate(&self) -> Result<(), Invalid> {
        let quoted = |s: &str| format!("\"{s}\"");
        for (i, b) in self.bridges.iter().enumerate() {
            check_ifname(&b.name).map_err(|e| Invalid {
                msg: format!("bridges[{i}]: bridge name: {e}"),
                needle: quoted(&b.name),
                section: "bridges",
            })?;
        }
        for (i, n) in self.nodes.iter().enumerate() {
            check_netns_name(&n.name).map_err(|e| Invalid {
                msg: format!("nodes[{i}]: node name: {e}"),
                needle: quoted(&n.name),
                section: "nodes",
            })?;
            let devs = n.addresses.iter().map(|(d, _)| d).chain(&n.up);
            for d in devs {
                check_ifname(d).map_err(|e| Invalid {
                    msg: format!("nodes[{i}] ({}): device name: {e}", n.name),
                    needle: quoted(d),
                    section: "nodes",
                })?;
            }
        }
        let sides = Sides::new(self);
        for (i, l) in self.links.iter().enumerate() {
            for ep in [&l.a, &l.b] {
                let bad = |msg: String| Invalid {
                    msg,
                    needle: quoted(ep),
                    section: "links",
                };
                let Some((n, ifname)) = split_endpoint(ep) else {
                    return Err(bad(format!(
                        "links[{i}]: bad endpoint \"{ep}\": expected \"node:interface\""
                    )));
                };
                if sides.side(n).is_none() {
                    return Err(bad(format!(
                        "links[{i}]: endpoint \"{ep}\" names an unknown node \"{n}\": expected one of {}",
                        self.known_nodes()
                    )));
                }
                check_ifname(ifname)
                    .map_err(|e| bad(format!("links[{i}]: endpoint \"{ep}\": {e}")))?;
            }
            if let Some(x) = &l.created_in {
                let bad = |why: &str| Invalid {
                    msg: format!("links[{i}]: created_in \"{x}\": {why}"),
                    needle: format!("created_in: Some({})", quoted(x)),
                    section: "links",
                };
                match sides.side(x) {
                    None => {
                        return Err(bad(&format!(
                            "unknown node: expected one of {}",
                            self.known_nodes()
                        )))
                    }
                    Some(Side::Root { bridge: Some(_) }) => {
                        return Err(bad("a bridge; a pair is created in \"root\" or a node"))
                    }
                    Some(Side::Ns(_)) => {
                        let in_root = [&l.a, &l.b].into_iter().any(|ep| {
                            split_endpoint(ep)
                                .and_then(|(n, _)| sides.side(n))
                                .is_some_and(|s| matches!(s, Side::Root { .. }))
                        });
                        if in_root {
                            return Err(bad(
                                "an end in the root namespace cannot be moved there from a node",
                            ));
                        }
                    }
                    Some(Side::Root { bridge: None }) => {}
                }
            }
            if let Some(m) = l.mtu {
                // `ip link add` reads mtu with get_integer: above INT_MAX it is iproute2's
                // own error, otherwise the kernel's range check answers.
                let e = if m > i32::MAX as u32 {
                    format!("Error: argument \"{m}\" is wrong: Invalid \"mtu\" value")
                } else if !VETH_MTU.contains(&m) {
                    format!(
                        "RTNETLINK answers: Invalid argument (a veth's mtu is {} to {})",
                        VETH_MTU.start(),
                        VETH_MTU.end()
                    )
                } else {
                    continue;
                };
                return Err(Invalid {
                    msg: format!("links[{i}]: mtu {m}: {e}"),
                    needle: format!("Some({m})"),
                    section: "links",
                });
            }
        }
        Ok(())
    }

    fn known_nodes(&self) -> String {
        let mut v: Vec<String> = self
            .nodes
            .iter()
            .map(|n| format!("\"{}\"", n.name))
            .collect();
        v.extend(
            self.bridges
                .iter()
                .map(|b| format!("\"{}\" (bridge)", b.name)),
        );
        v.push("\"root\"".into());
        name_list(v)
    }

    /// The equivalent shell lab (the format of `shared/labs/*.sh`). Call [`Scenario::validate`]
    /// first; unknown endpoints render as a comment here.
    pub fn to_shell(&self) -> String {
        self.to_shell_traced().0
    }

    /// [`Scenario::to_shell`] and, for every line of it, what it was rendered from.
    pub fn to_shell_traced(&self) -> (String, Vec<Origin>) {
        let mut w = Traced::default();
        for n in &self.notes {
            let mut s = String::new();
            push_comment(&mut s, n);
            w.emit(Origin::Note, &s);
        }
        // Every word below goes through `sh_quote` (`q`): names and values are data, never
        // shell syntax. Only `Run` commands and `Sh` steps are shell text by definition.
        let q = sh_quote;
        for (i, b) in self.bridges.iter().enumerate() {
            let name = q(&b.name);
            let mut s = format!("ip link add name {name} type bridge\n");
            for a in &b.addresses {
                s += &format!("ip addr add {} dev {name}\n", q(a));
            }
            s += &format!("ip link set {name} up\n");
            w.emit(Origin::Bridge(i), &s);
        }
        for (i, n) in self.nodes.iter().enumerate() {
            let name = q(&n.name);
            let mut s = format!("ip netns add {name}\n");
            for (k, v) in &n.sysctls {
                s += &format!(
                    "ip netns exec {name} sysctl -q -w {}\n",
                    q(&format!("{k}={v}"))
                );
            }
            w.emit(Origin::Node(i), &s);
        }
        let sides = Sides::new(self);
        for (i, l) in self.links.iter().enumerate() {
            let mut s = String::new();
            link_shell(&sides, l, &mut s);
            w.emit(Origin::Link(i), &s);
        }
        for (i, n) in self.nodes.iter().enumerate() {
            let name = q(&n.name);
            let mut s = String::new();
            for (dev, a) in &n.addresses {
                s += &format!("ip netns exec {name} ip addr add {} dev {}\n", q(a), q(dev));
            }
            for dev in &n.up {
                s += &format!("ip netns exec {name} ip link set {} up\n", q(dev));
            }
            for r in &n.routes {
                // A route is `ip route add`'s arguments, one word per blank-separated part.
                let args: Vec<String> = r.split_whitespace().map(q).collect();
                s += &format!("ip netns exec {name} ip route add {}\n", args.join(" "));
            }
            w.emit(Origin::Node(i), &s);
        }
        for (i, st) in self.steps.iter().enumerate() {
            let s = match st {
                Step::Run(node, cmd) => format!("ip netns exec {} {cmd}\n", q(node)),
                Step::Note(t) => {
                    let mut s = String::new();
                    push_comment(&mut s, t);
                    s
                }
                Step::Traffic => "# --- traffic ---\n".to_string(),
                Step::Sh(t) => format!("{t}\n"),
            };
            w.emit(Origin::Step(i), &s);
        }
        (w.text, w.origins)
    }
}

/// The shell lines of one link (see [`Scenario::to_shell_traced`]).
fn link_shell(sides: &Sides, l: &Link, s: &mut String) {
    let bad = |s: &mut String| push_comment(s, &format!("bad link {} {}", l.a, l.b));
    let (Some((na, ia)), Some((nb, ib))) = (split_endpoint(&l.a), split_endpoint(&l.b)) else {
        bad(s);
        return;
    };
    let (Some(sa), Some(sb)) = (sides.side(na), sides.side(nb)) else {
        bad(s);
        return;
    };
    let (ia, ib) = (sh_quote(ia), sh_quote(ib));
    let (ia, ib) = (ia.as_str(), ib.as_str());
    let mtu = l.mtu.map(|m| format!(" mtu {m}")).unwrap_or_default();
    if let Some(x) = &l.created_in {
        let Some(sx) = sides.side(x) else {
            bad(s);
            return;
        };
        let at = exec_prefix(&sx);
        *s += &format!("{at}ip link add {ia}{mtu} type veth peer name {ib}{mtu}\n");
        for (side, ifname) in [(&sa, ia), (&sb, ib)] {
            if let Side::Ns(n) = side {
                if *side != sx {
                    *s += &format!("{at}ip link set {ifname} netns {}\n", sh_quote(n));
                }
            }
        }
        link_ports(l, &sa, ia, &sb, ib, s);
        return;
    }
    // Created from the first end's namespace, unless only the second end is in the root
    // namespace (a netns cannot name the root namespace as the peer's home).
    let ((first, fi), (second, si)) = match (&sa, &sb) {
        (Side::Ns(_), Side::Root { .. }) => ((&sb, ib), (&sa, ia)),
        _ => ((&sa, ia), (&sb, ib)),
    };
    let peer_ns = match (first, second) {
        (Side::Ns(a), Side::Ns(b)) if a == b => String::new(),
        (_, Side::Ns(b)) => format!(" netns {}", sh_quote(b)),
        _ => String::new(),
    };
    *s += &format!(
        "{}ip link add {fi}{mtu} type veth peer name {si}{mtu}{peer_ns}\n",
        exec_prefix(first)
    );
    link_ports(l, &sa, ia, &sb, ib, s);
}

/// A link's ends in bridges made ports, and both ends set up if the link says `up`.
fn link_ports(l: &Link, sa: &Side, ia: &str, sb: &Side, ib: &str, s: &mut String) {
    for (side, ifname) in [(sa, ia), (sb, ib)] {
        if let Side::Root { bridge: Some(br) } = side {
            *s += &format!("ip link set {ifname} master {}\n", sh_quote(br));
            if !l.up {
                *s += &format!("ip link set {ifname} up\n");
            }
        }
    }
    if l.up {
        for (side, ifname) in [(sa, ia), (sb, ib)] {
            *s += &format!("{}ip link set {ifname} up\n", exec_prefix(side));
        }
    }
}

impl Scenario {
    /// The scenario as RON text, with the notes also as `//` comments on top.
    pub fn to_ron(&self) -> String {
        let cfg = ron::ser::PrettyConfig::new()
            .indentor("    ".to_string())
            .struct_names(true)
            .separate_tuple_members(false)
            .escape_strings(false);
        let body = ron::ser::to_string_pretty(self, cfg)
            .unwrap_or_else(|e| format!("// cannot serialize: {e}"));
        format!("{body}\n")
    }

    /// Parses a RON scenario; errors are `FILE:LINE:COL: message`.
    pub fn from_ron(src: &str, file: &str) -> Result<Scenario, String> {
        let sc: Scenario = ron::Options::default().from_str(src).map_err(|e| {
            format!(
                "{}:{}:{}: {}",
                file, e.span.start.line, e.span.start.col, e.code
            )
        })?;
        sc.validate().map_err(|e| {
            let from = src.find(e.section).unwrap_or(0);
            match position_of(src, &e.needle, from) {
                Some((line, col)) => format!("{file}:{line}:{col}: {}", e.msg),
                None => format!("{file}: {}", e.msg),
            }
        })?;
        Ok(sc)
    }

    /// A shell lab as a scenario that renders back to the same text: leading comment lines
    /// become `notes`; then, as far as the lab is written the way the structured form renders
    /// (bridges, `ip netns add` and boot sysctls, veth links with their `master`/`up` lines,
    /// per node its addresses, up devices and routes), the structured fields ([`lift_line`],
    /// each lifted line checked by rendering); then every line is a step (`ip netns exec NODE CMD` → `Run`, `# text` → `Note`, the traffic marker
    /// → `Traffic`, anything else, and multi-line commands such as heredocs and loops, `Sh`).
    /// A lab whose lifted form would not render back to the same text is one `Sh` step.
    pub fn from_shell(src: &str, file: &str) -> Result<Scenario, String> {
        let script = crate::shell::parse(src, file).map_err(|e| e.to_string())?;
        // Chunks: each top-level item's source text, split into its leading comment/blank lines
        // and the command itself (one or more lines); then whatever follows the last item.
        let mut lines: Vec<Chunk> = Vec::new();
        let mut consumed = 0usize;
        for item in &script.items {
            let text = item.source.trim_end_matches('\n');
            consumed += item.source.len();
            push_chunks(&mut lines, text, is_marker_item(item));
        }
        if consumed < src.len() && src.is_char_boundary(consumed) {
            push_chunks(&mut lines, src[consumed..].trim_end_matches('\n'), false);
        }
        let mut sc = Scenario::default();
        let mut i = 0;
        while i < lines.len() {
            match &lines[i] {
                Chunk::Line(l) if is_plain_comment(l) => {
                    sc.notes.push(l[2..].to_string());
                    i += 1;
                }
                _ => break,
            }
        }
        // The topology and the nodes' configuration, where the lab writes them as the
        // structured form renders them (links after the nodes, then per node its addresses, up
        // devices and routes): each line is lifted only while the rendering so far gives the
        // lab's own lines back, so the lab's order and words are kept exactly.
        let mut prefix: String = lines[..i].iter().map(Chunk::text).collect();
        while i < lines.len() && lines.len() <= MAX_LIFT_LINES {
            // One line, or a few that render together (a bridge and its `up`, a link and its
            // ends' `up`/`master`), each line read as every form it may be; the longest run of
            // lines that renders back exactly wins (a link's ends set up right after it are
            // the link's `up`, not two node devices).
            let mut tries: Vec<(Scenario, String)> = vec![(sc.clone(), prefix.clone())];
            let mut best: Option<(Scenario, String, usize)> = None;
            for k in 0..8 {
                let Some(Chunk::Line(l)) = lines.get(i + k) else {
                    break;
                };
                let mut next = Vec::new();
                let mut found = false;
                for (cand, text) in &tries {
                    let want = format!("{text}{l}\n");
                    for c in lift_line(cand, l) {
                        let back = c.to_shell();
                        if back == want && !found {
                            found = true;
                            best = Some((c.clone(), want.clone(), k + 1));
                        }
                        if want.starts_with(&back) || back.starts_with(&want) {
                            next.push((c, want.clone()));
                        }
                    }
                }
                // stop once a reading is complete and none is waiting for more lines
                let waiting = next.iter().any(|(c, w)| c.to_shell() != *w);
                if next.is_empty() || (found && !waiting) {
                    break;
                }
                next.truncate(8);
                tries = next;
            }
            let Some((c, text, n)) = best else {
                break;
            };
            sc = c;
            prefix = text;
            i += n;
        }
        for c in &lines[i..] {
            sc.steps.push(match c {
                Chunk::Block(b) => Step::Sh(b.clone()),
                Chunk::Line(l) if l == "# --- traffic ---" => Step::Traffic,
                Chunk::Line(l) if is_plain_comment(l) => Step::Note(l[2..].to_string()),
                Chunk::Line(l) => match netns_exec(l) {
                    Some((n, cmd)) => Step::Run(n.to_string(), cmd.to_string()),
                    None => Step::Sh(l.clone()),
                },
            });
        }
        // The rendering must give the source back exactly (modulo the final newline); if the
        // lifted form does not (unusual line endings or spacing), the lab is one raw step.
        let back = sc.to_shell();
        if back.trim_end_matches('\n') != src.trim_end_matches('\n') {
            return Ok(Scenario {
                steps: vec![Step::Sh(src.trim_end_matches('\n').to_string())],
                ..Scenario::default()
            });
        }
        Ok(sc)
    }
}

pub(super) enum Chunk {
    Line(String),
    Block(String),
}

impl Chunk {
    fn text(&self) -> String {
        match self {
            Chunk::Line(l) | Chunk::Block(l) => format!("{l}\n"),
        }
    }
}

/// Labs longer than this are not lifted line by line (each step re-renders the scenario).
const MAX_LIFT_LINES: usize = 400;

/// What one line of a shell lab may mean in the structured form, if it is one of the rendered
/// forms: a node (`ip netns add`, its boot `sysctl -q -w`), a root bridge (`ip link add name B
/// type bridge`, its addresses, `up`), a veth link (`[ip netns exec N ]ip link add A [mtu M]
/// type veth peer name B [mtu M] [netns P]`, its ends' `master BR` and `up`), or a node's `ip
/// addr add`, `ip link set DEV up`, `ip route add`. Every reading is returned (a line may be
/// read several ways); the caller keeps one whose rendering gives the lab's lines back.
fn lift_line(sc: &Scenario, l: &str) -> Vec<Scenario> {
    let (ns, cmd) = match netns_exec(l) {
        Some((n, c)) => (Some(n), c),
        None => (None, l),
    };
    let w: Vec<&str> = cmd.split(' ').collect();
    let plain = |x: &&str| sh_quote(x) == **x;
    if !w.iter().all(plain) {
        return Vec::new();
    }
    let node = |n: &str| sc.nodes.iter().position(|x| x.name == n);
    let bridge = |n: &str| sc.bridges.iter().position(|x| x.name == n);
    let known = |n: &str| n == "root" || node(n).is_some();
    let mut out = Vec::new();
    let mut with = |f: &dyn Fn(&mut Scenario)| {
        let mut c = sc.clone();
        f(&mut c);
        out.push(c);
    };
    match (ns, w.as_slice()) {
        (None, ["ip", "netns", "add", n]) => with(&|c| {
            c.nodes.push(Node {
                name: n.to_string(),
                ..Node::default()
            })
        }),
        (Some(n), ["sysctl", "-q", "-w", kv]) if node(n).is_some() => {
            if let Some((k, v)) = kv.split_once('=') {
                let i = node(n).unwrap_or(0);
                with(&|c| c.nodes[i].sysctls.push((k.to_string(), v.to_string())));
            }
        }
        (None, ["ip", "link", "add", "name", b, "type", "bridge"]) => with(&|c| {
            c.bridges.push(Bridge {
                name: b.to_string(),
                addresses: Vec::new(),
            })
        }),
        (None, ["ip", "addr", "add", a, "dev", b]) if bridge(b).is_some() => {
            let i = bridge(b).unwrap_or(0);
            with(&|c| c.bridges[i].addresses.push(a.to_string()));
        }
        (None, ["ip", "link", "add", a, rest @ ..])
        | (Some(_), ["ip", "link", "add", a, rest @ ..]) => {
            let (mtu, rest) = match rest {
                ["mtu", m, r @ ..] => (m.parse::<u32>().ok(), r),
                r => (None, r),
            };
            let (b, rest) = match rest {
                ["type", "veth", "peer", "name", b, r @ ..] => (*b, r),
                _ => return out,
            };
            let rest = match (mtu, rest) {
                (Some(m), ["mtu", m2, r @ ..]) if m2.parse::<u32>().ok() == Some(m) => r,
                (None, r) => r,
                _ => return out,
            };
            let here = ns.unwrap_or("root");
            let peer = match rest {
                [] => here,
                ["netns", p] => p,
                _ => return out,
            };
            if !known(here) || !known(peer) {
                return out;
            }
            let (ea, eb) = (format!("{here}:{a}"), format!("{peer}:{b}"));
            // Both orders render the same `ip link add`; the first kept is the one whose later
            // lines (`master`, `up`) match: a node's end first when the other is the root's
            // (as containerlab's links are written).
            let orders = if here == "root" && peer != "root" {
                [(eb.clone(), ea.clone()), (ea, eb)]
            } else {
                [(ea.clone(), eb.clone()), (eb, ea)]
            };
            for (x, y) in orders {
                with(&|c| {
                    c.links.push(Link {
                        a: x.clone(),
                        b: y.clone(),
                        mtu,
                        up: false,
                        created_in: None,
                    })
                });
            }
        }
        (None, ["ip", "link", "set", dev, "master", br]) if bridge(br).is_some() => {
            // the root end of the last link becomes a port of the bridge
            if let Some(last) = sc.links.last() {
                for (end, is_a) in [(&last.a, true), (&last.b, false)] {
                    if *end == format!("root:{dev}") {
                        let e = format!("{br}:{dev}");
                        with(&|c| {
                            let l = c.links.last_mut().expect("a last link");
                            if is_a {
                                l.a = e.clone();
                            } else {
                                l.b = e.clone();
                            }
                        });
                    }
                }
            }
        }
        (_, ["ip", "link", "set", dev, "up"]) => {
            // a bridge's own `up`, or a port's (rendered with it), or the last link's ends
            // set up (its `up`), or a node's device set up
            if ns.is_none()
                && (bridge(dev).is_some()
                    || sc.links.last().is_some_and(|l| {
                        l.a.ends_with(&format!(":{dev}")) || l.b.ends_with(&format!(":{dev}"))
                    }))
            {
                with(&|_| {});
            }
            if let Some(last) = sc.links.last() {
                let me = format!("{}:{dev}", ns.unwrap_or("root"));
                if me == last.a || me == last.b || ns.is_none() {
                    with(&|c| {
                        if let Some(l) = c.links.last_mut() {
                            l.up = true;
                        }
                    });
                }
                if last.up {
                    with(&|_| {});
                }
            }
            if let Some(i) = ns.and_then(node) {
                with(&|c| c.nodes[i].up.push(dev.to_string()));
            }
        }
        (Some(n), ["ip", "addr", "add", a, "dev", dev]) if node(n).is_some() => {
            let i = node(n).unwrap_or(0);
            with(&|c| c.nodes[i].addresses.push((dev.to_string(), a.to_string())));
        }
        (Some(n), ["ip", "route", "add", args @ ..]) if node(n).is_some() && !args.is_empty() => {
            let i = node(n).unwrap_or(0);
            with(&|c| c.nodes[i].routes.push(args.join(" ")));
        }
        _ => {}
    }
    out
}

pub(super) fn is_marker_item(item: &crate::shell::TopItem) -> bool {
    item.list.len() == 1
        && item.list[0].and_or.rest.is_empty()
        && matches!(
            item.list[0].and_or.first.cmds.as_slice(),
            [crate::shell::Command::Marker(_)]
        )
}

pub(super) fn push_chunks(out: &mut Vec<Chunk>, text: &str, marker: bool) {
    if text.is_empty() && !marker {
        return;
    }
    let all: Vec<&str> = text.split('\n').collect();
    if marker {
        for l in all {
            out.push(Chunk::Line(l.to_string()));
        }
        return;
    }
    // Leading comment and blank lines are lines of their own; the command is the rest.
    let mut k = 0;
    while k < all.len() - 1 && (all[k].trim().is_empty() || all[k].trim_start().starts_with('#')) {
        out.push(Chunk::Line(all[k].to_string()));
        k += 1;
    }
    let rest = &all[k..];
    if rest.len() == 1 {
        out.push(Chunk::Line(rest[0].to_string()));
    } else {
        out.push(Chunk::Block(rest.join("\n")));
    }
}

pub(super) fn is_plain_comment(l: &str) -> bool {
    l.starts_with("# ") && l != "# --- traffic ---"
}

/// `ip netns exec NODE CMD` written plainly.
pub(super) fn netns_exec(l: &str) -> Option<(&str, &str)> {
    let rest = l.strip_prefix("ip netns exec ")?;
    let (n, cmd) = rest.split_once(' ')?;
    (simple_word(n) && !cmd.is_empty() && !cmd.starts_with(' ')).then_some((n, cmd))
}

fn simple_word(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Names for an error message, at most [`NAMES_SHOWN`] of them (a lab may have thousands).
pub fn name_list(v: Vec<String>) -> String {
    if v.len() <= NAMES_SHOWN {
        return v.join(", ");
    }
    format!("{}, ... ({} in all)", v[..NAMES_SHOWN].join(", "), v.len())
}

/// How many names an error message lists.
pub const NAMES_SHOWN: usize = 16;

/// Line and column (1-based) of the first occurrence of `needle` at or after byte `from`.
pub fn position_of(src: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    let off = from + src.get(from..)?.find(needle)?;
    let before = &src[..off];
    let line = before.matches('\n').count() + 1;
    let col = off - before.rfind('\n').map(|p| p + 1).unwrap_or(0) + 1;
    Some((line, col))
}

fn push_comment(s: &mut String, t: &str) {
    for l in t.split('\n') {
        if l.is_empty() {
            s.push_str("#\n");
        } else {
            *s += &format!("# {l}\n");
        }
    }
}

fn exec_prefix(side: &Side) -> String {
    match side {
        Side::Ns(n) => format!("ip netns exec {} ", sh_quote(n)),
        Side::Root { .. } => String::new(),
    }
}

/// The lines of a RON scenario's list elements (`bridges`, `nodes`, `links`, `steps`), so the
/// messages of a RON lab name the RON file's lines (ron gives no spans for deserialized
/// values). A scanner of RON's lexical structure: strings (`"..."` with escapes, raw
/// `r#"..."#`), comments (`//`, nested `/* */`) and brackets; an element starts at its first
/// character inside the field's top-level list.
pub fn ron_source_lines(src: &str) -> super::clab::SourceLines {
    let mut lines = super::clab::SourceLines::default();
    let b = src.as_bytes();
    let (mut i, mut line, mut depth) = (0usize, 1u32, 0u32);
    // the field of the top-level struct being read, and whether an element of its list is open
    let mut field = String::new();
    let mut ident = String::new();
    let mut in_elem = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 0;
                while i < b.len() {
                    if b[i] == b'\n' {
                        line += 1;
                    }
                    if b[i..].starts_with(b"/*") {
                        nest += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            _ => {}
        }
        let starts_elem =
            depth == 2 && !in_elem && !c.is_ascii_whitespace() && c != b',' && c != b']';
        if starts_elem {
            in_elem = true;
            let v = match field.as_str() {
                "bridges" => Some(&mut lines.bridges),
                "nodes" => Some(&mut lines.nodes),
                "links" => Some(&mut lines.links),
                "steps" => Some(&mut lines.steps),
                _ => None,
            };
            if let Some(v) = v {
                v.push(line);
            }
        }
        match c {
            b'"' | b'r' if c == b'"' || matches!(b.get(i + 1), Some(b'"' | b'#')) => {
                // a string: "..." or r#"..."#
                let hashes = if c == b'r' {
                    let mut h = 0;
                    i += 1;
                    while b.get(i) == Some(&b'#') {
                        h += 1;
                        i += 1;
                    }
                    Some(h)
                } else {
                    None
                };
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\n' => line += 1,
                        b'\\' if hashes.is_none() => i += 1,
                        b'"' => {
                            let h = hashes.unwrap_or(0);
                            if b[i + 1..].iter().take(h).filter(|&&x| x == b'#').count() == h {
                                i += h;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 2 {
                    // an element's brackets closed; it ends at the next comma or the list's end
                }
            }
            b',' if depth == 2 => in_elem = false,
            b':' if depth == 1 => field = std::mem::take(&mut ident),
            _ if depth == 1 && (c.is_ascii_alphanumeric() || c == b'_') => ident.push(c as char),
            _ if depth == 1 && !c.is_ascii_whitespace() => ident.clear(),
            _ => {}
        }
        if depth < 2 {
            in_elem = false;
        }
        i += 1;
    }
    lines
}
