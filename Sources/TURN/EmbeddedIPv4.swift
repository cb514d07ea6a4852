import NetTypes

/// The IPv4 addresses an IPv6 address carries inside it, so that the peer policy can judge
/// a peer by the IPv4 host it actually reaches through a translator or tunnel.
enum EmbeddedIPv4 {
    /// The IPv4 addresses `address` may embed, empty when it is of none of these forms:
    /// - IPv4-mapped `::ffff:0:0/96` (RFC 4291 §2.5.5.2) and IPv4-translated
    ///   `::ffff:0:0:0/96` (RFC 2765 §2.1): the last 32 bits;
    /// - 6to4 `2002::/16` (RFC 3056 §2): bits 16-47;
    /// - NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 §2.1): the last 32 bits;
    /// - NAT64 local-use `64:ff9b:1::/48` (RFC 8215): operators carve prefixes of 48, 56,
    ///   64 or 96 bits from it, and the IPv4 address sits elsewhere for each length
    ///   (RFC 6052 §2.2), so every possible position counts.
    static func addresses(in address: IPAddress) -> [IPv4Address] {
        guard case .v6(let a) = address else { return [] }
        let last32 = IPv4Address(UInt32(truncatingIfNeeded: a.low))
        if a.high == 0 && (a.low >> 32 == 0xFFFF || a.low >> 32 == 0xFFFF_0000) { return [last32] }
        if a.high >> 48 == 0x2002 { return [IPv4Address(UInt32(truncatingIfNeeded: a.high >> 16))] }
        if let translated = NAT64Prefix.wellKnown.extract(address) { return [translated] }
        guard a.high >> 16 == 0x0064_FF9B_0001 else { return [] }
        let bits48 = UInt32(truncatingIfNeeded: a.high & 0xFFFF) << 16 | UInt32(truncatingIfNeeded: a.low >> 40) & 0xFFFF
        let bits56 = UInt32(truncatingIfNeeded: a.high & 0xFF) << 24 | UInt32(truncatingIfNeeded: a.low >> 32) & 0xFF_FFFF
        let bits64 = UInt32(truncatingIfNeeded: a.low >> 24)
        return [IPv4Address(bits48), IPv4Address(bits56), IPv4Address(bits64), last32]
    }
}
