/// The fields of a TCP header (RFC 9293 §3.1) a middlebox looks at, read straight from
/// segment bytes, and the two things a middlebox writes: a NAT's port rewrite and a reset.
///
/// For code that moves segments without the TCP module (the simulator's NAT and
/// firewall). Reading never traps: bytes too short for a fixed header give nil. The
/// rewrite patches the checksum incrementally (RFC 1624), so it takes constant time
/// whatever the segment's length, and a segment that arrived with a bad checksum leaves
/// with a bad one, as RFC 3022 §4.2 asks of a NAT.
public struct TCPWireHeader: Sendable, Equatable {
    /// Bytes of the fixed header (options excluded).
    public static let length = 20

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    /// Bytes of header and options: the data offset times four.
    public var headerLength: Int
    /// The control bits as sent (byte 13: CWR, ECE, URG, ACK, PSH, RST, SYN, FIN from the
    /// high bit down).
    public var controlBits: UInt8

    public var isFIN: Bool { controlBits & 0x01 != 0 }
    public var isSYN: Bool { controlBits & 0x02 != 0 }
    public var isRST: Bool { controlBits & 0x04 != 0 }
    public var isACK: Bool { controlBits & 0x10 != 0 }

    /// Reads the header at the start of `segment`; nil when fewer than 20 bytes.
    @inlinable
    public init?(_ segment: [UInt8]) {
        guard segment.count >= Self.length else { return nil }
        sourcePort = UInt16(segment[0]) << 8 | UInt16(segment[1])
        destinationPort = UInt16(segment[2]) << 8 | UInt16(segment[3])
        sequenceNumber = Self.read32(segment, at: 4)
        acknowledgmentNumber = Self.read32(segment, at: 8)
        headerLength = Int(segment[12] >> 4) * 4
        controlBits = segment[13]
    }

    @inlinable
    static func read32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    /// Rewrites the ports of the segment in `segment` (or of its start, as an ICMP error
    /// quotes it) to those of `source` and `destination`, and patches its checksum for the
    /// move from the pseudo-header of `oldSource` → `oldDestination` and the old ports to
    /// those of `source` → `destination`: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m').
    ///
    /// The checksum is patched only when the bytes reach it (an ICMP quote may hold only the
    /// first 8, RFC 792); the patch of a truncated segment is still exact when both address
    /// pairs are of one family, as the pseudo-header's length term then cancels. Fewer than
    /// 4 bytes are left alone.
    public static func rewrite(_ segment: inout [UInt8], from oldSource: IPAddress, _ oldDestination: IPAddress,
                               to source: Endpoint, _ destination: Endpoint) {
        guard segment.count >= 4 else { return }
        let oldSourcePort = UInt16(segment[0]) << 8 | UInt16(segment[1])
        let oldDestinationPort = UInt16(segment[2]) << 8 | UInt16(segment[3])
        segment[0] = UInt8(source.port >> 8)
        segment[1] = UInt8(source.port & 0xFF)
        segment[2] = UInt8(destination.port >> 8)
        segment[3] = UInt8(destination.port & 0xFF)
        guard segment.count >= 18 else { return }
        let old = contribution(oldSource, oldDestination, oldSourcePort, oldDestinationPort, length: segment.count)
        let new = contribution(source.address, destination.address, source.port, destination.port, length: segment.count)
        let stored = UInt16(segment[16]) << 8 | UInt16(segment[17])
        let patched = ~InternetChecksum.fold(UInt32(~stored) + UInt32(~old) + UInt32(new))
        segment[16] = UInt8(patched >> 8)
        segment[17] = UInt8(patched & 0xFF)
    }

    /// The folded sum of the pseudo-header and the ports: the part of a TCP checksum a
    /// NAT changes.
    static func contribution(_ source: IPAddress, _ destination: IPAddress, _ sourcePort: UInt16, _ destinationPort: UInt16,
                             length: Int) -> UInt16 {
        let pseudo = InternetChecksum.pseudoHeaderSum(source: source, destination: destination,
                                                      protocolNumber: TransportKind.tcp.ipProtocolNumber, length: length)
        return InternetChecksum.fold(pseudo + UInt32(sourcePort) + UInt32(destinationPort))
    }

    /// The reset a TCP sends back for `segment` when no connection exists (RFC 9293
    /// §3.10.7.1): `<SEQ=SEG.ACK><CTL=RST>` if it carries an ACK, else
    /// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`, from `source` (the endpoint `segment`
    /// was sent to) to `destination`, checksummed. Nil when `segment` has no readable
    /// header or is itself a reset (a reset is never answered).
    public static func reset(answering segment: [UInt8], from source: Endpoint, to destination: Endpoint) -> [UInt8]? {
        guard let header = TCPWireHeader(segment), !header.isRST else { return nil }
        let sequence: UInt32
        let acknowledgment: UInt32
        let bits: UInt8
        if header.isACK {
            (sequence, acknowledgment, bits) = (header.acknowledgmentNumber, 0, 0x04)
        } else {
            // SEG.LEN counts the data and one for each of SYN and FIN (RFC 9293 §3.4).
            let dataLength = max(0, segment.count - max(header.headerLength, Self.length))
            let length = UInt32(truncatingIfNeeded: dataLength) &+ (header.isSYN ? 1 : 0) &+ (header.isFIN ? 1 : 0)
            (sequence, acknowledgment, bits) = (0, header.sequenceNumber &+ length, 0x14)
        }
        var bytes: [UInt8] = [UInt8(source.port >> 8), UInt8(source.port & 0xFF),
                              UInt8(destination.port >> 8), UInt8(destination.port & 0xFF)]
        for word in [sequence, acknowledgment] {
            bytes.append(contentsOf: [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)])
        }
        bytes.append(contentsOf: [UInt8(Self.length / 4) << 4, bits, 0, 0, 0, 0, 0, 0])
        let pseudo = InternetChecksum.pseudoHeaderSum(source: source.address, destination: destination.address,
                                                      protocolNumber: TransportKind.tcp.ipProtocolNumber, length: bytes.count)
        let checksum = ~InternetChecksum.fold(InternetChecksum.add(pseudo, bytes[...]))
        bytes[16] = UInt8(checksum >> 8)
        bytes[17] = UInt8(checksum & 0xFF)
        return bytes
    }
}
