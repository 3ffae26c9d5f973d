//! `nslab graph`: the lab's topology — namespaces, their devices with addresses, veth links,
//! bridge ports and overlay tunnels — as Graphviz dot, Mermaid, or an SVG drawn by our own
//! deterministic layout (namespaces in columns, devices as rows, links as lines and curves).
//!
//! Adding a device kind: its colour comes from `kind_name()` (a new arm in [`kind_fill`] if
//! it deserves its own), and a tunnel names its remote endpoint in [`overlay_remotes`] — one
//! `match` arm — to get a dashed overlay link to the tunnel device (or the device) that owns that
//! address.

use crate::exit::Exit;
use crate::shell::ScriptResult;
use crate::Lab;
use sim_models::kernel::Kernel;
use sim_models::net::rtnetlink::dump::{
    AddrMsg, LinkInfo, LinkMsg, NetnsMsg, RouteMsg, ARPHRD_LOOPBACK, ARPHRD_TUNNEL,
};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// One device box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub ns: String,
    pub name: String,
    pub kind: &'static str,
    pub lines: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// The two ends of a veth pair.
    Veth,
    /// A bridge and one of its ports.
    Port,
    /// A tunnel device and the device owning its remote address.
    Overlay,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub a: String,
    pub b: String,
    pub kind: LinkKind,
}

/// The topology: namespaces (in creation order) with their devices, and links; with
/// [`Topology::add_routes`], each namespace's forwarding state and main routing table.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    pub namespaces: Vec<(String, Vec<Node>)>,
    pub links: Vec<Link>,
    /// Lines drawn under a namespace's name (`forwarding on`, its routes), by namespace.
    pub ns_notes: Vec<(String, Vec<String>)>,
}

