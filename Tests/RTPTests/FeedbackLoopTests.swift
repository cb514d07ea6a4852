import NetTypes
import Testing
@testable import RTP

/// Receiver-side builder and sender-side history together: what the sender learns must
/// match what happened on the wire.
@Suite struct FeedbackLoopTests {
    struct Loop {
        var history = SentPacketHistory()
        var builder = TransportFeedbackBuilder(senderSSRC: 1, mediaSSRC: 2)
        var results: [PacketResult] = []

        mutating func send(_ count: Int, from start: Instant, every gap: Duration) -> [SentPacket] {
            (0..<count).map { i in
                let packet = SentPacket(sequence: history.nextSequence, size: 1000 + i % 7, sendTime: start + gap * Int64(i))
                history.add(packet)
                return packet
            }
        }

        mutating func feedback(now: Instant) {
            for packet in builder.build(now: now) {
                let decoded = try! RTCPPacket.decodeCompound(RTCPPacket.transportFeedback(packet).encoded())
                guard case .transportFeedback(let fb) = decoded[0] else { fatalError() }
                results += history.results(for: fb)
            }
        }
    }

    @Test func lossReorderAndWraparound() {
        var loop = Loop()
        // Start close to the 16-bit wrap so the run crosses it.
        for _ in 0..<65_500 { loop.history.add(SentPacket(sequence: loop.history.nextSequence, size: 1, sendTime: .zero)) }
        let sent = loop.send(100, from: .zero + .seconds(1), every: .milliseconds(2))
        var delivered: [(SentPacket, Instant)] = []
        for (i, p) in sent.enumerated() where i % 10 != 3 {
            delivered.append((p, p.sendTime + .milliseconds(40) + .microseconds(Int64(i * 37 % 900))))
        }
        delivered.swapAt(20, 21)   // reordering on the wire
        for (i, (p, arrival)) in delivered.enumerated() {
            loop.builder.record(sequence: UInt16(truncatingIfNeeded: p.sequence), arrival: arrival)
            if i % 25 == 24 { loop.feedback(now: arrival) }
        }
        loop.feedback(now: .zero + .seconds(2))
        let received = loop.results.filter(\.isReceived)
        let lost = loop.results.filter { !$0.isReceived }
        #expect(received.count == 90)
        #expect(lost.count == 10)
        #expect(Set(lost.map { Int($0.sent.sequence - 65_500) % 10 }) == [3])
        // Arrival differences survive the 250 µs quantization.
        let truth = Dictionary(uniqueKeysWithValues: delivered.map { ($0.0.sequence, $0.1) })
        let first = received[0]
        for r in received {
            let measured = r.receiveTime! - first.receiveTime!
            let actual = truth[r.sent.sequence]! - truth[first.sent.sequence]!
            #expect(abs((measured - actual).nanoseconds) < 500_000)
        }
    }

    @Test func lateArrivalTurnsALossIntoAReception() {
        var loop = Loop()
        let sent = loop.send(5, from: .zero, every: .milliseconds(5))
        for p in sent where p.sequence != 2 { loop.builder.record(sequence: UInt16(p.sequence), arrival: p.sendTime + .milliseconds(30)) }
        loop.feedback(now: .zero + .milliseconds(60))
        #expect(loop.results.map(\.isReceived) == [true, true, false, true, true])
        loop.builder.record(sequence: 2, arrival: .zero + .milliseconds(70))
        loop.builder.record(sequence: 2, arrival: .zero + .milliseconds(71))
        #expect(loop.builder.duplicates == 1)
        loop.feedback(now: .zero + .milliseconds(100))
        #expect(loop.results.count == 6)
        #expect(loop.results[5].sent.sequence == 2 && loop.results[5].isReceived)
    }

    @Test func longGapsSplitFeedbackPackets() {
        var loop = Loop()
        let sent = loop.send(3, from: .zero, every: .seconds(10))
        for p in sent { loop.builder.record(sequence: UInt16(p.sequence), arrival: p.sendTime + .milliseconds(50)) }
        // 10 s does not fit a signed 16-bit count of 250 µs ticks (8.19 s).
        let packets = loop.builder.build(now: .zero + .seconds(21))
        #expect(packets.count == 3)
        #expect(packets.map(\.feedbackCount) == [0, 1, 2])
        #expect(!loop.builder.hasPending)
    }
}
