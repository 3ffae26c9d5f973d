//! IPv6 traffic asked of the network programs: nslab keeps IPv6 addresses, routes and rules as
//! configuration (`ip -6 addr|route|rule`, sim_models::net::addrconf) but models no IPv6
//! packets, so a program asked to send or receive IPv6 (`ping6`, `ping fd00::2`, `curl -6`,
//! `http://[fd00::2]/`, `nc -6`, `traceroute6`) is refused as not modelled instead of failing
//! with the tool's "invalid address" words, which would blame the user's typing.

use std::net::Ipv6Addr;

/// Whether `argv` (a network program and its arguments) asks for IPv6.
pub fn ipv6_input(prog: &str, args: &[String]) -> bool {
    match prog {
        "ping6" | "traceroute6" => return true,
        "ping" | "curl" | "nc" | "ncat" | "traceroute" | "arping" | "socat" | "ss" | "route" => {}
        _ => return false,
    }
    let mut family = false;
    for a in args {
        if family {
            if a == "inet6" {
                return true;
            }
            family = false;
            continue;
        }
        match a.as_str() {
            "-6" | "-inet6" => return true,
            "-A" if prog == "route" => family = true,
            _ => {
                if is_ipv6_word(a) {
                    return true;
                }
            }
        }
    }
    false
}

/// An IPv6 address, prefix (`fd00::1/64`), bracketed literal or URL host (`[fd00::2]:80`,
/// `http://[fd00::2]/`); a MAC address (`aa:bb:cc:dd:ee:ff`) is not one.
fn is_ipv6_word(w: &str) -> bool {
    if !w.contains(':') {
        return false;
    }
    if let Some(i) = w.find('[') {
        if let Some(j) = w[i..].find(']') {
            return w[i + 1..i + j].parse::<Ipv6Addr>().is_ok();
        }
    }
    let addr = w.split_once('/').map_or(w, |(a, _)| a);
    addr.parse::<Ipv6Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::ipv6_input;

    fn v(prog: &str, args: &str) -> bool {
        let a: Vec<String> = args.split_whitespace().map(String::from).collect();
        ipv6_input(prog, &a)
    }

    #[test]
    fn ipv6_words() {
        // `ip` configures IPv6 (tools/ip6.rs): not traffic
        assert!(!v("ip", "addr add fd00::1/64 dev eth0"));
        assert!(!v("ip", "-6 route"));
        assert!(v("route", "-A inet6"));
        assert!(v("nc", "-6 -l 80"));
        assert!(v("ping", "-c 1 fd00::2"));
        assert!(v("ping", "-6 host"));
        assert!(v("ping6", "x"));
        assert!(v("curl", "-s http://[fd00::2]:8080/"));
        assert!(!v("arping", "-I eth0 10.0.0.2"));
        assert!(!v("ping", "-c 1 10.0.0.2"));
        assert!(!v("sysctl", "-w net.ipv6.conf.all.disable_ipv6=1"));
        assert!(!v("iptables", "-A INPUT -s fd00::1"));
    }
}
