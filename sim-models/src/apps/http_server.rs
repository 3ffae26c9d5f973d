//! `python3 -m http.server [--bind ADDR] [--protocol HTTP/1.x] [PORT]` as Python 3.11.7's
//! `SimpleHTTPRequestHandler` answers: directory listing of the working directory (the lab's
//! files under /lab), file contents with `guess_type`, the 404 error page, its access log on
//! stderr and the "Serving HTTP on ..." line on stdout. Python writes the header block in one
//! `send()` (end_headers flushes) and the body in another; Nagle (no TCP_NODELAY) holds the body
//! until the header is acknowledged, as the kernel recordings show.
//!
//! # Differences from Python
//! Only GET and HEAD; no subdirectories (the lab's working directory is flat); `If-Modified-Since`
//! is ignored; the listing's mtimes are when the model first saw a file.

use super::App;
use crate::kernel::{Kernel, NsId, Pid};
use crate::net::sock::{SockEvent, SockId};
use sim_core::Duration;
use std::collections::BTreeMap;
use std::net::SocketAddrV4;

pub const SERVER_VERSION: &str = "SimpleHTTP/0.6 Python/3.11.7";
const BIND_TRACEBACK: &str = r#"Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "<frozen runpy>", line 88, in _run_code
  File "/usr/local/lib/python3.11/http/server.py", line 1313, in <module>
    test(
  File "/usr/local/lib/python3.11/http/server.py", line 1260, in test
    with ServerClass(addr, HandlerClass) as httpd:
         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/socketserver.py", line 456, in __init__
    self.server_bind()
  File "/usr/local/lib/python3.11/http/server.py", line 1307, in server_bind
    return super().server_bind()
           ^^^^^^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/http/server.py", line 136, in server_bind
    socketserver.TCPServer.server_bind(self)
  File "/usr/local/lib/python3.11/socketserver.py", line 472, in server_bind
    self.socket.bind(self.server_address)
"#;

/// socketserver.TCPServer.request_queue_size.
const REQUEST_QUEUE_SIZE: u32 = 5;

#[derive(Debug)]
pub struct HttpServer {
    pub bind: SocketAddrV4,
    /// `protocol_version` ("HTTP/1.0" by default).
    pub protocol: String,
    pub listen: Option<SockId>,
    pub conns: BTreeMap<SockId, HttpConn>,
    /// Bodies whose write follows the header's (`copyfile` after `end_headers`), with
    /// whether the connection closes after them.
    pub pending: Vec<(SockId, Vec<u8>, bool)>,
}

/// Python's time from flushing the response header to the first write of the body
/// (`shutil.copyfileobj` reading the file): 80-175 us on the recording host, longer than a
/// round trip between namespaces, so the header's ACK comes back before the body is written
/// (tests/kernel/nslab-tcp-sack-recovery).
const HTTP_BODY_WRITE_DELAY: Duration = Duration::from_micros(100);

#[derive(Debug, Default)]
pub struct HttpConn {
    pub peer: Option<SocketAddrV4>,
    pub buf: Vec<u8>,
    pub closing: bool,
}

impl HttpServer {
    pub fn new(bind: SocketAddrV4, protocol: &str) -> HttpServer {
        HttpServer {
            bind,
            protocol: protocol.to_string(),
            listen: None,
            conns: BTreeMap::new(),
            pending: Vec::new(),
        }
    }
}

pub(crate) use userland::civil_from_days as civil;

pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// `email.utils.formatdate(usegmt=True)`: "Sun, 22 Nov 2026 11:46:24 GMT".
pub fn http_date(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let (y, m, d) = civil(days);
    let t = secs % 86400;
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WDAYS[(days % 7) as usize],
        d,
        MONTHS[m as usize - 1],
        y,
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// `log_date_time_string`: "22/Nov/2026 11:46:24" (local time; the labs run in UTC).
pub fn log_date(secs: u64) -> String {
    let (y, m, d) = civil((secs / 86400) as i64);
    let t = secs % 86400;
    format!(
        "{:02}/{}/{} {:02}:{:02}:{:02}",
        d,
        MONTHS[m as usize - 1],
        y,
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// `html.escape(s, quote=False)`.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `urllib.parse.quote(s)` (safe "/").
fn url_quote(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~/".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{:02X}", b));
        }
    }
    o
}

