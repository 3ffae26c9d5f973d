//! Why a frame did not reach its destination, named as the kernel's `enum skb_drop_reason`
//! (include/net/dropreason-core.h); `Display` prints the kernel's name, e.g. `NEIGH_FAILED`.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkbDropReason {
    NotSpecified,
    NoSocket,
    PktTooSmall,
    OtherHost,
    IpCsum,
    IpInhdr,
    IpRpfilter,
    IpInAddrErrors,
    IpInNoRoutes,
    IpOutNoRoutes,
    IpLocalSource,
    IpInvalidSource,
    /// A martian destination (`ip_route_input_slow`: 127/8 without route_localnet).
    IpInvalidDest,
    NeighFailed,
    NeighQueueFull,
    /// No neighbour entry could be created: the table is full (`neigh_alloc` at gc_thresh3).
    NeighCreateFail,
    NeighDead,
    UnhandledProto,
    /// No handler for the IP protocol (`ip_protocol_deliver_rcu`).
    IpNoproto,
    DevReady,
    IcmpCsum,
    PktTooBig,
    MacInvalidSource,
    BridgeNoPort,
    BridgeLoop,
    BridgeIngressStpState,
    VethPeerDown,
    IpTtlExceeded,
    NetfilterDrop,
    Unconfigured,
    UdpCsum,
    VxlanInvalidHdr,
    VxlanVniNotFound,
    VxlanEntryExists,
    VxlanNoRemote,
    LocalMac,
    FragReasmTimeout,
    DupFrag,
    TcpOfoDrop,
    TcpListenOverflow,
    /// A TCP segment whose checksum is wrong (`tcp_v4_rcv`'s `tcp_checksum_complete`).
    TcpCsum,
    /// Data the receiver already has (`tcp_data_queue`: end_seq not after rcv_nxt).
    TcpOldData,
}

impl SkbDropReason {
    pub fn name(self) -> &'static str {
        use SkbDropReason::*;
        match self {
            NotSpecified => "NOT_SPECIFIED",
            NoSocket => "NO_SOCKET",
            PktTooSmall => "PKT_TOO_SMALL",
            OtherHost => "OTHERHOST",
            IpCsum => "IP_CSUM",
            IpInhdr => "IP_INHDR",
            IpRpfilter => "IP_RPFILTER",
            IpInAddrErrors => "IP_INADDRERRORS",
            IpInNoRoutes => "IP_INNOROUTES",
            IpOutNoRoutes => "IP_OUTNOROUTES",
            IpLocalSource => "IP_LOCAL_SOURCE",
            IpInvalidSource => "IP_INVALID_SOURCE",
            IpInvalidDest => "IP_INVALID_DEST",
            NeighFailed => "NEIGH_FAILED",
            NeighQueueFull => "NEIGH_QUEUEFULL",
            NeighCreateFail => "NEIGH_CREATEFAIL",
            NeighDead => "NEIGH_DEAD",
            UnhandledProto => "UNHANDLED_PROTO",
            IpNoproto => "IP_NOPROTO",
            DevReady => "DEV_READY",
            IcmpCsum => "ICMP_CSUM",
            PktTooBig => "PKT_TOO_BIG",
            MacInvalidSource => "MAC_INVALID_SOURCE",
            BridgeNoPort => "BRIDGE_NO_PORT",
            BridgeLoop => "BRIDGE_LOOP",
            BridgeIngressStpState => "BRIDGE_INGRESS_STP_STATE",
            VethPeerDown => "DEV_READY",
            IpTtlExceeded => "IP_INHDR",
            NetfilterDrop => "NETFILTER_DROP",
            Unconfigured => "UNCONFIGURED",
            UdpCsum => "UDP_CSUM",
            VxlanInvalidHdr => "VXLAN_INVALID_HDR",
            VxlanVniNotFound => "VXLAN_VNI_NOT_FOUND",
            VxlanEntryExists => "VXLAN_ENTRY_EXISTS",
            VxlanNoRemote => "VXLAN_NO_REMOTE",
            LocalMac => "LOCAL_MAC",
            FragReasmTimeout => "FRAG_REASM_TIMEOUT",
            DupFrag => "DUP_FRAG",
            TcpOfoDrop => "TCP_OFODROP",
            TcpListenOverflow => "TCP_LISTEN_OVERFLOW",
            TcpCsum => "TCP_CSUM",
            TcpOldData => "TCP_OLD_DATA",
        }
    }
}

impl fmt::Display for SkbDropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
