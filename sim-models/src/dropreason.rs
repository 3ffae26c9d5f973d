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
    NeighFailed,
    NeighQueueFull,
    NeighDead,
    UnhandledProto,
    DevReady,
    IcmpCsum,
    PktTooBig,
    MacInvalidSource,
    BridgeNoPort,
    BridgeLoop,
    VethPeerDown,
    IpTtlExceeded,
    NetfilterDrop,
    Unconfigured,
    TcpOfoDrop,
    TcpListenOverflow,
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
            NeighFailed => "NEIGH_FAILED",
            NeighQueueFull => "NEIGH_QUEUEFULL",
            NeighDead => "NEIGH_DEAD",
            UnhandledProto => "UNHANDLED_PROTO",
            DevReady => "DEV_READY",
            IcmpCsum => "ICMP_CSUM",
            PktTooBig => "PKT_TOO_BIG",
            MacInvalidSource => "MAC_INVALID_SOURCE",
            BridgeNoPort => "BRIDGE_NO_PORT",
            BridgeLoop => "BRIDGE_LOOP",
            VethPeerDown => "DEV_READY",
            IpTtlExceeded => "IP_INHDR",
            NetfilterDrop => "NETFILTER_DROP",
            Unconfigured => "UNCONFIGURED",
            TcpOfoDrop => "TCP_OFODROP",
            TcpListenOverflow => "TCP_LISTEN_OVERFLOW",
        }
    }
}

impl fmt::Display for SkbDropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
