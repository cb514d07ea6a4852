@testable import DataChannel
import NetTypes
import Testing
@testable import SCTP

typealias ChannelPair = CorePair<DataChannelEndpoint>

extension CorePair where Core == DataChannelEndpoint {
    convenience init(seed: UInt64 = 1, configuration: SCTPConfiguration = SCTPConfiguration()) {
        self.init(DataChannelEndpoint(role: .client, configuration: configuration, local: AssociationPair.addressA,
                                      remote: AssociationPair.addressB, rng: Xoshiro256(seed: seed)),
                  DataChannelEndpoint(role: .server, configuration: configuration, local: AssociationPair.addressB,
                                      remote: AssociationPair.addressA, rng: Xoshiro256(seed: seed &+ 1)))
    }

    func connect() -> Bool {
        call(0) { $0.connect(now: $1) }
        call(1) { $0.connect(now: $1) }
        return run(for: .seconds(10)) {
            events[0].contains(.associationEstablished) && events[1].contains(.associationEstablished)
        }
    }

    func open(_ side: Int, _ parameters: DataChannelParameters, negotiatedID: UInt16? = nil) throws(DataChannelError) -> UInt16 {
        let id = try cores[side].openChannel(parameters, negotiatedID: negotiatedID, now: now)
        drain(side)
        return id
    }

    func send(_ side: Int, _ text: String, on id: UInt16) throws(DataChannelError) {
        try cores[side].send(Array(text.utf8), isString: true, on: id, now: now)
        drain(side)
    }

    func received(_ side: Int) -> [(UInt16, [UInt8], Bool)] {
        events[side].compactMap { if case .message(let c, let b, let s) = $0 { (c, b, s) } else { nil } }
    }

    func opened(_ side: Int) -> [DataChannelInfo] {
        events[side].compactMap { if case .channelOpened(let info) = $0 { info } else { nil } }
    }
}

/// DCEP (RFC 8832) and the channel API (RFC 8831) over two associations.
@Suite struct DataChannelTests {
    @Test func openMessageCodec() throws {
        let open = DataChannelMessage.open(DataChannelParameters(label: "chat", protocol: "x", reliability: .maxRetransmits(3),
                                                                 ordered: false, priority: 512))
        #expect(open.encoded == [0x03, 0x81, 0x02, 0x00, 0, 0, 0, 3, 0, 4, 0, 1] + Array("chatx".utf8))
        #expect(try DataChannelMessage(decoding: open.encoded) == open)
        #expect(try DataChannelMessage(decoding: [0x02]) == .ack)
        #expect(throws: DataChannelError.malformedControlMessage) { try DataChannelMessage(decoding: [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0]) }
        #expect(throws: DataChannelError.malformedControlMessage) { try DataChannelMessage(decoding: [0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }
        #expect(throws: DataChannelError.malformedControlMessage) { try DataChannelMessage(decoding: []) }
    }

