/// The 14-bit message type of the STUN header: a method and a class whose bits are
/// interleaved as RFC 8489 §5 draws them (M11..M7 C1 M6..M4 C0 M3..M0).
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    public var method: STUNMethod
    public var messageClass: STUNClass

    @inlinable public init(method: STUNMethod, class messageClass: STUNClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Splits a header's first 16 bits; nil when either of the two top bits is set
    /// (then the bytes are not STUN).
    @inlinable public init?(rawValue: UInt16) {
        guard rawValue & 0xC000 == 0 else { return nil }
        let m = rawValue & 0x000F | (rawValue & 0x00E0) >> 1 | (rawValue & 0x3E00) >> 2
        let c = (rawValue & 0x0010) >> 4 | (rawValue & 0x0100) >> 7
        method = STUNMethod(rawValue: m)
        messageClass = STUNClass(rawValue: UInt8(c))!
    }

    /// The 16-bit value written to the header.
    @inlinable public var rawValue: UInt16 {
        let m = method.rawValue
        let c = UInt16(messageClass.rawValue)
        return m & 0x000F | (m & 0x0070) << 1 | (m & 0x0F80) << 2 | (c & 1) << 4 | (c & 2) << 7
    }

    public static let bindingRequest = STUNMessageType(method: .binding, class: .request)
    public static let bindingSuccess = STUNMessageType(method: .binding, class: .successResponse)
    public static let bindingError = STUNMessageType(method: .binding, class: .errorResponse)
    public static let bindingIndication = STUNMessageType(method: .binding, class: .indication)

    public var description: String { "\(method) \(messageClass)" }
}
