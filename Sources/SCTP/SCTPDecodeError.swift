/// Why bytes are not a well-formed SCTP packet, chunk or parameter (RFC 9260 §3). The
/// association discards such packets and counts them; it never traps on them.
public enum SCTPDecodeError: Error, Equatable, Sendable {
    /// The bytes end inside a header or a declared length.
    case truncated
    /// A chunk, parameter or cause length below its header size or past the packet.
    case badLength
    /// The CRC32c checksum does not match (RFC 9260 §6.8).
    case badChecksum
    /// A chunk whose fixed fields are inconsistent (e.g. a DATA chunk without user data,
    /// an INIT with a zero tag or zero streams: RFC 9260 §3.3.1, §3.3.2).
    case invalidChunk(type: UInt8)
}
