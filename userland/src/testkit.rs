//! Test support: an in-memory [`Fs`] (a `BTreeMap`) and a one-call runner, so each program's
//! tests compare its output with what the real tool printed on the same input and files.

use crate::{Ctx, Fs, FsError, Meta};
use std::collections::{BTreeMap, BTreeSet};

/// Files and directories in memory; `/` and the working directory `/lab` exist.
#[derive(Clone, Debug)]
pub struct MemFs {
    pub files: BTreeMap<String, Vec<u8>>,
    pub dirs: BTreeSet<String>,
    /// Modification times (ns) of files written through [`Fs::write`], by path.
    pub mtimes: BTreeMap<String, u64>,
}

impl Default for MemFs {
    fn default() -> Self {
        let mut dirs = BTreeSet::new();
        dirs.insert("/".to_string());
        dirs.insert("/lab".to_string());
        dirs.insert("/tmp".to_string());
        MemFs {
            files: BTreeMap::new(),
            dirs,
            mtimes: BTreeMap::new(),
        }
    }
}

fn parent(p: &str) -> String {
    match p.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => p[..i].to_string(),
    }
}

impl MemFs {
    /// A file system whose `/lab` holds `files` (name → text).
    pub fn with(files: &[(&str, &str)]) -> MemFs {
        let mut fs = MemFs::default();
        for (n, t) in files {
            let p = crate::abs_path("/lab", n);
            fs.files.insert(p, t.as_bytes().to_vec());
        }
        fs
    }

    /// A file's text, relative to `/lab`.
    pub fn text(&self, name: &str) -> Option<String> {
        let p = crate::abs_path("/lab", name);
        self.files
            .get(&p)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

impl Fs for MemFs {
    fn read(&mut self, path: &str) -> Result<Vec<u8>, FsError> {
        if self.dirs.contains(path) {
            return Err(FsError::IsADirectory);
        }
        if self.files.contains_key(&parent(path)) {
            return Err(FsError::NotADirectory);
        }
        self.files.get(path).cloned().ok_or(FsError::NotFound)
    }

    fn write(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        if self.dirs.contains(path) {
            return Err(FsError::IsADirectory);
        }
        let par = parent(path);
        if self.files.contains_key(&par) {
            return Err(FsError::NotADirectory);
        }
        if !self.dirs.contains(&par) {
            return Err(FsError::NotFound);
        }
        let f = self.files.entry(path.to_string()).or_default();
        if !append {
            f.clear();
        }
        f.extend_from_slice(data);
        Ok(())
    }

    fn stat(&mut self, path: &str) -> Result<Meta, FsError> {
        if self.dirs.contains(path) {
            return Ok(Meta {
                is_dir: true,
                len: 4096,
                mode: 0o755,
                mtime_ns: 0,
            });
        }
        match self.files.get(path) {
            Some(f) => Ok(Meta {
                is_dir: false,
                len: f.len() as u64,
                mode: 0o644,
                mtime_ns: self.mtimes.get(path).copied().unwrap_or(0),
            }),
            None if self.files.contains_key(&parent(path)) => Err(FsError::NotADirectory),
            None => Err(FsError::NotFound),
        }
    }

    fn read_dir(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        if !self.dirs.contains(path) {
            return Err(if self.files.contains_key(path) {
                FsError::NotADirectory
            } else {
                FsError::NotFound
            });
        }
        let mut names: Vec<String> = self
            .files
            .keys()
            .chain(self.dirs.iter())
            .filter(|p| p.as_str() != "/" && parent(p) == path)
            .map(|p| p.rsplit('/').next().unwrap_or("").to_string())
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    fn remove(&mut self, path: &str) -> Result<(), FsError> {
        if self.files.remove(path).is_some() {
            return Ok(());
        }
        if self.dirs.contains(path) {
            let prefix = format!("{}/", path.trim_end_matches('/'));
            let busy = self
                .files
                .keys()
                .chain(self.dirs.iter())
                .any(|p| p.starts_with(&prefix));
            if busy {
                return Err(FsError::NotEmpty);
            }
            self.dirs.remove(path);
            return Ok(());
        }
        Err(FsError::NotFound)
    }

    fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        if self.dirs.contains(path) || self.files.contains_key(path) {
            return Err(FsError::Exists);
        }
        let par = parent(path);
        if self.files.contains_key(&par) {
            return Err(FsError::NotADirectory);
        }
        if !self.dirs.contains(&par) {
            return Err(FsError::NotFound);
        }
        self.dirs.insert(path.to_string());
        Ok(())
    }
}

/// What one run printed and returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub out: String,
    pub err: String,
    pub status: i32,
}

/// Runs `argv` (found by [`crate::programs::find`]) in `/lab` on `fs` with `stdin`, the clock at
/// `now_ns`, a fixed random sequence and no environment but `PATH`.
pub fn run_at(argv: &[&str], stdin: &str, fs: &mut MemFs, now_ns: u64) -> Run {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let mut env = BTreeMap::new();
    env.insert(
        "PATH".to_string(),
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
    );
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut random = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 11
    };
    let Some(prog) = crate::programs::find(&argv[0]) else {
        panic!("no program {}", argv[0]);
    };
    let mut ctx = Ctx {
        argv: &argv,
        stdin: stdin.as_bytes(),
        stdout: Vec::new(),
        stderr: Vec::new(),
        env: &env,
        cwd: "/lab",
        fs,
        now_ns,
        random: &mut random,
        exec: None,
    };
    let status = prog(&mut ctx);
    Run {
        out: String::from_utf8_lossy(&ctx.stdout).into_owned(),
        err: String::from_utf8_lossy(&ctx.stderr).into_owned(),
        status,
    }
}

/// [`run_at`] with the clock at 0.
pub fn run(argv: &[&str], stdin: &str, fs: &mut MemFs) -> Run {
    run_at(argv, stdin, fs, 0)
}

/// [`run`] on a file system holding `files` in `/lab`.
pub fn run_with(argv: &[&str], stdin: &str, files: &[(&str, &str)]) -> Run {
    run(argv, stdin, &mut MemFs::with(files))
}
