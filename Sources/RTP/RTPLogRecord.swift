import NetTypes

/// One line of the RTP log of RFC 8868 §3.1: a sent or received RTP packet's send or
/// receive time (`sec.usec`), payload type, SSRC (hexadecimal), sequence number, RTP
/// timestamp, marker bit and payload size, separated by single spaces:
///
///     12.345678 96 56494400 17 90000 1 1187
///
/// The payload size counts the bytes after the RTP header (fixed part, CSRCs, header
/// extensions) and before the padding. Times have microsecond resolution.
public struct RTPLogRecord: Hashable, Sendable {
    /// Since the log's epoch (a simulated run's start), whole microseconds.
    public var time: Duration
    public var payloadType: UInt8
    public var ssrc: UInt32
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var marker: Bool
    public var payloadSize: Int

    public init(time: Duration, payloadType: UInt8, ssrc: UInt32, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, payloadSize: Int) {
        self.time = .microseconds(time.nanoseconds / 1_000)
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.marker = marker
        self.payloadSize = payloadSize
    }

    /// The record of the RTP packet `bytes` at `time`, read from its header alone (the
    /// payload is not copied): the same fields and payload size as `RTPPacket(decoding:)`
    /// gives, without checking the header extension elements. Throws on a version other
    /// than 2, a header longer than the packet or a padding count beyond the payload.
    public init(packet bytes: [UInt8], time: Duration) throws(RTPError) {
        var reader = ByteReader(bytes[...])
        let first = try reader.uint8()
        guard first >> 6 == 2 else { throw .unsupportedVersion(first >> 6) }
        let second = try reader.uint8()
        let sequence = try reader.uint16(), timestamp = try reader.uint32(), ssrc = try reader.uint32()
        try reader.skip(4 * Int(first & 0x0F))
        if first & 0x10 != 0 {
            try reader.skip(2)
            try reader.skip(4 * Int(try reader.uint16()))
        }
        var size = reader.remaining
        if first & 0x20 != 0 {
            guard let count = bytes.last, count > 0, Int(count) <= size else { throw .invalidLength("padding count exceeds the payload") }
            size -= Int(count)
        }
        self.init(time: time, payloadType: second & 0x7F, ssrc: ssrc, sequenceNumber: sequence, timestamp: timestamp,
                  marker: second & 0x80 != 0, payloadSize: size)
    }

    /// The log line, without a line terminator; SSRC as 8 lowercase hexadecimal digits.
    public var line: String {
        let micros = time.nanoseconds / 1_000
        let fraction = String(micros % 1_000_000)
        let hex = String(ssrc, radix: 16)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction) \(payloadType) "
            + "\(String(repeating: "0", count: 8 - hex.count))\(hex) \(sequenceNumber) \(timestamp) \(marker ? 1 : 0) \(payloadSize)"
    }

    /// Parses one non-empty log line: seven fields separated by spaces or tabs. The time
    /// is `SEC.FRACTION` with 1 to 6 fraction digits (a decimal fraction of a second); the
    /// SSRC is 1 to 8 hexadecimal digits, optionally after `0x`.
    public init(parsing line: Substring) throws(RTPLogError) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 7 else { throw RTPLogError("expected 7 fields (time, payload type, SSRC, sequence number, timestamp, marker, payload size), found \(fields.count)") }
        let time = fields[0].split(separator: ".", omittingEmptySubsequences: false)
        // Up to 9,000,000,000 s: Unix times fit, and so does the nanosecond count.
        guard time.count == 2, let seconds = Self.decimal(time[0], maxDigits: 10), seconds <= 9_000_000_000, (1...6).contains(time[1].count),
              let fraction = Self.decimal(time[1], maxDigits: 6) else {
            throw RTPLogError("time '\(fields[0])' is not SEC.USEC (decimal, 1 to 6 fraction digits)")
        }
        var micros = fraction
        for _ in time[1].count..<6 { micros *= 10 }
        guard let payloadType = Self.decimal(fields[1], maxDigits: 3), payloadType < 128 else {
            throw RTPLogError("payload type '\(fields[1])' is not 0-127")
        }
        var ssrcText = fields[2]
        if ssrcText.hasPrefix("0x") || ssrcText.hasPrefix("0X") { ssrcText = ssrcText.dropFirst(2) }
        guard (1...8).contains(ssrcText.count), ssrcText.allSatisfy(\.isHexDigit), let ssrc = UInt32(ssrcText, radix: 16) else {
            throw RTPLogError("SSRC '\(fields[2])' is not 1 to 8 hexadecimal digits")
        }
        guard let sequence = Self.decimal(fields[3], maxDigits: 5), sequence <= UInt64(UInt16.max) else {
            throw RTPLogError("sequence number '\(fields[3])' is not 0-65535")
        }
        guard let timestamp = Self.decimal(fields[4], maxDigits: 10), timestamp <= UInt64(UInt32.max) else {
            throw RTPLogError("RTP timestamp '\(fields[4])' is not 0-4294967295")
        }
        guard fields[5] == "0" || fields[5] == "1" else { throw RTPLogError("marker '\(fields[5])' is not 0 or 1") }
        guard let size = Self.decimal(fields[6], maxDigits: 5), size <= 65_535 else {
            throw RTPLogError("payload size '\(fields[6])' is not 0-65535")
        }
        self.init(time: .microseconds(Int64(seconds) * 1_000_000 + Int64(micros)), payloadType: UInt8(payloadType), ssrc: ssrc,
                  sequenceNumber: UInt16(sequence), timestamp: UInt32(timestamp), marker: fields[5] == "1", payloadSize: Int(size))
    }

    /// `text` as an unsigned decimal of 1 to `maxDigits` ASCII digits (no sign, no spaces).
    private static func decimal(_ text: Substring, maxDigits: Int) -> UInt64? {
        guard (1...maxDigits).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return UInt64(text)
    }
}

/// A log file of `RTPLogRecord` lines (RFC 8868 §3.1).
public enum RTPLog {
    /// The records as a log, one LF-terminated line each.
    public static func text(_ records: [RTPLogRecord]) -> String {
        records.map { $0.line + "\n" }.joined()
    }

    /// The records of a log: lines end with CRLF, CR or LF; empty lines (or lines of only
    /// spaces and tabs) are disregarded (RFC 8868 §3.1).
    public static func parse(_ text: String) throws(RTPLogError) -> [RTPLogRecord] {
        var records: [RTPLogRecord] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).enumerated() {
            guard line.contains(where: { $0 != " " && $0 != "\t" }) else { continue }
            do throws(RTPLogError) {
                records.append(try RTPLogRecord(parsing: line))
            } catch {
                throw RTPLogError("line \(index + 1): \(error.message)")
            }
        }
        return records
    }
}

/// Why an RTP log line could not be read.
public struct RTPLogError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
