import NetTypes
import Testing
@testable import SCTP

/// The retransmission queue keeps TSN order through appends, removals from the front
/// (past its compaction point) and changes in place, as the array it replaced did.
@Suite struct SCTPRetransmissionQueueTests {
    static func chunk(_ tsn: UInt32) -> SCTPOutstandingChunk {
        SCTPOutstandingChunk(chunk: SCTPDataChunk(tsn: tsn, stream: 0, ssn: 0, ppid: 53, userData: [UInt8(truncatingIfNeeded: tsn)]),
                             messageID: Int(tsn), reliability: .reliable, created: .zero, sentAt: .zero)
    }

    @Test func behavesLikeAnArrayUnderAppendsAndFrontRemovals() {
        var queue = SCTPRetransmissionQueue()
        var model: [SCTPOutstandingChunk] = []
        var rng = Xoshiro256(seed: 5)
        var next: UInt32 = 0
        for _ in 0..<2_000 {
            for _ in 0..<Int(rng.next() % 8) {
                queue.append(Self.chunk(next))
                model.append(Self.chunk(next))
                next += 1
            }
            let removed = Int(rng.next() % UInt64(model.count + 1))
            queue.removeFirst(removed)
            model.removeFirst(removed)
            if !model.isEmpty {
                let index = Int(rng.next() % UInt64(model.count))
                queue[index].acked.toggle()
                model[index].acked.toggle()
            }
            guard queue.map(\.chunk.tsn) == model.map(\.chunk.tsn), queue.map(\.acked) == model.map(\.acked) else {
                Issue.record("queue and array differ after \(next) appends")
                return
            }
        }
        #expect(next > 5_000 && queue.indices == model.indices)
    }
}
