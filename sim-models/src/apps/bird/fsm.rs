//! One BGP protocol instance's session state machine, after BIRD 2.0.12's `proto/bgp/bgp.c` and
//! `packets.c`: an outgoing and an incoming connection (Idle, Connect, Active, OpenSent,
//! OpenConfirm, Established, Close), collision resolution by router id, BIRD's timers (connect
//! delay 5 s, connect retry 120 s, hold 240 s, keepalive hold/3, each started with RFC 4271's
//! jitter: `value - random % (value/4 + 1)` in microseconds), and the error start-up delay
//! (60 s, doubled up to 300 s).
//!
//! The machine is pure: it consumes [`Input`]s and returns [`Act`]ions (connect, send bytes,
//! close, routes learned, session up/down); the bird process executes them over TCP sockets.

use super::bgp::{self, Msg, Update};
use super::config::BgpCfg;
use sim_core::{Duration, Instant};
use std::net::Ipv4Addr;

pub type ConnId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnState {
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
    Close,
}

impl ConnState {
    pub fn name(self) -> &'static str {
        match self {
            ConnState::Idle => "Idle",
            ConnState::Connect => "Connect",
            ConnState::Active => "Active",
            ConnState::OpenSent => "OpenSent",
            ConnState::OpenConfirm => "OpenConfirm",
            ConnState::Established => "Established",
            ConnState::Close => "Close",
        }
    }
    fn fsm_subcode(self) -> u8 {
        match self {
            ConnState::OpenSent => 1,
            ConnState::OpenConfirm => 2,
            ConnState::Established => 3,
            _ => 0,
        }
    }
}

/// The protocol's state as `show protocols` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtoState {
    Down,
    Start,
    Up,
}

#[derive(Clone, Debug)]
pub struct Conn {
    pub state: ConnState,
    pub sock: Option<ConnId>,
    pub buf: Vec<u8>,
    pub hold_time: u32,
    pub keepalive_time: u32,
    pub as4: bool,
    pub connect_timer: Option<Instant>,
    pub hold_timer: Option<Instant>,
    pub keepalive_timer: Option<Instant>,
}

