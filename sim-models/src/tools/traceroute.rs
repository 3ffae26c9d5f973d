//! `traceroute` 2.1.2's command line for the forms labs use (`-I`, `-n`, `-q`, `-w`, `-m`, `-f`,
//! `-p`, `-4`, `host [packetlen]`); the run is the `apps::traceroute` process. Option errors
//! and the usage recorded on this machine; traceroute has its own option parser (its `CLIF`
//! library), so it is hand-written here.

use super::{Exec, ToolError, ToolOutput};
use crate::apps::traceroute::TracerouteOpts;
use crate::kernel::{Kernel, NsId};
use std::net::Ipv4Addr;

const USAGE: &str = r#"Usage:
  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]
Options:
  -4                          Use IPv4
  -6                          Use IPv6
  -d  --debug                 Enable socket level debugging
  -F  --dont-fragment         Do not fragment packets
  -f first_ttl  --first=first_ttl
                              Start from the first_ttl hop (instead from 1)
  -g gate,...  --gateway=gate,...
                              Route packets through the specified gateway
                              (maximum 8 for IPv4 and 127 for IPv6)
  -I  --icmp                  Use ICMP ECHO for tracerouting
  -T  --tcp                   Use TCP SYN for tracerouting (default port is 80)
  -i device  --interface=device
                              Specify a network interface to operate with
  -m max_ttl  --max-hops=max_ttl
                              Set the max number of hops (max TTL to be
                              reached). Default is 30
  -N squeries  --sim-queries=squeries
                              Set the number of probes to be tried
                              simultaneously (default is 16)
  -n                          Do not resolve IP addresses to their domain names
  -p port  --port=port        Set the destination port to use. It is either
                              initial udp port value for "default" method
                              (incremented by each probe, default is 33434), or
                              initial seq for "icmp" (incremented as well,
                              default from 1), or some constant destination
                              port for other methods (with default of 80 for
                              "tcp", 53 for "udp", etc.)
  -t tos  --tos=tos           Set the TOS (IPv4 type of service) or TC (IPv6
                              traffic class) value for outgoing packets
  -l flow_label  --flowlabel=flow_label
                              Use specified flow_label for IPv6 packets
  -w MAX,HERE,NEAR  --wait=MAX,HERE,NEAR
                              Wait for a probe no more than HERE (default 3)
                              times longer than a response from the same hop,
                              or no more than NEAR (default 10) times than some
                              next hop, or MAX (default 5.0) seconds (float
                              point values allowed too)
  -q nqueries  --queries=nqueries
                              Set the number of probes per each hop. Default is
                              3
  -r                          Bypass the normal routing and send directly to a
                              host on an attached network
  -s src_addr  --source=src_addr
                              Use source src_addr for outgoing packets
  -z sendwait  --sendwait=sendwait
                              Minimal time interval between probes (default 0).
                              If the value is more than 10, then it specifies a
                              number in milliseconds, else it is a number of
                              seconds (float point values allowed too)
  -e  --extensions            Show ICMP extensions (if present), including MPLS
  -A  --as-path-lookups       Perform AS path lookups in routing registries and
                              print results directly after the corresponding
                              addresses
  -M name  --module=name      Use specified module (either builtin or external)
                              for traceroute operations. Most methods have
                              their shortcuts (`-I' means `-M icmp' etc.)
  -O OPTS,...  --options=OPTS,...
                              Use module-specific option OPTS for the
                              traceroute module. Several OPTS allowed,
                              separated by comma. If OPTS is "help", print info
                              about available options
  --sport=num                 Use source port num for outgoing packets. Implies
                              `-N 1'
  --fwmark=num                Set firewall mark for outgoing packets
  -U  --udp                   Use UDP to particular port for tracerouting
                              (instead of increasing the port per each probe),
                              default port is 53
  -UL                         Use UDPLITE for tracerouting (default dest port
                              is 53)
  -D  --dccp                  Use DCCP Request for tracerouting (default port
                              is 33434)
  -P prot  --protocol=prot    Use raw packet of protocol prot for tracerouting
  --mtu                       Discover MTU along the path being traced. Implies
                              `-F -N 1'
  --back                      Guess the number of hops in the backward path and
                              print if it differs
  -V  --version               Print version info and exit
  --help                      Read this help and exit

Arguments:
+     host          The host to traceroute to
      packetlen     The full packet length (default is the length of an IP
                    header plus 40). Can be ignored or increased to a minimal
                    allowed value
"#;

fn bad(msg: String) -> ToolError {
    ToolError::usage(2, msg)
}

pub fn traceroute(k: &mut Kernel, ns: NsId, args: &[String]) -> Exec {
    match parse(args) {
        Ok(Some(o)) => Exec::Spawned(k.traceroute_spawn(ns, o)),
        Ok(None) => Exec::Done(ToolOutput {
            stdout: String::new(),
            stderr: USAGE.to_string(),
            status: 0,
            not_modelled: None,
        }),
        Err(e) => Exec::Done(ToolOutput::from(e)),
    }
}

fn parse(args: &[String]) -> Result<Option<TracerouteOpts>, ToolError> {
    let mut o = TracerouteOpts {
        dst: Ipv4Addr::UNSPECIFIED,
        icmp: false,
        numeric: false,
        first_ttl: 1,
        max_ttl: 30,
        nqueries: 3,
        wait_max: 5.0,
        wait_here: 3.0,
        wait_near: 10.0,
        port: None,
        packetlen: 60,
    };
    let mut ops: Vec<&str> = Vec::new();
    let mut i = 0;
    let num = |v: Option<&String>, what: &str| -> Result<f64, ToolError> {
        v.and_then(|s| s.parse::<f64>().ok()).ok_or_else(|| {
            bad(format!(
                "Cannot handle `{what}' option with arg `{}' (argc {})\n",
                v.map_or("", |s| s.as_str()),
                0
            ))
        })
    };
    while i < args.len() {
        let a = args[i].as_str();
        if !a.starts_with('-') || a == "-" {
            ops.push(a);
            i += 1;
            continue;
        }
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ if !a.starts_with("--") && a.len() > 2 => (&a[..2], Some(a[2..].to_string())),
            _ => (a, None),
        };
        let inl = inline.clone();
        let value = |i: &mut usize| -> Option<String> {
            if inl.is_some() {
                return inl.clone();
            }
            *i += 1;
            args.get(*i).cloned()
        };
        match flag {
            "-4" => {}
            "-I" | "--icmp" => o.icmp = true,
            "-n" => o.numeric = true,
            "-q" | "--queries" => {
                let v = value(&mut i);
                let n = num(v.as_ref(), "-q")?;
                if !(1.0..=10.0).contains(&n) {
                    return Err(bad("no more than 10 probes per hop\n".into()));
                }
                o.nqueries = n as usize;
            }
            "-m" | "--max-hops" => {
                let v = value(&mut i);
                o.max_ttl = num(v.as_ref(), "-m")?.clamp(0.0, 255.0) as u8;
            }
            "-f" | "--first" => {
                let v = value(&mut i);
                o.first_ttl = num(v.as_ref(), "-f")?.clamp(0.0, 255.0) as u8;
            }
            "-p" | "--port" => {
                let v = value(&mut i);
                o.port = Some(num(v.as_ref(), "-p")? as u16);
            }
            "-w" | "--wait" => {
                let v = value(&mut i).unwrap_or_default();
                let parts: Vec<&str> = v.split(',').collect();
                let f = |s: Option<&&str>| s.and_then(|x| x.parse::<f64>().ok());
                o.wait_max = f(parts.first()).ok_or_else(|| {
                    bad(format!(
                        "Cannot handle `-w' option with arg `{v}' (argc 0)\n"
                    ))
                })?;
                if let Some(h) = f(parts.get(1)) {
                    o.wait_here = h;
                }
                if let Some(n) = f(parts.get(2)) {
                    o.wait_near = n;
                }
            }
            _ if flag.starts_with("--") => {
                return Err(ToolError::not_modelled(format!("traceroute {flag}")));
            }
            _ if "6dFTreAUDVgiNtlszMOP".contains(&flag[1..]) => {
                return Err(ToolError::not_modelled(format!("traceroute {flag}")));
            }
            _ => return Err(bad(format!("Bad option `{flag}' (argc {})\n", i + 1))),
        }
        i += 1;
    }
    let Some(host) = ops.first() else {
        return Ok(None);
    };
    o.dst = match host.parse::<Ipv4Addr>() {
        Ok(a) => a,
        Err(_) => {
            return Err(bad(format!(
                "{host}: Temporary failure in name resolution\nCannot handle \"host\" cmdline arg `{host}' on position 1 (argc {})\n",
                args.len()
            )))
        }
    };
    if let Some(len) = ops.get(1) {
        let n: usize = len.parse().map_err(|_| {
            bad(format!(
                "Cannot handle \"packetlen\" cmdline arg `{len}' on position 2 (argc {})\n",
                args.len()
            ))
        })?;
        o.packetlen = n.max(28);
    }
    if o.first_ttl == 0 || o.first_ttl > o.max_ttl {
        return Err(bad("first hop out of range\n".into()));
    }
    Ok(Some(o))
}
