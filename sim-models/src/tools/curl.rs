//! curl 7.88.1's command line (src/tool_getparam.c: `parse_args` and `getparameter`).
//!
//! curl does not use getopt; its own rules, reproduced here, differ from glibc's:
//! - a long option is any case-insensitive prefix of one of its names (`--max-t` is
//!   `--max-time`); a prefix of several names is ambiguous even when they mean the same thing,
//!   an exact name always wins; `--no-NAME` turns a boolean off;
//! - there is no `--name=value`: `--max-time=5` is the unknown option "max-time=5"; a long
//!   option's value is always the next word;
//! - short options cluster (`-sS`); a letter that takes a value takes the rest of its word
//!   (`-ofile`, `-sSm1`) or else the next word, and ends the cluster;
//! - every word not starting with `-`, and every word after `--`, is a URL (they may come
//!   anywhere);
//! - an error names the whole word as typed (`option -sSw: requires parameter`) and is
//!   followed by "curl: try 'curl --help' or 'curl --manual' for more information", status 2.

use super::ToolError;
use crate::apps::curl::CurlOpts;
use sim_core::Duration;

/// `desc` of a `struct LongShort`: what an option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arg {
    /// No value, and no `--no-` form.
    None,
    /// No value; `--no-NAME` turns it off.
    Bool,
    String,
    Filename,
}