impl Topology {
    /// The lines drawn under namespace `ns`'s name.
    fn notes(&self, ns: &str) -> &[String] {
        self.ns_notes
            .iter()
            .find(|(n, _)| n == ns)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Adds each drawn namespace's forwarding state (`net.ipv4.ip_forward`) and its main
    /// table's routes as `ip route` words (`nslab graph --routes`).
    pub fn add_routes(&mut self, k: &Kernel) {
        for (name, _) in &self.namespaces {
            let Some(ns) = k.netns_get_by_name(name) else {
                continue;
            };
            let fwd = sim_models::tools::sysctl::sysctl_read(k, ns, "net.ipv4.ip_forward")
                .map(|v| v.trim() == "1")
                .unwrap_or(false);
            let mut lines = vec![format!("forwarding {}", if fwd { "on" } else { "off" })];
            let links = k.rtnl_link_dump(ns);
            let dev = |i: u32| {
                links
                    .iter()
                    .find(|l| l.ifindex == i)
                    .map_or(String::new(), |l| l.name.clone())
            };
            for r in k.rtnl_route_dump(ns, Some(sim_models::net::fib::RT_TABLE_MAIN)) {
                let mut w = if r.dst_len == 0 {
                    "default".to_string()
                } else {
                    format!("{}/{}", r.dst, r.dst_len)
                };
                if r.rtype != sim_models::net::fib::RtnType::Unicast {
                    w = format!("{} {w}", r.rtype.name());
                }
                if let Some(g) = r.gateway {
                    w += &format!(" via {g}");
                }
                if let Some(o) = r.oif {
                    w += &format!(" dev {}", dev(o));
                }
                lines.push(w);
            }
            self.ns_notes.push((name.clone(), lines));
        }
    }
}

/// A tunnel's remote endpoints (ipip and gre `remote`, vxlan `remote`/fdb), from the dumps. Empty for
/// other kinds.
fn overlay_remotes(
    l: &LinkMsg,
    routes: &[RouteMsg],
    fdb: &[sim_models::net::rtnetlink::dump::FdbMsg],
) -> Vec<Ipv4Addr> {
    let mut v = Vec::new();
    match &l.info {
        None
        | Some(
            LinkInfo::Veth
            | LinkInfo::Bridge(_)
            | LinkInfo::Dummy
            | LinkInfo::Macvlan(_)
            | LinkInfo::Ipvlan(_)
            | LinkInfo::Vlan(_)
            | LinkInfo::Bond(_)
            | LinkInfo::Vrf { .. },
        ) => {}
        // The configured remote; with `remote any` (Calico, Flannel's IPIP backend) the outer
        // destination is each route's nexthop through the tunnel.
        Some(LinkInfo::Ipip(t)) => {
            if !t.remote.is_unspecified() {
                v.push(t.remote);
            } else {
                v.extend(
                    routes
                        .iter()
                        .filter(|r| r.oif == Some(l.ifindex))
                        .filter_map(|r| r.gateway),
                );
            }
        }
        // A GRE tunnel's configured remote.
        Some(LinkInfo::Gre(g)) => {
            if !g.remote.is_unspecified() {
                v.push(g.remote);
            }
        }
        // The configured remote and every VTEP the fdb names.
        Some(LinkInfo::Vxlan(x)) => {
            if !x.group.is_unspecified() {
                v.push(x.group);
            }
            v.extend(
                fdb.iter()
                    .filter(|f| f.ifindex == l.ifindex)
                    .filter_map(|f| f.dst),
            );
        }
    }
    v.sort();
    v.dedup();
    v
}

fn node_id(ns: &str, dev: &str) -> String {
    let mut s = String::new();
    for c in format!("{ns}_{dev}").chars() {
        s.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    s
}

/// `IFLA_INFO_KIND`, or `loopback` for the device without link info.
fn kind_name(l: &LinkMsg) -> &'static str {
    l.info.as_ref().map_or("loopback", |i| i.kind())
}

/// Reads the topology from the model's rtnetlink dumps: the namespaces in creation order, in
/// each its links in ifindex order; a veth pair is drawn once, from the end listed first.
pub fn topology(k: &Kernel) -> Topology {
    let mut t = Topology::default();
    let netns = k.netns_dump();
    // Per namespace: its name, nsid, links, addresses, routes and fdb.
    let dumps: Vec<(NetnsMsg, Vec<LinkMsg>, Vec<AddrMsg>)> = netns
        .into_iter()
        .filter_map(|n| {
            let ns = k.netns_get_by_name(&n.name)?;
            Some((n, k.rtnl_link_dump(ns), k.rtnl_addr_dump(ns, None)))
        })
        .collect();
    let name_of = |nsid: i32, ifindex: u32| -> Option<String> {
        let (n, links, _) = dumps.iter().find(|d| d.0.nsid == nsid)?;
        let l = links.iter().find(|l| l.ifindex == ifindex)?;
        Some(node_id(&n.name, &l.name))
    };
    for (net, links, addrs) in &dumps {
        let mut nodes = Vec::new();
        for l in links {
            let mine: Vec<&AddrMsg> = addrs.iter().filter(|a| a.ifindex == l.ifindex).collect();
            if l.link_type == ARPHRD_LOOPBACK && mine.iter().all(|a| a.local.is_loopback()) {
                continue;
            }
            let mut lines = vec![format!(
                "{} {}",
                kind_name(l),
                if l.is_up() { "UP" } else { "DOWN" }
            )];
            for a in &mine {
                lines.push(format!("{}/{}", a.local, a.prefixlen));
            }
            // (An IPIP tunnel has no link-layer address.)
            if !matches!(l.link_type, ARPHRD_LOOPBACK | ARPHRD_TUNNEL) {
                if let Some(m) = l.mac() {
                    lines.push(sim_models::wire::fmt_mac(&m));
                }
            }
            nodes.push(Node {
                id: node_id(&net.name, &l.name),
                ns: net.name.clone(),
                name: l.name.clone(),
                kind: kind_name(l),
                lines,
            });
        }
        if !nodes.is_empty() {
            t.namespaces.push((net.name.clone(), nodes));
        }
    }
    for (net, links, _) in &dumps {
        let Some(ns) = k.netns_get_by_name(&net.name) else {
            continue;
        };
        let routes = k.rtnl_route_dump(ns, None);
        let fdb = k.rtnl_fdb_dump(ns);
        for l in links {
            let me = node_id(&net.name, &l.name);
            if let (Some(LinkInfo::Veth), Some(peer)) = (&l.info, l.link) {
                let peer_ns = l.link_net.map_or(net.nsid, |p| p as i32);
                if let Some(p) = name_of(peer_ns, peer) {
                    let seen = t.links.iter().any(|x| {
                        x.kind == LinkKind::Veth
                            && ((x.a == me && x.b == p) || (x.a == p && x.b == me))
                    });
                    if !seen {
                        t.links.push(Link {
                            a: me.clone(),
                            b: p,
                            kind: LinkKind::Veth,
                        });
                    }
                }
            }
            if let Some(m) = l.master.and_then(|m| name_of(net.nsid, m)) {
                t.links.push(Link {
                    a: m,
                    b: me.clone(),
                    kind: LinkKind::Port,
                });
            }
            for remote in overlay_remotes(l, &routes, &fdb) {
                // The overlay ends at the device the kernel would hand the encapsulated
                // packets to in the namespace owning the remote address.
                let Some(b) = k
                    .overlay_rx_dev(ns, l.ifindex, remote)
                    .and_then(|(nsid, i)| name_of(nsid, i))
                else {
                    continue;
                };
                let a = me.clone();
                let seen = t.links.iter().any(|l| {
                    l.kind == LinkKind::Overlay
                        && ((l.a == a && l.b == b) || (l.a == b && l.b == a))
                });
                if !seen {
                    t.links.push(Link {
                        a,
                        b,
                        kind: LinkKind::Overlay,
                    });
                }
            }
        }
    }
    t
}

/// Fill colour of a device box by kind.
fn kind_fill(kind: &str) -> &'static str {
    match kind {
        "veth" => "#e3efff",
        "bridge" => "#ffe9c7",
        "dummy" => "#eeeeee",
        "loopback" => "#f3f3f3",
        "ipip" | "vxlan" => "#dff5e1",
        _ => "#f6f6f6",
    }
}

