import NetTypes

/// How a NAT treats TCP (RFC 5382), beside the UDP behavior of `NATBehavior` (RFC 4787):
/// mapping and filtering of its own (RFC 5382 REQ-3b lets TCP filter unlike UDP), idle
/// timeouts by connection phase (REQ-5) and the answer to unsolicited SYNs (REQ-4).
/// Port assignment, parity, pooling, hairpinning and mapping limits are the NAT's, shared
/// with UDP. The defaults are what RFC 5382 recommends.
public struct NATTCPBehavior: Sendable, Equatable {
    /// When a new external endpoint is allocated (REQ-1 requires endpoint-independent).
    public var mapping: EndpointDependence
    /// Which remote endpoints may open connections or send in through a mapping (REQ-3:
    /// endpoint-independent for application transparency, address-dependent where
    /// stricter filtering matters more).
    public var filtering: EndpointDependence
    /// How long an established connection (SYNs seen both ways, no FIN both ways, no RST)
    /// may be idle before its mapping is dropped: REQ-5 says at least 2 h 4 min, a TCP
    /// keepalive interval (RFC 1122) plus four minutes.
    public var establishedIdleTimeout: Duration
    /// How long a connection being opened or closed may be idle: REQ-5 says at least
    /// 4 minutes (two maximum segment lifetimes).
    public var transitoryIdleTimeout: Duration
    /// How long a connection stays after a RST unless a later segment shows it alive:
    /// RFC 7857 §2.2 says 4 minutes (a RST may be lost, or forged).
    public var resetIdleTimeout: Duration
    /// What happens to an inbound SYN the NAT does not let in (REQ-4).
    public var unsolicitedSYN: UnsolicitedSYNResponse

    public init(mapping: EndpointDependence = .endpointIndependent, filtering: EndpointDependence = .endpointIndependent,
                establishedIdleTimeout: Duration = .seconds(7440), transitoryIdleTimeout: Duration = .seconds(240),
                resetIdleTimeout: Duration = .seconds(240), unsolicitedSYN: UnsolicitedSYNResponse = .reject) {
        self.mapping = mapping
        self.filtering = filtering
        self.establishedIdleTimeout = establishedIdleTimeout
        self.transitoryIdleTimeout = transitoryIdleTimeout
        self.resetIdleTimeout = resetIdleTimeout
        self.unsolicitedSYN = unsolicitedSYN
    }

    /// What a NAT does with an unsolicited inbound SYN (no mapping, an expired one, or
    /// one whose filter keeps the sender out).
    public enum UnsolicitedSYNResponse: String, Sendable, CaseIterable {
        /// Discard silently: REQ-4a, when answering would break the NAT's security policy.
        case drop
        /// REQ-4: no answer for 6 seconds; if an outbound SYN of the same connection is
        /// translated meanwhile (a simultaneous open), the held SYN is dropped silently,
        /// otherwise it is answered with ICMP port unreachable.
        case reject
        /// Answered at once with a RST, as the NAT's own TCP answers a SYN to a port it has
        /// no socket on (RFC 9293 §3.10.7.1): a Linux router without an input firewall. The
        /// RST refuses the peer's connection, so a simultaneous open through such a NAT
        /// fails unless the inside's SYN leaves first.
        case reset

        /// The answer to a SYN that matches `response` for other packets: silence, or an
        /// ICMP error (after the hold).
        public init(matching response: NATBehavior.UnsolicitedResponse) {
            self = response == .reject ? .reject : .drop
        }
    }

    /// The idle timeout of a connection in `phase`.
    func idleTimeout(_ phase: TCPConnectionTrack.Phase) -> Duration {
        switch phase {
        case .established: return establishedIdleTimeout
        case .opening, .closing: return transitoryIdleTimeout
        case .reset: return resetIdleTimeout
        }
    }
}
