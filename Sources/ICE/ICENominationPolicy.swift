import NetTypes

/// How an agent paces and orders its checks, nominates, and picks the pair data flows on:
/// what today's browsers do (libwebrtc), or RFC 8445 regular or RFC 5245 aggressive
/// nomination. Whatever the policy, the selected pair of a component is usable as soon as
/// it is valid (W3C `RTCIceConnectionState` "connected": a usable pair for every
/// component), and nomination is recorded separately (`ICEMetrics.timeToNominated`).
public enum ICENominationPolicy: String, CaseIterable, Sendable, CustomStringConvertible {
    /// libwebrtc's `P2PTransportChannel` with its `BasicIceController`, as Chrome and the
    /// other browsers built on libwebrtc run it:
    /// - pacing: one check every `kWeakPingInterval` (48 ms) while the transport is weak,
    ///   `kStrongPingInterval` (480 ms) once every component has a selected pair and the
    ///   pairs still checked have had `MIN_PINGS_AT_WEAK_PING_INTERVAL` (3) pings
    ///   (p2p/base/p2p_constants.h, `BasicIceController::SelectConnectionToPing`);
    /// - ordering: no frozen pairs (a `Connection` starts waiting, p2p/base/connection.cc);
    ///   triggered checks first, then unpinged pairs by priority, then the least recently
    ///   pinged pair again (`FindNextPingableConnection` rules 3 and 4); an unanswered pair
    ///   fails after `checkTimeout` (`CONNECTION_WRITE_TIMEOUT`, 15 s) instead of after an
    ///   RFC 8489 retransmission schedule;
    /// - nomination: semi-aggressive (`IceConfig::default_nomination_mode`): the
    ///   controlling agent puts USE-CANDIDATE on checks while no pair is selected, on
    ///   checks of pairs better than the selected one, and on a check of the selected pair
    ///   (`BasicIceController::GetUseCandidateAttr`);
    /// - switching: the controlling agent selects the best valid pair, the controlled agent
    ///   the best valid pair preferring nominated ones (`CompareConnections`), both switch
    ///   when a better pair becomes valid (`ShouldSwitchConnection`), and pairs below the
    ///   selected one stop being checked (`PruneConnections`; on the controlled side once
    ///   the selected pair is nominated, `AllowedToPruneConnections`).
    case libwebrtc
    /// RFC 8445 §8.1.1 regular nomination: frozen pairs (§6.1.2.6), Ta 50 ms (§14.2),
    /// RFC 8489 retransmissions, and the controlling agent nominates the best valid pair
    /// once no better pair is pending, or `nominationWait` after the first valid pair.
    case regular
    /// RFC 5245 §8.1.1.2 aggressive nomination (removed by RFC 8445): like `regular`, but
    /// the controlling agent puts USE-CANDIDATE on every check, so the first pair that
    /// succeeds is nominated.
    case aggressive

    /// The pacing (Ta) the policy's source uses while checks run: libwebrtc's
    /// `kWeakPingInterval` (48 ms), RFC 8445 §14.2's 50 ms.
    public var pacingInterval: Duration {
        self == .libwebrtc ? .milliseconds(48) : .milliseconds(50)
    }

    public var description: String { rawValue }
}
