/// An IPv6 address as two 64-bit halves in host byte order.
public struct IPv6Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    @inlinable public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// Builds an address from its eight 16-bit groups.
    public init(groups: [UInt16]) {
        precondition(groups.count == 8, "an IPv6 address has eight groups")
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<4 { h = h << 16 | UInt64(groups[i]) }
        for i in 4..<8 { l = l << 16 | UInt64(groups[i]) }
        high = h; low = l
    }

    /// Builds an address from 16 bytes in network order.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        high = h; low = l
    }

    /// Parses RFC 4291 text: full, compressed (`::`) and with a trailing dotted IPv4 part.
    public init(parsing text: some StringProtocol) throws(ParseError) {
        let input = String(text)
        func fail(_ reason: String) -> ParseError { .invalidIPv6Address(input, reason: reason) }
        if input.contains("%") { throw fail("zone identifiers are not supported") }
        let parts = input.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count > 2 { throw fail("'::' may appear only once") }
        func groups(_ piece: Substring, allowIPv4Tail: Bool) throws(ParseError) -> [UInt16] {
            if piece.isEmpty { return [] }
            var result: [UInt16] = []
            let fields = piece.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if field.contains(".") {
                    guard allowIPv4Tail, index == fields.count - 1, let v4 = IPv4Address.parse(field) else {
                        throw fail("an embedded IPv4 address may only end the address")
                    }
                    result.append(UInt16(v4 >> 16)); result.append(UInt16(v4 & 0xFFFF))
                    continue
                }
                guard !field.isEmpty else { throw fail("empty group") }
                guard field.utf8.count <= 4, let value = UInt16(field, radix: 16) else {
                    throw fail("'\(field)' is not a group of 1-4 hex digits")
                }
                result.append(value)
            }
            return result
        }
        var all: [UInt16]
        if parts.count == 2 {
            let head = try groups(parts[0], allowIPv4Tail: false)
            let tail = try groups(parts[1], allowIPv4Tail: true)
            guard head.count + tail.count <= 7 else { throw fail("too many groups around '::'") }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            all = try groups(parts[0], allowIPv4Tail: true)
            guard all.count == 8 else { throw fail("expected 8 groups, found \(all.count)") }
        }
        self.init(groups: all)
    }

    /// The eight 16-bit groups.
    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
    }

    /// The 16 bytes in network order.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    /// The IPv4 address of an IPv4-mapped address (`::ffff:a.b.c.d`).
    public var ipv4Mapped: IPv4Address? {
        high == 0 && low >> 32 == 0xFFFF ? IPv4Address(UInt32(truncatingIfNeeded: low)) : nil
    }

    public static func < (a: IPv6Address, b: IPv6Address) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// Canonical text per RFC 5952: lower case, no leading zeros, the longest run of two or
    /// more zero groups (the first on ties) as `::`, IPv4-mapped addresses in dotted form.
    public var description: String {
        if let v4 = ipv4Mapped { return "::ffff:\(v4)" }
        let g = groups
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && g[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                text += "::"
                i += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(g[i], radix: 16)
            i += 1
        }
        return text
    }

    public static let any = IPv6Address(high: 0, low: 0)
    public static let loopback = IPv6Address(high: 0, low: 1)
}