/// curl 7.88.1's `aliases[]`, in its order (the order decides which entry a short letter
/// finds): the letter string (`*x`-style strings have no short form), the long name, the
/// argument type.
const ALIASES: [(&str, &str, Arg); 257] = [
    ("*@", "url", Arg::String),
    ("*4", "dns-ipv4-addr", Arg::String),
    ("*6", "dns-ipv6-addr", Arg::String),
    ("*a", "random-file", Arg::Filename),
    ("*b", "egd-file", Arg::String),
    ("*B", "oauth2-bearer", Arg::String),
    ("*c", "connect-timeout", Arg::String),
    ("*C", "doh-url", Arg::String),
    ("*d", "ciphers", Arg::String),
    ("*D", "dns-interface", Arg::String),
    ("*e", "disable-epsv", Arg::Bool),
    ("*f", "disallow-username-in-url", Arg::Bool),
    ("*E", "epsv", Arg::Bool),
    ("*F", "dns-servers", Arg::String),
    ("*g", "trace", Arg::Filename),
    ("*G", "npn", Arg::Bool),
    ("*h", "trace-ascii", Arg::Filename),
    ("*H", "alpn", Arg::Bool),
    ("*i", "limit-rate", Arg::String),
    ("*I", "rate", Arg::String),
    ("*j", "compressed", Arg::Bool),
    ("*J", "tr-encoding", Arg::Bool),
    ("*k", "digest", Arg::Bool),
    ("*l", "negotiate", Arg::Bool),
    ("*m", "ntlm", Arg::Bool),
    ("*M", "ntlm-wb", Arg::Bool),
    ("*n", "basic", Arg::Bool),
    ("*o", "anyauth", Arg::Bool),
    ("*p", "wdebug", Arg::Bool),
    ("*q", "ftp-create-dirs", Arg::Bool),
    ("*r", "create-dirs", Arg::Bool),
    ("*R", "create-file-mode", Arg::String),
    ("*s", "max-redirs", Arg::String),
    ("*t", "proxy-ntlm", Arg::Bool),
    ("*u", "crlf", Arg::Bool),
    ("*v", "stderr", Arg::Filename),
    ("*V", "aws-sigv4", Arg::String),
    ("*w", "interface", Arg::String),
    ("*x", "krb", Arg::String),
    ("*x", "krb4", Arg::String),
    ("*X", "haproxy-protocol", Arg::Bool),
    ("*y", "max-filesize", Arg::String),
    ("*z", "disable-eprt", Arg::Bool),
    ("*Z", "eprt", Arg::Bool),
    ("*~", "xattr", Arg::Bool),
    ("$a", "ftp-ssl", Arg::Bool),
    ("$a", "ssl", Arg::Bool),
    ("$b", "ftp-pasv", Arg::Bool),
    ("$c", "socks5", Arg::String),
    ("$d", "tcp-nodelay", Arg::Bool),
    ("$e", "proxy-digest", Arg::Bool),
    ("$f", "proxy-basic", Arg::Bool),
    ("$g", "retry", Arg::String),
    ("$V", "retry-connrefused", Arg::Bool),
    ("$h", "retry-delay", Arg::String),
    ("$i", "retry-max-time", Arg::String),
    ("$k", "proxy-negotiate", Arg::Bool),
    ("$l", "form-escape", Arg::Bool),
    ("$m", "ftp-account", Arg::String),
    ("$n", "proxy-anyauth", Arg::Bool),
    ("$o", "trace-time", Arg::Bool),
    ("$p", "ignore-content-length", Arg::Bool),
    ("$q", "ftp-skip-pasv-ip", Arg::Bool),
    ("$r", "ftp-method", Arg::String),
    ("$s", "local-port", Arg::String),
    ("$t", "socks4", Arg::String),
    ("$T", "socks4a", Arg::String),
    ("$u", "ftp-alternative-to-user", Arg::String),
    ("$v", "ftp-ssl-reqd", Arg::Bool),
    ("$v", "ssl-reqd", Arg::Bool),
    ("$w", "sessionid", Arg::Bool),
    ("$x", "ftp-ssl-control", Arg::Bool),
    ("$y", "ftp-ssl-ccc", Arg::Bool),
    ("$j", "ftp-ssl-ccc-mode", Arg::String),
    ("$z", "libcurl", Arg::String),
    ("$#", "raw", Arg::Bool),
    ("$0", "post301", Arg::Bool),
    ("$1", "keepalive", Arg::Bool),
    ("$2", "socks5-hostname", Arg::String),
    ("$3", "keepalive-time", Arg::String),
    ("$4", "post302", Arg::Bool),
    ("$5", "noproxy", Arg::String),
    ("$7", "socks5-gssapi-nec", Arg::Bool),
    ("$8", "proxy1.0", Arg::String),
    ("$9", "tftp-blksize", Arg::String),
    ("$A", "mail-from", Arg::String),
    ("$B", "mail-rcpt", Arg::String),
    ("$C", "ftp-pret", Arg::Bool),
    ("$D", "proto", Arg::String),
    ("$E", "proto-redir", Arg::String),
    ("$F", "resolve", Arg::String),
    ("$G", "delegation", Arg::String),
    ("$H", "mail-auth", Arg::String),
    ("$I", "post303", Arg::Bool),
    ("$J", "metalink", Arg::Bool),
    ("$6", "sasl-authzid", Arg::String),
    ("$K", "sasl-ir", Arg::Bool),
    ("$L", "test-event", Arg::Bool),
    ("$M", "unix-socket", Arg::Filename),
    ("$N", "path-as-is", Arg::Bool),
    ("$O", "socks5-gssapi-service", Arg::String),
    ("$O", "proxy-service-name", Arg::String),
    ("$P", "service-name", Arg::String),
    ("$Q", "proto-default", Arg::String),
    ("$R", "expect100-timeout", Arg::String),
    ("$S", "tftp-no-options", Arg::Bool),
    ("$U", "connect-to", Arg::String),
    ("$W", "abstract-unix-socket", Arg::Filename),
    ("$X", "tls-max", Arg::String),
    ("$Y", "suppress-connect-headers", Arg::Bool),
    ("$Z", "compressed-ssh", Arg::Bool),
    ("$~", "happy-eyeballs-timeout-ms", Arg::String),
    ("$!", "retry-all-errors", Arg::Bool),
    ("0", "http1.0", Arg::None),
    ("01", "http1.1", Arg::None),
    ("02", "http2", Arg::None),
    ("03", "http2-prior-knowledge", Arg::None),
    ("04", "http3", Arg::None),
    ("05", "http3-only", Arg::None),
    ("09", "http0.9", Arg::Bool),
    ("1", "tlsv1", Arg::None),
    ("10", "tlsv1.0", Arg::None),
    ("11", "tlsv1.1", Arg::None),
    ("12", "tlsv1.2", Arg::None),
    ("13", "tlsv1.3", Arg::None),
    ("1A", "tls13-ciphers", Arg::String),
    ("1B", "proxy-tls13-ciphers", Arg::String),
    ("2", "sslv2", Arg::None),
    ("3", "sslv3", Arg::None),
    ("4", "ipv4", Arg::None),
    ("6", "ipv6", Arg::None),
    ("a", "append", Arg::Bool),
    ("A", "user-agent", Arg::String),
    ("b", "cookie", Arg::String),
    ("ba", "alt-svc", Arg::String),
    ("bb", "hsts", Arg::String),
    ("B", "use-ascii", Arg::Bool),
    ("c", "cookie-jar", Arg::String),
    ("C", "continue-at", Arg::String),
    ("d", "data", Arg::String),
    ("dr", "data-raw", Arg::String),
    ("da", "data-ascii", Arg::String),
    ("db", "data-binary", Arg::String),
    ("de", "data-urlencode", Arg::String),
    ("df", "json", Arg::String),
    ("dg", "url-query", Arg::String),
    ("D", "dump-header", Arg::Filename),
    ("e", "referer", Arg::String),
    ("E", "cert", Arg::Filename),
    ("Ea", "cacert", Arg::Filename),
    ("Eb", "cert-type", Arg::String),
    ("Ec", "key", Arg::Filename),
    ("Ed", "key-type", Arg::String),
    ("Ee", "pass", Arg::String),
    ("Ef", "engine", Arg::String),
    ("Eg", "capath", Arg::Filename),
    ("Eh", "pubkey", Arg::String),
    ("Ei", "hostpubmd5", Arg::String),
    ("EF", "hostpubsha256", Arg::String),
    ("Ej", "crlfile", Arg::Filename),
    ("Ek", "tlsuser", Arg::String),
    ("El", "tlspassword", Arg::String),
    ("Em", "tlsauthtype", Arg::String),
    ("En", "ssl-allow-beast", Arg::Bool),
    ("Eo", "ssl-auto-client-cert", Arg::Bool),
    ("EO", "proxy-ssl-auto-client-cert", Arg::Bool),
    ("Ep", "pinnedpubkey", Arg::String),
    ("EP", "proxy-pinnedpubkey", Arg::String),
    ("Eq", "cert-status", Arg::Bool),
    ("EQ", "doh-cert-status", Arg::Bool),
    ("Er", "false-start", Arg::Bool),
    ("Es", "ssl-no-revoke", Arg::Bool),
    ("ES", "ssl-revoke-best-effort", Arg::Bool),
    ("Et", "tcp-fastopen", Arg::Bool),
    ("Eu", "proxy-tlsuser", Arg::String),
    ("Ev", "proxy-tlspassword", Arg::String),
    ("Ew", "proxy-tlsauthtype", Arg::String),
    ("Ex", "proxy-cert", Arg::Filename),
    ("Ey", "proxy-cert-type", Arg::String),
    ("Ez", "proxy-key", Arg::Filename),
    ("E0", "proxy-key-type", Arg::String),
    ("E1", "proxy-pass", Arg::String),
    ("E2", "proxy-ciphers", Arg::String),
    ("E3", "proxy-crlfile", Arg::Filename),
    ("E4", "proxy-ssl-allow-beast", Arg::Bool),
    ("E5", "login-options", Arg::String),
    ("E6", "proxy-cacert", Arg::Filename),
    ("E7", "proxy-capath", Arg::Filename),
    ("E8", "proxy-insecure", Arg::Bool),
    ("E9", "proxy-tlsv1", Arg::None),
    ("EA", "socks5-basic", Arg::Bool),
    ("EB", "socks5-gssapi", Arg::Bool),
    ("EC", "etag-save", Arg::Filename),
    ("ED", "etag-compare", Arg::Filename),
    ("EE", "curves", Arg::String),
    ("f", "fail", Arg::Bool),
    ("fa", "fail-early", Arg::Bool),
    ("fb", "styled-output", Arg::Bool),
    ("fc", "mail-rcpt-allowfails", Arg::Bool),
    ("fd", "fail-with-body", Arg::Bool),
    ("fe", "remove-on-error", Arg::Bool),
    ("F", "form", Arg::String),
    ("Fs", "form-string", Arg::String),
    ("g", "globoff", Arg::Bool),
    ("G", "get", Arg::Bool),
    ("Ga", "request-target", Arg::String),
    ("h", "help", Arg::Bool),
    ("H", "header", Arg::String),
    ("Hp", "proxy-header", Arg::String),
    ("i", "include", Arg::Bool),
    ("I", "head", Arg::Bool),
    ("j", "junk-session-cookies", Arg::Bool),
    ("J", "remote-header-name", Arg::Bool),
    ("k", "insecure", Arg::Bool),
    ("kd", "doh-insecure", Arg::Bool),
    ("K", "config", Arg::Filename),
    ("l", "list-only", Arg::Bool),
    ("L", "location", Arg::Bool),
    ("Lt", "location-trusted", Arg::Bool),
    ("m", "max-time", Arg::String),
    ("M", "manual", Arg::Bool),
    ("n", "netrc", Arg::Bool),
    ("no", "netrc-optional", Arg::Bool),
    ("ne", "netrc-file", Arg::Filename),
    ("N", "buffer", Arg::Bool),
    ("o", "output", Arg::Filename),
    ("O", "remote-name", Arg::Bool),
    ("Oa", "remote-name-all", Arg::Bool),
    ("Ob", "output-dir", Arg::String),
    ("Oc", "clobber", Arg::Bool),
    ("p", "proxytunnel", Arg::Bool),
    ("P", "ftp-port", Arg::String),
    ("q", "disable", Arg::Bool),
    ("Q", "quote", Arg::String),
    ("r", "range", Arg::String),
    ("R", "remote-time", Arg::Bool),
    ("s", "silent", Arg::Bool),
    ("S", "show-error", Arg::Bool),
    ("t", "telnet-option", Arg::String),
    ("T", "upload-file", Arg::Filename),
    ("u", "user", Arg::String),
    ("U", "proxy-user", Arg::String),
    ("v", "verbose", Arg::Bool),
    ("V", "version", Arg::Bool),
    ("w", "write-out", Arg::String),
    ("x", "proxy", Arg::String),
    ("xa", "preproxy", Arg::String),
    ("X", "request", Arg::String),
    ("Y", "speed-limit", Arg::String),
    ("y", "speed-time", Arg::String),
    ("z", "time-cond", Arg::String),
    ("Z", "parallel", Arg::Bool),
    ("Zb", "parallel-max", Arg::String),
    ("Zc", "parallel-immediate", Arg::Bool),
    ("#", "progress-bar", Arg::Bool),
    ("#m", "progress-meter", Arg::Bool),
    (":", "next", Arg::None),
];

