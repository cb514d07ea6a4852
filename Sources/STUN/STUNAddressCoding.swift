import NetTypes

/// The value layout shared by all address attributes (RFC 8489 §14.1-14.2): a reserved
/// byte, the family (0x01 IPv4, 0x02 IPv6), the port and the address, optionally XORed
/// with the magic cookie and the transaction ID.
enum STUNAddressCoding {
    static func familyByte(_ family: AddressFamily) -> UInt8 { family == .ipv4 ? 0x01 : 0x02 }

    static func family(_ byte: UInt8) -> AddressFamily? {
        switch byte { case 0x01: return .ipv4; case 0x02: return .ipv6; default: return nil }
    }

    /// The 128-bit XOR mask for IPv6: the magic cookie followed by the transaction ID.
    static func mask(_ id: STUNTransactionID) -> (high: UInt64, low: UInt64) {
        (UInt64(stunMagicCookie) << 32 | UInt64(id.high), id.low)
    }

    static func append(_ endpoint: Endpoint, xor id: STUNTransactionID?, to out: inout [UInt8]) {
        out.append(0)
        out.append(familyByte(endpoint.address.family))
        out.appendUInt16(id == nil ? endpoint.port : endpoint.port ^ UInt16(stunMagicCookie >> 16))
        switch endpoint.address {
        case .v4(let a):
            out.appendUInt32(id == nil ? a.value : a.value ^ stunMagicCookie)
        case .v6(let a):
            let m = id.map(mask) ?? (high: 0, low: 0)
            out.appendUInt64(a.high ^ m.high)
            out.appendUInt64(a.low ^ m.low)
        }
    }

    static func decode(
        _ p: UnsafeRawBufferPointer, at offset: Int, length: Int, type: STUNAttributeType, xor id: STUNTransactionID?
    ) throws(STUNDecodeError) -> Endpoint {
        guard length >= 4 else { throw .invalidAttributeLength(type: type, length: length) }
        guard let family = family(p[offset + 1]) else { throw .badAddressFamily(type: type, family: p[offset + 1]) }
        guard length == (family == .ipv4 ? 8 : 20) else { throw .invalidAttributeLength(type: type, length: length) }
        let rawPort = p.uint16(at: offset + 2)
        let port = id == nil ? rawPort : rawPort ^ UInt16(stunMagicCookie >> 16)
        switch family {
        case .ipv4:
            let raw = p.uint32(at: offset + 4)
            return Endpoint(.v4(IPv4Address(id == nil ? raw : raw ^ stunMagicCookie)), port)
        case .ipv6:
            let m = id.map(mask) ?? (high: 0, low: 0)
            let high = p.uint64(at: offset + 4) ^ m.high, low = p.uint64(at: offset + 12) ^ m.low
            return Endpoint(.v6(IPv6Address(high: high, low: low)), port)
        }
    }
}
