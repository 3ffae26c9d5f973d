//! dirname, basename, mkdir, rmdir, rm, touch, readlink/realpath, mktemp, ls (coreutils 9.1)
//! over the lab's files.

use super::text::opts;
use super::{bad_option, error, missing_operand, quote, quoteaf, usage_error};
use crate::getopt::{Getopt, HasArg, LongOpt};
use crate::{Ctx, FsError};

/// POSIX dirname of one path.
pub fn dir_name(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { ".".into() } else { "/".into() };
    }
    match t.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.into()
            }
        }
    }
}

/// POSIX basename of one path, `suffix` removed unless it is the whole name.
pub fn base_name(p: &str, suffix: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() {
            String::new()
        } else {
            "/".into()
        };
    }
    let b = t.rsplit('/').next().unwrap_or(t);
    match b.strip_suffix(suffix) {
        Some(s) if !suffix.is_empty() && !s.is_empty() => s.into(),
        _ => b.into(),
    }
}

pub fn dirname(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[LongOpt::new("zero", HasArg::No, 'z')];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "z", LONGS);
    let mut end = "\n";
    opts!(ctx, g, 1, |o| {
        if o.opt == 'z' {
            end = "\0";
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        return missing_operand(ctx);
    }
    for o in ops {
        ctx.out(dir_name(&o) + end);
    }
    0
}

pub fn basename(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("multiple", HasArg::No, 'a'),
        LongOpt::new("suffix", HasArg::Required, 's'),
        LongOpt::new("zero", HasArg::No, 'z'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "+as:z", LONGS);
    let mut multiple = false;
    let mut suffix = None;
    let mut end = "\n";
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'a' => multiple = true,
            's' => {
                multiple = true;
                suffix = o.arg;
            }
            'z' => end = "\0",
            _ => {}
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        return missing_operand(ctx);
    }
    if !multiple {
        if ops.len() > 2 {
            return usage_error(ctx, &format!("extra operand {}", quote(&ops[2])), 1);
        }
        let s = ops.get(1).cloned().unwrap_or_default();
        ctx.out(base_name(&ops[0], &s) + end);
        return 0;
    }
    let s = suffix.unwrap_or_default();
    for o in ops {
        ctx.out(base_name(&o, &s) + end);
    }
    0
}

pub fn mkdir(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("parents", HasArg::No, 'p'),
        LongOpt::new("mode", HasArg::Required, 'm'),
        LongOpt::new("verbose", HasArg::No, 'v'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "pm:vZ", LONGS);
    let (mut parents, mut verbose) = (false, false);
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'p' => parents = true,
            'v' => verbose = true,
            _ => {}
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        return missing_operand(ctx);
    }
    let mut bad = false;
    for o in ops {
        let p = ctx.abs(&o);
        if parents {
            // each prefix of the operand as typed (for -v), made absolute
            let mut typed = if o.starts_with('/') {
                "/".to_string()
            } else {
                String::new()
            };
            for comp in o.split('/').filter(|c| !c.is_empty()) {
                if !typed.is_empty() && !typed.ends_with('/') {
                    typed.push('/');
                }
                typed.push_str(comp);
                let cur = ctx.abs(&typed);
                match ctx.fs.mkdir(&cur) {
                    Ok(()) => {
                        if verbose {
                            ctx.out(format!("mkdir: created directory {}\n", quoteaf(&typed)));
                        }
                    }
                    Err(FsError::Exists) => {
                        if ctx.fs.stat(&cur).is_ok_and(|m| !m.is_dir) {
                            error(
                                ctx,
                                &format!("cannot create directory {}: Not a directory", quote(&o)),
                            );
                            bad = true;
                            break;
                        }
                    }
                    Err(e) => {
                        error(ctx, &format!("cannot create directory {}: {e}", quote(&o)));
                        bad = true;
                        break;
                    }
                }
            }
            continue;
        }
        match ctx.fs.mkdir(&p) {
            Ok(()) => {
                if verbose {
                    ctx.out(format!("mkdir: created directory {}\n", quoteaf(&o)));
                }
            }
            Err(e) => {
                error(ctx, &format!("cannot create directory {}: {e}", quote(&o)));
                bad = true;
            }
        }
    }
    i32::from(bad)
}

pub fn rmdir(ctx: &mut Ctx) -> i32 {
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "pv", &[]);
    opts!(ctx, g, 1, |_o| {});
    let ops = g.into_operands();
    if ops.is_empty() {
        return missing_operand(ctx);
    }
    let mut bad = false;
    for o in ops {
        let p = ctx.abs(&o);
        let r = match ctx.fs.stat(&p) {
            Ok(m) if !m.is_dir => Err(FsError::NotADirectory),
            Ok(_) => ctx.fs.remove(&p),
            Err(e) => Err(e),
        };
        if let Err(e) = r {
            error(ctx, &format!("failed to remove {}: {e}", quoteaf(&o)));
            bad = true;
        }
    }
    i32::from(bad)
}