/// A `ParameterError`, with `param2text`'s words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParamError {
    Unknown,
    Ambiguous,
    RequiresParameter,
    NoNotBoolean,
    BadNumeric,
    NegativeNumeric,
    NumberTooLarge,
}

impl ParamError {
    fn text(self) -> &'static str {
        match self {
            ParamError::Unknown => "is unknown",
            ParamError::Ambiguous => "is ambiguous",
            ParamError::RequiresParameter => "requires parameter",
            ParamError::NoNotBoolean => "used '--no-' for option that isn't a boolean",
            ParamError::BadNumeric => "expected a proper numerical parameter",
            ParamError::NegativeNumeric => "expected a positive numerical parameter",
            ParamError::NumberTooLarge => "too large number",
        }
    }
}

/// curl's `helpf`: its message, then the pointer to the manual; status 2.
fn helpf(msg: Option<String>) -> ToolError {
    let mut s = String::new();
    if let Some(m) = msg {
        s.push_str(&format!("curl: {m}\n"));
    }
    s.push_str("curl: try 'curl --help' or 'curl --manual' for more information\n");
    ToolError::usage(2, s)
}

/// `secs2ms`: seconds as `strtod` reads them, at most LONG_MAX/1000, not negative.
fn secs2ms(s: &str) -> Result<Duration, ParamError> {
    let t = s.trim_start();
    let v = match t.parse::<f64>() {
        Ok(v) if !t.is_empty() => v,
        _ => return Err(ParamError::BadNumeric),
    };
    if v.is_nan() {
        return Err(ParamError::BadNumeric);
    }
    if v > (i64::MAX / 1000) as f64 {
        return Err(ParamError::NumberTooLarge);
    }
    if v < 0.0 {
        return Err(ParamError::NegativeNumeric);
    }
    Ok(Duration::from_millis((v * 1000.0) as u64))
}