/// `urllib.parse.unquote`.
fn url_unquote(s: &str) -> String {
    let b = s.as_bytes();
    let mut o = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                o.push(v);
                i += 3;
                continue;
            }
        }
        o.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&o).into_owned()
}

/// `mimetypes.guess_type` for the common extensions (default application/octet-stream).
fn guess_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|x| x.1.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html") | Some("htm") => "text/html",
        Some("txt") | Some("sh") | Some("conf") | Some("log") => "text/plain",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("xml") => "text/xml",
        Some("py") => "text/x-python",
        Some("c") | Some("h") => "text/plain",
        Some("gz") => "application/gzip",
        Some("tar") => "application/x-tar",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// `SimpleHTTPRequestHandler.list_directory` for `/`.
pub fn listing_html(names: &[String]) -> String {
    let mut names: Vec<&String> = names.iter().collect();
    names.sort_by_key(|n| n.to_lowercase());
    let mut s = String::from(
        "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Directory listing for /</title>\n</head>\n<body>\n\
         <h1>Directory listing for /</h1>\n<hr>\n<ul>\n",
    );
    for n in names {
        s += &format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            url_quote(n),
            html_escape(n)
        );
    }
    s += "</ul>\n<hr>\n</body>\n</html>\n";
    s
}

/// `BaseHTTPRequestHandler.error_message_format` filled in.
pub fn error_html(code: u16, message: &str, explain: &str) -> String {
    format!(
        "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        \
         <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        \
         <p>Error code: {code}</p>\n        <p>Message: {message}.</p>\n        \
         <p>Error code explanation: {code} - {explain}.</p>\n    </body>\n</html>\n"
    )
}

impl Kernel {
    pub fn http_server_spawn(&mut self, ns: NsId, bind: SocketAddrV4, protocol: &str) -> Pid {
        self.spawn(ns, App::HttpServer(HttpServer::new(bind, protocol)))
    }

    fn hs(&mut self, pid: Pid) -> Option<&mut HttpServer> {
        match &mut self.proc_mut(pid)?.app {
            App::HttpServer(h) => Some(h),
            _ => None,
        }
    }

    pub(crate) fn http_server_start(&mut self, pid: Pid) {
        let Some(p) = self.proc(pid) else { return };
        let ns = p.ns;
        let App::HttpServer(h) = &p.app else { return };
        let bind = h.bind;
        match self.tcp_listen_backlog(pid, ns, bind, REQUEST_QUEUE_SIZE) {
            Ok(s) => {
                if let Some(h) = self.hs(pid) {
                    h.listen = Some(s);
                }
                let line = format!(
                    "Serving HTTP on {} port {} (http://{}:{}/) ...\n",
                    bind.ip(),
                    bind.port(),
                    bind.ip(),
                    bind.port()
                );
                self.proc_out(pid, line.as_bytes());
            }
            Err(e) => {
                // Python 3.11.7's traceback, recorded on Linux; the library path is that of a
                // source-built 3.11.7 in /usr/local (the recording machine's own is not kept).
                let errno = match e {
                    crate::net::sock::Errno::EADDRINUSE => 98,
                    crate::net::sock::Errno::EADDRNOTAVAIL => 99,
                    _ => 22,
                };
                let msg = format!(
                    "{}OSError: [Errno {}] {}\n",
                    BIND_TRACEBACK,
                    errno,
                    e.strerror()
                );
                self.proc_err(pid, msg.as_bytes());
                self.proc_exit(pid, 1);
            }
        }
    }

    pub(crate) fn http_server_event(&mut self, pid: Pid, sock: SockId, ev: SockEvent) {
        match ev {
            SockEvent::Accepted { child, peer } => {
                if let Some(h) = self.hs(pid) {
                    h.conns.insert(
                        child,
                        HttpConn {
                            peer: Some(peer),
                            ..Default::default()
                        },
                    );
                }
            }
            SockEvent::Data(d) => {
                let Some(h) = self.hs(pid) else { return };
                let Some(c) = h.conns.get_mut(&sock) else {
                    return;
                };
                c.buf.extend_from_slice(&d);
                self.http_server_serve(pid, sock);
            }
            SockEvent::Eof => {
                // rfile.readline() returned b'': handle() ends, the socket is shut down and closed.
                if let Some(h) = self.hs(pid) {
                    h.conns.remove(&sock);
                }
                self.tcp_close(sock);
            }
            SockEvent::Closed | SockEvent::Error(_) => {
                if let Some(h) = self.hs(pid) {
                    h.conns.remove(&sock);
                }
            }
            _ => {}
        }
    }

