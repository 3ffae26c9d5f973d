//! `nslab convert LAB.sh --to ron`: a shell lab read as the structured form where its lines say
//! the same thing in other words — `ip netns add` (nodes), veth pairs created in one namespace
//! and moved with `ip link set X netns N` (links), root bridges and their ports, and per node
//! `ip addr add`, `ip link set DEV up`, `ip route add` and `sysctl -w`, whether written with
//! `ip netns exec N ip ...` or `ip -n N ...` and with iproute2's abbreviations (`ip a a`,
//! `ip l s`, `ip r a`). Every other line is a step in order (`Run` for `ip netns exec N CMD`,
//! `Sh` for what has no structured form).
//!
//! A veth pair created with both ends in one namespace and then moved (`ip link add v1 type
//! veth peer name v1_r; ip link set v1 netns ns1`) is a link with `created_in`, so the RON
//! creates the two ends in the lab's order (the kernel draws their MAC addresses in that
//! order). A root bridge is lifted where it is created before any link.
//!
//! The structured form renders in its own order (bridges, nodes, links, then each node's
//! configuration, then the steps), so a line is lifted only where that order cannot matter:
//! not after a step that stays a line ran in the same namespace (nor after a step of several
//! lines), a boot sysctl only in quiet form (`sysctl -q -w`, as rendered), of no device and
//! before the node has links. The result is kept only if it runs identically: the lab and the
//! RON's rendering are both run (seed 1) and must print the same text (as bash writes it,
//! without nslab's `FILE:LINE` pointers, whose lines differ), exit with the same status and
//! capture the same frames. If it does not (one node's device set up before another node
//! draws a MAC address changes the addresses), the lines up to the first step are tried
//! alone; otherwise the conversion is [`Scenario::from_shell`]'s, which keeps the lab's own
//! lines.

use super::scenario::{
    is_marker_item, is_plain_comment, netns_exec, push_chunks, Bridge, Chunk, Link, Node, Scenario,
    Step,
};
use super::sh_quote;
use crate::lab::Lab;

