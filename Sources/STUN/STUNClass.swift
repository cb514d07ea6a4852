/// The class of a STUN message (two bits of the message type).
public enum STUNClass: UInt8, Hashable, Sendable, CaseIterable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11

    /// Success and error responses: what a client transaction waits for.
    public var isResponse: Bool { self == .successResponse || self == .errorResponse }
}
