import NetTypes

extension STUNAttribute {
    /// Appends the attribute's value (no header, no padding) as it goes on the wire.
    func appendValue(to out: inout [UInt8], transactionID id: STUNTransactionID) {
        switch self {
        case .mappedAddress(let e), .alternateServer(let e), .responseOrigin(let e), .otherAddress(let e):
            STUNAddressCoding.append(e, xor: nil, to: &out)
        case .xorMappedAddress(let e), .xorPeerAddress(let e), .xorRelayedAddress(let e):
            STUNAddressCoding.append(e, xor: id, to: &out)
        case .username(let s), .realm(let s), .nonce(let s), .software(let s), .alternateDomain(let s):
            out.append(contentsOf: s.utf8)
        case .userhash(let b), .messageIntegrity(let b), .messageIntegritySHA256(let b), .padding(let b),
             .data(let b), .unknown(_, let b):
            out.append(contentsOf: b)
        case .fingerprint(let v), .priority(let v), .lifetime(let v):
            out.appendUInt32(v)
        case .errorCode(let e):
            STUNAttribute.appendErrorCode(e, firstByte: 0, to: &out)
        case .passwordAlgorithms(let list):
            for a in list { STUNAttribute.appendPasswordAlgorithm(a, to: &out) }
        case .passwordAlgorithm(let a):
            STUNAttribute.appendPasswordAlgorithm(a, to: &out)
        case .unknownAttributes(let types):
            for t in types { out.appendUInt16(t.rawValue) }
        case .useCandidate, .dontFragment:
            break
        case .iceControlled(let v), .iceControlling(let v), .reservationToken(let v):
            out.appendUInt64(v)
        case .changeRequest(let changeIP, let changePort):
            out.appendUInt32((changeIP ? 0x4 : 0) | (changePort ? 0x2 : 0))
        case .responsePort(let p), .channelNumber(let p):
            out.appendUInt16(p); out.appendUInt16(0)
        case .requestedAddressFamily(let f), .additionalAddressFamily(let f):
            out.append(STUNAddressCoding.familyByte(f)); out.append(0); out.appendUInt16(0)
        case .evenPort(let reserve):
            out.append(reserve ? 0x80 : 0)
        case .requestedTransport(let proto):
            out.append(proto); out.append(0); out.appendUInt16(0)
        case .addressErrorCode(let family, let e):
            STUNAttribute.appendErrorCode(e, firstByte: STUNAddressCoding.familyByte(family), to: &out)
        case .icmp(let type, let code, let data):
            out.appendUInt16(0); out.append(type); out.append(code); out.appendUInt32(data)
        }
    }

    /// ERROR-CODE layout; ADDRESS-ERROR-CODE puts the family in the first byte.
    private static func appendErrorCode(_ e: STUNErrorCode, firstByte: UInt8, to out: inout [UInt8]) {
        out.append(firstByte)
        out.append(0)
        out.append(UInt8(truncatingIfNeeded: e.code / 100) & 0x07)
        out.append(UInt8(truncatingIfNeeded: e.code % 100))
        out.append(contentsOf: e.reason.utf8)
    }

    private static func appendPasswordAlgorithm(_ a: STUNPasswordAlgorithm, to out: inout [UInt8]) {
        out.appendUInt16(a.number)
        out.appendUInt16(UInt16(truncatingIfNeeded: a.parameters.count))
        out.append(contentsOf: a.parameters)
        out.padToFour(with: 0)
    }
}
