//! `curl` 7.88.1 for plain-HTTP GETs: the request it sends (`Host`, `User-Agent: curl/7.88.1`,
//! `Accept: */*`, TCP_NODELAY), the body to stdout, `-i` and `-v` output, its error lines and
//! exit codes (7 could not connect, 28 timeouts, 52 empty reply, 56 receive failure), and its
//! close after the transfer (curl sends the first FIN).
//!
//! # Differences from curl
//! No name resolution (host names fail with code 6), no progress meter (labs use `-s`), no
//! redirects, HTTP/1.1 only.

use super::App;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::sock::{Errno, SockEvent, SockId};
use sim_core::{Duration, Instant};
use std::net::SocketAddrV4;

#[derive(Clone, Debug, Default)]
pub struct CurlOpts {
    pub dst: Option<SocketAddrV4>,
    /// The host as written in the URL (for messages and `Host:`).
    pub host: String,
    pub port: u16,
    pub path: String,
    pub silent: bool,
    pub show_error: bool,
    pub verbose: bool,
    pub include: bool,
    pub fail: bool,
    pub head: bool,
    pub max_time: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    /// `-o FILE` (`/dev/null` discards).
    pub output: Option<String>,
    /// `-w FORMAT` (`--write-out`): written to stdout when the transfer ends.
    pub write_out: Option<String>,
}

#[derive(Debug)]
pub struct Curl {
    pub opts: CurlOpts,
    pub sock: Option<SockId>,
    pub start: Instant,
    pub connected: bool,
    pub resp: Vec<u8>,
    pub body_written: usize,
    pub header_len: Option<usize>,
    pub content_length: Option<usize>,
    /// stdout is fully buffered (a file or pipe, as in the recorder): written at exit, after
    /// the stderr lines (`-v`) that were printed meanwhile.
    pub out_buf: Vec<u8>,
}

/// Curl's default connect timeout (`DEFAULT_CONNECT_TIMEOUT`).
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(300);

impl Kernel {
    pub fn curl_spawn(&mut self, ns: NsId, opts: CurlOpts) -> Pid {
        let now = self.now;
        self.spawn(
            ns,
            App::Curl(Curl {
                opts,
                sock: None,
                start: now,
                connected: false,
                resp: Vec::new(),
                body_written: 0,
                header_len: None,
                content_length: None,
                out_buf: Vec::new(),
            }),
        )
    }

    fn cu(&mut self, pid: Pid) -> Option<&mut Curl> {
        match &mut self.proc_mut(pid)?.app {
            App::Curl(c) => Some(c),
            _ => None,
        }
    }

    fn curl_fail(&mut self, pid: Pid, code: i32, msg: &str) {
        let Some(c) = self.cu(pid) else { return };
        let show = !c.opts.silent || c.opts.show_error;
        let verbose = c.opts.verbose;
        if verbose {
            self.proc_err(
                pid,
                format!("* {}\n* Closing connection 0\n", msg).as_bytes(),
            );
        }
        if show {
            self.proc_err(pid, format!("curl: ({}) {}\n", code, msg).as_bytes());
        }
        self.curl_exit(pid, code);
    }

    fn curl_elapsed_ms(&mut self, pid: Pid) -> u64 {
        let now = self.now;
        self.cu(pid)
            .map_or(0, |c| (now - c.start).as_nanos() / 1_000_000)
    }

