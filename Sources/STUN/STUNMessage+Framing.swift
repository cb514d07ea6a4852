extension STUNMessage {
    /// Whether `bytes` start like a STUN message: top bits zero, the magic cookie, and
    /// a length that is a multiple of 4 (cheap test before a full decode).
    public static func looksLikeSTUN(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 20 && bytes[0] & 0xC0 == 0 && bytes[3] & 3 == 0
            && bytes[4] == 0x21 && bytes[5] == 0x12 && bytes[6] == 0xA4 && bytes[7] == 0x42
    }

    /// Over stream transports (TCP, TLS) messages follow each other: the size of the
    /// message at the start of `bytes` (20 + the length field), or nil while fewer than
    /// 20 bytes have arrived.
    public static func frameLength(of bytes: some Collection<UInt8>) -> Int? {
        guard bytes.count >= 20 else { return nil }
        let i = bytes.index(bytes.startIndex, offsetBy: 2)
        return 20 + (Int(bytes[i]) << 8 | Int(bytes[bytes.index(after: i)]))
    }
}
