/// A decoded message together with the bytes it was decoded from and where its
/// integrity and fingerprint attributes start: what verification needs, since both are
/// computed over the exact received prefix.
public struct DecodedSTUNMessage: Sendable {
    public let message: STUNMessage
    /// The received bytes (one whole message).
    public let bytes: [UInt8]
    /// Offset of the first MESSAGE-INTEGRITY attribute header.
    public let messageIntegrityOffset: Int?
    /// Offset of the first MESSAGE-INTEGRITY-SHA256 attribute header.
    public let messageIntegritySHA256Offset: Int?
    /// Offset of the first FINGERPRINT attribute header.
    public let fingerprintOffset: Int?

    /// Decodes `bytes`, which must hold exactly one message (a UDP datagram, or a frame cut
    /// from a stream with `STUNMessage.frameLength(of:)`).
    public init(decoding bytes: [UInt8]) throws(STUNDecodeError) {
        self.bytes = bytes
        var offsets = AttributeOffsets()
        let result = bytes.withUnsafeBytes { p -> Result<STUNMessage, STUNDecodeError> in
            do throws(STUNDecodeError) {
                return .success(try DecodedSTUNMessage.parse(p, offsets: &offsets))
            } catch {
                return .failure(error)
            }
        }
        message = try result.get()
        messageIntegrityOffset = offsets.messageIntegrity
        messageIntegritySHA256Offset = offsets.messageIntegritySHA256
        fingerprintOffset = offsets.fingerprint
    }

    /// Where the attributes integrity checks need start.
    struct AttributeOffsets {
        var messageIntegrity: Int?
        var messageIntegritySHA256: Int?
        var fingerprint: Int?
    }

    /// The header and every attribute of the message filling `p`.
    static func parse(_ p: UnsafeRawBufferPointer, offsets: inout AttributeOffsets) throws(STUNDecodeError) -> STUNMessage {
        let (type, id, length) = try header(p)
        var offset = 20
        let end = 20 + length
        var attributes: [STUNAttribute] = []
        attributes.reserveCapacity(attributeCount(p, end: end))
        // `offset` and `end` are multiples of 4, so a whole attribute header always fits.
        while offset < end {
            let attributeType = STUNAttributeType(rawValue: p.uint16(at: offset))
            let valueLength = Int(p.uint16(at: offset + 2))
            guard valueLength <= end - offset - 4 else {
                throw .attributeOverrun(type: attributeType, offset: offset, length: valueLength)
            }
            switch attributeType {
            case .messageIntegrity: if offsets.messageIntegrity == nil { offsets.messageIntegrity = offset }
            case .messageIntegritySHA256: if offsets.messageIntegritySHA256 == nil { offsets.messageIntegritySHA256 = offset }
            case .fingerprint: if offsets.fingerprint == nil { offsets.fingerprint = offset }
            default: break
            }
            attributes.append(try STUNAttribute.decode(
                type: attributeType, p, at: offset + 4, length: valueLength, transactionID: id))
            offset += 4 + paddedToFour(valueLength)
        }
        return STUNMessage(type: type, transactionID: id, attributes: attributes)
    }

    /// How many attribute headers the body up to `end` holds (an overrunning last one included):
    /// the attribute array is allocated once instead of growing.
    static func attributeCount(_ p: UnsafeRawBufferPointer, end: Int) -> Int {
        var count = 0
        var offset = 20
        while offset < end {
            count += 1
            offset += 4 + paddedToFour(Int(p.uint16(at: offset + 2)))
        }
        return count
    }

    /// Validates the 20-byte header against `p.count`; returns type, ID and body length.
    static func header(_ p: UnsafeRawBufferPointer) throws(STUNDecodeError) -> (STUNMessageType, STUNTransactionID, Int) {
        guard p.count >= 20 else { throw .truncatedHeader(available: p.count) }
        guard let type = STUNMessageType(rawValue: p.uint16(at: 0)) else { throw .notSTUN(firstByte: p[0]) }
        let cookie = p.uint32(at: 4)
        guard cookie == stunMagicCookie else { throw .badMagicCookie(cookie) }
        let length = Int(p.uint16(at: 2))
        guard length & 3 == 0 else { throw .lengthNotMultipleOfFour(length) }
        guard length == p.count - 20 else { throw .lengthMismatch(declared: length, available: p.count - 20) }
        return (type, STUNTransactionID(high: p.uint32(at: 8), low: p.uint64(at: 12)), length)
    }
}
