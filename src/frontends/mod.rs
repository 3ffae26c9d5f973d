//! Lab front ends other than the shell: containerlab topologies ([`clab`]) and the native RON
//! scenario form ([`scenario`]). Both become a [`Scenario`], which runs by rendering to a shell
//! lab, so `nslab run X` and `nslab run <(nslab convert X --to sh)` behave identically.

pub mod clab;
pub mod fuzz;
pub mod lift;
pub mod scenario;

pub use scenario::{Scenario, Step};

/// A word as the shell must see it to pass it through unchanged: plain when it is made of
/// characters no shell treats specially, else in single quotes (`'` as `'\''`). Every word the
/// front ends print into a generated shell lab goes through here (or [`sh_quote_always`]).
pub fn sh_quote(w: &str) -> String {
    let safe = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=,+@%^!".contains(c));
    if safe {
        w.to_string()
    } else {
        sh_quote_always(w)
    }
}

/// `w` in single quotes whatever it holds (a command's first word with `=` would otherwise be
/// an assignment to the shell).
pub fn sh_quote_always(w: &str) -> String {
    format!("'{}'", w.replace('\'', "'\\''"))
}

/// iproute2's `ip netns add` name check (`ip/ipnetns.c`, `invalid_name`): not empty, at most
/// NAME_MAX (255) bytes, no `/`, not `.` or `..`. The error is `ip netns add`'s.
pub fn check_netns_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 255 || name.contains('/') || name == "." || name == ".." {
        return Err(format!("Invalid netns name \"{name}\""));
    }
    Ok(())
}

/// A device name as `ip link add name NAME` takes it: iproute2's `check_ifname`
/// (`lib/utils.c`: not empty, shorter than IFNAMSIZ 16, no `/` or whitespace) and then the
/// kernel's `dev_valid_name` (also no `:`, not `.` or `..`), each with its own words (recorded
/// with iproute2 6.1 on Linux 6.x).
pub fn check_ifname(name: &str) -> Result<(), String> {
    // isspace() in the C locale: space, \t \n \v \f \r.
    let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
    if name.is_empty() || name.len() >= 16 || name.contains('/') || name.contains(space) {
        return Err(format!(
            "Error: argument \"{name}\" is wrong: \"name\" not a valid ifname"
        ));
    }
    if name.contains(':') || name == "." || name == ".." {
        return Err("RTNETLINK answers: Invalid argument".into());
    }
    Ok(())
}

/// The kind of lab file, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Shell,
    Clab,
    Ron,
}

impl Format {
    /// `.sh` → shell, `.clab.yaml`/`.clab.yml`/`.yaml`/`.yml` → containerlab, `.ron` → RON.
    pub fn from_path(path: &str) -> Option<Format> {
        let p = path.to_ascii_lowercase();
        if p.ends_with(".sh") {
            Some(Format::Shell)
        } else if p.ends_with(".yaml") || p.ends_with(".yml") {
            Some(Format::Clab)
        } else if p.ends_with(".ron") {
            Some(Format::Ron)
        } else {
            None
        }
    }
}

/// Reads a lab of any format into a scenario (`file` is the name used in messages).
pub fn load(src: &str, file: &str, format: Format) -> Result<Scenario, String> {
    match format {
        Format::Shell => Scenario::from_shell(src, file),
        Format::Clab => clab::from_clab(src, file),
        Format::Ron => Scenario::from_ron(src, file),
    }
}

/// Appends a traffic script (shell text) to a scenario: a `Traffic` marker step unless the
/// scenario already has one or the text starts with the marker line, then the text.
pub fn add_traffic(sc: &mut Scenario, text: &str) {
    let text = text.trim_end_matches('\n');
    let has_marker = sc.steps.contains(&Step::Traffic) || has_marker_line(text);
    if !has_marker {
        sc.steps.push(Step::Traffic);
    }
    for l in text.split('\n') {
        sc.steps.push(if l == MARKER {
            Step::Traffic
        } else {
            Step::Sh(l.to_string())
        });
    }
}

const MARKER: &str = "# --- traffic ---";

/// Whether a shell text has the line that starts the traffic phase.
fn has_marker_line(text: &str) -> bool {
    text.lines().any(|l| l == MARKER)
}

/// A lab ready to run with [`crate::Lab::run_parts`]: its parsed parts (the lab, then the
/// `--traffic` script if any) and its whole text.
pub struct Prepared {
    pub parts: Vec<crate::shell::Script>,
    pub text: String,
}

/// Parses a lab of any format for running. A containerlab topology's commands carry the line
/// of the YAML they come from (an `exec` item, a node's key for what the node implies, a link's
/// `endpoints`), so runtime messages name `FILE.clab.yaml:LINE`; a RON scenario's the line of
/// the RON element (node, link, step) they come from. The traffic script keeps its own
/// name and lines. Errors (syntax, schema) are returned as the message to print.
pub fn prepare(
    src: &str,
    file: &str,
    format: Format,
    traffic: Option<(&str, &str)>,
) -> Result<Prepared, String> {
    use crate::shell::parse;
    let (mut sc, lines) = match format {
        Format::Shell => (Scenario::default(), None),
        Format::Clab => {
            let (sc, l) = clab::from_clab_mapped(src, file)?;
            (sc, Some(l))
        }
        Format::Ron => (
            Scenario::from_ron(src, file)?,
            Some(scenario::ron_source_lines(src)),
        ),
    };
    // A `--traffic` script starts the traffic phase (as `add_traffic` does for `convert`)
    // unless the lab or the script already has the marker.
    let lab_has_marker = match format {
        Format::Shell => has_marker_line(src),
        _ => sc.steps.contains(&Step::Traffic),
    };
    let add_marker = traffic.is_some_and(|(t, _)| !lab_has_marker && !has_marker_line(t));
    if add_marker && format != Format::Shell {
        sc.steps.push(Step::Traffic);
    }
    let mut text;
    let setup = if format == Format::Shell {
        text = src.to_string();
        parse(src, file).map_err(|e| e.to_string())?
    } else {
        let (t, origins) = sc.to_shell_traced();
        text = t;
        let map = |old: u32| match &lines {
            Some(lines) => origins
                .get((old as usize).wrapping_sub(1))
                .and_then(|&o| lines.line_of(o))
                .unwrap_or(old),
            None => old,
        };
        let mut script = parse(&text, file)
            .map_err(|e| format!("{}: line {}: {}", e.file, map(e.line), e.message))?;
        remap_lines(&mut script, &map);
        script
    };
    let mut parts = vec![setup];
    if add_marker && format == Format::Shell {
        let line = format!("{MARKER}\n");
        parts.push(parse(&line, file).map_err(|e| e.to_string())?);
        text += &line;
    }
    if let Some((t, tfile)) = traffic {
        parts.push(parse(t, tfile).map_err(|e| e.to_string())?);
        text += t;
    }
    Ok(Prepared { parts, text })
}

/// Rewrites every command's line number (for messages) with `f`.
pub fn remap_lines(script: &mut crate::shell::Script, f: &dyn Fn(u32) -> u32) {
    for item in &mut script.items {
        remap_list(&mut item.list, f);
    }
}

fn remap_list(l: &mut [crate::shell::ListItem], f: &dyn Fn(u32) -> u32) {
    crate::shell::map_lines(l, f);
}
