import NetTypes
import Testing
@testable import SCTP

/// Offering and accepting I-DATA (`SCTPInterleaving`, RFC 8260 §2.2.1): which INIT and
/// INIT ACK list it, and that both sides of a handshake — one side or both sending INIT
/// (the collision of RFC 9260 §5.2.1), at any offset, with any one handshake packet lost —
/// agree on DATA or I-DATA, so data flows both ways.
@Suite struct SCTPInterleavingNegotiationTests {
    static func configuration(_ mode: SCTPInterleaving) -> SCTPConfiguration {
        var c = SCTPConfiguration()
        c.interleaving = mode
        return c
    }

    static func pair(_ a: SCTPInterleaving, _ b: SCTPInterleaving) -> AssociationPair {
        AssociationPair(SCTPAssociation(configuration: configuration(a), local: AssociationPair.addressA, remote: AssociationPair.addressB,
                                        rng: Xoshiro256(seed: 1)),
                        SCTPAssociation(configuration: configuration(b), local: AssociationPair.addressB, remote: AssociationPair.addressA,
                                        rng: Xoshiro256(seed: 2)))
    }

    /// I-DATA when one side offers and the other offers or accepts.
    static func agreed(_ a: SCTPInterleaving, _ b: SCTPInterleaving) -> Bool {
        (a == .offer && b != .off) || (b == .offer && a != .off)
    }

    static let modes = SCTPInterleaving.allCases

    func initChunks(_ pair: AssociationPair, _ side: Int) -> (inits: [SCTPInitChunk], acks: [SCTPInitChunk]) {
        let chunks = pair.packets(side).flatMap(\.chunks)
        return (chunks.compactMap { if case .initiate(let i) = $0 { i } else { nil } },
                chunks.compactMap { if case .initiateAck(let i) = $0 { i } else { nil } })
    }

    /// Sends a message each way and checks it arrives: DATA against I-DATA would abort.
    func exchange(_ pair: AssociationPair) throws {
        try pair.send(0, [UInt8](repeating: 1, count: 3000), stream: 1)
        try pair.send(1, [UInt8](repeating: 2, count: 3000), stream: 2)
        pair.run(for: .seconds(30)) { pair.messages(0).count == 1 && pair.messages(1).count == 1 }
        #expect(pair.messages(1).map(\.bytes) == [[UInt8](repeating: 1, count: 3000)])
        #expect(pair.messages(0).map(\.bytes) == [[UInt8](repeating: 2, count: 3000)])
        let types = (0..<2).flatMap { pair.packets($0).flatMap(\.chunks).map(\.type) }
        let expected = pair.cores[0].interleaving ? SCTPChunkType.iData : SCTPChunkType.data
        let other = pair.cores[0].interleaving ? SCTPChunkType.data : SCTPChunkType.iData
        #expect(types.contains(expected) && !types.contains(other))
    }

    /// One side sends INIT: an offering initiator gets I-DATA from an accepting (or
    /// offering) responder, whose INIT ACK lists it; an accepting initiator lists nothing,
    /// so RFC 8260 §2.2.1 leaves it on DATA even against an offerer, whose INIT ACK does
    /// not list I-DATA unasked.
    @Test(arguments: modes, modes)
    func oneSideSendsInit(initiator: SCTPInterleaving, responder: SCTPInterleaving) throws {
        let pair = Self.pair(initiator, responder)
        #expect(pair.establish(bothConnect: false))
        let expected = initiator == .offer && responder != .off
        #expect(pair.cores[0].interleaving == expected && pair.cores[1].interleaving == expected)
        #expect(initChunks(pair, 0).inits.allSatisfy { $0.supportsInterleaving == (initiator == .offer) })
        #expect(initChunks(pair, 1).acks.allSatisfy { $0.supportsInterleaving == expected })
        #expect(initChunks(pair, 1).acks.allSatisfy { $0.supportsInterleavedForwardTSN == expected })
        #expect(pair.cores[0].peerSupportsForwardTSN && pair.cores[1].peerSupportsForwardTSN)
        try exchange(pair)
    }

    /// Both send INIT at once (WebRTC's way): I-DATA when one offers and the other offers
    /// or accepts, whichever INIT arrives first.
    @Test(arguments: modes, modes)
    func bothSendInit(a: SCTPInterleaving, b: SCTPInterleaving) throws {
        let pair = Self.pair(a, b)
        #expect(pair.establish(bothConnect: true))
        let expected = Self.agreed(a, b)
        #expect(pair.cores[0].interleaving == expected && pair.cores[1].interleaving == expected)
        #expect(initChunks(pair, 0).inits.allSatisfy { $0.supportsInterleaving == (a == .offer) })
        #expect(initChunks(pair, 1).inits.allSatisfy { $0.supportsInterleaving == (b == .offer) })
        try exchange(pair)
    }