fn remove_tree(ctx: &mut Ctx, p: &str) -> Result<(), FsError> {
    if ctx.fs.stat(p)?.is_dir {
        for n in ctx.fs.read_dir(p)? {
            remove_tree(ctx, &format!("{}/{n}", p.trim_end_matches('/')))?;
        }
    }
    ctx.fs.remove(p)
}

pub fn rm(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("force", HasArg::No, 'f'),
        LongOpt::new("recursive", HasArg::No, 'r'),
        LongOpt::new("dir", HasArg::No, 'd'),
        LongOpt::new("verbose", HasArg::No, 'v'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "dfirvIR", LONGS);
    let (mut force, mut rec, mut dir, mut verbose) = (false, false, false, false);
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'f' => force = true,
            'r' | 'R' => rec = true,
            'd' => dir = true,
            'v' => verbose = true,
            _ => {}
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        if force {
            return 0;
        }
        return missing_operand(ctx);
    }
    let mut bad = false;
    for o in ops {
        let p = ctx.abs(&o);
        let r = match ctx.fs.stat(&p) {
            Err(FsError::NotFound) if force => Ok(()),
            Err(e) => Err(e),
            Ok(m) if m.is_dir && rec => remove_tree(ctx, &p),
            Ok(m) if m.is_dir && dir => ctx.fs.remove(&p),
            Ok(m) if m.is_dir => Err(FsError::IsADirectory),
            Ok(_) => ctx.fs.remove(&p),
        };
        match r {
            Ok(()) => {
                if verbose {
                    ctx.out(format!("removed {}\n", quoteaf(&o)));
                }
            }
            Err(e) => {
                error(ctx, &format!("cannot remove {}: {e}", quoteaf(&o)));
                bad = true;
            }
        }
    }
    i32::from(bad)
}

pub fn touch(ctx: &mut Ctx) -> i32 {
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "acmd:r:t:h", &[]);
    let mut no_create = false;
    opts!(ctx, g, 1, |o| {
        if o.opt == 'c' {
            no_create = true;
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        let prog = ctx.prog().to_string();
        ctx.err(format!("{prog}: missing file operand\n"));
        return super::try_help(ctx, 1);
    }
    let mut bad = false;
    for o in ops {
        let p = ctx.abs(&o);
        match ctx.fs.stat(&p) {
            Ok(_) => {
                // an existing file gets a new mtime: rewrite it unchanged
                if let Ok(d) = ctx.fs.read(&p) {
                    let _ = ctx.fs.write(&p, &d, false);
                }
            }
            Err(FsError::NotFound) if no_create => {}
            Err(FsError::NotFound) => {
                if let Err(e) = ctx.fs.write(&p, b"", true) {
                    error(ctx, &format!("cannot touch {}: {e}", quoteaf(&o)));
                    bad = true;
                }
            }
            Err(e) => {
                error(ctx, &format!("cannot touch {}: {e}", quoteaf(&o)));
                bad = true;
            }
        }
    }
    i32::from(bad)
}

/// readlink / realpath: the lab's files have no symlinks, so canonicalizing is resolving
/// `.`/`..` and checking existence (`-f`: all but the last component must exist; `-e`: all).
pub fn readlink(ctx: &mut Ctx) -> i32 {
    let realpath = ctx.prog() == "realpath";
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "femnqsvz", &[]);
    let mut mode = if realpath { 'f' } else { ' ' };
    let mut newline = true;
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'f' | 'e' | 'm' => mode = o.opt,
            'n' => newline = false,
            _ => {}
        }
    });
    let ops = g.into_operands();
    if ops.is_empty() {
        return missing_operand(ctx);
    }
    let mut bad = false;
    for o in &ops {
        if mode == ' ' {
            // not a symlink: nothing printed, status 1
            bad = true;
            continue;
        }
        let p = ctx.abs(o);
        let ok = match mode {
            'm' => true,
            'e' => ctx.fs.stat(&p).is_ok(),
            _ => {
                let par = dir_name(&p);
                ctx.fs.stat(&par).is_ok_and(|m| m.is_dir)
                    && !matches!(ctx.fs.stat(&p), Err(FsError::NotADirectory))
            }
        };
        if ok {
            ctx.out(p);
            if newline || ops.len() > 1 {
                ctx.out("\n");
            }
        } else {
            if realpath {
                error(
                    ctx,
                    &format!("{}: No such file or directory", super::quotef(o)),
                );
            }
            bad = true;
        }
    }
    i32::from(bad)
}

