/// A variable-length parameter of INIT and INIT ACK (RFC 9260 §3.3.2.1, RFC 3758 §3.1,
/// RFC 5061 §4.2.7).
public enum SCTPParameter: Equatable, Sendable {
    /// State Cookie (7): opaque to the receiver of the INIT ACK, echoed back.
    case stateCookie([UInt8])
    /// Forward-TSN-Supported (49152, RFC 3758 §3.1): partial reliability offered.
    case forwardTSNSupported
    /// Supported Extensions (32776, RFC 5061 §4.2.7): chunk types beyond RFC 9260.
    case supportedExtensions([UInt8])
    /// Any other parameter, kept as read (its upper two type bits say how to treat it
    /// when unknown, RFC 9260 §3.2.1).
    case other(type: UInt16, value: [UInt8])

    static let stateCookieType: UInt16 = 7
    static let forwardTSNSupportedType: UInt16 = 0xC000
    static let supportedExtensionsType: UInt16 = 0x8008

    init(type: UInt16, value: ArraySlice<UInt8>) {
        switch type {
        case Self.stateCookieType: self = .stateCookie(Array(value))
        case Self.forwardTSNSupportedType: self = .forwardTSNSupported
        case Self.supportedExtensionsType: self = .supportedExtensions(Array(value))
        default: self = .other(type: type, value: Array(value))
        }
    }

    func encode(into w: inout SCTPWriter) {
        switch self {
        case .stateCookie(let cookie): w.tlv(Self.stateCookieType, cookie)
        case .forwardTSNSupported: w.tlv(Self.forwardTSNSupportedType, [])
        case .supportedExtensions(let types): w.tlv(Self.supportedExtensionsType, types)
        case .other(let type, let value): w.tlv(type, value)
        }
    }
}

/// A parameter of a RE-CONFIG chunk (RFC 6525 §4).
public enum SCTPReconfigParameter: Equatable, Sendable {
    /// Outgoing SSN Reset Request (13, §4.1): the sender resets these outgoing streams
    /// (all when empty) once the receiver has every TSN up to `lastTSN`.
    case outgoingReset(requestSequence: UInt32, responseSequence: UInt32, lastTSN: UInt32, streams: [UInt16])
    /// Re-configuration Response (16, §4.4).
    case response(responseSequence: UInt32, result: SCTPReconfigResult)
    /// A request type this endpoint does not implement (answered "denied").
    case other(type: UInt16, value: [UInt8])

    static let outgoingResetType: UInt16 = 13
    static let responseType: UInt16 = 16

    init(type: UInt16, value: ArraySlice<UInt8>) throws(SCTPDecodeError) {
        var r = SCTPReader(value)
        switch type {
        case Self.outgoingResetType:
            let request = try r.u32(), response = try r.u32(), last = try r.u32()
            guard r.count % 2 == 0 else { throw .badLength }
            var streams: [UInt16] = []
            while !r.isEmpty { streams.append(try r.u16()) }
            self = .outgoingReset(requestSequence: request, responseSequence: response, lastTSN: last, streams: streams)
        case Self.responseType:
            let sequence = try r.u32()
            self = .response(responseSequence: sequence, result: SCTPReconfigResult(rawValue: try r.u32()))
        default:
            self = .other(type: type, value: Array(value))
        }
    }

    func encode(into w: inout SCTPWriter) {
        var v = SCTPWriter()
        switch self {
        case .outgoingReset(let request, let response, let last, let streams):
            v.u32(request); v.u32(response); v.u32(last)
            for stream in streams { v.u16(stream) }
            w.tlv(Self.outgoingResetType, v.bytes)
        case .response(let sequence, let result):
            v.u32(sequence); v.u32(result.rawValue)
            w.tlv(Self.responseType, v.bytes)
        case .other(let type, let value):
            w.tlv(type, value)
        }
    }
}

/// The result of a re-configuration request (RFC 6525 §4.4).
public struct SCTPReconfigResult: RawRepresentable, Equatable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let successNothingToDo = SCTPReconfigResult(rawValue: 0)
    public static let successPerformed = SCTPReconfigResult(rawValue: 1)
    public static let denied = SCTPReconfigResult(rawValue: 2)
    public static let errorBadSequenceNumber = SCTPReconfigResult(rawValue: 5)
    public static let inProgress = SCTPReconfigResult(rawValue: 6)
}