/// Graphviz dot.
pub fn dot(t: &Topology) -> String {
    let mut s = String::from(
        "graph lab {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=10];\n",
    );
    for (i, (ns, nodes)) in t.namespaces.iter().enumerate() {
        let label = std::iter::once(ns.clone())
            .chain(t.notes(ns).iter().cloned())
            .collect::<Vec<_>>()
            .join("\\l");
        let label = if t.notes(ns).is_empty() {
            label
        } else {
            format!("{label}\\l")
        };
        let _ = writeln!(s, "  subgraph cluster_{i} {{\n    label=\"{label}\";");
        for n in nodes {
            let label = std::iter::once(n.name.clone())
                .chain(n.lines.iter().cloned())
                .collect::<Vec<_>>()
                .join("\\n");
            let _ = writeln!(
                s,
                "    {} [label=\"{label}\", fillcolor=\"{}\"];",
                n.id,
                kind_fill(n.kind)
            );
        }
        s += "  }\n";
    }
    for l in &t.links {
        let style = match l.kind {
            LinkKind::Veth => "label=\"veth\"",
            LinkKind::Port => "style=bold, label=\"port\"",
            LinkKind::Overlay => "style=dashed, color=\"#2a9d3a\", label=\"overlay\"",
        };
        let _ = writeln!(s, "  {} -- {} [{style}];", l.a, l.b);
    }
    s += "}\n";
    s
}