pub fn mktemp(ctx: &mut Ctx) -> i32 {
    const LONGS: &[LongOpt] = &[
        LongOpt::new("directory", HasArg::No, 'd'),
        LongOpt::new("dry-run", HasArg::No, 'u'),
        LongOpt::new("quiet", HasArg::No, 'q'),
        LongOpt::new("tmpdir", HasArg::Optional, 'p'),
        LongOpt::new("suffix", HasArg::Required, '\u{e000}'),
    ];
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "dp:qtu", LONGS);
    let (mut dir, mut dry, mut t) = (false, false, false);
    let mut tmpdir: Option<String> = None;
    let mut suffix = String::new();
    opts!(ctx, g, 1, |o| {
        match o.opt {
            'd' => dir = true,
            'u' => dry = true,
            't' => t = true,
            'p' => tmpdir = Some(o.arg.unwrap_or_else(|| "/tmp".into())),
            '\u{e000}' => suffix = o.arg.unwrap_or_default(),
            _ => {}
        }
    });
    let ops = g.into_operands();
    if ops.len() > 1 {
        return usage_error(ctx, "too many templates", 1);
    }
    let (template, default_dir) = match ops.first() {
        Some(t) => (t.clone(), false),
        None => ("tmp.XXXXXXXXXX".to_string(), true),
    };
    let xs = template.len() - template.trim_end_matches('X').len();
    if xs < 3 {
        error(
            ctx,
            &format!("too few X's in template {}", quote(&template)),
        );
        return 1;
    }
    let base = &template[..template.len() - xs];
    let tmp = tmpdir
        .clone()
        .or_else(|| ctx.env.get("TMPDIR").cloned())
        .unwrap_or_else(|| "/tmp".into());
    let prefix = if default_dir || t || tmpdir.is_some() {
        format!("{}/{base}", tmp.trim_end_matches('/'))
    } else {
        base.to_string()
    };
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..100 {
        let mut name = prefix.clone();
        for _ in 0..xs {
            let r = (ctx.random)();
            name.push(CHARS[(r % CHARS.len() as u64) as usize] as char);
        }
        name.push_str(&suffix);
        let p = ctx.abs(&name);
        if ctx.fs.stat(&p).is_ok() {
            continue;
        }
        if !dry {
            let r = if dir {
                ctx.fs.mkdir(&p)
            } else {
                ctx.fs.write(&p, b"", false)
            };
            if let Err(e) = r {
                let what = if dir { "directory" } else { "file" };
                error(
                    ctx,
                    &format!(
                        "failed to create {what} via template {}: {e}",
                        quote(
                            &name.replace(&name[prefix.len()..prefix.len() + xs], &"X".repeat(xs))
                        )
                    ),
                );
                return 1;
            }
        }
        ctx.out(name + "\n");
        return 0;
    }
    1
}

pub fn ls(ctx: &mut Ctx) -> i32 {
    let args = ctx.args().to_vec();
    let mut g = Getopt::new(&args, "1aAdlhFrt", &[]);
    let (mut all, mut long, mut dir_only, mut rev) = (false, false, false, false);
    opts!(ctx, g, 2, |o| {
        match o.opt {
            'a' | 'A' => all = o.opt == 'a' || all,
            'l' => long = true,
            'd' => dir_only = true,
            'r' => rev = true,
            _ => {}
        }
    });
    if long {
        error(ctx, "nslab: ls -l is not modelled yet");
        return 127;
    }
    let mut ops = g.into_operands();
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut bad = 0;
    for o in &ops {
        let p = ctx.abs(o);
        match ctx.fs.stat(&p) {
            Ok(m) if m.is_dir && !dir_only => dirs.push((o.clone(), p)),
            Ok(_) => files.push(o.clone()),
            Err(e) => {
                error(ctx, &format!("cannot access {}: {e}", quoteaf(o)));
                bad = 2;
            }
        }
    }
    files.sort();
    if rev {
        files.reverse();
    }
    // not a terminal: one name per line
    for f in &files {
        ctx.out(format!("{f}\n"));
    }
    let show_header = ops.len() > 1;
    for (k, (o, p)) in dirs.iter().enumerate() {
        if show_header {
            if k > 0 || !files.is_empty() {
                ctx.out("\n");
            }
            ctx.out(format!("{o}:\n"));
        }
        let mut names = match ctx.fs.read_dir(p) {
            Ok(n) => n,
            Err(e) => {
                error(ctx, &format!("cannot open directory {}: {e}", quoteaf(o)));
                bad = 2;
                continue;
            }
        };
        if all {
            names.push(".".into());
            names.push("..".into());
        }
        names.retain(|n| all || !n.starts_with('.'));
        names.sort();
        if rev {
            names.reverse();
        }
        for n in names {
            ctx.out(n + "\n");
        }
    }
    let _ = bad_option;
    bad
}
