import SRTP

/// Fixed keys for every input, so a finding reproduces from its bytes alone.
enum FuzzFixtures {
    static func key(_ profile: SRTPProfile) -> SRTPMasterKey {
        try! SRTPMasterKey(profile: profile, key: (0..<UInt8(profile.keyLength)).map { $0 &* 3 },
                           salt: (0..<UInt8(profile.saltLength)).map { $0 &+ 0x30 })
    }

    static let configuration = SRTPConfiguration(replayWindowSize: 128, maximumSSRCs: 8)
    /// Per profile, a sender and a receiver kept across inputs, so replay windows, ROCs
    /// and the SSRC bound see long histories.
    nonisolated(unsafe) static let senders = SRTPProfile.allCases.map { try! SRTPSender(masterKey: key($0), configuration: configuration) }
    nonisolated(unsafe) static let receivers = SRTPProfile.allCases.map { try! SRTPReceiver(masterKey: key($0), configuration: configuration) }
}

/// libFuzzer entry point. The first byte picks the profile (bit 0), RTP or RTCP (bit 1)
/// and what the rest is:
/// - bit 2 clear: a packet off the wire, unprotected by the long-lived receiver and by a
///   fresh one. Properties: no trap, and it fails (random bytes do not authenticate)
///   with a typed error, leaving the bytes unchanged.
/// - bit 2 set: a plaintext packet, protected by the long-lived sender and unprotected
///   by the long-lived receiver. Properties: what unprotects is the plaintext again; a
///   refusal is only a replay, a too old index or the SSRC bound; the protected packet
///   with one byte flipped (the second input byte picks which) never authenticates.
@_cdecl("LLVMFuzzerTestOneInput")
public func srtpFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let mode = data[0]
    let profile = SRTPProfile.allCases[Int(mode & 1)]
    let rtcp = mode & 2 != 0
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let sender = FuzzFixtures.senders[Int(mode & 1)], receiver = FuzzFixtures.receivers[Int(mode & 1)]
    func unprotect(_ receiver: SRTPReceiver, _ packet: inout [UInt8]) throws(SRTPError) {
        if rtcp { try receiver.unprotectRTCP(&packet) } else { try receiver.unprotectRTP(&packet) }
    }
    if mode & 4 == 0 {
        let fresh = try! SRTPReceiver(masterKey: FuzzFixtures.key(profile), configuration: FuzzFixtures.configuration)
        for victim in [receiver, fresh] {
            var packet = body
            do {
                try unprotect(victim, &packet)
            } catch {
                precondition(packet == body, "a refused packet changed")
            }
        }
        return 0
    }
    var packet = body
    do {
        if rtcp { try sender.protectRTCP(&packet) } else { try sender.protectRTP(&packet) }
    } catch {
        precondition(packet == body, "a refused plaintext changed")
        return 0
    }
    var tampered = packet
    tampered[Int(body[0]) % tampered.count] ^= 0x01 | body[body.count / 2]
    do {
        try unprotect(receiver, &packet)
        precondition(packet == body, "unprotect did not give back the plaintext")
    } catch {
        switch error {
        case .replayed, .tooOld, .ssrcLimitReached: break
        default: preconditionFailure("own packet refused: \(error)")
        }
    }
    do {
        try unprotect(receiver, &tampered)
        preconditionFailure("a tampered packet authenticated")
    } catch {}
    return 0
}
