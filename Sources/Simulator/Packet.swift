import NetTypes

/// The IP payload protocols the simulated network carries.
public enum IPProtocolKind: UInt8, Sendable {
    case icmp = 1
    case tcp = 6
    case udp = 17
    case icmpv6 = 58
}

/// An IP packet in flight: addresses, protocol, TTL and the real payload bytes.
///
/// IP and UDP headers are not stored: their bytes are implied (and synthesised for pcap);
/// `wireSize` counts them so that serialization delay and MTU checks are exact. A TCP
/// packet's payload is the whole segment as on the wire (header, options, data, with its
/// checksum over the pseudo-header of `source` and `destination`): TCP cores produce
/// segments, and whoever rewrites a TCP packet's addresses or ports (a NAT) rewrites the
/// segment's ports and checksum with them.
public struct Packet: Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var proto: IPProtocolKind
    public var ttl: UInt8
    /// The IP header's ECN field (RFC 3168 §5): set by the sending socket, CE by a queue
    /// that marks instead of dropping; NATs and other middleboxes leave it as it is.
    public var ecn: ECNCodepoint
    /// Unique per simulation, in creation order; used by traces and pcap IP IDs.
    public var id: UInt64
    /// When the packet was first sent.
    public var createdAt: Instant
    /// The transport payload: the UDP payload, the whole TCP segment, or the whole ICMP
    /// message.
    public var payload: [UInt8]

    public init(source: Endpoint, destination: Endpoint, proto: IPProtocolKind = .udp, ttl: UInt8 = 64,
                ecn: ECNCodepoint = .notECT, id: UInt64 = 0, createdAt: Instant = .zero, payload: [UInt8]) {
        self.source = source
        self.destination = destination
        self.proto = proto
        self.ttl = ttl
        self.ecn = ecn
        self.id = id
        self.createdAt = createdAt
        self.payload = payload
    }

    /// Moves the payload out (leaving it empty): handing it on without a copy of the
    /// array reference, which would cost a retain and a release per packet.
    @inlinable public mutating func takePayload() -> [UInt8] {
        var payload: [UInt8] = []
        swap(&payload, &self.payload)
        return payload
    }

    /// Bytes of the IP header (20 for IPv4 without options, 40 for IPv6).
    @inlinable public var ipHeaderSize: Int {
        if case .v4 = destination.address { return 20 }
        return 40
    }

    /// Bytes of the transport header in front of the payload (only UDP's is implied).
    @inlinable public var transportHeaderSize: Int { proto == .udp ? 8 : 0 }

    /// Size on the wire at the IP layer: what MTU and bandwidth are measured against.
    @inlinable public var wireSize: Int { ipHeaderSize + transportHeaderSize + payload.count }
}