impl Conn {
    fn new() -> Conn {
        Conn {
            state: ConnState::Idle,
            sock: None,
            buf: Vec::new(),
            hold_time: 0,
            keepalive_time: 0,
            as4: false,
            connect_timer: None,
            hold_timer: None,
            keepalive_timer: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Out,
    In,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The connection attempt completed.
    Connected(ConnId),
    /// An incoming connection from the neighbour.
    Accepted(ConnId),
    Data(ConnId, Vec<u8>),
    /// Peer closed, reset, or the connect failed.
    Closed(ConnId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    /// Open a TCP connection to the neighbour (port 179, from the local address).
    Connect,
    Send(ConnId, Vec<u8>),
    Close(ConnId),
    /// The session reached Established: feed it the exported routes.
    Up,
    /// The session left Established: forget the routes learned from it.
    Down,
    /// An UPDATE from the peer.
    Learned(Update),
}

#[derive(Clone, Debug)]
pub struct Session {
    pub cfg: BgpCfg,
    pub local_id: Ipv4Addr,
    pub out: Conn,
    pub inc: Conn,
    pub proto_state: ProtoState,
    /// Start-up delayed after errors (BSS_DELAY), until this time.
    pub startup_timer: Option<Instant>,
    pub startup_delay: u32,
    pub last_error_at: Option<Instant>,
    pub remote_id: Option<Ipv4Addr>,
    /// The capabilities of the peer's last OPEN.
    pub remote_caps: Vec<bgp::Cap>,
    /// Which connection is established.
    pub up: Option<Side>,
    pub since: Instant,
    /// `show protocols` Info's error part: `Received: ...`, `Error: ...`, `Socket: ...`.
    pub last_error: Option<String>,
}

/// BIRD's `bgp_start_timer`: `value` seconds less a random jitter of up to a quarter.
pub fn jitter(value: u32, rnd: &mut dyn FnMut() -> u32) -> Duration {
    let us = u64::from(value) * 1_000_000;
    let r = u64::from(rnd()) % (us / 4 + 1);
    Duration::from_micros(us - r)
}

/// `initial_hold_time`'s default (proto/bgp/config.Y).
const INITIAL_HOLD_TIME: u32 = 240;

impl Session {
    pub fn new(cfg: BgpCfg, local_id: Ipv4Addr, now: Instant) -> Session {
        Session {
            cfg,
            local_id,
            out: Conn::new(),
            inc: Conn::new(),
            proto_state: ProtoState::Down,
            startup_timer: None,
            startup_delay: 0,
            last_error_at: None,
            remote_id: None,
            remote_caps: Vec::new(),
            up: None,
            since: now,
            last_error: None,
        }
    }

    fn conn(&mut self, s: Side) -> &mut Conn {
        match s {
            Side::Out => &mut self.out,
            Side::In => &mut self.inc,
        }
    }

    pub fn side_of(&self, id: ConnId) -> Option<Side> {
        if self.out.sock == Some(id) {
            Some(Side::Out)
        } else if self.inc.sock == Some(id) {
            Some(Side::In)
        } else {
            None
        }
    }

    /// `show protocols` state and info (`Established`, `Active`, `Connect`, `Idle`, ...).
    pub fn info_state(&self) -> &'static str {
        if self.proto_state == ProtoState::Down {
            return "Down";
        }
        if let Some(s) = self.up {
            return match s {
                Side::Out => self.out.state.name(),
                Side::In => self.inc.state.name(),
            };
        }
        // bgp_state_dsc: the more advanced of the two connections
        let rank = |s: ConnState| match s {
            ConnState::Idle => 0,
            ConnState::Active => 1,
            ConnState::Connect => 2,
            ConnState::OpenSent => 3,
            ConnState::OpenConfirm => 4,
            ConnState::Established => 5,
            ConnState::Close => 0,
        };
        let s = if rank(self.inc.state) > rank(self.out.state) {
            self.inc.state
        } else {
            self.out.state
        };
        if self.startup_timer.is_some() || s == ConnState::Idle {
            "Idle"
        } else {
            s.name()
        }
    }

    /// The protocol starts (or restarts): after a start-up delay if errors asked for one, then
    /// the outgoing connection waits the connect delay (`bgp_active`).
    pub fn start(&mut self, now: Instant, rnd: &mut dyn FnMut() -> u32) {
        self.proto_state = ProtoState::Start;
        self.since = now;
        if self.startup_delay > 0 {
            self.startup_timer = Some(now + Duration::from_secs(u64::from(self.startup_delay)));
            return;
        }
        self.startup_timer = None;
        self.active(now, rnd);
    }

    fn active(&mut self, now: Instant, rnd: &mut dyn FnMut() -> u32) {
        if self.cfg.passive {
            return;
        }
        let delay = self.cfg.connect_delay_time.max(1);
        self.out = Conn::new();
        self.out.state = ConnState::Active;
        self.out.connect_timer = Some(now + jitter(delay, rnd));
    }

    /// The earliest armed timer.
    pub fn next_timer(&self) -> Option<Instant> {
        [
            self.startup_timer,
            self.out.connect_timer,
            self.out.hold_timer,
            self.out.keepalive_timer,
            self.inc.hold_timer,
            self.inc.keepalive_timer,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Fires every timer that is due.
    pub fn timers(&mut self, now: Instant, rnd: &mut dyn FnMut() -> u32) -> Vec<Act> {
        let mut acts = Vec::new();
        if self.startup_timer.is_some_and(|t| t <= now) {
            self.startup_timer = None;
            self.active(now, rnd);
        }
        if self.out.connect_timer.is_some_and(|t| t <= now) {
            self.out.connect_timer = None;
            // bgp_connect_timeout: (re)try the outgoing connection
            if matches!(self.out.state, ConnState::Active | ConnState::Connect) {
                if let Some(s) = self.out.sock.take() {
                    acts.push(Act::Close(s));
                }
                self.out.state = ConnState::Connect;
                self.out.connect_timer = Some(now + jitter(self.cfg.connect_retry_time, rnd));
                acts.push(Act::Connect);
            }
        }
        for side in [Side::Out, Side::In] {
            if self.conn(side).hold_timer.is_some_and(|t| t <= now) {
                self.conn(side).hold_timer = None;
                self.last_error = Some("Error: Hold timer expired".into());
                self.error(side, 4, 0, &[], now, &mut acts, rnd);
            }
            if self.conn(side).keepalive_timer.is_some_and(|t| t <= now) {
                let ka = self.conn(side).keepalive_time;
                self.conn(side).keepalive_timer = Some(now + jitter(ka, rnd));
                if let Some(s) = self.conn(side).sock {
                    acts.push(Act::Send(s, Msg::Keepalive.encode(true)));
                }
            }
        }
        acts
    }

    fn send_open(
        &mut self,
        side: Side,
        now: Instant,
        acts: &mut Vec<Act>,
        rnd: &mut dyn FnMut() -> u32,
    ) {
        let open = bgp::bird_open(self.cfg.local_as, self.cfg.hold_time as u16, self.local_id);
        // Until the peer's OPEN, BIRD waits its initial hold time (`startup hold time`, 240 s),
        // not the negotiated one.
        let hold = INITIAL_HOLD_TIME;
        let c = self.conn(side);
        c.state = ConnState::OpenSent;
        c.hold_timer = if hold > 0 {
            Some(now + jitter(hold, rnd))
        } else {
            None
        };
        if let Some(s) = c.sock {
            acts.push(Act::Send(s, Msg::Open(open).encode(true)));
        }
    }

    pub fn input(&mut self, inp: Input, now: Instant, rnd: &mut dyn FnMut() -> u32) -> Vec<Act> {
        let mut acts = Vec::new();
        match inp {
            Input::Connected(id) => {
                if self.out.sock == Some(id) && self.out.state == ConnState::Connect {
                    self.out.connect_timer = None;
                    self.send_open(Side::Out, now, &mut acts, rnd);
                }
            }
            Input::Accepted(id) => {
                // bgp_incoming_connection: only while starting or up, and one at a time
                let ok = self.proto_state != ProtoState::Down
                    && self.startup_timer.is_none()
                    && self.inc.sock.is_none();
                if !ok {
                    acts.push(Act::Close(id));
                    return acts;
                }
                self.inc = Conn::new();
                self.inc.sock = Some(id);
                self.send_open(Side::In, now, &mut acts, rnd);
            }
            Input::Closed(id) => {
                // the peer's FIN or an error: bird closes its end too
                acts.push(Act::Close(id));
                if let Some(side) = self.side_of(id) {
                    let st = self.conn(side).state;
                    if st == ConnState::Connect && side == Side::Out {
                        // A failed connect: wait for the connect retry timer.
                        self.out.sock = None;
                        self.out.state = ConnState::Active;
                        self.last_error = Some("Socket: Connection refused".into());
                    } else {
                        if st == ConnState::Established {
                            self.last_error = Some("Socket: Connection closed".into());
                        }
                        self.conn(side).sock = None;
                        self.enter_idle(side, now, &mut acts, rnd);
                    }
                }
            }
            Input::Data(id, bytes) => {
                let Some(side) = self.side_of(id) else {
                    return acts;
                };
                self.conn(side).buf.extend_from_slice(&bytes);
                loop {
                    let c = self.conn(side);
                    if c.sock != Some(id) {
                        break;
                    }
                    let as4 = c.as4;
                    match bgp::decode(&c.buf, as4) {
                        Ok(None) => break,
                        Ok(Some((m, n))) => {
                            c.buf.drain(..n);
                            self.rx(side, m, now, &mut acts, rnd);
                        }
                        Err(e) => {
                            self.last_error =
                                Some(format!("Error: {}", bgp::error_dsc(e.code, e.subcode)));
                            self.error(side, e.code, e.subcode, &e.data, now, &mut acts, rnd);
                            break;
                        }
                    }
                }
            }
        }
        acts
    }

    fn rx(
        &mut self,
        side: Side,
        m: Msg,
        now: Instant,
        acts: &mut Vec<Act>,
        rnd: &mut dyn FnMut() -> u32,
    ) {
        let st = self.conn(side).state;
        if matches!(st, ConnState::OpenConfirm | ConnState::Established) {
            let h = self.conn(side).hold_time;
            self.conn(side).hold_timer = if h > 0 {
                Some(now + jitter(h, rnd))
            } else {
                None
            };
        }
        match m {
            Msg::Open(o) => {
                if st != ConnState::OpenSent {
                    self.error(side, 5, st.fsm_subcode(), &[], now, acts, rnd);
                    return;
                }
                if o.version != 4 {
                    self.error(side, 2, 1, &[0, 4], now, acts, rnd);
                    return;
                }
                if o.hold_time > 0 && o.hold_time < 3 {
                    self.error(side, 2, 6, &o.hold_time.to_be_bytes(), now, acts, rnd);
                    return;
                }
                let internal = self.cfg.local_as == self.cfg.remote_as;
                if o.id.is_unspecified() || (internal && o.id == self.local_id) {
                    self.error(side, 2, 3, &o.id.octets(), now, acts, rnd);
                    return;
                }
                let as4 = o.caps.iter().find_map(|c| match c {
                    bgp::Cap::As4(a) => Some(*a),
                    _ => None,
                });
                let peer_as = as4.unwrap_or(u32::from(o.my_as));
                if peer_as != self.cfg.remote_as {
                    let data = match as4 {
                        Some(a) => a.to_be_bytes().to_vec(),
                        None => o.my_as.to_be_bytes().to_vec(),
                    };
                    self.last_error = Some("Error: Bad peer AS".into());
                    self.error(side, 2, 2, &data, now, acts, rnd);
                    return;
                }
                // the other connection
                let other = match side {
                    Side::Out => Side::In,
                    Side::In => Side::Out,
                };
                match self.conn(other).state {
                    ConnState::Connect | ConnState::Active => {
                        // stop outgoing attempts
                        let c = self.conn(other);
                        c.connect_timer = None;
                        c.state = ConnState::Idle;
                        if let Some(s) = c.sock.take() {
                            acts.push(Act::Close(s));
                        }
                    }
                    ConnState::OpenConfirm | ConnState::Established => {
                        let neighbor_dominant = self.local_id < o.id
                            || (self.local_id == o.id && self.cfg.local_as < self.cfg.remote_as);
                        if self.conn(other).state == ConnState::OpenConfirm
                            && neighbor_dominant == (side == Side::In)
                        {
                            self.error(other, 6, 7, &[], now, acts, rnd);
                        } else {
                            self.error(side, 6, 7, &[], now, acts, rnd);
                            return;
                        }
                    }
                    _ => {}
                }
                let hold = u32::from(o.hold_time).min(self.cfg.hold_time);
                let ka = if self.cfg.keepalive_time > 0 {
                    self.cfg.keepalive_time
                } else {
                    hold / 3
                };
                self.remote_id = Some(o.id);
                self.remote_caps = o.caps.clone();
                let c = self.conn(side);
                c.hold_time = hold;
                c.keepalive_time = ka;
                c.as4 = as4.is_some();
                c.state = ConnState::OpenConfirm;
                c.hold_timer = if hold > 0 {
                    Some(now + jitter(hold, rnd))
                } else {
                    None
                };
                c.keepalive_timer = if ka > 0 {
                    Some(now + jitter(ka, rnd))
                } else {
                    None
                };
                if let Some(s) = c.sock {
                    acts.push(Act::Send(s, Msg::Keepalive.encode(true)));
                }
            }
            Msg::Keepalive => match st {
                ConnState::OpenConfirm => {
                    self.conn(side).state = ConnState::Established;
                    self.up = Some(side);
                    self.proto_state = ProtoState::Up;
                    self.since = now;
                    self.startup_delay = 0;
                    self.last_error = None;
                    acts.push(Act::Up);
                }
                ConnState::Established => {}
                _ => self.error(side, 5, st.fsm_subcode(), &[], now, acts, rnd),
            },
            Msg::Update(u) => {
                if st != ConnState::Established {
                    self.error(side, 5, st.fsm_subcode(), &[], now, acts, rnd);
                    return;
                }
                acts.push(Act::Learned(u));
            }
            Msg::Notification { code, subcode, .. } => {
                self.last_error = Some(format!("Received: {}", bgp::error_dsc(code, subcode)));
                if let Some(s) = self.conn(side).sock.take() {
                    acts.push(Act::Close(s));
                }
                self.enter_idle(side, now, acts, rnd);
            }
            Msg::RouteRefresh { .. } => {
                if st == ConnState::Established {
                    // re-send everything
                    acts.push(Act::Up);
                }
            }
        }
    }

    /// `bgp_error`: NOTIFICATION, close, back to idle; errors other than Cease delay the
    /// protocol's restart.
    #[allow(clippy::too_many_arguments)]
    fn error(
        &mut self,
        side: Side,
        code: u8,
        subcode: u8,
        data: &[u8],
        now: Instant,
        acts: &mut Vec<Act>,
        rnd: &mut dyn FnMut() -> u32,
    ) {
        if let Some(s) = self.conn(side).sock.take() {
            acts.push(Act::Send(
                s,
                Msg::Notification {
                    code,
                    subcode,
                    data: data.to_vec(),
                }
                .encode(true),
            ));
            acts.push(Act::Close(s));
        }
        if code != 6 {
            // bgp_update_startup_delay
            if self
                .last_error_at
                .is_some_and(|t| now.saturating_since(t) >= Duration::from_secs(300))
            {
                self.startup_delay = 0;
            }
            self.last_error_at = Some(now);
            self.startup_delay = if self.startup_delay == 0 {
                60
            } else {
                (self.startup_delay * 2).min(300)
            };
        }
        self.enter_idle(side, now, acts, rnd);
    }

    /// `bgp_conn_enter_idle_state` + `bgp_decision`.
    fn enter_idle(
        &mut self,
        side: Side,
        now: Instant,
        acts: &mut Vec<Act>,
        rnd: &mut dyn FnMut() -> u32,
    ) {
        let was_up = self.up == Some(side);
        {
            let c = self.conn(side);
            c.state = ConnState::Idle;
            c.hold_timer = None;
            c.keepalive_timer = None;
            c.connect_timer = None;
            c.buf.clear();
        }
        if was_up {
            self.up = None;
            acts.push(Act::Down);
            // the protocol stops and restarts (after the start-up delay if any)
            for s in [Side::Out, Side::In] {
                if let Some(id) = self.conn(s).sock.take() {
                    acts.push(Act::Close(id));
                }
                *self.conn(s) = Conn::new();
            }
            self.start(now, rnd);
            return;
        }
        if self.proto_state == ProtoState::Start
            && self.out.state == ConnState::Idle
            && self.inc.state != ConnState::OpenConfirm
            && self.inc.state != ConnState::OpenSent
            && self.startup_timer.is_none()
        {
            if self.startup_delay > 0 && self.inc.state == ConnState::Idle {
                self.start(now, rnd);
            } else {
                self.active(now, rnd);
            }
        }
    }

    /// An UPDATE to the peer, if the session is up.
    pub fn send(&mut self, u: Update) -> Option<Act> {
        let side = self.up?;
        let c = self.conn(side);
        Some(Act::Send(c.sock?, Msg::Update(u).encode(c.as4)))
    }

    /// The established connection's socket.
    pub fn up_sock(&self) -> Option<ConnId> {
        match self.up? {
            Side::Out => self.out.sock,
            Side::In => self.inc.sock,
        }
    }

    /// The protocol is shut down (bird exits): Cease/administrative shutdown on open sessions.
    pub fn shutdown(&mut self) -> Vec<Act> {
        let mut acts = Vec::new();
        for side in [Side::Out, Side::In] {
            let st = self.conn(side).state;
            if let Some(s) = self.conn(side).sock.take() {
                if matches!(
                    st,
                    ConnState::OpenSent | ConnState::OpenConfirm | ConnState::Established
                ) {
                    acts.push(Act::Send(
                        s,
                        Msg::Notification {
                            code: 6,
                            subcode: 2,
                            data: vec![],
                        }
                        .encode(true),
                    ));
                }
                acts.push(Act::Close(s));
            }
            *self.conn(side) = Conn::new();
        }
        self.proto_state = ProtoState::Down;
        self.up = None;
        acts
    }

    /// Records the socket of a connect the process started.
    pub fn set_out_sock(&mut self, id: ConnId) {
        self.out.sock = Some(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::bird::config::{Channel, Filter};

    fn cfg(local_as: u32, remote_as: u32, nbr: [u8; 4]) -> BgpCfg {
        BgpCfg {
            local_ip: None,
            local_as,
            neighbor: Ipv4Addr::from(nbr),
            remote_as,
            hold_time: 240,
            keepalive_time: 0,
            connect_delay_time: 5,
            connect_retry_time: 120,
            multihop: 0,
            passive: false,
            channel: Channel {
                import: Filter::All,
                export: Filter::All,
                next_hop_self: false,
            },
        }
    }

    fn t(s: u64) -> Instant {
        Instant::EPOCH + Duration::from_secs(s)
    }

    /// Delivers every Send of `acts` on conn `from` to the other session as Data on `to`.
    fn pipe(acts: &[Act], from: ConnId) -> Vec<u8> {
        let mut v = Vec::new();
        for a in acts {
            if let Act::Send(c, b) = a {
                if *c == from {
                    v.extend_from_slice(b);
                }
            }
        }
        v
    }

    #[test]
    fn two_speakers_reach_established_with_bird_timers() {
        let mut r = || 0u32; // no jitter: full timer values
        let mut a = Session::new(
            cfg(65001, 65000, [10, 0, 0, 2]),
            Ipv4Addr::new(10, 0, 0, 1),
            t(0),
        );
        let mut b = Session::new(
            cfg(65000, 65001, [10, 0, 0, 1]),
            Ipv4Addr::new(10, 0, 0, 2),
            t(0),
        );
        a.start(t(0), &mut r);
        b.start(t(0), &mut r);
        assert_eq!(a.info_state(), "Active");
        assert_eq!(a.next_timer(), Some(t(5)));
        // a's connect timer fires first (b's jitter made it later)
        let acts = a.timers(t(5), &mut r);
        assert_eq!(acts, vec![Act::Connect]);
        assert_eq!(a.info_state(), "Connect");
        a.set_out_sock(1);
        // b accepts it as conn 2
        let acts = a.input(Input::Connected(1), t(5), &mut r);
        let open_a = pipe(&acts, 1);
        assert_eq!(open_a.len(), 53);
        let acts_b = b.input(Input::Accepted(2), t(5), &mut r);
        let open_b = pipe(&acts_b, 2);
        assert_eq!(open_b.len(), 53);
        let acts_b = b.input(Input::Data(2, open_a), t(5), &mut r);
        // b's outgoing attempt (still Active) is stopped; b answers KEEPALIVE
        assert_eq!(b.out.state, ConnState::Idle);
        assert_eq!(b.out.connect_timer, None);
        let ka_b = pipe(&acts_b, 2);
        assert_eq!(ka_b, Msg::Keepalive.encode(true));
        let acts_a = a.input(Input::Data(1, open_b), t(5), &mut r);
        let ka_a = pipe(&acts_a, 1);
        let acts_a = a.input(Input::Data(1, ka_b), t(5), &mut r);
        assert!(acts_a.contains(&Act::Up));
        let acts_b = b.input(Input::Data(2, ka_a), t(5), &mut r);
        assert!(acts_b.contains(&Act::Up));
        assert_eq!(
            (a.info_state(), b.info_state()),
            ("Established", "Established")
        );
        assert_eq!(a.out.hold_time, 240);
        assert_eq!(a.out.keepalive_time, 80);
        // keepalive after 80 s
        assert_eq!(a.next_timer(), Some(t(85)));
        let acts = a.timers(t(85), &mut r);
        assert_eq!(acts, vec![Act::Send(1, Msg::Keepalive.encode(true))]);
    }

    #[test]
    fn hold_timer_expiry_sends_notification_and_delays_restart() {
        let mut r = || 0u32;
        let mut a = Session::new(
            cfg(65001, 65000, [10, 0, 0, 2]),
            Ipv4Addr::new(10, 0, 0, 1),
            t(0),
        );
        a.start(t(0), &mut r);
        a.timers(t(5), &mut r);
        a.set_out_sock(1);
        a.input(Input::Connected(1), t(5), &mut r);
        let open_b = Msg::Open(bgp::bird_open(65000, 240, Ipv4Addr::new(10, 0, 0, 2))).encode(true);
        a.input(Input::Data(1, open_b), t(5), &mut r);
        let acts = a.input(Input::Data(1, Msg::Keepalive.encode(true)), t(6), &mut r);
        assert!(acts.contains(&Act::Up));
        // nothing more from the peer: hold timer (240 s after the last message)
        let acts = a.timers(t(246), &mut r);
        assert_eq!(
            acts,
            vec![
                Act::Send(
                    1,
                    vec![0xff; 16].into_iter().chain([0, 21, 3, 4, 0]).collect()
                ),
                Act::Close(1),
                Act::Down
            ]
        );
        assert_eq!(a.last_error.as_deref(), Some("Error: Hold timer expired"));
        assert_eq!(a.info_state(), "Idle");
        assert_eq!(a.next_timer(), Some(t(306)));
    }

    #[test]
    fn wrong_peer_as_is_refused_with_bad_peer_as() {
        let mut r = || 0u32;
        let mut a = Session::new(
            cfg(65001, 65009, [10, 0, 0, 2]),
            Ipv4Addr::new(10, 0, 0, 1),
            t(0),
        );
        a.start(t(0), &mut r);
        let acts = a.input(Input::Accepted(7), t(1), &mut r);
        assert_eq!(pipe(&acts, 7).len(), 53);
        let open_b = Msg::Open(bgp::bird_open(65000, 240, Ipv4Addr::new(10, 0, 0, 2))).encode(true);
        let acts = a.input(Input::Data(7, open_b), t(1), &mut r);
        let n = pipe(&acts, 7);
        assert_eq!(&n[18..], &[3, 2, 2, 0, 0, 0xfd, 0xe8]);
        assert!(acts.contains(&Act::Close(7)));
        assert_eq!(a.last_error.as_deref(), Some("Error: Bad peer AS"));
    }

    #[test]
    fn jitter_is_at_most_a_quarter() {
        let mut r = || u32::MAX;
        let d = jitter(5, &mut r);
        assert!(d >= Duration::from_millis(3750) && d <= Duration::from_secs(5));
    }
}
