/// A TLS alert (RFC 5246 §7.2): a level and a description, two bytes in a record of
/// content type 21.
public struct DTLSAlert: Hashable, Sendable, CustomStringConvertible {
    /// warning(1) or fatal(2).
    public enum Level: UInt8, Sendable {
        case warning = 1, fatal = 2
    }

    /// The alert description byte (RFC 5246 §7.2, RFC 5746 §3.6 no_renegotiation,
    /// RFC 8446 §6 for the registry's names).
    public struct Description: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let closeNotify = Description(rawValue: 0)
        public static let unexpectedMessage = Description(rawValue: 10)
        public static let badRecordMAC = Description(rawValue: 20)
        public static let handshakeFailure = Description(rawValue: 40)
        public static let badCertificate = Description(rawValue: 42)
        public static let illegalParameter = Description(rawValue: 47)
        public static let decodeError = Description(rawValue: 50)
        public static let decryptError = Description(rawValue: 51)
        public static let protocolVersion = Description(rawValue: 70)
        public static let internalError = Description(rawValue: 80)
        public static let noRenegotiation = Description(rawValue: 100)

        static let names: [UInt8: String] = [
            0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 40: "handshake_failure",
            42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
            46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca", 50: "decode_error",
            51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
            90: "user_canceled", 100: "no_renegotiation", 110: "unsupported_extension",
        ]

        /// The RFC's name, or the number for one this endpoint does not know.
        public var description: String { Self.names[rawValue] ?? "alert \(rawValue)" }
    }

    public var level: Level
    /// What happened.
    public var reason: Description

    public init(level: Level, reason: Description) {
        self.level = level
        self.reason = reason
    }

    /// Decodes a record body of exactly two bytes; an unknown level is fatal (RFC 5246
    /// §7.2 leaves nothing else).
    init(decoding body: ArraySlice<UInt8>) throws(DTLSError) {
        guard body.count == 2 else { throw .decodeError("an alert of \(body.count) bytes") }
        level = Level(rawValue: body[body.startIndex]) ?? .fatal
        reason = Description(rawValue: body[body.startIndex + 1])
    }

    var encoded: [UInt8] { [level.rawValue, reason.rawValue] }

    public var description: String { "\(level == .fatal ? "fatal" : "warning") alert \(reason)" }
}
