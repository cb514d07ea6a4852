import NetTypes

extension STUNAttribute {
    /// Decodes the value of `length` bytes at `offset` of a message (bounds already checked).
    static func decode(
        type: STUNAttributeType, _ p: UnsafeRawBufferPointer, at offset: Int, length: Int, transactionID id: STUNTransactionID
    ) throws(STUNDecodeError) -> STUNAttribute {
        func need(_ ok: Bool) throws(STUNDecodeError) {
            if !ok { throw .invalidAttributeLength(type: type, length: length) }
        }
        func text() throws(STUNDecodeError) -> String {
            let raw = UnsafeRawBufferPointer(rebasing: p[offset..<offset + length])
            // ASCII, the usual case, is valid UTF-8 as it stands: no validating decoder needed.
            if !raw.contains(where: { $0 >= 0x80 }) { return String(decoding: raw, as: UTF8.self) }
            guard let s = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(type: type) }
            return s
        }
        func address(xor: Bool) throws(STUNDecodeError) -> Endpoint {
            try STUNAddressCoding.decode(p, at: offset, length: length, type: type, xor: xor ? id : nil)
        }
        func raw() -> [UInt8] { p.bytes(at: offset, count: length) }
        func family() throws(STUNDecodeError) -> AddressFamily {
            try need(length == 4)
            guard let f = STUNAddressCoding.family(p[offset]) else { throw .badAddressFamily(type: type, family: p[offset]) }
            return f
        }

        switch type {
        case .mappedAddress: return .mappedAddress(try address(xor: false))
        case .xorMappedAddress: return .xorMappedAddress(try address(xor: true))
        case .alternateServer: return .alternateServer(try address(xor: false))
        case .responseOrigin: return .responseOrigin(try address(xor: false))
        case .otherAddress: return .otherAddress(try address(xor: false))
        case .xorPeerAddress: return .xorPeerAddress(try address(xor: true))
        case .xorRelayedAddress: return .xorRelayedAddress(try address(xor: true))
        case .username: return .username(try text())
        case .realm: return .realm(try text())
        case .nonce: return .nonce(try text())
        case .software: return .software(try text())
        case .alternateDomain: return .alternateDomain(try text())
        case .userhash: try need(length == 32); return .userhash(raw())
        case .messageIntegrity: try need(length == 20); return .messageIntegrity(raw())
        case .messageIntegritySHA256:
            try need(length >= 16 && length <= 32 && length & 3 == 0)
            return .messageIntegritySHA256(raw())
        case .fingerprint: try need(length == 4); return .fingerprint(p.uint32(at: offset))
        case .priority: try need(length == 4); return .priority(p.uint32(at: offset))
        case .lifetime: try need(length == 4); return .lifetime(p.uint32(at: offset))
        case .errorCode:
            try need(length >= 4)
            return .errorCode(try errorCode(type: type, p, at: offset, length: length))
        case .addressErrorCode:
            try need(length >= 4)
            guard let f = STUNAddressCoding.family(p[offset]) else { throw .badAddressFamily(type: type, family: p[offset]) }
            return .addressErrorCode(family: f, error: try errorCode(type: type, p, at: offset, length: length))
        case .passwordAlgorithms:
            return .passwordAlgorithms(try passwordAlgorithms(type: type, p, at: offset, length: length))
        case .passwordAlgorithm:
            let list = try passwordAlgorithms(type: type, p, at: offset, length: length)
            try need(list.count == 1)
            return .passwordAlgorithm(list[0])
        case .unknownAttributes:
            try need(length & 1 == 0)
            return .unknownAttributes(stride(from: 0, to: length, by: 2).map {
                STUNAttributeType(rawValue: p.uint16(at: offset + $0))
            })
        case .useCandidate: try need(length == 0); return .useCandidate
        case .dontFragment: try need(length == 0); return .dontFragment
        case .iceControlled: try need(length == 8); return .iceControlled(p.uint64(at: offset))
        case .iceControlling: try need(length == 8); return .iceControlling(p.uint64(at: offset))
        case .reservationToken: try need(length == 8); return .reservationToken(p.uint64(at: offset))
        case .changeRequest:
            try need(length == 4)
            let flags = p.uint32(at: offset)
            return .changeRequest(changeIP: flags & 0x4 != 0, changePort: flags & 0x2 != 0)
        case .responsePort: try need(length == 4); return .responsePort(p.uint16(at: offset))
        case .channelNumber: try need(length == 4); return .channelNumber(p.uint16(at: offset))
        case .padding: return .padding(raw())
        case .data: return .data(raw())
        case .requestedAddressFamily: return .requestedAddressFamily(try family())
        case .additionalAddressFamily: return .additionalAddressFamily(try family())
        case .evenPort: try need(length == 1); return .evenPort(reserveNextPort: p[offset] & 0x80 != 0)
        case .requestedTransport: try need(length == 4); return .requestedTransport(p[offset])
        case .icmp:
            try need(length == 8)
            return .icmp(type: p[offset + 2], code: p[offset + 3], errorData: p.uint32(at: offset + 4))
        default:
            return .unknown(type: type, value: raw())
        }
    }

    /// Class, number and reason of ERROR-CODE / ADDRESS-ERROR-CODE (bytes 2, 3, 4...).
    private static func errorCode(
        type: STUNAttributeType, _ p: UnsafeRawBufferPointer, at offset: Int, length: Int
    ) throws(STUNDecodeError) -> STUNErrorCode {
        let classBits = p[offset + 2] & 0x07, number = p[offset + 3]
        guard classBits >= 3 && classBits <= 6 && number < 100 else {
            throw .invalidErrorCode(type: type, classBits: classBits, number: number)
        }
        let raw = UnsafeRawBufferPointer(rebasing: p[offset + 4..<offset + length])
        guard let reason = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(type: type) }
        return STUNErrorCode(code: Int(classBits) * 100 + Int(number), reason: reason)
    }

    /// A sequence of (algorithm, parameter length, parameters padded to 4).
    private static func passwordAlgorithms(
        type: STUNAttributeType, _ p: UnsafeRawBufferPointer, at offset: Int, length: Int
    ) throws(STUNDecodeError) -> [STUNPasswordAlgorithm] {
        var list: [STUNPasswordAlgorithm] = []
        var i = offset
        let end = offset + length
        while i < end {
            guard end - i >= 4 else { throw .invalidAttributeLength(type: type, length: length) }
            let parameterLength = Int(p.uint16(at: i + 2))
            guard paddedToFour(parameterLength) <= end - i - 4 else {
                throw .invalidAttributeLength(type: type, length: length)
            }
            list.append(STUNPasswordAlgorithm(number: p.uint16(at: i), parameters: p.bytes(at: i + 4, count: parameterLength)))
            i += 4 + paddedToFour(parameterLength)
        }
        return list
    }
}
