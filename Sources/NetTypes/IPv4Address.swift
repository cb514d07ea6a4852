/// An IPv4 address held in host byte order.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a 32-bit number (192.0.2.1 is 0xC000_0201).
    public var value: UInt32

    @inlinable public init(_ value: UInt32) { self.value = value }
    @inlinable public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text; leading zeros are rejected (they mean octal to some parsers).
    public init(parsing text: some StringProtocol) throws(ParseError) {
        guard let value = IPv4Address.parse(Substring(text)) else { throw .invalidIPv4Address(String(text)) }
        self.value = value
    }

    static func parse(_ text: Substring) -> UInt32? {
        var result: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                result = result << 8 | current
                octets += 1
                guard octets < 4 else { return nil }
                current = 0; digits = 0; leadingZero = false
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 1 && current == 0 { leadingZero = true }
                if leadingZero { return nil }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard current <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard octets == 3, digits > 0 else { return nil }
        return result << 8 | current
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }

    public var description: String {
        String(unsafeUninitializedCapacity: 15) { writeText(into: $0, at: 0) }
    }

    /// Writes the dotted-quad text into `buffer` from `start` (15 bytes at most); returns
    /// where it ends. Text is built in place: addresses are formatted for every result row.
    func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var end = start
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift < 24 { buffer[end] = UInt8(ascii: "."); end += 1 }
            end = Self.writeDecimal(UInt16(value >> UInt32(shift) & 0xFF), into: buffer, at: end)
        }
        return end
    }

    /// Writes `n` in decimal (5 bytes at most) from `start`; returns where it ends.
    static func writeDecimal(_ n: UInt16, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var digits = 1
        var rest = n / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var value = n
        for i in stride(from: start + digits - 1, through: start, by: -1) {
            buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        return start + digits
    }

    public static let any = IPv4Address(0)
    public static let loopback = IPv4Address(127, 0, 0, 1)
}
