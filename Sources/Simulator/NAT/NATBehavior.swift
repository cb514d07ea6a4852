import NetTypes

/// Everything that makes one NAT behave differently from another, after RFC 4787 (UDP),
/// RFC 5382 (TCP, in `tcp`) and RFC 6888 (carrier-grade NAT). Each parameter is independent so that a sweep can
/// cover the real world; `preset(named:)` gives the classic and real-world combinations.
/// docs/nat.md describes every parameter and preset.
public struct NATBehavior: Sendable, Equatable {
    /// When a new external endpoint is allocated for UDP (RFC 4787 §4.1).
    public var mapping: EndpointDependence
    /// Which remote endpoints may send UDP in through a mapping (RFC 4787 §5).
    public var filtering: EndpointDependence
    /// TCP's mapping, filtering, connection timeouts and answer to unsolicited SYNs
    /// (RFC 5382); the other parameters apply to TCP as they do to UDP, except the UDP
    /// lifetimes and `inboundRefresh` (a TCP connection is idle when no segment crosses
    /// either way, RFC 5382 §5).
    public var tcp: NATTCPBehavior
    /// How the external port of a new mapping is chosen (RFC 4787 §4.2.1).
    public var portAssignment: PortAssignment
    /// Whether an external port keeps the parity (odd/even) of the internal port
    /// (RFC 4787 §4.2.2, REQ-4), e.g. for RTP/RTCP port pairs.
    public var portParity: Bool
    /// External ports the NAT allocates from (for privileged internal ports, see `lowPorts`).
    public var portRange: ClosedRange<UInt16>
    /// Where flows from privileged internal ports (1–1023) get their external port.
    public var lowPorts: LowPorts
    /// How external addresses are chosen when the NAT has several (RFC 4787 §4.1).
    public var pooling: AddressPooling
    /// Whether and how packets from inside to a mapped external endpoint of the same NAT
    /// are looped back (RFC 4787 §6).
    public var hairpinning: Hairpinning
    /// How long a mapping lives without refresh (RFC 4787 REQ-5: at least 2 minutes).
    public var mappingLifetime: Duration
    /// The lifetime once traffic has been seen in both directions (Linux conntrack's
    /// "stream" timeout); nil keeps `mappingLifetime`.
    public var establishedLifetime: Duration?
    /// Whether inbound packets refresh a mapping (RFC 4787 REQ-6: outbound always does).
    public var inboundRefresh: Bool
    /// The most mappings the NAT holds at once (state or port exhaustion); nil: no limit
    /// beyond the port range.
    public var maxMappings: Int?
    /// The most mappings one internal address may hold (RFC 6888 REQ-4 per-subscriber
    /// port limit); nil: no limit.
    public var maxMappingsPerHost: Int?
    /// What happens to an inbound packet the NAT does not let in (for a TCP SYN:
    /// `tcp.unsolicitedSYN`).
    public var unsolicitedResponse: UnsolicitedResponse
    /// What happens to an outbound packet of a new flow when no mapping can be made (no
    /// free port, or a mapping limit reached): RFC 6888 REQ-11 drops it and SHOULD tell
    /// the sender.
    public var exhaustionResponse: ExhaustionResponse
    /// Whether an inbound packet the NAT refuses still leaves a connection-tracking entry
    /// (remote → external endpoint) that new flows must not clash with, as Linux conntrack
    /// does: the unreplied entry lives `mappingLifetime` (UDP; TCP: the reset or transitory
    /// timeout), and a host's first packet to that remote then leaves from another,
    /// random port (the reply tuple would be taken) while other destinations keep the
    /// mapping's. Measured on Linux (docs/nat.md, "Checked against Linux").
    public var tracksRefusedInbound: Bool
    /// Port overloading as netfilter's NAT does it: an external port is shared by mappings
    /// of different internal endpoints as long as each reply tuple (remote endpoint →
    /// external endpoint) stays unique, so two hosts sending from the same port to
    /// different remotes keep that port; a flow whose reply tuple another mapping holds
    /// takes another port (a random one for a flow of an existing mapping, as with
    /// `tracksRefusedInbound`). Inbound packets go to the mapping that contacted their
    /// source. RFC 4787 REQ-3 forbids it; false: no port is ever shared.
    public var portOverloading: Bool
    /// Port-block allocation (RFC 7422): each subscriber's mappings take ports from the
    /// blocks it holds; nil: ports are chosen from the whole range per mapping.
    public var portBlocks: NATPortBlocks?

