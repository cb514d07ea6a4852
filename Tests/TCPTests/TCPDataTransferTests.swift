import NetTypes
import Testing
@testable import TCP

@Suite struct TCPDataTransferTests {
    /// Both directions carry data across the 2^32 wrap of their sequence numbers.
    @Test func transferAcrossSequenceWrap() {
        var configA = TCPConfiguration()
        configA.initialSequenceNumber = 0xFFFF_FC00
        var configB = TCPConfiguration()
        configB.initialSequenceNumber = 0xFFFF_FFF0
        let pair = TCPPair(a: configA, b: configB, delay: .milliseconds(20), rate: 1_250_000)
        pair.handshake()
        let forward = pattern(200_000)
        let backward = pattern(50_000).reversed().map { $0 }
        pair.call(.a) { core, now in #expect(core.send(forward, now: now) == forward.count) }
        pair.call(.b) { core, now in #expect(core.send(backward, now: now) == backward.count) }
        pair.run(for: .seconds(5))
        #expect(pair.read[.b] == forward)
        #expect(pair.read[.a] == backward)
        #expect(pair.a.sndUna.value < 0xFFFF_0000)  // wrapped
        #expect(pair.a.statistics.retransmissions == 0 && pair.b.statistics.retransmissions == 0)
        #expect(pair.a.unacknowledgedBytes == 0)
    }

    /// Same configuration and seed: the same segments, byte for byte.
    @Test func runsAreDeterministic() {
        func run() -> [[UInt8]] {
            let pair = TCPPair(delay: .milliseconds(10), rate: 500_000, seed: 42)
            pair.drop(from: .a) { $0.payload.count > 0 && $0.sequenceNumber.value % 3 == 0 }
            pair.handshake()
            pair.call(.a) { core, now in core.send(pattern(60_000), now: now) }
            pair.run(for: .seconds(3))
            return pair.log.map { $0.segment.encode(source: TCPPair.addressA.address, destination: TCPPair.addressB.address) }
        }
        #expect(run() == run())
    }

    /// Nagle (RFC 9293 §3.7.4): small writes wait for the ACK of the outstanding one,
    /// which the receiver delays by 200 ms; with Nagle off each write leaves at once.
    @Test(arguments: [true, false]) func nagle(enabled: Bool) {
        var config = TCPConfiguration()
        config.nagle = enabled
        let pair = TCPPair(a: config)
        pair.handshake()
        let start = pair.now
        for _ in 0..<10 { pair.call(.a) { core, now in core.send(pattern(100), now: now) } }
        pair.run(for: .seconds(1))
        let data = pair.dataSegments(from: .a)
        if enabled {
            #expect(data.map(\.segment.payload.count) == [100, 900])
            // Delivered at +50 ms, ACK delayed to +250 ms, arrives at +300 ms.
            #expect(data.map(\.time) == [start, start + .milliseconds(300)])
        } else {
            #expect(data.map(\.segment.payload.count) == Array(repeating: 100, count: 10))
            #expect(data.allSatisfy { $0.time == start })
        }
        #expect(pair.read[.b]!.count == 1000)
    }

    /// Delayed ACK (RFC 5681 §4.2): one segment is acknowledged after the timer, two
    /// full-sized segments at once.
    @Test func delayedAcks() {
        let pair = TCPPair()
        pair.handshake()
        let start = pair.now
        pair.call(.a) { core, now in core.send(pattern(1448), now: now) }
        pair.run(for: .milliseconds(400))
        let firstAck = pair.log.last { $0.from == .b }!
        #expect(firstAck.time == start + .milliseconds(250))
        let second = pair.now
        pair.call(.a) { core, now in core.send(pattern(2 * 1448), now: now) }
        pair.run(for: .milliseconds(400))
        let secondAck = pair.log.last { $0.from == .b }!
        #expect(secondAck.time == second + .milliseconds(50))
    }

    /// Flow control: a receiver that does not read closes its window; the sender probes
    /// it with the persist timer (one octet, backed off 1 s, 2 s, 4 s) and resumes when
    /// the application reads and the receiver announces the open window.
    @Test func zeroWindowAndPersistProbes() {
        var configB = TCPConfiguration()
        configB.receiveBufferSize = 8192
        let pair = TCPPair(b: configB)
        pair.autoRead[.b] = false
        pair.handshake()
        let data = pattern(20_000)
        pair.call(.a) { core, now in core.send(data, now: now) }
        pair.run(for: .seconds(10))
        // The buffer is full, give or take the rounding up of scaled windows (< 2^7 per
        // ACK while the edge is held, as in Linux's tcp_select_window).
        #expect(pair.b.readableBytes >= 8192 && pair.b.readableBytes < 8192 + 3 * 128)
        #expect(pair.a.sndWnd == 0)
        let probes = pair.log.filter { $0.from == .a && $0.segment.payload.count == 1 }
        #expect(probes.count == 3)
        #expect(pair.a.statistics.windowProbes == 3)
        let gaps = zip(probes.dropFirst(), probes).map { $0.time - $1.time }
        #expect(gaps == [.seconds(2), .seconds(4)])
        // Each probe is answered with a zero window.
        #expect(pair.log.filter { $0.from == .b && $0.segment.window == 0 }.count >= 3)
        var got: [UInt8] = []
        while got.count < data.count {
            pair.call(.b) { core, now in got += core.receive(now: now) }
            pair.run(for: .milliseconds(200))
        }
        #expect(got == data)
        #expect(pair.a.statistics.retransmissions == 0)
    }

    /// Window scaling (RFC 7323 §2): the advertised field times 2^7 is the window.
    @Test func windowScaling() {
        let pair = TCPPair()
        pair.handshake()
        let ack = pair.log[2].segment
        #expect(Int(ack.window) << 7 == 131_072)
        #expect(pair.b.sndWnd == 131_072)
        var noScale = TCPConfiguration()
        noScale.windowScale = nil
        let unscaled = TCPPair(a: noScale)
        unscaled.handshake()
        #expect(unscaled.log[1].segment.windowScale == nil)  // the SYN-ACK answers only what the SYN offered
        #expect(unscaled.b.sndWnd == 65535)
    }

    /// PAWS (RFC 7323 §5): a segment whose TSval is older than TS.Recent is dropped and
    /// answered with an ACK; the same segment with a current TSval is accepted.
    @Test func pawsDropsSegmentsWithOldTimestamps() throws {
        let pair = TCPPair()
        pair.handshake()
        let recent = pair.a.tsRecent
        func inject(tsValue: UInt32) {
            let segment = TCPSegment(sourcePort: 80, destinationPort: 49152, sequenceNumber: pair.a.rcvNxt,
                                     acknowledgmentNumber: pair.a.sndNxt, flags: [.ack, .psh], window: 1024,
                                     options: [.noOperation, .noOperation, .timestamps(value: tsValue, echoReply: 0)],
                                     payload: pattern(10))
            pair.call(.a) { core, now in
                core.handle(Datagram(source: TCPPair.addressB, destination: TCPPair.addressA, transport: .tcp,
                                     payload: segment.encode(source: TCPPair.addressB.address, destination: TCPPair.addressA.address)),
                            now: now)
            }
        }
        let sentBefore = pair.log.count
        inject(tsValue: recent &- 1000)
        #expect(pair.read[.a]!.isEmpty)
        #expect(pair.log.count == sentBefore + 1 && pair.log.last?.segment.flags == .ack)
        inject(tsValue: recent &+ 5)
        #expect(pair.read[.a] == pattern(10))
        #expect(pair.a.tsRecent == recent &+ 5)
    }
}
