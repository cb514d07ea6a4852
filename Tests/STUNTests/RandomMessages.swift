import NetTypes
@testable import STUN

/// Random well-formed messages and attributes for property tests, from a seeded PRNG.
struct RandomMessages {
    var rng: Xoshiro256

    init(seed: UInt64) { rng = Xoshiro256(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func bool() -> Bool { rng.next() & 1 == 1 }
    mutating func bytes(_ range: ClosedRange<Int>) -> [UInt8] {
        (0..<int(range)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
    mutating func text() -> String {
        let alphabet = Array("abcXYZ019 :/-é€\u{30DE}")
        return String((0..<int(0...20)).map { _ in alphabet[int(0...alphabet.count - 1)] })
    }
    mutating func endpoint() -> Endpoint {
        let address: IPAddress = bool()
            ? .v4(IPv4Address(UInt32(truncatingIfNeeded: rng.next())))
            : .v6(IPv6Address(high: rng.next(), low: rng.next()))
        return Endpoint(address, UInt16(truncatingIfNeeded: rng.next()))
    }
    mutating func family() -> AddressFamily { bool() ? .ipv4 : .ipv6 }
    mutating func errorCode() -> STUNErrorCode { STUNErrorCode(code: int(300...699), reason: text()) }
    mutating func algorithm() -> STUNPasswordAlgorithm {
        STUNPasswordAlgorithm(number: UInt16(truncatingIfNeeded: rng.next()), parameters: bytes(0...6))
    }

    mutating func attribute() -> STUNAttribute {
        let u32 = UInt32(truncatingIfNeeded: rng.next()), u16 = UInt16(truncatingIfNeeded: rng.next())
        switch int(0...38) {
        case 0: return .mappedAddress(endpoint())
        case 1: return .xorMappedAddress(endpoint())
        case 2: return .username(text())
        case 3: return .userhash(bytes(32...32))
        case 4: return .messageIntegrity(bytes(20...20))
        case 5: return .messageIntegritySHA256(bytes(16...16) + Array(repeating: 7, count: 4 * int(0...4)))
        case 6: return .fingerprint(u32)
        case 7: return .errorCode(errorCode())
        case 8: return .realm(text())
        case 9: return .nonce(text())
        case 10: return .passwordAlgorithms((0..<int(0...3)).map { _ in algorithm() })
        case 11: return .passwordAlgorithm(algorithm())
        case 12: return .unknownAttributes((0..<int(0...5)).map { _ in STUNAttributeType(rawValue: UInt16(truncatingIfNeeded: rng.next())) })
        case 13: return .software(text())
        case 14: return .alternateServer(endpoint())
        case 15: return .alternateDomain(text())
        case 16: return .priority(u32)
        case 17: return .useCandidate
        case 18: return .iceControlled(rng.next())
        case 19: return .iceControlling(rng.next())
        case 20: return .changeRequest(changeIP: bool(), changePort: bool())
        case 21: return .responseOrigin(endpoint())
        case 22: return .otherAddress(endpoint())
        case 23: return .responsePort(u16)
        case 24: return .padding(bytes(0...40))
        case 25: return .channelNumber(u16)
        case 26: return .lifetime(u32)
        case 27: return .xorPeerAddress(endpoint())
        case 28: return .data(bytes(0...60))
        case 29: return .xorRelayedAddress(endpoint())
        case 30: return .requestedAddressFamily(family())
        case 31: return .evenPort(reserveNextPort: bool())
        case 32: return .requestedTransport(UInt8(truncatingIfNeeded: u32))
        case 33: return .dontFragment
        case 34: return .reservationToken(rng.next())
        case 35: return .additionalAddressFamily(family())
        case 36: return .addressErrorCode(family: family(), error: errorCode())
        case 37: return .icmp(type: UInt8(truncatingIfNeeded: u32), code: UInt8(truncatingIfNeeded: u16), errorData: u32)
        default:
            var type = STUNAttributeType(rawValue: u16)
            while type.isKnown { type = STUNAttributeType(rawValue: type.rawValue &+ 1) }
            return .unknown(type: type, value: bytes(0...12))
        }
    }

    mutating func message() -> STUNMessage {
        let methods: [STUNMethod] = [.binding, .allocate, .refresh, .send, .data, .createPermission, .channelBind,
                                     STUNMethod(rawValue: UInt16(truncatingIfNeeded: rng.next()))]
        let type = STUNMessageType(method: methods[int(0...methods.count - 1)], class: STUNClass.allCases[int(0...3)])
        return STUNMessage(type: type, transactionID: STUNTransactionID(using: &rng),
                           attributes: (0..<int(0...8)).map { _ in attribute() })
    }
}