/// Mermaid flowchart.
pub fn mermaid(t: &Topology) -> String {
    let mut s = String::from("flowchart LR\n");
    for (ns, nodes) in &t.namespaces {
        let label = std::iter::once(ns.clone())
            .chain(t.notes(ns).iter().cloned())
            .collect::<Vec<_>>()
            .join("<br/>");
        let _ = writeln!(s, "  subgraph {}[\"{label}\"]", node_id("ns", ns));
        for n in nodes {
            let label = std::iter::once(n.name.clone())
                .chain(n.lines.iter().cloned())
                .collect::<Vec<_>>()
                .join("<br/>");
            let _ = writeln!(s, "    {}[\"{label}\"]", n.id);
        }
        s += "  end\n";
    }
    for l in &t.links {
        let arrow = match l.kind {
            LinkKind::Veth => "---|veth|",
            LinkKind::Port => "===|port|",
            LinkKind::Overlay => "-.-|overlay|",
        };
        let _ = writeln!(s, "  {} {arrow} {}", l.a, l.b);
    }
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COL_W: i64 = 230;
const COL_GAP: i64 = 90;
const BOX_W: i64 = 170;
const LINE_H: i64 = 14;
const ROW_GAP: i64 = 26;
const TOP: i64 = 46;

/// Column of each namespace: breadth-first distance over links from the best-connected
/// namespace (a host's bridge in the middle, its pods to the right); namespaces linked to
/// nothing get a column of their own at the end.
fn columns(t: &Topology) -> Vec<Vec<usize>> {
    let n = t.namespaces.len();
    let ns_of = |id: &str| {
        t.namespaces
            .iter()
            .position(|(_, nodes)| nodes.iter().any(|x| x.id == id))
    };
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in &t.links {
        if let (Some(a), Some(b)) = (ns_of(&l.a), ns_of(&l.b)) {
            if a != b {
                if !adj[a].contains(&b) {
                    adj[a].push(b);
                }
                if !adj[b].contains(&a) {
                    adj[b].push(a);
                }
            }
        }
    }
    let mut level: Vec<Option<usize>> = vec![None; n];
    let mut cols: Vec<Vec<usize>> = Vec::new();
    let mut lonely = Vec::new();
    // The unplaced namespace with the most neighbours starts the next component.
    while let Some(hub) = (0..n)
        .filter(|&i| level[i].is_none())
        .max_by_key(|&i| (adj[i].len(), usize::MAX - i))
    {
        if adj[hub].is_empty() {
            level[hub] = Some(0);
            lonely.push(hub);
            continue;
        }
        let mut queue = vec![hub];
        level[hub] = Some(0);
        let mut k = 0;
        while k < queue.len() {
            let x = queue[k];
            k += 1;
            let lx = level[x].unwrap_or(0);
            if cols.len() <= lx {
                cols.push(Vec::new());
            }
            cols[lx].push(x);
            for &y in &adj[x] {
                if level[y].is_none() {
                    level[y] = Some(lx + 1);
                    queue.push(y);
                }
            }
        }
    }
    if !lonely.is_empty() {
        cols.push(lonely);
    }
    cols
}

/// SVG, laid out by us: namespaces in columns by link distance, devices stacked inside.
pub fn svg(t: &Topology) -> String {
    // Positions: id -> (x, y, w, h, column index).
    let mut pos: Vec<(String, i64, i64, i64, i64, usize)> = Vec::new();
    let mut frames = Vec::new();
    let mut width = 0i64;
    let mut row_y = 0i64;
    for (c, col) in columns(t).iter().enumerate() {
        let x = 20 + c as i64 * (COL_W + COL_GAP);
        let mut fy = 20i64;
        for &k in col {
            let (ns, nodes) = &t.namespaces[k];
            let mut y = fy + TOP + LINE_H * t.notes(ns).len() as i64;
            for n in nodes {
                let h = 10 + LINE_H * (n.lines.len() as i64 + 1);
                pos.push((n.id.clone(), x + (COL_W - BOX_W) / 2, y, BOX_W, h, c));
                y += h + ROW_GAP;
            }
            frames.push((ns.clone(), x, fy, y - fy));
            fy = y + 30;
        }
        row_y = row_y.max(fy);
        width = width.max(x + COL_W + 20);
    }
    let legend_y = row_y;
    let height = row_y + LEGEND_H;
    let width = width.max(LEGEND_W);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"monospace\" font-size=\"11\">\n"
    );
    s += "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    for (ns, x, y, h) in &frames {
        let _ = write!(
            s,
            "<g class=\"netns\"><rect x=\"{x}\" y=\"{y}\" width=\"{COL_W}\" height=\"{h}\" rx=\"10\" fill=\"#fafbfc\" stroke=\"#8a96a3\" stroke-dasharray=\"4 3\"/><text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#34495e\">netns {}</text>",
            x + 10,
            y + 20,
            esc(ns)
        );
        // `--routes`: the namespace's forwarding state and routes under its name
        for (i, line) in t.notes(ns).iter().enumerate() {
            let _ = write!(
                s,
                "<text class=\"route\" x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#5b6770\">{}</text>",
                x + 10,
                y + 20 + LINE_H * (i as i64 + 1),
                esc(line)
            );
        }
        s += "</g>\n";
    }
    let find = |id: &str| pos.iter().find(|p| p.0 == id).cloned();
    // Port fan-out: a bridge's port links leave its box at evenly spread points, ordered by
    // where their ports are (lowest port first, from the top), so that with the bulge growing
    // with distance, a farther port's curve encloses a nearer one's instead of crossing it.
    let mut slots: Vec<(usize, i64, i64, i64)> = Vec::new(); // (link, rank, ports, nesting)
    for (i, l) in t.links.iter().enumerate() {
        if l.kind != LinkKind::Port {
            continue;
        }
        let mut mine: Vec<(i64, usize)> = t
            .links
            .iter()
            .enumerate()
            .filter(|(_, x)| x.kind == LinkKind::Port && x.a == l.a)
            .filter_map(|(j, x)| find(&x.b).map(|b| (-(b.2 + b.4 / 2), j)))
            .collect();
        mine.sort();
        let Some(r) = mine.iter().position(|&(_, j)| j == i) else {
            continue;
        };
        // nesting depth: how many ports on the same side of the bridge are nearer
        let (Some(br), Some(me)) = (find(&l.a), find(&l.b)) else {
            continue;
        };
        let cy = br.2 + br.4 / 2;
        let dy = me.2 + me.4 / 2 - cy;
        let nest = mine
            .iter()
            .filter(|&&(ny, _)| {
                let d = -ny - cy;
                d.signum() == dy.signum() && d.abs() < dy.abs()
            })
            .count() as i64;
        slots.push((i, r as i64, mine.len() as i64, nest));
    }
    for (li, l) in t.links.iter().enumerate() {
        let (Some(a), Some(b)) = (find(&l.a), find(&l.b)) else {
            continue;
        };
        let (rank, fan, nest) = slots
            .iter()
            .find(|s| s.0 == li)
            .map_or((0, 1, 0), |s| (s.1, s.2, s.3));
        let ay = if fan > 1 {
            a.2 + (rank + 1) * a.4 / (fan + 1)
        } else {
            a.2 + a.4 / 2
        };
        let ax = a.1;
        let (bx, by) = (b.1, b.2 + b.4 / 2);
        let (stroke, extra, label) = match l.kind {
            LinkKind::Veth => ("#1f6feb", "", "veth"),
            LinkKind::Port => ("#b86e00", " stroke-width=\"3\"", "port"),
            LinkKind::Overlay => ("#2a9d3a", " stroke-dasharray=\"6 4\"", "overlay"),
        };
        let path = if a.5 == b.5 {
            // Same column: a curve on the left (ports) or right (others) of the boxes.
            // Longer links bulge further, so nested curves stay apart.
            let reach = if l.kind == LinkKind::Port {
                16 + 9 * nest.min(5)
            } else {
                20 + (by - ay).abs() / 6
            };
            let (sx, ex, bulge) = if l.kind == LinkKind::Port {
                (ax, bx, -reach)
            } else {
                (ax + a.3, bx + b.3, reach)
            };
            let mx = sx.min(ex) + bulge;
            format!("M{sx},{ay} C{mx},{ay} {mx},{by} {ex},{by}")
        } else {
            let (sx, ex) = if ax < bx {
                (ax + a.3, bx)
            } else {
                (ax, bx + b.3)
            };
            let mx = (sx + ex) / 2;
            format!("M{sx},{ay} C{mx},{ay} {mx},{by} {ex},{by}")
        };
        let _ = writeln!(
            s,
            "<path class=\"link {label}\" d=\"{path}\" fill=\"none\" stroke=\"{stroke}\"{extra}/>"
        );
    }
    for (ns, nodes) in &t.namespaces {
        let _ = ns;
        for n in nodes {
            let Some(p) = find(&n.id) else { continue };
            let (x, y, w, h) = (p.1, p.2, p.3, p.4);
            let _ = write!(
                s,
                "<g class=\"dev\" id=\"{}\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{}\" stroke=\"#4a5560\"/><text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>",
                n.id,
                kind_fill(n.kind),
                x + 8,
                y + 16,
                esc(&n.name)
            );
            for (i, line) in n.lines.iter().enumerate() {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>",
                    x + 8,
                    y + 16 + LINE_H * (i as i64 + 1),
                    esc(line)
                );
            }
            s += "</g>\n";
        }
    }
    s += &legend(legend_y);
    s += "</svg>\n";
    s
}

