//! The flower classifier (`net/sched/cls_flower.c`): the frame's dissected keys (`struct
//! fl_flow_key`: MACs, VLAN id, ethertype, IP protocol, addresses, ports) compared with a
//! filter's under its masks. Modelled keys: `dst_mac`, `src_mac`, `vlan_id`, `ip_proto`,
//! `src_ip`/`dst_ip` with a prefix, `src_port`/`dst_port` (TCP, UDP, SCTP).

use std::net::Ipv4Addr;

/// What a filter matches (`None`: any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowerKeys {
    pub dst_mac: Option<[u8; 6]>,
    pub src_mac: Option<[u8; 6]>,
    pub vlan_id: Option<u16>,
    /// `eth_type` (the filter's protocol unless it is `all`, or the VLAN's inner type).
    pub eth_type: Option<u16>,
    pub ip_proto: Option<u8>,
    pub src_ip: Option<(Ipv4Addr, u8)>,
    pub dst_ip: Option<(Ipv4Addr, u8)>,
    pub src_port: Option<u16>,
    pub dst_port: Option<u16>,
}

/// One flower filter (`struct cls_fl_filter`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowerFilter {
    pub handle: u32,
    pub keys: FlowerKeys,
}

/// The frame's keys as `skb_flow_dissect` finds them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dissected {
    pub dst_mac: [u8; 6],
    pub src_mac: [u8; 6],
    pub vlan_id: Option<u16>,
    pub eth_type: u16,
    pub ip_proto: Option<u8>,
    pub src_ip: Option<Ipv4Addr>,
    pub dst_ip: Option<Ipv4Addr>,
    pub ports: Option<(u16, u16)>,
}

/// `skb_flow_dissect` of an Ethernet frame (one VLAN tag at most; IPv4 ports of a first
/// fragment only).
pub fn dissect(frame: &[u8]) -> Option<Dissected> {
    if frame.len() < 14 {
        return None;
    }
    let mut d = Dissected::default();
    d.dst_mac.copy_from_slice(&frame[0..6]);
    d.src_mac.copy_from_slice(&frame[6..12]);
    let mut et = u16::from_be_bytes([frame[12], frame[13]]);
    let mut nh = 14;
    if (et == 0x8100 || et == 0x88a8) && frame.len() >= 18 {
        d.vlan_id = Some(u16::from_be_bytes([frame[14], frame[15]]) & 0x0fff);
        et = u16::from_be_bytes([frame[16], frame[17]]);
        nh = 18;
    }
    d.eth_type = et;
    if et == 0x0800 && frame.len() >= nh + 20 {
        let ip = &frame[nh..];
        let ihl = (ip[0] & 0x0f) as usize * 4;
        let proto = ip[9];
        d.ip_proto = Some(proto);
        d.src_ip = Some(Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]));
        d.dst_ip = Some(Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]));
        let frag_off = u16::from_be_bytes([ip[6], ip[7]]) & 0x1fff;
        if matches!(proto, 6 | 17 | 132) && frag_off == 0 && ip.len() >= ihl + 4 {
            d.ports = Some((
                u16::from_be_bytes([ip[ihl], ip[ihl + 1]]),
                u16::from_be_bytes([ip[ihl + 2], ip[ihl + 3]]),
            ));
        }
    }
    Some(d)
}

fn prefix_match(a: Ipv4Addr, (net, len): (Ipv4Addr, u8)) -> bool {
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len.min(32)))
    };
    (u32::from(a) ^ u32::from(net)) & mask == 0
}

impl FlowerFilter {
    /// `fl_classify`'s lookup: every key the filter has equals the frame's.
    pub fn matches(&self, d: &Dissected) -> bool {
        let k = &self.keys;
        k.dst_mac.is_none_or(|m| m == d.dst_mac)
            && k.src_mac.is_none_or(|m| m == d.src_mac)
            && k.vlan_id.is_none_or(|v| d.vlan_id == Some(v))
            && k.eth_type.is_none_or(|t| t == d.eth_type)
            && k.ip_proto.is_none_or(|p| d.ip_proto == Some(p))
            && k.src_ip
                .is_none_or(|p| d.src_ip.is_some_and(|a| prefix_match(a, p)))
            && k.dst_ip
                .is_none_or(|p| d.dst_ip.is_some_and(|a| prefix_match(a, p)))
            && k.src_port
                .is_none_or(|p| d.ports.is_some_and(|(s, _)| s == p))
            && k.dst_port
                .is_none_or(|p| d.ports.is_some_and(|(_, t)| t == p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dissects_and_matches_addresses_and_ports() {
        let mut f = vec![0u8; 14 + 28];
        f[0..6].copy_from_slice(&[2, 0, 0, 0, 0xb, 1]);
        f[12..14].copy_from_slice(&[8, 0]);
        f[14] = 0x45;
        f[14 + 9] = 17;
        f[14 + 12..14 + 20].copy_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        f[34..38].copy_from_slice(&[0, 9, 0, 7]);
        let d = dissect(&f).unwrap();
        let flt = |keys| FlowerFilter { handle: 1, keys };
        assert!(flt(FlowerKeys {
            eth_type: Some(0x800),
            ip_proto: Some(17),
            src_port: Some(9),
            dst_port: Some(7),
            dst_ip: Some((Ipv4Addr::new(10, 0, 0, 0), 24)),
            dst_mac: Some([2, 0, 0, 0, 0xb, 1]),
            ..Default::default()
        })
        .matches(&d));
        assert!(!flt(FlowerKeys {
            src_ip: Some((Ipv4Addr::new(10, 9, 0, 0), 16)),
            ..Default::default()
        })
        .matches(&d));
        assert!(!flt(FlowerKeys {
            vlan_id: Some(5),
            ..Default::default()
        })
        .matches(&d));
    }
}
