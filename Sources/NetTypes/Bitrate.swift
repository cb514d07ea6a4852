/// A data rate in bits per second.
public struct Bitrate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bitsPerSecond: Int64

    @inlinable public init(bitsPerSecond: Int64) { self.bitsPerSecond = bitsPerSecond }
    public static func kbps(_ k: Double) -> Bitrate { Bitrate(bitsPerSecond: Int64((k * 1e3).rounded())) }
    public static func mbps(_ m: Double) -> Bitrate { Bitrate(bitsPerSecond: Int64((m * 1e6).rounded())) }

    /// Parses `500kbps`, `2.5Mbps`, `1Gbps`, `64000bps` (SI prefixes, case of k/M/G ignored).
    public init(parsing text: some StringProtocol) throws(ParseError) {
        let q = try Quantity.split(String(text), kind: .bitrate)
        let scale: Double
        switch q.unit.lowercased() {
        case "bps", "bit/s": scale = 1
        case "kbps", "kbit/s": scale = 1e3
        case "mbps", "mbit/s": scale = 1e6
        case "gbps", "gbit/s": scale = 1e9
        default: throw .invalidQuantity(q.text, kind: .bitrate, reason: "unknown unit '\(q.unit)' (use bps, kbps, Mbps or Gbps)")
        }
        self.bitsPerSecond = try q.scaled(by: scale)
    }

    /// Time to serialize `bytes` at this rate.
    @inlinable public func transmissionTime(bytes: Int) -> Duration {
        Duration(nanoseconds: Int64(bytes) * 8_000_000_000 / bitsPerSecond)
    }

    public static func < (a: Bitrate, b: Bitrate) -> Bool { a.bitsPerSecond < b.bitsPerSecond }

    public var description: String {
        let b = Double(bitsPerSecond)
        if bitsPerSecond >= 1_000_000_000 { return "\(UnitFormatting.trimmed(b / 1e9))Gbps" }
        if bitsPerSecond >= 1_000_000 { return "\(UnitFormatting.trimmed(b / 1e6))Mbps" }
        if bitsPerSecond >= 1_000 { return "\(UnitFormatting.trimmed(b / 1e3))kbps" }
        return "\(bitsPerSecond)bps"
    }
}

/// A size in bytes.
public struct ByteCount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bytes: Int64

    @inlinable public init(bytes: Int64) { self.bytes = bytes }

    /// Parses `1500B`, `64KB` (1000-based), `64KiB` (1024-based), `1.5MB`, `2GiB`.
    public init(parsing text: some StringProtocol) throws(ParseError) {
        let q = try Quantity.split(String(text), kind: .byteCount)
        let scale: Double
        switch q.unit {
        case "B", "bytes": scale = 1
        case "KB", "kB": scale = 1e3
        case "KiB": scale = 1024
        case "MB": scale = 1e6
        case "MiB": scale = 1_048_576
        case "GB": scale = 1e9
        case "GiB": scale = 1_073_741_824
        default: throw .invalidQuantity(q.text, kind: .byteCount, reason: "unknown unit '\(q.unit)' (use B, KB, KiB, MB, MiB, GB or GiB)")
        }
        self.bytes = try q.scaled(by: scale)
    }

    public static func < (a: ByteCount, b: ByteCount) -> Bool { a.bytes < b.bytes }
    public var description: String { "\(bytes)B" }
}

/// Parsing of durations and percentages, the two unit quantities that map onto
/// existing types.
public enum Units {
    /// Parses `20ms`, `1.5s`, `250us`, `10ns`, `2m`, `1h` (a bare `0` is allowed).
    public static func duration(_ text: some StringProtocol) throws(ParseError) -> Duration {
        let input = String(text)
        if input == "0" { return .zero }
        let q = try Quantity.split(input, kind: .duration)
        let scale: Double
        switch q.unit {
        case "ns": scale = 1
        case "us", "µs": scale = 1e3
        case "ms": scale = 1e6
        case "s": scale = 1e9
        case "m", "min": scale = 60e9
        case "h": scale = 3600e9
        default: throw .invalidQuantity(input, kind: .duration, reason: "unknown unit '\(q.unit)' (use ns, us, ms, s, m or h)")
        }
        return Duration(nanoseconds: try q.scaled(by: scale))
    }

    /// Parses `1%`, `0.5%`, `100%` into a fraction from 0 to 1.
    public static func percentage(_ text: some StringProtocol) throws(ParseError) -> Double {
        let input = String(text)
        let q = try Quantity.split(input, kind: .percentage)
        guard q.unit == "%" else {
            throw .invalidQuantity(input, kind: .percentage, reason: q.unit.isEmpty ? "missing '%'" : "unknown unit '\(q.unit)' (use %)")
        }
        guard q.number <= 100 else { throw .invalidQuantity(input, kind: .percentage, reason: "must not exceed 100%") }
        return q.number / 100
    }
}

/// A number followed by a unit, split but not yet interpreted.
struct Quantity {
    let text: String
    let kind: QuantityKind
    let number: Double
    let unit: String

    static func split(_ raw: String, kind: QuantityKind) throws(ParseError) -> Quantity {
        let text = raw.trimmingSpaces
        guard !text.isEmpty else { throw .invalidQuantity(raw, kind: kind, reason: "empty value") }
        var numberEnd = text.startIndex
        var sawDigit = false, sawDot = false
        for index in text.indices {
            let c = text[index]
            if c.isASCII && c.isNumber { sawDigit = true }
            else if c == "." && !sawDot { sawDot = true }
            else if c == "-" || c == "+" {
                if index == text.startIndex {
                    if c == "-" { throw .invalidQuantity(raw, kind: kind, reason: "must not be negative") }
                } else { break }
            } else { break }
            numberEnd = text.index(after: index)
        }
        guard sawDigit else { throw .invalidQuantity(raw, kind: kind, reason: "expected a number followed by a unit") }
        let numberText = text[..<numberEnd]
        guard let number = Double(numberText), number.isFinite else {
            throw .invalidQuantity(raw, kind: kind, reason: "'\(numberText)' is not a number")
        }
        let unit = String(text[numberEnd...]).trimmingSpaces
        // `1e3ms` would otherwise read as the number 1 with the unknown unit `e3ms`.
        if let e = unit.first, e == "e" || e == "E", unit.dropFirst().drop(while: { $0 == "+" || $0 == "-" }).first?.isNumber == true {
            throw .invalidQuantity(raw, kind: kind, reason: "scientific notation is not supported (write the digits, e.g. 1000ms)")
        }
        if unit.isEmpty && kind != .percentage {
            throw .invalidQuantity(raw, kind: kind, reason: "missing unit")
        }
        return Quantity(text: raw, kind: kind, number: number, unit: unit)
    }

    /// The number times `scale`, rounded to an integer; rejects results that do not fit.
    func scaled(by scale: Double) throws(ParseError) -> Int64 {
        let value = (number * scale).rounded()
        guard value < 9.2e18 else {
            throw .invalidQuantity(text, kind: kind, reason: "value too large")
        }
        return Int64(value)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