    pub(crate) fn curl_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let ns = p.ns;
        let App::Curl(c) = &p.app else { return };
        let o = c.opts.clone();
        let Some(dst) = o.dst else {
            return self.curl_fail(pid, 6, &format!("Could not resolve host: {}", o.host));
        };
        if o.verbose {
            self.proc_err(
                pid,
                format!("*   Trying {}:{}...\n", dst.ip(), dst.port()).as_bytes(),
            );
        }
        match self.tcp_connect(pid, ns, dst, None) {
            Ok(s) => {
                self.tcp_set_nodelay(s, true);
                if let Some(c) = self.cu(pid) {
                    c.sock = Some(s);
                }
                let ct = o.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                let t = match o.max_time {
                    Some(m) => m.min(ct),
                    None => ct,
                };
                self.proc_arm(pid, t);
            }
            Err(_) => {
                let msg = format!(
                    "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                    o.host, o.port
                );
                self.curl_fail(pid, 7, &msg);
            }
        }
    }

    pub(crate) fn curl_timer(&mut self, pid: Pid) {
        let ms = self.curl_elapsed_ms(pid);
        let Some(c) = self.cu(pid) else { return };
        let (host, port) = (c.opts.host.clone(), c.opts.port);
        if !c.connected {
            let by_connect_timeout = match (c.opts.connect_timeout, c.opts.max_time) {
                (Some(ct), Some(m)) => ct <= m,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            let msg = if by_connect_timeout {
                format!(
                    "Failed to connect to {} port {} after {} ms: Timeout was reached",
                    host, port, ms
                )
            } else {
                format!("Connection timed out after {} milliseconds", ms)
            };
            self.curl_fail(pid, 28, &msg);
        } else {
            let got = c.resp.len() - c.header_len.unwrap_or(c.resp.len()).min(c.resp.len());
            let msg = match c.content_length {
                Some(n) => format!(
                    "Operation timed out after {} milliseconds with {} out of {} bytes received",
                    ms, got, n
                ),
                None => format!(
                    "Operation timed out after {} milliseconds with {} bytes received",
                    ms, got
                ),
            };
            self.curl_fail(pid, 28, &msg);
        }
    }

    pub(crate) fn curl_event(&mut self, pid: Pid, _sock: SockId, ev: SockEvent) {
        match ev {
            SockEvent::Connected => self.curl_connected(pid),
            SockEvent::Data(d) => {
                if let Some(c) = self.cu(pid) {
                    c.resp.extend_from_slice(&d);
                }
                self.curl_progress(pid, false);
            }
            SockEvent::Eof | SockEvent::Closed => self.curl_progress(pid, true),
            SockEvent::Error(e) => {
                let ms = self.curl_elapsed_ms(pid);
                let Some(c) = self.cu(pid) else { return };
                let (host, port, connected) = (c.opts.host.clone(), c.opts.port, c.connected);
                if connected {
                    self.curl_fail(pid, 56, &format!("Recv failure: {}", e.strerror()));
                } else {
                    let code = if e == Errno::ETIMEDOUT { 28 } else { 7 };
                    let msg = format!(
                        "Failed to connect to {} port {} after {} ms: Couldn't connect to server",
                        host, port, ms
                    );
                    self.curl_fail(pid, code, &msg);
                }
            }
            _ => {}
        }
    }

    fn curl_connected(&mut self, pid: Pid) {
        let Some(c) = self.cu(pid) else { return };
        c.connected = true;
        let o = c.opts.clone();
        let sock = c.sock;
        let host = if o.port == 80 {
            o.host.clone()
        } else {
            format!("{}:{}", o.host, o.port)
        };
        let method = if o.head { "HEAD" } else { "GET" };
        let req = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
            method, o.path, host
        );
        if o.verbose {
            let ip = o.dst.map(|d| d.ip().to_string()).unwrap_or_default();
            let mut v = format!("* Connected to {} ({}) port {} (#0)\n", o.host, ip, o.port);
            for l in req.split_inclusive("\r\n") {
                v += &format!("> {}", l);
            }
            self.proc_err(pid, v.as_bytes());
        }
        if let Some(s) = sock {
            self.tcp_send(s, req.as_bytes());
        }
        match o.max_time {
            Some(m) => {
                let now = self.now;
                let elapsed = now - self.cu(pid).map_or(now, |c| c.start);
                self.proc_arm(pid, Duration(m.0.saturating_sub(elapsed.0)));
            }
            None => {
                // No overall limit: cancel the connect timer.
                if let Some(p) = self.proc_mut(pid) {
                    p.token += 1;
                }
            }
        }
    }

    /// Parses what arrived; writes the body; finishes when the response is complete.
    fn curl_progress(&mut self, pid: Pid, eof: bool) {
        let Some(c) = self.cu(pid) else { return };
        if c.header_len.is_none() {
            if let Some(p) = c.resp.windows(4).position(|w| w == b"\r\n\r\n") {
                c.header_len = Some(p + 4);
                let head = String::from_utf8_lossy(&c.resp[..p]).into_owned();
                for l in head.split("\r\n").skip(1) {
                    if let Some((k, v)) = l.split_once(':') {
                        if k.trim().eq_ignore_ascii_case("content-length") {
                            c.content_length = v.trim().parse().ok();
                        }
                    }
                }
                if c.opts.head {
                    c.content_length = Some(0);
                }
                let o = c.opts.clone();
                let status = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|x| x.parse::<u16>().ok())
                    .unwrap_or(0);
                if o.verbose {
                    let mut v = String::new();
                    for l in String::from_utf8_lossy(&c.resp[..p + 4]).split_inclusive("\r\n") {
                        v += &format!("< {}", l);
                    }
                    self.proc_err(pid, v.as_bytes());
                }
                if o.fail && status >= 400 {
                    let msg = format!("The requested URL returned error: {}", status);
                    return self.curl_fail(pid, 22, &msg);
                }
                if o.include {
                    let h = self
                        .cu(pid)
                        .map(|c| c.resp[..p + 4].to_vec())
                        .unwrap_or_default();
                    self.curl_write(pid, &h);
                }
            } else if eof {
                let empty = c.resp.is_empty();
                if empty {
                    return self.curl_fail(pid, 52, "Empty reply from server");
                }
                return self.curl_fail(pid, 56, "Recv failure: Connection reset by peer");
            } else {
                return;
            }
        }
        let Some(c) = self.cu(pid) else { return };
        let hl = c.header_len.expect("parsed");
        let body_have = c.resp.len() - hl;
        let new = c.resp[hl + c.body_written..].to_vec();
        c.body_written = body_have;
        let cl = c.content_length;
        let verbose = c.opts.verbose;
        if !new.is_empty() {
            if verbose {
                self.proc_err(pid, format!("{{ [{} bytes data]\n", new.len()).as_bytes());
            }
            self.curl_write(pid, &new);
        }
        let done = match cl {
            Some(n) => body_have >= n,
            None => eof,
        };
        if done {
            if verbose {
                let host = self
                    .cu(pid)
                    .map(|c| c.opts.host.clone())
                    .unwrap_or_default();
                self.proc_err(
                    pid,
                    format!("* Connection #0 to host {} left intact\n", host).as_bytes(),
                );
            }
            self.curl_exit(pid, 0);
        } else if eof {
            let n = cl.unwrap_or(0).saturating_sub(body_have);
            self.curl_fail(
                pid,
                18,
                &format!("transfer closed with {} bytes remaining to read", n),
            );
        }
    }

    /// exit(): stdio flushes the buffered body, the kernel closes the socket.
    fn curl_exit(&mut self, pid: Pid, code: i32) {
        let now = self.now;
        if let Some(c) = self.cu(pid) {
            if let Some(fmt) = c.opts.write_out.clone() {
                let w = curl_write_out(c, &fmt, code, now);
                c.out_buf.extend_from_slice(w.as_bytes());
            }
        }
        let buf = self.cu(pid).map(|c| std::mem::take(&mut c.out_buf));
        if let Some(b) = buf {
            self.proc_out(pid, &b);
        }
        self.proc_exit(pid, code);
    }

    fn curl_write(&mut self, pid: Pid, data: &[u8]) {
        let out = self.cu(pid).and_then(|c| c.opts.output.clone());
        match out.as_deref() {
            None | Some("-") => {
                if let Some(c) = self.cu(pid) {
                    c.out_buf.extend_from_slice(data);
                }
            }
            Some("/dev/null") => {}
            Some(path) => self.vfs_append(path, data),
        }
    }
}