    /// Both sides open channels at once: the client gets even ids, the server odd ones
    /// (RFC 8832 §6), each OPEN is acknowledged, and messages flow both ways.
    @Test func openFromBothSidesWithParity() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let a = try pair.open(0, DataChannelParameters(label: "from-client"))
        let b = try pair.open(1, DataChannelParameters(label: "from-server", protocol: "json"))
        let a2 = try pair.open(0, DataChannelParameters(label: "second"))
        #expect(a == 0 && a2 == 2 && b == 1)
        pair.run(for: .seconds(5)) { pair.opened(0).count == 3 && pair.opened(1).count == 3 }
        #expect(Set(pair.opened(0).map(\.id)) == [0, 1, 2] && Set(pair.opened(1).map(\.id)) == [0, 1, 2])
        #expect(pair.opened(0).first { $0.id == 1 }?.parameters == DataChannelParameters(label: "from-server", protocol: "json"))
        try pair.send(0, "hello", on: a)
        try pair.send(1, "world", on: b)
        try pair.cores[1].send([], isString: false, on: a, now: pair.now)
        pair.drain(1)
        try pair.send(0, "", on: b)
        pair.run(for: .seconds(5)) { pair.received(0).count == 2 && pair.received(1).count == 2 }
        #expect(pair.received(1).map { "\($0.0) \(String(decoding: $0.1, as: UTF8.self)) \($0.2)" } == ["0 hello true", "1  true"])
        #expect(pair.received(0).map { "\($0.0) \(String(decoding: $0.1, as: UTF8.self)) \($0.2)" } == ["1 world true", "0  false"])
        // Empty messages travel as one byte with PPID 56/57 (RFC 8831 §6.6).
        let ppids = pair.sent[1].compactMap { try? SCTPPacket(decoding: $0) }.flatMap(\.chunks)
            .compactMap { if case .data(let d) = $0 { d.ppid } else { nil } }
        #expect(ppids.contains(57) && ppids.contains(50) && ppids.contains(51))
        #expect(pair.cores[0].controlErrors == 0 && pair.cores[1].controlErrors == 0)
    }

    @Test func negotiatedChannelsNeedNoDCEP() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let before = pair.sent[0].count
        _ = try pair.open(0, DataChannelParameters(label: "n"), negotiatedID: 7)
        _ = try pair.open(1, DataChannelParameters(label: "n"), negotiatedID: 7)
        #expect(pair.sent[0].count == before)
        #expect(throws: DataChannelError.channelIDInUse(7)) { _ = try pair.open(0, DataChannelParameters(), negotiatedID: 7) }
        try pair.send(1, "pre-agreed", on: 7)
        pair.run(for: .seconds(5)) { !pair.received(0).isEmpty }
        #expect(pair.received(0).first?.0 == 7)
    }

    /// Closing resets the stream; the peer resets its side and both report the close
    /// (RFC 8831 §6.7). The id is then free to reuse.
    @Test func closeByStreamReset() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let id = try pair.open(0, DataChannelParameters(label: "c"))
        try pair.send(0, "last words", on: id)
        pair.call(0) { try? $0.close(id, now: $1) }
        pair.run(for: .seconds(5)) { pair.events[0].contains(.channelClosed(id)) && pair.events[1].contains(.channelClosed(id)) }
        #expect(pair.events[0].contains(.channelClosed(id)) && pair.events[1].contains(.channelClosed(id)))
        #expect(pair.received(1).map(\.1) == [Array("last words".utf8)])
        #expect(throws: DataChannelError.unknownChannel(id)) { try pair.send(0, "x", on: id) }
        #expect(pair.cores[0].openChannels.isEmpty && pair.cores[1].openChannels.isEmpty)
        let again = try pair.open(0, DataChannelParameters(label: "again"))
        #expect(again == id)
        pair.run(for: .seconds(5)) { pair.opened(0).count == 2 }
        try pair.send(0, "new", on: again)
        pair.run(for: .seconds(5)) { pair.received(1).count == 2 }
        #expect(pair.received(1).last?.1 == Array("new".utf8))
    }

    /// A partially reliable unordered channel over a lossy path: what arrives is intact,
    /// what is lost is abandoned, and the channel keeps working.
    @Test func partiallyReliableChannel() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let id = try pair.open(0, DataChannelParameters(label: "game", reliability: .maxRetransmits(0), ordered: false))
        pair.run(for: .seconds(5)) { pair.opened(0).count == 1 }
        pair.loss = Xoshiro256(seed: 3)
        pair.lossRate = 0.1
        for i in 0..<200 { try pair.send(0, "state \(i)", on: id) }
        pair.run(for: .seconds(30))
        let got = pair.received(1).map { String(decoding: $0.1, as: UTF8.self) }
        #expect(got.count < 200 && got.count > 120)
        #expect(Set(got).isSubset(of: Set((0..<200).map { "state \($0)" })))
        #expect(pair.cores[0].association.statistics.abandonedMessages == 200 - got.count)
    }

    @Test func oversizedMessageIsATypedError() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let id = try pair.open(0, DataChannelParameters())
        #expect(throws: DataChannelError.sctp(.messageTooLarge(size: 300_000, limit: 262_144))) {
            try pair.cores[0].send([UInt8](repeating: 0, count: 300_000), isString: false, on: id, now: pair.now)
        }
    }

    /// A peer that opens a channel on our parity breaks RFC 8832 §6: ignored, counted;
    /// so are malformed DCEP messages and an ACK for no channel of ours.
    @Test func badControlMessagesAreRefused() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let open = DataChannelMessage.open(DataChannelParameters(label: "bad")).encoded
        pair.call(0) { endpoint, now in
            endpoint.receive(SCTPMessage(stream: 4, ppid: DataChannelPPID.control, unordered: false, bytes: open), now: now)
            endpoint.receive(SCTPMessage(stream: 5, ppid: DataChannelPPID.control, unordered: false, bytes: [0x03, 1]), now: now)
            endpoint.receive(SCTPMessage(stream: 9, ppid: DataChannelPPID.control, unordered: false, bytes: [0x02]), now: now)
        }
        #expect(pair.cores[0].controlErrors == 3)
        #expect(pair.opened(0).isEmpty)
    }

    @Test func sameSeedSameBytes() throws {
        func run() throws -> [[[UInt8]]] {
            let pair = ChannelPair(seed: 8)
            _ = pair.connect()
            let id = try pair.open(0, DataChannelParameters(label: "d"))
            for i in 0..<30 { try pair.send(0, String(repeating: "x", count: i * 100), on: id) }
            pair.lossRate = 0.05
            pair.run(for: .seconds(20))
            return pair.sent
        }
        #expect(try run() == run())
    }
}

/// Channel priority (RFC 8832 §5.1) as the association's stream weight (RFC 8260 §3.6).
@Suite struct DataChannelPriorityTests {
    /// The OPEN carries the priority; both sides weigh the channel's stream by it, and a
    /// negotiated channel by its own parameters.
    @Test func priorityWeighsTheChannelStreamOnBothSides() throws {
        let pair = ChannelPair()
        #expect(pair.connect())
        let high = try pair.open(0, DataChannelParameters(label: "chat", priority: SCTPStreamPriority.high))
        let low = try pair.open(1, DataChannelParameters(label: "file", priority: SCTPStreamPriority.veryLow))
        let negotiated = try pair.open(0, DataChannelParameters(label: "n", priority: SCTPStreamPriority.medium), negotiatedID: 8)
        pair.run(for: .seconds(5)) { pair.opened(0).count == 3 && pair.opened(1).count == 2 }
        #expect(pair.opened(1).first { $0.id == high }?.parameters.priority == SCTPStreamPriority.high)
        for side in 0..<2 {
            #expect(pair.cores[side].association.priority(of: high) == 1024)
            #expect(pair.cores[side].association.priority(of: low) == 128)
        }
        #expect(pair.cores[0].association.priority(of: negotiated) == 512)
        #expect(pair.cores[1].association.priority(of: negotiated) == 256)  // not opened there: the default
    }
}
