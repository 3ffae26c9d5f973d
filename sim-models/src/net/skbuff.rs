//! `struct sk_buff` (`include/linux/skbuff.h`, `net/core/skbuff.c`): a packet's bytes plus the
//! per-packet state that travels with it down the call chain — its conntrack entry and
//! `ctinfo` (`_nfct`), `mark`, `pkt_type`, `dst_pending_confirm` and br_netfilter's
//! `nf_bridge` — instead of globals found again by the packet's id or bytes.
//!
//! The bytes are one buffer with a movable start (`skb->data`): `skb_pull` after
//! `eth_type_trans` only moves the offset, and the link-layer header pulled there stays in
//! the headroom so `skb_push` of a new one (forwarding) writes in place. A bridge flood's
//! copies share one buffer (`clone_shared`, the model's `skb_clone`: the bytes are reference
//! counted and a copy that writes to them gets its own first, as `skb_cow` does); a plain
//! `clone` copies the bytes. An skb that was never shared owns its `Vec` (no reference count
//! on the unicast path).
//!
//! Across a device hop (`Event::NetifRx`) the skb is scrubbed as `skb_scrub_packet` does for
//! `veth_xmit` → `__dev_forward_skb`: conntrack, `nf_bridge`, `pkt_type` are reset, `mark`
//! only when the hop changes namespace; `dst_pending_confirm` survives (so a router forwarding
//! a TCP segment confirms its own neighbour, as the kernel's `sock_confirm_neigh` does).

use crate::kernel::DevId;
use crate::net::netfilter::nf_conntrack::CtInfo;
use crate::net::netfilter::CtRef;
use crate::wire::Mac;

/// `PACKET_HOST` and friends (`include/uapi/linux/if_packet.h`): what `eth_type_trans` found.
pub const PACKET_HOST: u8 = 0;
pub const PACKET_BROADCAST: u8 = 1;
pub const PACKET_MULTICAST: u8 = 2;
pub const PACKET_OTHERHOST: u8 = 3;

/// br_netfilter's per-packet state (`struct nf_bridge_info`, an skb extension).
#[derive(Clone, Debug)]
pub struct NfBridgeInfo {
    /// The bridge port the frame came in by (`physindev`).
    pub physindev: DevId,
    /// PREROUTING ran on the bridge: `ip_rcv` must not run it again (`ip_sabotage_in`).
    pub in_prerouting_done: bool,
    /// DNAT re-addressed the frame through the bridge's neighbour output; `br_dev_xmit` hands
    /// it back to bridging (`br_nf_pre_routing_finish_bridge_slow`) with its source MAC.
    pub bridged_dnat: bool,
    /// The original source MAC (`neigh_header`).
    pub src: Mac,
}

/// An skb's bytes (head..tail): owned, or shared among a flood's copies until one writes.
#[derive(Debug)]
enum Buf {
    Own(Vec<u8>),
    Shared(std::sync::Arc<Vec<u8>>),
}

impl Default for Buf {
    fn default() -> Self {
        Buf::Own(Vec::new())
    }
}

impl Clone for Buf {
    /// A copy of the bytes (`skb_copy`); sharing is `SkBuff::clone_shared`'s.
    fn clone(&self) -> Self {
        Buf::Own(self.bytes().to_vec())
    }
}

impl Buf {
    #[inline]
    fn bytes(&self) -> &Vec<u8> {
        match self {
            Buf::Own(v) => v,
            Buf::Shared(a) => a,
        }
    }

    /// The bytes to write to: a shared buffer is copied first unless this is its last holder
    /// (copy on write). (Always inline: an owned buffer, the unicast case, is one test; the
    /// copy is out of line. As a call it cost ~20 instructions a write, callgrind.)
    #[inline(always)]
    fn bytes_mut(&mut self) -> &mut Vec<u8> {
        if let Buf::Shared(_) = self {
            return self.unshare();
        }
        match self {
            Buf::Own(v) => v,
            Buf::Shared(_) => unreachable!("made owned above"),
        }
    }