const LEGEND_H: i64 = 64;
const LEGEND_W: i64 = 560;

/// What the lines and colours mean, under the drawing.
fn legend(y: i64) -> String {
    let mut s = format!(
        "<g class=\"legend\"><text x=\"20\" y=\"{}\" font-weight=\"bold\" fill=\"#34495e\">legend</text>",
        y + 14
    );
    let ly = y + 30;
    for (i, (stroke, extra, label)) in [
        ("#1f6feb", "", "veth pair"),
        ("#b86e00", " stroke-width=\"3\"", "bridge port"),
        ("#2a9d3a", " stroke-dasharray=\"6 4\"", "tunnel overlay"),
    ]
    .iter()
    .enumerate()
    {
        let x = 20 + i as i64 * 130;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{stroke}\"{extra}/><text x=\"{}\" y=\"{}\">{label}</text>",
            x + 30,
            x + 36,
            ly + 4
        );
    }
    let by = y + 44;
    for (i, (kind, label)) in [
        ("veth", "veth"),
        ("bridge", "bridge"),
        ("ipip", "tunnel"),
        ("dummy", "other"),
    ]
    .iter()
    .enumerate()
    {
        let x = 20 + i as i64 * 100;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{by}\" width=\"14\" height=\"12\" rx=\"3\" fill=\"{}\" stroke=\"#4a5560\"/><text x=\"{}\" y=\"{}\">{label}</text>",
            kind_fill(kind),
            x + 20,
            by + 10
        );
    }
    let _ = write!(
        s,
        "<text x=\"420\" y=\"{}\" fill=\"#5b6770\">dashed frame: netns</text>",
        by + 10
    );
    s += "</g>\n";
    s
}