    /// Handles every complete request in the connection's buffer (`handle_one_request`).
    fn http_server_serve(&mut self, pid: Pid, sock: SockId) {
        loop {
            let Some(h) = self.hs(pid) else { return };
            let protocol = h.protocol.clone();
            let Some(c) = h.conns.get_mut(&sock) else {
                return;
            };
            if c.closing {
                return;
            }
            let Some(end) = c.buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                return;
            };
            let req: Vec<u8> = c.buf.drain(..end + 4).collect();
            let peer = c.peer;
            let text = String::from_utf8_lossy(&req).into_owned();
            let mut lines = text.split("\r\n");
            let requestline = lines.next().unwrap_or("").to_string();
            let mut headers = BTreeMap::new();
            for l in lines {
                if let Some((k, v)) = l.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                }
            }
            let words: Vec<&str> = requestline.split_whitespace().collect();
            let (method, path, version) = match words.as_slice() {
                [m, p, v] => (m.to_string(), p.to_string(), v.to_string()),
                _ => {
                    self.http_respond_error(
                        pid,
                        sock,
                        peer,
                        &requestline,
                        400,
                        "Bad request syntax",
                        "Bad request syntax or unsupported method",
                        &protocol,
                    );
                    return;
                }
            };
            let conn_hdr = headers.get("connection").map(|v| v.to_ascii_lowercase());
            let mut close = !(version == "HTTP/1.1" && protocol == "HTTP/1.1");
            if conn_hdr.as_deref() == Some("close") {
                close = true;
            } else if conn_hdr.as_deref() == Some("keep-alive") && protocol == "HTTP/1.1" {
                close = false;
            }
            if method != "GET" && method != "HEAD" {
                let msg = format!("Unsupported method ('{}')", method);
                self.http_respond_error(
                    pid,
                    sock,
                    peer,
                    &requestline,
                    501,
                    &msg,
                    "Server does not support this operation",
                    &protocol,
                );
                return;
            }
            let clean = path.split(['?', '#']).next().unwrap_or("/");
            let rel = url_unquote(clean.trim_start_matches('/'));
            let now = self.now.as_nanos() / 1_000_000_000;
            let date = http_date(now);
            let mut files: Vec<String> = Vec::new();
            for k in self.vfs.keys() {
                if let Some(n) = k.strip_prefix("/lab/") {
                    if !n.contains('/') && !n.is_empty() {
                        files.push(n.to_string());
                    }
                }
            }
            let (code, ctype, body, extra) = if rel.is_empty() {
                let body = listing_html(&files);
                (
                    200,
                    "text/html; charset=utf-8".to_string(),
                    body.into_bytes(),
                    None,
                )
            } else if let Some((data, mtime)) = self.vfs.get(&format!("/lab/{}", rel)) {
                let lm = http_date(mtime.as_nanos() / 1_000_000_000);
                (200, guess_type(&rel).to_string(), data.clone(), Some(lm))
            } else {
                self.http_respond_error(
                    pid,
                    sock,
                    peer,
                    &requestline,
                    404,
                    "File not found",
                    "Nothing matches the given URI",
                    &protocol,
                );
                return;
            };
            let _ = code;
            let mut head =
                format!(
                "{} 200 OK\r\nServer: {}\r\nDate: {}\r\nContent-type: {}\r\nContent-Length: {}\r\n",
                protocol, SERVER_VERSION, date, ctype, body.len()
            );
            if let Some(lm) = extra {
                head += &format!("Last-Modified: {}\r\n", lm);
            }
            head += "\r\n";
            self.http_log(pid, peer, &format!("\"{}\" 200 -", requestline));
            self.tcp_send(sock, head.as_bytes());
            if method == "GET" && !body.is_empty() {
                // The body follows HTTP_BODY_WRITE_DELAY later (http_server_timer).
                if let Some(h) = self.hs(pid) {
                    h.pending.push((sock, body, close));
                    if h.pending.len() == 1 {
                        self.proc_arm(pid, HTTP_BODY_WRITE_DELAY);
                    }
                }
                return;
            }
            if close {
                self.http_close_conn(pid, sock);
                return;
            }
        }
    }

    /// The bodies of the responses whose header went out: shutil.copyfileobj's 64 KiB reads,
    /// one write each (a listing is one write); then the close of an HTTP/1.0 connection.
    pub(crate) fn http_server_timer(&mut self, pid: Pid) {
        let pending = match self.hs(pid) {
            Some(h) => std::mem::take(&mut h.pending),
            None => return,
        };
        for (sock, body, close) in pending {
            if close {
                // The kernel sends the body and the FIN in two segments, but the client's
                // close comes later than both (a process wake-up), so it answers the FIN;
                // nslab's client reacts at once, so the FIN rides on the body's last segment.
                if let Some(h) = self.hs(pid) {
                    h.conns.remove(&sock);
                }
                let writes: Vec<&[u8]> = body.chunks(64 * 1024).collect();
                self.tcp_send_and_close(sock, &writes);
                continue;
            }
            for chunk in body.chunks(64 * 1024) {
                self.tcp_send(sock, chunk);
            }
        }
    }

    fn http_close_conn(&mut self, pid: Pid, sock: SockId) {
        if let Some(h) = self.hs(pid) {
            h.conns.remove(&sock);
        }
        self.tcp_close(sock);
    }

    fn http_log(&mut self, pid: Pid, peer: Option<SocketAddrV4>, msg: &str) {
        let now = self.now.as_nanos() / 1_000_000_000;
        let addr = peer.map(|p| p.ip().to_string()).unwrap_or_default();
        let line = format!("{} - - [{}] {}\n", addr, log_date(now), msg);
        self.proc_err(pid, line.as_bytes());
    }

    /// `send_error`: log, headers with `Connection: close`, the HTML body; then close.
    #[allow(clippy::too_many_arguments)]
    fn http_respond_error(
        &mut self,
        pid: Pid,
        sock: SockId,
        peer: Option<SocketAddrV4>,
        requestline: &str,
        code: u16,
        message: &str,
        explain: &str,
        protocol: &str,
    ) {
        self.http_log(pid, peer, &format!("code {}, message {}", code, message));
        self.http_log(pid, peer, &format!("\"{}\" {} -", requestline, code));
        let body = error_html(code, message, explain);
        let now = self.now.as_nanos() / 1_000_000_000;
        let head = format!(
            "{} {} {}\r\nServer: {}\r\nDate: {}\r\nConnection: close\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            protocol,
            code,
            message,
            SERVER_VERSION,
            http_date(now),
            body.len()
        );
        self.tcp_send(sock, head.as_bytes());
        self.tcp_send(sock, body.as_bytes());
        self.http_close_conn(pid, sock);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_python_formats_them() {
        // 2026-11-22 11:46:24 UTC, the recording's Date header.
        let t = 1_795_347_984;
        assert_eq!(http_date(t), "Sun, 22 Nov 2026 11:46:24 GMT");
        assert_eq!(log_date(t), "22/Nov/2026 11:46:24");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn empty_listing_is_187_bytes_as_recorded() {
        let b = listing_html(&[]);
        assert_eq!(b.len(), 187);
        assert!(b.starts_with("<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n"));
        let b = listing_html(&["b c.txt".into(), "A.txt".into()]);
        assert!(b.contains(
            "<ul>\n<li><a href=\"A.txt\">A.txt</a></li>\n<li><a href=\"b%20c.txt\">b c.txt</a></li>\n</ul>"
        ));
    }

    #[test]
    fn error_page_matches_python() {
        let b = error_html(404, "File not found", "Nothing matches the given URI");
        assert!(b.contains("<p>Error code explanation: 404 - Nothing matches the given URI.</p>\n"));
        assert_eq!(b.len(), 335);
    }
}