    /// [`Buf::bytes_mut`] of a shared buffer: this holder's own copy (the buffer itself when
    /// no other copy holds it any more).
    #[cold]
    #[inline(never)]
    fn unshare(&mut self) -> &mut Vec<u8> {
        if let Buf::Shared(a) = self {
            let v = match std::sync::Arc::try_unwrap(std::mem::take(a)) {
                Ok(v) => v,
                Err(a) => a.as_ref().clone(),
            };
            *self = Buf::Own(v);
        }
        match self {
            Buf::Own(v) => v,
            Buf::Shared(_) => unreachable!("made owned above"),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct SkBuff {
    /// head..tail; the packet starts at `data`.
    buf: Buf,
    /// `skb->data`'s offset from the head: the headroom. (A `u16`, which the IPv4 model's
    /// packets never outgrow: the skb is 48 bytes, not 56, and so is each move of it down the
    /// call chain, and an `Event::NetifRx` 56. A larger offset, which no path makes, drops
    /// the headroom's excess instead: [`SkBuff::set_headroom`].)
    data: u16,
    /// `pkt_type` (`PACKET_HOST` ...), set by `eth_type_trans`.
    pub pkt_type: u8,
    /// `skb->mark` (the MARK target, `-m mark`).
    pub mark: u32,
    /// `skb->priority`: the socket's `sk_priority` (`SO_PRIORITY`, or `IP_TOS` through
    /// `rt_tos2priority`) on output, `rt_tos2priority` of the TOS in `ip_forward`, a VLAN
    /// device's ingress map in `vlan_do_receive`; a VLAN device's egress map turns it into the
    /// tag's PCP bits. The bridge keeps it.
    pub priority: u32,
    /// The priority (PCP) bits of the VLAN tag a VLAN-filtering bridge took out of the frame
    /// (`skb->vlan_tci & VLAN_PRIO_MASK` while the kernel carries the tag as metadata), written
    /// back with the tag at egress (`br_handle_vlan`).
    pub vlan_pcp_tci: u16,
    /// `skb->dst_pending_confirm`: a TCP socket saw forward progress; `ip_finish_output2`
    /// confirms the neighbour (`sock_confirm_neigh`).
    pub dst_pending_confirm: bool,
    /// `IPCB(skb)->frag_max_size`: set on a packet conntrack reassembled (the largest
    /// fragment), so output fragments it to that size again; `ip_rcv` clears it (the next
    /// hop's `ip_rcv_core` clears the control block).
    pub frag_max_size: u16,
    /// `skb->_nfct` and `nf_bridge`, allocated only once netfilter tracks the packet or
    /// br_netfilter's hooks run on it (in the kernel too the connection and the skb extension
    /// are objects of their own): the skb of a namespace without tables stays small, and so
    /// do the events that carry it.
    nf: Option<Box<SkbNf>>,
}

/// The netfilter part of an skb.
#[derive(Clone, Debug, Default)]
pub struct SkbNf {
    /// `skb->_nfct`: the conntrack entry and how this packet relates to it.
    pub nfct: Option<(CtRef, CtInfo)>,
    /// `nf_bridge`.
    pub nf_bridge: Option<NfBridgeInfo>,
}

impl SkBuff {
    /// `skb_nfct` + `ctinfo`.
    #[inline]
    pub fn nfct(&self) -> Option<&(CtRef, CtInfo)> {
        self.nf.as_ref().and_then(|n| n.nfct.as_ref())
    }

    /// The conntrack slot, allocating the netfilter part on first use.
    pub fn nfct_mut(&mut self) -> &mut Option<(CtRef, CtInfo)> {
        &mut self.nf.get_or_insert_with(Default::default).nfct
    }

    /// `nf_bridge_info_get`.
    #[inline]
    pub fn nf_bridge(&self) -> Option<&NfBridgeInfo> {
        self.nf.as_ref().and_then(|n| n.nf_bridge.as_ref())
    }

    pub fn nf_bridge_mut(&mut self) -> Option<&mut NfBridgeInfo> {
        self.nf.as_mut().and_then(|n| n.nf_bridge.as_mut())
    }

    /// `nf_bridge_alloc`.
    pub fn set_nf_bridge(&mut self, nb: NfBridgeInfo) {
        self.nf.get_or_insert_with(Default::default).nf_bridge = Some(nb);
    }

    /// An skb holding `data` (no headroom), with fresh metadata (`alloc_skb`).
    pub fn new(data: Vec<u8>) -> SkBuff {
        SkBuff {
            buf: Buf::Own(data),
            ..Default::default()
        }
    }

    /// The bytes from `skb->data` to the tail.
    #[inline]
    pub fn data(&self) -> &[u8] {
        &self.buf.bytes()[usize::from(self.data)..]
    }

    #[inline]
    pub fn data_mut(&mut self) -> &mut [u8] {
        let d = usize::from(self.data);
        &mut self.buf.bytes_mut()[d..]
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.buf.bytes().len() - usize::from(self.data)
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `skb_headroom`.
    #[inline]
    pub fn headroom(&self) -> usize {
        usize::from(self.data)
    }

    /// Sets the headroom to `d` bytes (`d` at most the buffer's length). Past the field's
    /// range, the headroom's first bytes are dropped and 65 535 kept (more than any header
    /// pushed back in place needs).
    #[inline]
    fn set_headroom(&mut self, d: usize) {
        match u16::try_from(d) {
            Ok(d) => self.data = d,
            Err(_) => self.drop_headroom_excess(d),
        }
    }

    #[cold]
    #[inline(never)]
    fn drop_headroom_excess(&mut self, d: usize) {
        let excess = d - usize::from(u16::MAX);
        self.buf.bytes_mut().drain(..excess);
        self.data = u16::MAX;
    }

    /// `skb_pull`: drops `n` bytes from the front (no copy); false (unchanged) if too short.
    #[inline]
    pub fn pull(&mut self, n: usize) -> bool {
        if n > self.len() {
            return false;
        }
        self.set_headroom(self.headroom() + n);
        true
    }

    /// `skb_push`: `n` bytes more in front, returned for the caller to fill. The headroom is
    /// used when there is enough (the bytes there are whatever was pulled before); otherwise
    /// the buffer is reallocated with the new bytes zeroed (`skb_cow_head`).
    /// (Inline: the headroom's case is a subtraction and the slice; each echo pushes an IP
    /// and an Ethernet header, and the call cost ~30 instructions a push, callgrind.)
    #[inline]
    pub fn push(&mut self, n: usize) -> &mut [u8] {
        let d = match self.headroom().checked_sub(n) {
            Some(d) => {
                self.data = d as u16;
                d
            }
            None => {
                self.push_realloc(n);
                0
            }
        };
        &mut self.buf.bytes_mut()[d..d + n]
    }

    /// [`SkBuff::push`] beyond the headroom (`skb_cow_head`): a new buffer with `n` zero
    /// bytes in front of the data.
    #[cold]
    #[inline(never)]
    fn push_realloc(&mut self, n: usize) {
        let old = self.buf.bytes();
        let d = usize::from(self.data);
        let mut b = Vec::with_capacity(n + old.len() - d);
        b.resize(n, 0);
        b.extend_from_slice(&old[d..]);
        self.buf = Buf::Own(b);
        self.data = 0;
    }

    /// `pskb_trim`: keeps the first `len` bytes from `data`. (Inline: `ip_rcv` trims every
    /// packet to its total length, which is nearly always its length already.)
    #[inline]
    pub fn trim(&mut self, len: usize) {
        if len < self.len() {
            self.trim_tail(len);
        }
    }

    #[inline(never)]
    fn trim_tail(&mut self, len: usize) {
        let d = usize::from(self.data);
        self.buf.bytes_mut().truncate(d + len);
    }

    /// Replaces the bytes (a packet rebuilt by a layer), keeping the metadata.
    pub fn set_data(&mut self, data: Vec<u8>) {
        self.buf = Buf::Own(data);
        self.data = 0;
    }

    /// Replaces the bytes with `buf`, whose first `headroom` bytes are headroom.
    pub fn set_data_headroom(&mut self, buf: Vec<u8>, headroom: usize) {
        let d = headroom.min(buf.len());
        self.buf = Buf::Own(buf);
        self.set_headroom(d);
    }

    /// The bytes from `data`, as an owned buffer (copies when there is headroom or the bytes
    /// are shared with other copies).
    pub fn into_data(mut self) -> Vec<u8> {
        let d = usize::from(self.data);
        let v = self.buf.bytes_mut();
        if d > 0 {
            v.drain(..d);
        }
        std::mem::take(v)
    }

    /// The whole buffer, headroom included, of an skb whose bytes no other copy shares (the
    /// skb back when they are shared): `consume_skb` gives it to `skb_small_head_cache`,
    /// `icmp_echo` makes the reply of it.
    #[inline]
    pub fn into_head(self) -> Result<Vec<u8>, SkBuff> {
        match self.buf {
            Buf::Own(v) => Ok(v),
            buf => Err(SkBuff { buf, ..self }),
        }
    }

    /// `skb_clone` for a flood: a copy of the skb whose bytes are shared with this one (and
    /// with the other copies made so), each copied only when a copy writes to it. Makes this
    /// skb's own buffer shared on first use.
    #[inline]
    pub fn clone_shared(&mut self) -> SkBuff {
        let buf = match &self.buf {
            Buf::Shared(a) => Buf::Shared(a.clone()),
            Buf::Own(_) => Buf::Shared(self.share()),
        };
        SkBuff {
            buf,
            data: self.data,
            pkt_type: self.pkt_type,
            mark: self.mark,
            priority: self.priority,
            vlan_pcp_tci: self.vlan_pcp_tci,
            dst_pending_confirm: self.dst_pending_confirm,
            frag_max_size: self.frag_max_size,
            nf: self.nf.clone(),
        }
    }

    /// [`SkBuff::clone_shared`]'s first use: this skb's own buffer becomes shared; a new
    /// reference to it. (Out of line: a flood's other copies find it shared.)
    #[cold]
    #[inline(never)]
    fn share(&mut self) -> std::sync::Arc<Vec<u8>> {
        let a = match &mut self.buf {
            Buf::Own(v) => std::sync::Arc::new(std::mem::take(v)),
            Buf::Shared(a) => a.clone(),
        };
        self.buf = Buf::Shared(a.clone());
        a
    }

    /// Whether `other` is a copy of this skb made by `clone_shared` that neither has written
    /// to since, with the same metadata: the two are the same frame (a flood's receives can
    /// then be one queued event, `Kernel::netif_rx_schedule`). Never true for an skb that
    /// netfilter tracks.
    #[inline]
    pub fn same_shared(&self, other: &SkBuff) -> bool {
        match (&self.buf, &other.buf) {
            (Buf::Shared(a), Buf::Shared(b)) => {
                std::sync::Arc::ptr_eq(a, b)
                    && self.data == other.data
                    && self.pkt_type == other.pkt_type
                    && self.mark == other.mark
                    && self.priority == other.priority
                    && self.vlan_pcp_tci == other.vlan_pcp_tci
                    && self.dst_pending_confirm == other.dst_pending_confirm
                    && self.frag_max_size == other.frag_max_size
                    && self.nf.is_none()
                    && other.nf.is_none()
            }
            _ => false,
        }
    }

    /// The buffer this skb shares with a flood's other copies (`clone_shared`), if it does
    /// (its bytes from [`SkBuff::headroom`] on are [`SkBuff::data`]): no copy writes to a
    /// shared buffer (the copy on write), so the capture's taps know a flood's copies as the
    /// same frame by it, without comparing their bytes.
    #[inline]
    pub fn shared_buf(&self) -> Option<&std::sync::Arc<Vec<u8>>> {
        match &self.buf {
            Buf::Shared(a) => Some(a),
            Buf::Own(_) => None,
        }
    }

    /// Whether the bytes are shared with other copies (`clone_shared`): only such an skb can
    /// be [`SkBuff::same_shared`] as another.
    #[inline]
    pub fn is_shared(&self) -> bool {
        matches!(self.buf, Buf::Shared(_))
    }

    /// `ip_copy_metadata`: a fragment of this packet, in a new skb with this one's state.
    pub fn copy_metadata(&self, data: Vec<u8>) -> SkBuff {
        SkBuff {
            buf: Buf::Own(data),
            data: 0,
            pkt_type: self.pkt_type,
            mark: self.mark,
            priority: self.priority,
            vlan_pcp_tci: self.vlan_pcp_tci,
            dst_pending_confirm: self.dst_pending_confirm,
            frag_max_size: 0,
            nf: self.nfct().map(|c| {
                Box::new(SkbNf {
                    nfct: Some(c.clone()),
                    nf_bridge: None,
                })
            }),
        }
    }

    /// `skb_scrub_packet`: what a device hop (`__dev_forward_skb`) or a tunnel (`iptunnel_xmit`,
    /// `ip_tunnel_rcv`) resets; `xnet` is a change of namespace. `dst_pending_confirm` is
    /// not touched.
    #[inline(always)]
    pub fn scrub(&mut self, xnet: bool) {
        self.pkt_type = PACKET_HOST;
        if self.nf.is_some() {
            self.nf = None;
        }
        if xnet {
            self.mark = 0;
        }
    }

    /// `nf_ct_attach`: an ICMP error about `self` belongs to its connection, RELATED in the
    /// other direction (`nf_conntrack_attach`).
    pub fn nf_ct_attach(&mut self, skb_in: &SkBuff) {
        if let Some((ct, info)) = skb_in.nfct() {
            let info = match info.dir() {
                crate::net::netfilter::nf_conntrack::Dir::Orig => CtInfo::RelatedReply,
                crate::net::netfilter::nf_conntrack::Dir::Reply => CtInfo::Related,
            };
            *self.nfct_mut() = Some((ct.clone(), info));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_then_push_reuses_the_headroom() {
        let mut s = SkBuff::new(vec![1, 2, 3, 4, 5, 6]);
        assert!(s.pull(2));
        assert_eq!(s.data(), &[3, 4, 5, 6]);
        let h = s.push(2);
        h.copy_from_slice(&[9, 9]);
        assert_eq!(s.data(), &[9, 9, 3, 4, 5, 6]);
        // Beyond the headroom: reallocated, the new bytes zeroed.
        s.push(1);
        assert_eq!(s.data(), &[0, 9, 9, 3, 4, 5, 6]);
        s.trim(3);
        assert_eq!(s.data(), &[0, 9, 9]);
        assert!(!s.pull(4));
        assert_eq!(s.into_data(), vec![0, 9, 9]);
    }

    #[test]
    fn shared_copies_are_copied_on_write() {
        let mut s = SkBuff::new(vec![1, 2, 3, 4]);
        let mut a = s.clone_shared();
        let b = s.clone_shared();
        assert!(a.same_shared(&b) && s.same_shared(&a));
        // A write gives the writer its own bytes; the others keep theirs.
        a.data_mut()[0] = 9;
        assert_eq!(a.data(), &[9, 2, 3, 4]);
        assert_eq!(b.data(), &[1, 2, 3, 4]);
        assert!(!a.same_shared(&b) && s.same_shared(&b));
        // Pulling moves only the offset: the bytes stay shared, but the copies now differ.
        let mut c = s.clone_shared();
        assert!(c.pull(2));
        assert!(!c.same_shared(&b));
        c.push(1)[0] = 7;
        assert_eq!(c.data(), &[7, 3, 4]);
        assert_eq!(s.data(), &[1, 2, 3, 4]);
        // Different metadata: not the same frame.
        let mut d = s.clone_shared();
        d.mark = 1;
        assert!(!d.same_shared(&s));
        // A plain clone copies; an owned buffer is never "the same".
        let e = s.clone();
        assert!(!e.same_shared(&s));
        s.trim(2);
        assert_eq!(s.data(), &[1, 2]);
        assert_eq!(b.into_data(), vec![1, 2, 3, 4]);
    }

    #[test]
    fn headroom_past_u16_keeps_the_data() {
        // 48 bytes: each move of an skb (and of the receive event carrying it) is that much.
        assert_eq!(std::mem::size_of::<SkBuff>(), 48);
        let n = 70_000;
        let mut s = SkBuff::new((0..n + 4).map(|i| i as u8).collect());
        assert!(s.pull(n));
        assert_eq!(s.headroom(), usize::from(u16::MAX));
        assert_eq!(
            s.data(),
            &[n as u8, (n + 1) as u8, (n + 2) as u8, (n + 3) as u8]
        );
        // A header pulled just before is still in the headroom, pushed back in place.
        assert_eq!(s.push(2), &[(n - 2) as u8, (n - 1) as u8]);
        let mut t = SkBuff::default();
        t.set_data_headroom(vec![5; n + 1], n);
        assert_eq!(
            (t.headroom(), t.data()),
            (usize::from(u16::MAX), &[5u8][..])
        );
    }
}
