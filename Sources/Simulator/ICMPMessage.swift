import NetTypes

/// Why a destination was unreachable, as ICMP (RFC 792) / ICMPv6 (RFC 4443) report it.
public enum UnreachableReason: Sendable, Equatable {
    case hostUnreachable
    case portUnreachable
    case administrativelyProhibited

    var icmpv4Code: UInt8 {
        switch self { case .hostUnreachable: return 1; case .portUnreachable: return 3; case .administrativelyProhibited: return 13 }
    }

    var icmpv6Code: UInt8 {
        switch self { case .hostUnreachable: return 3; case .portUnreachable: return 4; case .administrativelyProhibited: return 1 }
    }

    init?(icmpv4Code code: UInt8) {
        switch code { case 1: self = .hostUnreachable; case 3: self = .portUnreachable; case 9, 10, 13: self = .administrativelyProhibited; default: return nil }
    }

    init?(icmpv6Code code: UInt8) {
        switch code { case 3: self = .hostUnreachable; case 4: self = .portUnreachable; case 1: self = .administrativelyProhibited; default: return nil }
    }
}

/// An ICMP destination-unreachable error: what a host, NAT or firewall sends back when
/// it rejects (rather than silently drops) a packet. The message quotes the offending
/// packet's headers, so the original sender's stack can tell which socket it concerns.
public struct ICMPUnreachable: Sendable, Equatable {
    public var reason: UnreachableReason
    /// Source of the packet that was rejected (the socket to notify).
    public var originalSource: Endpoint
    /// Destination of the packet that was rejected.
    public var originalDestination: Endpoint
    public var originalProtocol: IPProtocolKind
    /// For TCP, the sequence number of the rejected segment when the quote holds it (the
    /// 8 transport octets RFC 792 quotes do): TCP checks it against what it has in flight
    /// (RFC 5927 §4.1).
    public var originalSequenceNumber: UInt32?

    /// The packet `rejecter` sends back to the origin of `offending`.
    public static func packet(rejecting offending: Packet, from rejecter: IPAddress, reason: UnreachableReason,
                              id: UInt64, at time: Instant) -> Packet {
        var quoted = PacketHeaders.ipPacket(offending)
        let isV4 = offending.source.address.family == .ipv4
        let quoteLimit = isV4 ? offending.ipHeaderSize + 8 : 1232 - 8
        if quoted.count > quoteLimit { quoted.removeLast(quoted.count - quoteLimit) }
        var message: [UInt8] = isV4 ? [3, reason.icmpv4Code, 0, 0, 0, 0, 0, 0] : [1, reason.icmpv6Code, 0, 0, 0, 0, 0, 0]
        message.append(contentsOf: quoted)
        var reply = Packet(source: Endpoint(rejecter, 0), destination: Endpoint(offending.source.address, 0),
                           proto: isV4 ? .icmp : .icmpv6, id: id, createdAt: time, payload: message)
        let checksum: UInt16
        if isV4 {
            checksum = PacketHeaders.internetChecksum(message[...])
        } else {
            checksum = ~PacketHeaders.fold(PacketHeaders.onesComplementAdd(
                PacketHeaders.pseudoHeaderSum(reply, length: message.count), message[...]))
        }
        reply.payload[2] = UInt8(checksum >> 8)
        reply.payload[3] = UInt8(checksum & 0xFF)
        return reply
    }

    /// Reads a destination-unreachable message; nil for other ICMP types or truncated
    /// quotes (never traps).
    public init?(icmpPayload bytes: [UInt8], isIPv6: Bool) {
        guard bytes.count >= 8 else { return nil }
        let quote = bytes[8...]
        if isIPv6 {
            guard bytes[0] == 1, let reason = UnreachableReason(icmpv6Code: bytes[1]), quote.count >= 48 else { return nil }
            let base = quote.startIndex
            guard let src = IPv6Address(bytes: quote[base + 8..<base + 24]),
                  let dst = IPv6Address(bytes: quote[base + 24..<base + 40]),
                  let proto = IPProtocolKind(rawValue: quote[base + 6]) else { return nil }
            let ports = base + 40
            self.reason = reason
            self.originalProtocol = proto
            self.originalSource = Endpoint(.v6(src), UInt16(quote[ports]) << 8 | UInt16(quote[ports + 1]))
            self.originalDestination = Endpoint(.v6(dst), UInt16(quote[ports + 2]) << 8 | UInt16(quote[ports + 3]))
            self.originalSequenceNumber = proto == .tcp ? Self.sequenceNumber(in: quote, at: ports) : nil
        } else {
            guard bytes[0] == 3, let reason = UnreachableReason(icmpv4Code: bytes[1]), quote.count >= 28 else { return nil }
            let base = quote.startIndex
            let headerLength = Int(quote[base] & 0x0F) * 4
            guard quote[base] >> 4 == 4, headerLength >= 20, quote.count >= headerLength + 4,
                  let proto = IPProtocolKind(rawValue: quote[base + 9]),
                  let src = IPAddress(bytes: quote[base + 12..<base + 16]),
                  let dst = IPAddress(bytes: quote[base + 16..<base + 20]) else { return nil }
            let ports = base + headerLength
            self.reason = reason
            self.originalProtocol = proto
            self.originalSource = Endpoint(src, UInt16(quote[ports]) << 8 | UInt16(quote[ports + 1]))
            self.originalDestination = Endpoint(dst, UInt16(quote[ports + 2]) << 8 | UInt16(quote[ports + 3]))
            self.originalSequenceNumber = proto == .tcp ? Self.sequenceNumber(in: quote, at: ports) : nil
        }
    }

    /// The TCP sequence number in the quoted transport header starting at `start`, if
    /// the quote is long enough to hold it.
    private static func sequenceNumber(in quote: ArraySlice<UInt8>, at start: Int) -> UInt32? {
        guard quote.endIndex >= start + 8 else { return nil }
        return quote[start + 4..<start + 8].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The transport bytes an IPv4 destination-unreachable message quotes after the
    /// offending packet's IP header: its ports first (RFC 792 quotes at least 8 bytes).
    /// What a NAT rewrites besides the quoted addresses (RFC 5508 §4.1). Empty when the
    /// message ends before them.
    static func quotedTransport(inIPv4 bytes: [UInt8]) -> ArraySlice<UInt8> {
        guard bytes.count > 8 else { return [] }
        let start = 8 + Int(bytes[8] & 0x0F) * 4
        return start < bytes.count ? bytes[start...] : []
    }

    public init(reason: UnreachableReason, originalSource: Endpoint, originalDestination: Endpoint, originalProtocol: IPProtocolKind,
                originalSequenceNumber: UInt32? = nil) {
        self.reason = reason
        self.originalSource = originalSource
        self.originalDestination = originalDestination
        self.originalProtocol = originalProtocol
        self.originalSequenceNumber = originalSequenceNumber
    }
}
