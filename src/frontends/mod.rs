//! Lab front ends other than the shell: containerlab topologies ([`clab`]) and the native RON
//! scenario form ([`scenario`]). Both become a [`Scenario`], which runs by rendering to a shell
//! lab, so `nslab run X` and `nslab run <(nslab convert X --to sh)` behave identically.

pub mod clab;
pub mod scenario;

pub use scenario::{Scenario, Step};

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
    let has_marker =
        sc.steps.contains(&Step::Traffic) || text.lines().any(|l| l == "# --- traffic ---");
    if !has_marker {
        sc.steps.push(Step::Traffic);
    }
    for l in text.split('\n') {
        sc.steps.push(if l == "# --- traffic ---" {
            Step::Traffic
        } else {
            Step::Sh(l.to_string())
        });
    }
}