/// The options and URLs of a curl command line.
pub(crate) struct CurlArgs {
    pub opts: CurlOpts,
    pub urls: Vec<String>,
}

/// `parse_args`: the options into `CurlOpts`, the other words as URLs.
pub(crate) fn parse_args(args: &[String]) -> Result<CurlArgs, ToolError> {
    let mut a = CurlArgs {
        opts: CurlOpts::default(),
        urls: Vec::new(),
    };
    if args.is_empty() {
        // `curl` alone: only the pointer to the manual.
        return Err(helpf(None));
    }
    let mut stillflags = true;
    let mut i = 0;
    while i < args.len() {
        let w = args[i].as_str();
        if stillflags && w.starts_with('-') {
            if w == "--" {
                stillflags = false;
            } else {
                let next = args.get(i + 1).map(String::as_str);
                match getparameter(&mut a, w, next) {
                    Ok(true) => i += 1,
                    Ok(false) => {}
                    Err(Failure::Param(e)) => {
                        return Err(helpf(Some(format!("option {w}: {}", e.text()))))
                    }
                    Err(Failure::NotModelled(e)) => return Err(e),
                }
            }
        } else {
            a.urls.push(w.to_string());
        }
        i += 1;
    }
    Ok(a)
}

enum Failure {
    Param(ParamError),
    NotModelled(ToolError),
}