/// curl's `ourWriteOut` for the variables a plain-HTTP transfer has: `%{http_code}`,
/// `%{response_code}`, `%{remote_ip}`, `%{remote_port}`, `%{size_download}`,
/// `%{size_header}`, `%{exitcode}`, `%{num_connects}`,
/// `%{time_total}` (the simulated time), `%%`, and the `\n`, `\r`, `\t` escapes; another
/// variable prints curl's warning and nothing.
fn curl_write_out(c: &Curl, fmt: &str, code: i32, now: Instant) -> String {
    let hl = c.header_len;
    let status = hl
        .and_then(|p| {
            String::from_utf8_lossy(&c.resp[..p])
                .split_whitespace()
                .nth(1)
                .and_then(|x| x.parse::<u16>().ok())
        })
        .unwrap_or(0);
    let mut out = String::new();
    let mut rest = fmt;
    while let Some(ch) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("%{") {
            if let Some(end) = r.find('}') {
                let var = &r[..end];
                let ip = c.opts.dst.map(|d| d.ip().to_string()).unwrap_or_default();
                let v = match var {
                    "http_code" | "response_code" => format!("{status:03}"),
                    "remote_ip" => ip,
                    "remote_port" => c.opts.dst.map(|d| d.port().to_string()).unwrap_or_default(),
                    "size_download" => c.body_written.to_string(),
                    "size_header" => hl.unwrap_or(0).to_string(),
                    "exitcode" => code.to_string(),
                    "num_connects" => u8::from(c.connected).to_string(),
                    "time_total" => {
                        let us = (now - c.start).as_nanos() / 1000;
                        format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
                    }
                    _ => String::new(),
                };
                out.push_str(&v);
                rest = &r[end + 1..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix("%%") {
            out.push('%');
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('\\') {
            match r.chars().next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
            rest = r.get(1..).unwrap_or("");
            continue;
        }
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}