    /// A behavior with these parameters. Without `tcp`, TCP maps and filters as UDP does,
    /// with RFC 5382's timeouts, and drops or rejects unsolicited SYNs as
    /// `unsolicitedResponse` says of other packets.
    public init(mapping: EndpointDependence, filtering: EndpointDependence, tcp: NATTCPBehavior? = nil,
                portAssignment: PortAssignment = .preservation, portParity: Bool = false,
                portRange: ClosedRange<UInt16> = 1024...65535, lowPorts: LowPorts = .unreserved,
                pooling: AddressPooling = .paired,
                hairpinning: Hairpinning = .externalSource, mappingLifetime: Duration = .seconds(120),
                establishedLifetime: Duration? = nil, inboundRefresh: Bool = false,
                maxMappings: Int? = nil, maxMappingsPerHost: Int? = nil,
                unsolicitedResponse: UnsolicitedResponse = .drop, exhaustionResponse: ExhaustionResponse = .drop,
                tracksRefusedInbound: Bool = false, portOverloading: Bool = false, portBlocks: NATPortBlocks? = nil) {
        self.mapping = mapping
        self.filtering = filtering
        self.tcp = tcp ?? NATTCPBehavior(mapping: mapping, filtering: filtering,
                                         unsolicitedSYN: NATTCPBehavior.UnsolicitedSYNResponse(matching: unsolicitedResponse))
        self.portAssignment = portAssignment
        self.portParity = portParity
        self.portRange = portRange
        self.lowPorts = lowPorts
        self.pooling = pooling
        self.hairpinning = hairpinning
        self.mappingLifetime = mappingLifetime
        self.establishedLifetime = establishedLifetime
        self.inboundRefresh = inboundRefresh
        self.maxMappings = maxMappings
        self.maxMappingsPerHost = maxMappingsPerHost
        self.unsolicitedResponse = unsolicitedResponse
        self.tracksRefusedInbound = tracksRefusedInbound
        self.portOverloading = portOverloading
        self.exhaustionResponse = exhaustionResponse
        self.portBlocks = portBlocks
    }

    /// How the external port of a new mapping is chosen.
    public enum PortAssignment: Sendable, Equatable {
        /// Keep the internal port when it is free on the chosen external address;
        /// otherwise the next free port above it (RFC 4787 §4.2.1 "port preservation").
        case preservation
        /// The previous port allocated on that address plus `step`, skipping taken ports.
        case sequential(step: UInt16)
        /// A uniformly random free port, drawn from the NAT's seeded random stream.
        case random
    }

    /// Where a flow from a privileged internal port (1–1023) gets its external port.
    public enum LowPorts: String, Sendable, CaseIterable {
        /// From `portRange`, like any other flow.
        case unreserved = "none"
        /// From 1–1023: RFC 4787 §4.2.1 recommends keeping the port in its range.
        case sameRange = "same-range"
        /// As Linux netfilter does without `--to-ports`: the internal port itself when it
        /// is free (under port preservation), else from 1–511 for ports below 512 and from
        /// 600–1023 for the others.
        case linux
    }

    /// The external ports a flow from `internalPort` is given.
    func externalPortRange(for internalPort: UInt16) -> ClosedRange<UInt16> {
        guard (1...1023).contains(internalPort) else { return portRange }
        switch lowPorts {
        case .unreserved: return portRange
        case .sameRange: return 1...1023
        case .linux: return internalPort < 512 ? 1...511 : 600...1023
        }
    }

    /// How a NAT with several external addresses picks one for a new mapping.
    public enum AddressPooling: String, Sendable, CaseIterable {
        /// Every mapping of one internal address uses the same external address
        /// (RFC 4787 REQ-2 recommends it, RFC 6888 REQ-2 requires it for CGN).
        case paired
        /// Each mapping may use any external address (chosen at random).
        case arbitrary
    }

    /// Whether packets from inside to an external endpoint of the NAT itself are looped
    /// back inside, and with which source.
    public enum Hairpinning: String, Sendable, CaseIterable {
        /// Such packets are dropped (counted as `hairpinDisabled`).
        case disabled
        /// Looped back with the sender's mapped external endpoint as source (RFC 4787
        /// REQ-9 and REQ-9a: the correct behavior).
        case externalSource = "external-source"
        /// Looped back with the sender's internal endpoint as source (broken NATs).
        case internalSource = "internal-source"
    }

    /// What a NAT does with an inbound packet it does not let in.
    public enum UnsolicitedResponse: String, Sendable, CaseIterable {
        /// Discard silently.
        case drop
        /// Discard and answer with ICMP destination unreachable, administratively
        /// prohibited.
        case reject
    }

    /// What a NAT does with an outbound packet it has no mapping for and cannot map.
    public enum ExhaustionResponse: String, Sendable, CaseIterable {
        /// Discard silently.
        case drop
        /// Discard and answer the sender with ICMP destination unreachable, host
        /// unreachable (RFC 6888 REQ-11b).
        case reject
    }

    /// The lifetime a mapping gets when refreshed, given whether it has seen inbound
    /// traffic.
    @inlinable func lifetime(established: Bool) -> Duration {
        established ? establishedLifetime ?? mappingLifetime : mappingLifetime
    }
}
