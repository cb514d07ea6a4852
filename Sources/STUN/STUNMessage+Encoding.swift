extension STUNMessage {
    /// The message on the wire, attributes in order and each padded to 4 bytes with
    /// `paddingByte` (0 by default; RFC 5769's samples pad some attributes with 0x20).
    public func encoded(paddingByte: UInt8 = 0) -> [UInt8] {
        var out = encodedBody(paddingByte: paddingByte, reserving: 0)
        out.setUInt16(UInt16(truncatingIfNeeded: out.count - 20), at: 2)
        return out
    }

    /// Header and attributes; the length field is left for the caller to set.
    func encodedBody(paddingByte: UInt8, reserving extra: Int) -> [UInt8] {
        var out: [UInt8] = []
        // Room for typical values (a TURN request with USERNAME, REALM and NONCE fits).
        out.reserveCapacity(20 + attributes.count * 24 + extra)
        out.appendUInt16(type.rawValue)
        out.appendUInt16(0)
        out.appendUInt32(stunMagicCookie)
        out.appendUInt32(transactionID.high)
        out.appendUInt64(transactionID.low)
        for attribute in attributes {
            let start = out.count
            out.appendUInt16(attribute.type.rawValue)
            out.appendUInt16(0)
            attribute.appendValue(to: &out, transactionID: transactionID)
            out.setUInt16(UInt16(truncatingIfNeeded: out.count - start - 4), at: start + 2)
            out.padToFour(with: paddingByte)
        }
        return out
    }
}
