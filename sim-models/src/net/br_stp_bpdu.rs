//! STP BPDUs (`net/bridge/br_stp_bpdu.c`): config and TCN BPDUs built as the kernel builds
//! them (an 802.3 frame to the bridge group address 01:80:c2:00:00:00, LLC 42 42 03, times in
//! 1/256 s), and their reception (`br_stp_rcv`).

use crate::kernel::{DevId, Kernel};
use crate::net::skbuff::SkBuff;
use crate::timer::HZ;

/// `STP_HZ`: BPDU times are in 1/256 s.
const STP_HZ: u64 = 256;
/// `BPDU_TYPE_CONFIG`, `BPDU_TYPE_TCN`.
pub const BPDU_TYPE_CONFIG: u8 = 0;
pub const BPDU_TYPE_TCN: u8 = 0x80;
/// `br->group_addr` (the default bridge group address).
pub const BR_GROUP_ADDRESS: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00];
/// `LLC_SAP_BSPAN`.
const LLC_SAP_BSPAN: u8 = 0x42;

/// `struct br_config_bpdu` (times in jiffies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrConfigBpdu {
    pub topology_change: bool,
    pub topology_change_ack: bool,
    pub root: super::br_stp::BridgeId,
    pub root_path_cost: u32,
    pub bridge_id: super::br_stp::BridgeId,
    pub port_id: u16,
    pub message_age: u64,
    pub max_age: u64,
    pub hello_time: u64,
    pub forward_delay: u64,
}

/// `br_set_ticks`.
fn br_set_ticks(j: u64) -> [u8; 2] {
    (((STP_HZ * j) / HZ) as u16).to_be_bytes()
}

/// `br_get_ticks`.
fn br_get_ticks(b: &[u8]) -> u64 {
    let ticks = u64::from(u16::from_be_bytes([b[0], b[1]]));
    (ticks * HZ).div_ceil(STP_HZ)
}

impl Kernel {
    /// `br_send_bpdu`: LLC UI command from SAP 0x42 to 0x42, an 802.3 length field, from the
    /// port's address to the group address, straight out of the port (`dev_queue_xmit`).
    fn br_send_bpdu(&mut self, port: DevId, data: &[u8]) {
        let mut f = Vec::with_capacity(17 + data.len());
        f.extend_from_slice(&BR_GROUP_ADDRESS);
        f.extend_from_slice(&self.dev(port).mac);
        f.extend_from_slice(&((3 + data.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[LLC_SAP_BSPAN, LLC_SAP_BSPAN, 0x03]);
        f.extend_from_slice(data);
        if self.tracer.enabled {
            let (ns, pn) = (self.dev(port).ns, self.trace_name(port));
            let kind = if data.get(3) == Some(&BPDU_TYPE_TCN) {
                "TCN"
            } else {
                "config"
            };
            self.trace(ns, || format!("{pn}: STP {kind} BPDU sent"));
        }
        self.dev_queue_xmit(port, SkBuff::new(f));
    }

    /// `br_send_config_bpdu`.
    pub(crate) fn br_send_config_bpdu(&mut self, br: DevId, port: DevId, b: &BrConfigBpdu) {
        if !self.stp(br).enabled {
            return;
        }
        let mut buf = Vec::with_capacity(35);
        buf.extend_from_slice(&[0, 0, 0, BPDU_TYPE_CONFIG]);
        buf.push(u8::from(b.topology_change) | if b.topology_change_ack { 0x80 } else { 0 });
        buf.extend_from_slice(&b.root);
        buf.extend_from_slice(&b.root_path_cost.to_be_bytes());
        buf.extend_from_slice(&b.bridge_id);
        buf.extend_from_slice(&b.port_id.to_be_bytes());
        for t in [b.message_age, b.max_age, b.hello_time, b.forward_delay] {
            buf.extend_from_slice(&br_set_ticks(t));
        }
        self.br_send_bpdu(port, &buf);
    }

    /// `br_send_tcn_bpdu`.
    pub(crate) fn br_send_tcn_bpdu(&mut self, br: DevId, port: DevId) {
        if !self.stp(br).enabled {
            return;
        }
        self.br_send_bpdu(port, &[0, 0, 0, BPDU_TYPE_TCN]);
    }

    /// `br_stp_rcv`: a frame to the group address on a port of a bridge running STP (passed
    /// up by `br_handle_frame`, taken by LLC SAP 0x42). `frame` is the whole Ethernet frame.
    pub(crate) fn br_stp_rcv(&mut self, br: DevId, port: DevId, frame: &[u8]) {
        // llc_rcv: an 802.3 length field, DSAP/SSAP 0x42, UI.
        if frame.len() < 17 + 4
            || u16::from_be_bytes([frame[12], frame[13]]) > 1500
            || frame[14] != LLC_SAP_BSPAN
            || frame[16] != 0x03
        {
            return;
        }
        let buf = &frame[17..];
        if buf[0] != 0 || buf[1] != 0 || buf[2] != 0 {
            return;
        }
        if !self.stp(br).enabled || !self.dev(br).up {
            return;
        }
        if self
            .stp_port(br, port)
            .is_none_or(|p| p.state == super::br_stp::BR_STATE_DISABLED)
        {
            return;
        }
        if frame[..6] != BR_GROUP_ADDRESS {
            return;
        }
        let buf = &buf[3..];
        if buf[0] == BPDU_TYPE_CONFIG {
            if buf.len() < 32 {
                return;
            }
            let id = |o: usize| -> [u8; 8] { buf[o..o + 8].try_into().unwrap_or_default() };
            let bpdu = BrConfigBpdu {
                topology_change: buf[1] & 0x01 != 0,
                topology_change_ack: buf[1] & 0x80 != 0,
                root: id(2),
                root_path_cost: u32::from_be_bytes([buf[10], buf[11], buf[12], buf[13]]),
                bridge_id: id(14),
                port_id: u16::from_be_bytes([buf[22], buf[23]]),
                message_age: br_get_ticks(&buf[24..]),
                max_age: br_get_ticks(&buf[26..]),
                hello_time: br_get_ticks(&buf[28..]),
                forward_delay: br_get_ticks(&buf[30..]),
            };
            if bpdu.message_age > bpdu.max_age {
                return;
            }
            self.br_received_config_bpdu(br, port, &bpdu);
        } else if buf[0] == BPDU_TYPE_TCN {
            self.br_received_tcn_bpdu(br, port);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_round_trip_as_the_kernel_scales_them() {
        // 20 s = 5000 jiffies = 5120/256 s on the wire; read back rounded up.
        assert_eq!(br_set_ticks(5000), 5120u16.to_be_bytes());
        assert_eq!(br_get_ticks(&5120u16.to_be_bytes()), 5000);
        // One jiffy of message age (MESSAGE_AGE_INCR) is one STP tick.
        assert_eq!(br_set_ticks(1), 1u16.to_be_bytes());
        assert_eq!(br_get_ticks(&1u16.to_be_bytes()), 1);
    }
}
