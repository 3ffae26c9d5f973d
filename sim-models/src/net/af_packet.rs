//! `AF_PACKET` sockets (`net/packet/af_packet.c`), the part `arping` uses: a `SOCK_DGRAM`
//! socket bound to one device and `ETH_P_ARP` sends whole frames on it (`packet_sendmsg` →
//! `dev_queue_xmit`) and is offered every frame the device receives (`packet_rcv`, from the
//! `ptype_all`/`ptype_base` taps in `__netif_receive_skb`).

use crate::kernel::{DevId, Kernel};
use crate::net::skbuff::SkBuff;

impl Kernel {
    /// `packet_sendmsg`: the frame goes out of `dev` as it is.
    pub fn packet_sendmsg(&mut self, dev: DevId, frame: Vec<u8>) {
        self.dev_queue_xmit(dev, SkBuff::new(frame));
    }

    /// `packet_rcv`: offers a frame received on `d` to the packet sockets of its namespace
    /// (sockets of exited processes are closed and dropped from the list).
    pub(crate) fn packet_rcv(&mut self, d: DevId, frame: &[u8]) {
        let ns = self.dev(d).ns;
        let mut socks = std::mem::take(&mut self.net_mut(ns).packet_socks);
        socks.retain(|&pid| self.proc(pid).is_some_and(|p| p.exit.is_none()));
        let pids = socks.clone();
        self.net_mut(ns).packet_socks = socks;
        for pid in pids {
            self.arping_rcv(pid, d, frame);
        }
    }
}
