import NetTypes

/// An error cause carried in ABORT and ERROR chunks (RFC 9260 §3.3.10): a code and its
/// cause-specific bytes.
public struct SCTPErrorCause: Equatable, Sendable {
    public var code: UInt16
    public var info: [UInt8]

    public init(code: UInt16, info: [UInt8] = []) {
        self.code = code
        self.info = info
    }

    /// Invalid Stream Identifier (§3.3.10.1).
    public static let invalidStream: UInt16 = 1
    /// Stale Cookie (§3.3.10.3): info is the staleness in microseconds.
    public static let staleCookieCode: UInt16 = 3
    /// Unrecognized Chunk Type (§3.3.10.6): info is the chunk.
    public static let unrecognizedChunkCode: UInt16 = 6
    /// User-Initiated Abort (§3.3.10.12).
    public static let userInitiatedAbortCode: UInt16 = 12
    /// Protocol Violation (§3.3.10.13).
    public static let protocolViolationCode: UInt16 = 13

    /// A Stale Cookie cause: the cookie expired `staleness` ago.
    public static func staleCookie(_ staleness: Duration) -> SCTPErrorCause {
        var w = SCTPWriter()
        w.u32(UInt32(clamping: staleness.nanoseconds / 1000))
        return SCTPErrorCause(code: staleCookieCode, info: w.bytes)
    }

    /// An Unrecognized Chunk Type cause reporting `chunk` (its encoded bytes).
    public static func unrecognizedChunk(_ chunk: [UInt8]) -> SCTPErrorCause {
        SCTPErrorCause(code: unrecognizedChunkCode, info: chunk)
    }

    /// A Protocol Violation cause with a human-readable reason.
    public static func protocolViolation(_ reason: String) -> SCTPErrorCause {
        SCTPErrorCause(code: protocolViolationCode, info: Array(reason.utf8))
    }

    /// A User-Initiated Abort cause with the user's reason.
    public static func userInitiatedAbort(_ reason: String) -> SCTPErrorCause {
        SCTPErrorCause(code: userInitiatedAbortCode, info: Array(reason.utf8))
    }

    static func decodeList(_ bytes: ArraySlice<UInt8>) throws(SCTPDecodeError) -> [SCTPErrorCause] {
        var reader = SCTPReader(bytes)
        return try reader.tlvs().map { SCTPErrorCause(code: $0.type, info: Array($0.value)) }
    }

    static func encodeList(_ causes: [SCTPErrorCause], into w: inout SCTPWriter) {
        for cause in causes { w.tlv(cause.code, cause.info) }
    }
}