impl From<ParamError> for Failure {
    fn from(e: ParamError) -> Failure {
        Failure::Param(e)
    }
}

/// `getparameter` for one word starting with `-`; `Ok(true)` when it used `next`.
fn getparameter(a: &mut CurlArgs, flag: &str, next: Option<&str>) -> Result<bool, Failure> {
    if let Some(mut word) = flag.strip_prefix("--") {
        let mut toggle = true;
        if let Some(w) = word.strip_prefix("no-") {
            word = w;
            toggle = false;
        }
        let mut hit = None;
        let mut numhits = 0;
        for (j, (_, name, _)) in ALIASES.iter().enumerate() {
            let prefix = name.len() >= word.len()
                && name.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes());
            if prefix {
                numhits += 1;
                hit = Some(j);
                if name.len() == word.len() {
                    numhits = 1;
                    break;
                }
            }
        }
        if numhits > 1 {
            return Err(ParamError::Ambiguous.into());
        }
        let Some(hit) = hit else {
            return Err(ParamError::Unknown.into());
        };
        let (_, _, desc) = ALIASES[hit];
        if !toggle && desc != Arg::Bool {
            return Err(ParamError::NoNotBoolean.into());
        }
        let value = match desc {
            Arg::String | Arg::Filename => {
                Some(next.ok_or(ParamError::RequiresParameter)?.to_string())
            }
            Arg::None | Arg::Bool => None,
        };
        let used = value.is_some();
        apply(a, hit, toggle, value)?;
        return Ok(used);
    }
    // Short letters; a lone "-" has none ("option -: is unknown").
    let letters = &flag[1..];
    if letters.is_empty() {
        return Err(ParamError::Unknown.into());
    }
    for (pos, letter) in letters.char_indices() {
        let hit = ALIASES
            .iter()
            .position(|(l, _, _)| l.starts_with(letter))
            .ok_or(ParamError::Unknown)?;
        let (_, _, desc) = ALIASES[hit];
        if matches!(desc, Arg::String | Arg::Filename) {
            let rest = &letters[pos + letter.len_utf8()..];
            if !rest.is_empty() {
                apply(a, hit, true, Some(rest.to_string()))?;
                return Ok(false);
            }
            let v = next.ok_or(ParamError::RequiresParameter)?;
            apply(a, hit, true, Some(v.to_string()))?;
            return Ok(true);
        }
        apply(a, hit, true, None)?;
    }
    Ok(false)
}

/// What one option does to the model's options.
fn apply(a: &mut CurlArgs, hit: usize, toggle: bool, value: Option<String>) -> Result<(), Failure> {
    let (_, name, _) = ALIASES[hit];
    let o = &mut a.opts;
    let v = value.unwrap_or_default();
    match name {
        "silent" => o.silent = toggle,
        "show-error" => o.show_error = toggle,
        "verbose" => o.verbose = toggle,
        "include" => o.include = toggle,
        "head" => o.head = toggle,
        "fail" => o.fail = toggle,
        "max-time" => o.max_time = Some(secs2ms(&v)?),
        "connect-timeout" => o.connect_timeout = Some(secs2ms(&v)?),
        "output" => o.output = Some(v),
        "write-out" => o.write_out = Some(v),
        "url" => a.urls.push(v),
        _ => {
            return Err(Failure::NotModelled(ToolError::not_modelled(format!(
                "curl --{name}"
            ))))
        }
    }
    Ok(())
}
