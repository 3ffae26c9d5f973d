//! Names a difference for the class table: the first differing line of the first differing
//! interface (or of stdout), which side has it, with addresses, numbers and names masked, so the
//! same behaviour in different labs lands in the same class.

use nslab_oracle::CompareReport;

/// Masks what varies between labs: IPv4 addresses, numbers, namespace:interface labels.
pub fn shape(line: &str) -> String {
    let mut out = String::new();
    for w in line.split(' ') {
        let core = w.trim_matches(|c: char| matches!(c, ',' | ':' | '(' | ')' | '[' | ']'));
        let masked = if core.split('.').count() >= 4
            && core
                .split('.')
                .take(4)
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            w.replace(core, "A")
        } else if !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
            w.replace(core, "N")
        } else if core.contains(':') && core.starts_with('n') {
            w.replace(core, "IF")
        } else {
            w.to_string()
        };
        out.push_str(&masked);
        out.push(' ');
    }
    out.trim_end().to_string()
}

/// A short name of a normalized packet line: its protocol and what it says.
pub fn packet_kind(line: &str) -> String {
    if let Some(i) = line.find("ARP (0x0806)") {
        let rest = &line[i..];
        return if rest.contains("Request") {
            "ARP request".into()
        } else {
            "ARP reply".into()
        };
    }
    if let Some(i) = line.find(": ICMP ") {
        let rest = &line[i + 7..];
        let what = rest
            .split(", length")
            .next()
            .unwrap_or(rest)
            .split(", id ")
            .next()
            .unwrap_or(rest);
        return format!("ICMP {}", shape(what));
    }
    if line.contains("proto TCP") {
        let flags = line
            .split("Flags [")
            .nth(1)
            .and_then(|r| r.split(']').next())
            .unwrap_or("?");
        return format!("TCP [{flags}]");
    }
    if line.contains("proto UDP") {
        return "UDP".into();
    }
    shape(line.split(": ").nth(1).unwrap_or(line))
}

/// The class of a comparison: `""` when identical.
pub fn classify(rep: &CompareReport, stdout_diff: &[String]) -> String {
    if let Some((_, diff)) = rep.diffs.first() {
        for l in diff.iter().skip(2) {
            if let Some(k) = l.strip_prefix('-') {
                return format!("kernel only: {}", packet_kind(k));
            }
            if let Some(o) = l.strip_prefix('+') {
                return format!("nslab only: {}", packet_kind(o));
            }
        }
    }
    for l in stdout_diff.iter().skip(2) {
        if let Some(k) = l
            .strip_prefix('-')
            .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        {
            return format!("stdout, kernel: {}", shape(k));
        }
        if let Some(o) = l
            .strip_prefix('+')
            .filter(|l| !l.starts_with("++") && !l.trim().is_empty())
        {
            return format!("stdout, nslab: {}", shape(o));
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_mask_addresses_and_numbers() {
        assert_eq!(
            shape("From 10.1.2.1 icmp_seq=1 Destination Host Unreachable"),
            "From A icmp_seq=1 Destination Host Unreachable"
        );
        assert_eq!(
            shape("2 packets transmitted, 0 received"),
            "N packets transmitted, N received"
        );
    }

    #[test]
    fn packet_kinds() {
        let arp = "n1:e0 > Broadcast, ethertype ARP (0x0806), length 42: Ethernet (len 6), IPv4 (len 4), Request who-has 10.1.1.2 tell 10.1.1.1, length 28";
        assert_eq!(packet_kind(arp), "ARP request");
        let icmp = "n1:e0 > n2:e0, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id *, offset 0, flags [DF], proto ICMP (1), length 84) 10.1.1.1 > 10.1.2.2: ICMP echo request, id *, seq 1, length 64";
        assert_eq!(packet_kind(icmp), "ICMP echo request");
    }
}