/// A shell variable's name.
fn is_name(v: &str) -> bool {
    v.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// iproute2's `matches()`: a non-empty prefix of the keyword.
fn m(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// The lifter's view of the scenario being built.
struct Lifter {
    sc: Scenario,
    /// Link ends (`node:dev`) whose device a later line configured: no longer movable.
    fixed: Vec<String>,
    /// Namespaces (`root` or a node) where a line that stays a step ran: a later line there
    /// is not lifted, since the structured form would run it before that step.
    tainted: Vec<String>,
    /// A step of several lines (a loop, a heredoc) ran: nothing later is lifted.
    all_tainted: bool,
}

impl Lifter {
    fn node(&self, n: &str) -> Option<usize> {
        self.sc.nodes.iter().position(|x| x.name == n)
    }

    fn bridge(&self, n: &str) -> Option<usize> {
        self.sc.bridges.iter().position(|x| x.name == n)
    }

    /// The link end `ns:dev`, as (link index, is the `a` end).
    fn end(&self, ns: &str, dev: &str) -> Option<(usize, bool)> {
        let e = format!("{ns}:{dev}");
        self.sc.links.iter().enumerate().find_map(|(i, l)| {
            if l.a == e {
                Some((i, true))
            } else if l.b == e {
                Some((i, false))
            } else {
                None
            }
        })
    }

    fn set_end(&mut self, (i, is_a): (usize, bool), e: String) {
        if is_a {
            self.sc.links[i].a = e;
        } else {
            self.sc.links[i].b = e;
        }
    }

    /// A device of node `n` (the end of a link there, or `lo`).
    fn has_dev(&self, n: &str, dev: &str) -> bool {
        dev == "lo" || self.end(n, dev).is_some()
    }

    fn is_tainted(&self, ns: &str) -> bool {
        self.all_tainted || self.tainted.iter().any(|t| t == ns)
    }

    /// A line that stays a step: later lines in its namespace stay steps too. False when the
    /// line touches no namespace.
    fn taint(&mut self, line: &str) -> bool {
        let words: Vec<&str> = line.split(' ').collect();
        let words = match words.as_slice() {
            ["sudo", w @ ..] => w,
            w => w,
        };
        let ns = match words {
            // shell options (`set -e`) and variables touch no namespace
            ["set" | "declare" | "export" | "readonly", ..] => return false,
            [w] if w.split_once('=').is_some_and(|(v, _)| is_name(v)) => return false,
            ["ip", "netns", "exec", n, ..] | ["ip", "-n", n, ..] if self.node(n).is_some() => n,
            _ => "root",
        };
        if !self.is_tainted(ns) {
            self.tainted.push(ns.to_string());
        }
        true
    }

    /// Lifts one line into the structure; false when it has no structured form here.
    fn lift(&mut self, line: &str) -> bool {
        let mut words: Vec<&str> = line.split(' ').collect();
        if words.iter().any(|w| w.is_empty() || sh_quote(w) != *w) {
            return false;
        }
        // the lab runs as root: `sudo CMD` is CMD
        if words.first() == Some(&"sudo") {
            words.remove(0);
        }
        let (ns, cmd): (&str, Vec<&str>) = match words.as_slice() {
            ["ip", "netns", "exec", n, rest @ ..] if self.node(n).is_some() => (n, rest.to_vec()),
            ["ip", "-n", n, rest @ ..] if self.node(n).is_some() => {
                let mut c = vec!["ip"];
                c.extend_from_slice(rest);
                (n, c)
            }
            w => ("root", w.to_vec()),
        };
        if self.is_tainted(ns) {
            return false;
        }
        // bridge-utils' words for the same requests
        let cmd = match cmd.as_slice() {
            ["brctl", "addbr", b] => vec!["ip", "link", "add", b, "type", "bridge"],
            ["brctl", "addif", br, dev] => vec!["ip", "link", "set", dev, "master", br],
            _ => cmd,
        };
        let root = ns == "root";
        match cmd.as_slice() {
            ["ip", o, v, n] if root && m(o, "netns") && m(v, "add") => {
                if self.node(n).is_some() || *n == "root" || self.bridge(n).is_some() {
                    return false;
                }
                self.sc.nodes.push(Node {
                    name: n.to_string(),
                    ..Node::default()
                });
                true
            }
            // quiet only: the rendering is `sysctl -q -w`
            ["sysctl", "-q", "-w", kv] | ["sysctl", "-w", "-q", kv] if !root => {
                let Some((k, v)) = kv.split_once('=') else {
                    return false;
                };
                // boot sysctls run before the node has links: only keys of no device, in a
                // node that has none yet
                let per_dev = ["net.ipv4.conf.", "net.ipv4.neigh.", "net.ipv6."]
                    .iter()
                    .any(|p| k.starts_with(p));
                let has_links = self.sc.links.iter().any(|l| {
                    [&l.a, &l.b, &l.created_in.clone().unwrap_or_default()]
                        .iter()
                        .any(|e| e.split(':').next() == Some(ns))
                });
                if per_dev || has_links {
                    return false;
                }
                let i = self.node(ns).unwrap_or(0);
                self.sc.nodes[i]
                    .sysctls
                    .push((k.to_string(), v.to_string()));
                true
            }
            ["ip", o, v, rest @ ..] if m(o, "link") && m(v, "add") => {
                let rest = match rest {
                    ["name" | "dev", r @ ..] => r,
                    r => r,
                };
                match rest {
                    // bridges render before the nodes and links: one created before any
                    // link (the kernel draws MAC addresses in creation order; an `ip netns
                    // add` draws none)
                    [b, "type", "bridge"] if root && self.sc.links.is_empty() => {
                        if self.bridge(b).is_some() || self.node(b).is_some() {
                            return false;
                        }
                        self.sc.bridges.push(Bridge {
                            name: b.to_string(),
                            addresses: Vec::new(),
                        });
                        true
                    }
                    [a, "type", "veth", "peer", "name", b, tail @ ..] => {
                        // created here with both ends (ends moved later are moved from
                        // here), or with the peer put straight into its node
                        let (peer, created_in) = match tail {
                            [] => (ns, Some(ns.to_string())),
                            ["netns", p]
                                if self.node(p).is_some() && *p != ns && !self.is_tainted(p) =>
                            {
                                (*p, None)
                            }
                            _ => return false,
                        };
                        if self.end(ns, a).is_some()
                            || self.end(peer, b).is_some()
                            || (a == b && peer == ns)
                        {
                            return false;
                        }
                        self.sc.links.push(Link {
                            a: format!("{ns}:{a}"),
                            b: format!("{peer}:{b}"),
                            mtu: None,
                            up: false,
                            created_in,
                        });
                        true
                    }
                    _ => false,
                }
            }
            ["ip", o, v, rest @ ..] if m(o, "link") && m(v, "set") => {
                let rest = match rest {
                    ["dev", r @ ..] => r,
                    r => r,
                };
                match rest {
                    [dev, "netns", to] if self.node(to).is_some() => {
                        let Some(e) = self.end(ns, dev) else {
                            return false;
                        };
                        // moved once, from where the pair was created
                        let here = format!("{ns}:{dev}");
                        if self.fixed.contains(&here)
                            || self.end(to, dev).is_some()
                            || *to == ns
                            || self.is_tainted(to)
                            || self.sc.links[e.0].created_in.as_deref() != Some(ns)
                        {
                            return false;
                        }
                        self.set_end(e, format!("{to}:{dev}"));
                        true
                    }
                    [dev, "master", br] if root && self.bridge(br).is_some() => {
                        let Some(e) = self.end("root", dev) else {
                            return false;
                        };
                        self.set_end(e, format!("{br}:{dev}"));
                        true
                    }
                    // a bridge's and a bridge port's `up` are rendered with them
                    [dev, "up"] if root => {
                        self.bridge(dev).is_some()
                            || self
                                .sc
                                .bridges
                                .iter()
                                .any(|b| self.end(&b.name, dev).is_some())
                    }
                    [dev, "up"] if self.has_dev(ns, dev) => {
                        let i = self.node(ns).unwrap_or(0);
                        self.sc.nodes[i].up.push(dev.to_string());
                        self.fixed.push(format!("{ns}:{dev}"));
                        true
                    }
                    _ => false,
                }
            }
            ["ip", o, v, a, "dev", dev] if m(o, "address") && m(v, "add") => {
                if root {
                    let Some(b) = self.bridge(dev) else {
                        return false;
                    };
                    self.sc.bridges[b].addresses.push(a.to_string());
                    return true;
                }
                if !self.has_dev(ns, dev) {
                    return false;
                }
                let i = self.node(ns).unwrap_or(0);
                self.sc.nodes[i]
                    .addresses
                    .push((dev.to_string(), a.to_string()));
                self.fixed.push(format!("{ns}:{dev}"));
                true
            }
            ["ip", o, v, args @ ..]
                if !root && m(o, "route") && m(v, "add") && !args.is_empty() =>
            {
                let i = self.node(ns).unwrap_or(0);
                self.sc.nodes[i].routes.push(args.join(" "));
                true
            }
            _ => false,
        }
    }
}

/// A run's frames: per capture interface (`ns:dev`), each frame's time and bytes.
type Frames = std::collections::BTreeMap<String, Vec<(u64, Vec<u8>)>>;

/// What a lab run printed (as bash writes it), its status and its frames (interface by
/// interface: the pcapng lists interfaces in the order devices were created, which the
/// structured form may change).
fn run_of(text: &str, file: &str) -> (String, i32, Frames) {
    let mut lab = Lab::new(1);
    let r = lab.run_shell(text, file);
    lab.finish();
    let names: Vec<String> = lab.interfaces().into_iter().map(|c| c.name).collect();
    let mut frames = Frames::new();
    for p in lab.packets() {
        let name = names.get(p.iface).cloned().unwrap_or_default();
        frames
            .entry(name)
            .or_default()
            .push((p.time.as_nanos(), p.data.to_vec()));
    }
    (lab.bash_output(), r.status, frames)
}

/// A shell lab read into the structured form that runs identically (see the module
/// documentation): lifting every line that may be lifted, else (when that runs differently,
/// e.g. a node's device set up before another node draws a MAC address) lifting only up to
/// the first line that stays a step; `None` when neither runs the same or nothing is a node.
pub fn lift_shell(src: &str, file: &str) -> Option<Scenario> {
    [false, true]
        .into_iter()
        .filter_map(|first_step_stops| lift_shell_with(src, file, first_step_stops))
        .find(|sc| runs_the_same(src, file, sc))
}

/// The structured reading of a lab, before the check that it runs identically; with
/// `first_step_stops`, no line after the first that stays a step is lifted.
fn lift_shell_with(src: &str, file: &str, first_step_stops: bool) -> Option<Scenario> {
    let script = crate::shell::parse(src, file).ok()?;
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut consumed = 0usize;
    for item in &script.items {
        consumed += item.source.len();
        push_chunks(
            &mut chunks,
            item.source.trim_end_matches('\n'),
            is_marker_item(item),
        );
    }
    if consumed < src.len() && src.is_char_boundary(consumed) {
        push_chunks(&mut chunks, src[consumed..].trim_end_matches('\n'), false);
    }
    let mut lf = Lifter {
        sc: Scenario::default(),
        fixed: Vec::new(),
        tainted: Vec::new(),
        all_tainted: false,
    };
    let mut i = 0;
    while let Some(Chunk::Line(l)) = chunks.get(i) {
        if !is_plain_comment(l) {
            break;
        }
        lf.sc.notes.push(l[2..].to_string());
        i += 1;
    }
    let mut steps = Vec::new();
    let mut traffic = false;
    for c in &chunks[i..] {
        let step = match c {
            Chunk::Block(b) => {
                lf.all_tainted = true;
                Step::Sh(b.clone())
            }
            Chunk::Line(l) if l == "# --- traffic ---" => {
                traffic = true;
                Step::Traffic
            }
            Chunk::Line(l) if !traffic && lf.lift(l) => continue,
            Chunk::Line(l) if is_plain_comment(l) => Step::Note(l[2..].to_string()),
            Chunk::Line(l) => {
                if !l.trim().is_empty() && !l.trim_start().starts_with('#') {
                    let touched = lf.taint(l);
                    lf.all_tainted |= first_step_stops && touched;
                }
                match netns_exec(l) {
                    Some((n, cmd)) => Step::Run(n.to_string(), cmd.to_string()),
                    None => Step::Sh(l.clone()),
                }
            }
        };
        steps.push(step);
    }
    let mut sc = lf.sc;
    sc.steps = steps;
    if sc.nodes.is_empty() || sc.validate().is_err() {
        return None;
    }
    Some(sc)
}

/// Whether the structured form `sc` runs as the shell lab `src` does: the same text (as bash
/// writes it), status and frames per interface, both run with seed 1.
pub fn runs_the_same(src: &str, file: &str, sc: &Scenario) -> bool {
    run_of(src, file) == run_of(&sc.to_shell(), file)
}

impl Scenario {
    /// A shell lab in the structured form as far as it runs identically (see the module
    /// documentation); [`Scenario::from_shell`]'s conversion otherwise.
    pub fn from_shell_structured(src: &str, file: &str) -> Result<Scenario, String> {
        let exact = Scenario::from_shell(src, file)?;
        Ok(lift_shell(src, file).unwrap_or(exact))
    }
}