/// Runs a lab file (whole, or only up to its `# --- traffic ---` marker) for drawing.
pub fn run_for_graph(src: &str, file: &str, setup_only: bool) -> Lab {
    run_for_graph_result(src, file, setup_only).0
}

fn run_for_graph_result(src: &str, file: &str, setup_only: bool) -> (Lab, ScriptResult) {
    let src = if setup_only {
        match src.find("# --- traffic ---") {
            Some(i) => &src[..i],
            None => src,
        }
    } else {
        src
    };
    let mut lab = Lab::new(sim_core::rng::DEFAULT_SEED);
    let r = lab.run_shell(src, file);
    (lab, r)
}

/// Renders the topology in a format: `svg`, `dot` or `mermaid`.
pub fn render(t: &Topology, format: &str) -> Option<String> {
    match format {
        "svg" => Some(svg(t)),
        "dot" => Some(dot(t)),
        "mermaid" => Some(mermaid(t)),
        _ => None,
    }
}

/// `nslab graph LAB`: `src` is the lab's shell text (a YAML/RON lab's conversion), `file` its
/// name in messages. A lab that does not parse draws nothing and exits 2 with the syntax error;
/// the messages of commands that failed are printed on stderr and the drawing is still made
/// (status 1).
pub fn cli(src: &str, file: &str, format: &str, setup_only: bool, routes: bool) -> Exit {
    if let Err(e) = crate::shell::parse(src, file) {
        eprintln!("{e}");
        return Exit::Usage;
    }
    let (lab, r) = run_for_graph_result(src, file, setup_only);
    for c in &lab.terminal {
        if c.stream == crate::shell::Stream::Stderr {
            eprint!("{}", String::from_utf8_lossy(&c.data));
        }
    }
    let mut t = topology(&lab.kernel);
    if routes {
        t.add_routes(&lab.kernel);
    }
    print!("{}", render(&t, format).unwrap_or_default());
    Exit::of_run(&r, false, lab.limited())
}