    /// Every mode pair, the second INIT sent 0 to 100 ms after the first (the path's
    /// one-way delay is 20 ms, so the second INIT meets every stage of the first
    /// handshake), from either side, and each of the first three handshake packets of
    /// either side lost: both sides always agree, data flows both ways, and I-DATA is
    /// used only where one side offers and the other offers or accepts. Without loss, a
    /// second INIT sent before the first handshake ends gives I-DATA where agreed.
    @Test(arguments: modes, modes)
    func collisionsAgreeUnderEveryTimingAndLoss(a: SCTPInterleaving, b: SCTPInterleaving) throws {
        let offsets: [Duration] = [.zero, .milliseconds(5), .milliseconds(20), .milliseconds(30), .milliseconds(45), .milliseconds(100)]
        let losses: [(side: Int, index: Int)?] = [nil] + (0..<2).flatMap { side in (0..<3).map { (side, $0) } }
        for first in 0..<2 {
            for offset in offsets {
                for loss in losses {
                    let pair = Self.pair(a, b)
                    if let loss { pair.drop = { side, index, _ in side == loss.side && index == loss.index } }
                    let established = collide(pair, first: first, after: offset)
                    let label = "first \(first), offset \(offset), loss \(String(describing: loss))"
                    #expect(established, "\(label)")
                    guard established else { continue }
                    try expectAgreement(pair, a, b, label: label)
                    if loss == nil, offset < .milliseconds(40) {
                        #expect(pair.cores[0].interleaving == Self.agreed(a, b), "\(label)")
                    }
                }
            }
        }
    }

    /// Side `first` connects and the other `offset` later (an INIT collision unless the
    /// first handshake has ended by then); whether both establish within 60 s.
    func collide(_ pair: AssociationPair, first: Int, after offset: Duration) -> Bool {
        pair.call(first) { $0.connect(now: $1) }
        pair.run(for: offset)
        pair.now = Instant.zero + offset
        pair.call(1 - first) { $0.connect(now: $1) }
        return pair.run(for: .seconds(60)) { pair.cores[0].state == .established && pair.cores[1].state == .established }
    }

    /// Both sides decided the same, never I-DATA where the modes do not allow it, and a
    /// message goes each way (DATA against I-DATA would abort).
    func expectAgreement(_ pair: AssociationPair, _ a: SCTPInterleaving, _ b: SCTPInterleaving, label: String) throws {
        #expect(pair.cores[0].interleaving == pair.cores[1].interleaving, "\(label)")
        if !Self.agreed(a, b) { #expect(!pair.cores[0].interleaving, "\(label)") }
        try exchange(pair)
    }

    /// The ordering that used to end in disagreement (docs/sctp.md, "User message
    /// interleaving"): the accepting side sends INIT first, the offering side's INIT
    /// crosses the accepting side's COOKIE ECHO 30 ms later, and the offering side's
    /// COOKIE ECHO (its third packet) is lost. The accepting side establishes on the
    /// COOKIE ACK answering its own COOKIE ECHO, after it read the offer in the offering
    /// side's INIT; both use I-DATA.
    @Test func acceptorEstablishedByCookieAckAfterReadingTheOfferUsesIData() throws {
        let pair = Self.pair(.offer, .accept)
        pair.drop = { side, index, _ in side == 0 && index == 2 }
        #expect(collide(pair, first: 1, after: .milliseconds(30)))
        let types = (0..<2).map { side in pair.packets(side).flatMap(\.chunks).map(\.type) }
        // Accepting side: INIT, COOKIE ECHO, INIT ACK (to the crossing INIT), COOKIE ECHO again.
        #expect(Array(types[1].prefix(4)) == [SCTPChunkType.initiate, SCTPChunkType.cookieEcho, SCTPChunkType.initiateAck,
                                               SCTPChunkType.cookieEcho])
        // Offering side: INIT ACK (no I-DATA: unasked in CLOSED), INIT, the lost COOKIE ECHO, COOKIE ACK.
        #expect(Array(types[0].prefix(4)) == [SCTPChunkType.initiateAck, SCTPChunkType.initiate, SCTPChunkType.cookieEcho,
                                               SCTPChunkType.cookieAck])
        #expect(pair.cores[0].interleaving && pair.cores[1].interleaving)
        try exchange(pair)
    }

    /// An offering and an accepting side, the pair whose agreement depends on which
    /// chunks each side read: the second INIT every 5 ms from 0 to 100 ms after the
    /// first, from either side, with none, one or two of the first four handshake
    /// packets lost (two: one of each side). Both always agree and data flows.
    @Test(arguments: [(SCTPInterleaving.offer, SCTPInterleaving.accept), (.accept, .offer)])
    func offerAndAcceptAgreeUnderFinerTimingAndDoubleLoss(a: SCTPInterleaving, b: SCTPInterleaving) throws {
        let single: [[(side: Int, index: Int)]] = (0..<2).flatMap { side in (0..<4).map { [(side, $0)] } }
        let double: [[(side: Int, index: Int)]] = (0..<3).flatMap { i in (0..<3).map { [(0, i), (1, $0)] } }
        let losses = [[]] + single + double
        for first in 0..<2 {
            for step: Int64 in 0...20 {
                let offset = Duration.milliseconds(5 * step)
                for loss in losses {
                    let pair = Self.pair(a, b)
                    pair.drop = { side, index, _ in loss.contains { $0.side == side && $0.index == index } }
                    let established = collide(pair, first: first, after: offset)
                    let label = "first \(first), offset \(offset), loss \(loss)"
                    #expect(established, "\(label)")
                    guard established else { continue }
                    try expectAgreement(pair, a, b, label: label)
                }
            }
        }
    }
}
