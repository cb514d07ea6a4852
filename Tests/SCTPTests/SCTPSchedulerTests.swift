import NetTypes
import Testing
@testable import SCTP

/// Stream schedulers (RFC 8260 §3): which stream's message gets TSNs next.
@Suite struct SCTPSchedulerTests {
    static func message(_ id: Int, stream: UInt16, size: Int = 1000) -> SCTPOutboundMessage {
        SCTPOutboundMessage(id: id, stream: stream, ppid: 53, unordered: false, reliability: .reliable, created: .zero,
                            bytes: [UInt8](repeating: UInt8(truncatingIfNeeded: id), count: size))
    }

    /// The streams of the messages a queue hands out, in order, when each is sent whole.
    static func drainOrder(_ queue: inout SCTPSendQueue) -> [UInt16] {
        var order: [UInt16] = []
        while let lane = queue.select() {
            order.append(queue.head(of: lane).stream)
            queue.removeCurrent()
        }
        return order
    }

    @Test func firstComeFirstServedKeepsSendOrderAcrossStreams() {
        var queue = SCTPSendQueue(scheduler: .firstComeFirstServed, defaultWeight: 256)
        let streams: [UInt16] = [4, 4, 1, 9, 1, 4]
        for (id, stream) in streams.enumerated() { queue.push(Self.message(id, stream: stream)) }
        #expect(Self.drainOrder(&queue) == streams)
        #expect(queue.isEmpty)
    }

    @Test func roundRobinTakesOneMessagePerStreamInTurn() {
        var queue = SCTPSendQueue(scheduler: .roundRobin, defaultWeight: 256)
        for (id, stream) in ([4, 4, 4, 1, 9, 1] as [UInt16]).enumerated() { queue.push(Self.message(id, stream: stream)) }
        #expect(Self.drainOrder(&queue) == [1, 4, 9, 1, 4, 4])
    }

    /// Four backlogged streams of very-low, low, medium and high priority get messages of
    /// equal size in the ratio 1:2:4:8 (RFC 8260 §3.6; W3C priorities as dcsctp weighs them).
    @Test func weightedFairSharesByPriority() {
        var queue = SCTPSendQueue(scheduler: .weightedFair, defaultWeight: 256)
        let priorities = [SCTPStreamPriority.veryLow, SCTPStreamPriority.low, SCTPStreamPriority.medium, SCTPStreamPriority.high]
        for (stream, priority) in priorities.enumerated() { queue.setWeight(priority, stream: UInt16(stream)) }
        var id = 0
        for _ in 0..<200 {
            for stream in 0..<4 {
                queue.push(Self.message(id, stream: UInt16(stream)))
                id += 1
            }
        }
        let first = Self.drainOrder(&queue).prefix(300)
        let counts = (0..<4).map { stream in first.filter { $0 == stream }.count }
        // 300 messages at 1:2:4:8 are 20, 40, 80, 160 (each within one message).
        for (count, share) in zip(counts, [20, 40, 80, 160]) { #expect(abs(count - share) <= 1, "\(counts)") }
    }

    /// A stream that becomes active later starts at the current virtual time: it is not
    /// owed the bytes it did not ask for, nor does it wait behind the backlog.
    @Test func weightedFairLateStreamGetsItsShareAtOnce() {
        var queue = SCTPSendQueue(scheduler: .weightedFair, defaultWeight: 256)
        for id in 0..<100 { queue.push(Self.message(id, stream: 1)) }
        for _ in 0..<50 {
            _ = queue.select()
            queue.removeCurrent()
        }
        queue.push(Self.message(100, stream: 3, size: 200))
        var order: [UInt16] = []
        for _ in 0..<3 {
            guard let lane = queue.select() else { break }
            order.append(queue.head(of: lane).stream)
            queue.removeCurrent()
        }
        #expect(order.contains(3))
    }

    /// Sends a 1 MiB file as 64 messages of 16 KiB on stream 1 at once (filling the send
    /// buffer), and a 200-byte chat message on stream 3 every 50 ms until the file
    /// arrived; the receiver's 32 KiB window holds the rate to about 0.8 MB/s over the
    /// 40 ms round trip. Returns each chat message's latency (send to delivery, simulated
    /// time) and whether every message arrived, per stream in order.
    static func chatBesideFile(scheduler: SCTPStreamScheduler) -> (latencies: [Duration], complete: Bool) {
        var configuration = SCTPConfiguration()
        configuration.streamScheduler = scheduler
        configuration.receiveWindow = 32 * 1024
        let pair = AssociationPair(configuration: configuration)
        guard pair.establish(bothConnect: true) else { return ([], false) }
        let file = (0..<64).map { index in (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &+ index) } }
        for part in file {
            do { try pair.send(0, part, stream: 1) } catch { return ([], false) }
        }
        var sentAt: [Instant] = []
        var latencies: [Duration] = []
        pair.onEvent = { side, event in
            if side == 1, case .message(let message) = event, message.stream == 3 {
                latencies.append(pair.now - sentAt[Int(message.bytes[0])])
            }
        }
        var nextChat = pair.now
        let fileDone = { pair.messages(1).filter { $0.stream == 1 }.count == file.count }
        while !fileDone() || latencies.count < sentAt.count {
            if !fileDone() && pair.now >= nextChat && sentAt.count < 256 {
                let chat = [UInt8(sentAt.count)] + [UInt8](repeating: 0x63, count: 199)
                sentAt.append(pair.now)
                do { try pair.send(0, chat, stream: 3) } catch { return (latencies, false) }
                nextChat = pair.now + .milliseconds(50)
            }
            let chatDue = { !fileDone() && pair.now >= nextChat }
            guard pair.run(for: .seconds(600), until: { chatDue() || (fileDone() && latencies.count == sentAt.count) })
            else { return (latencies, false) }
        }
        let received = pair.messages(1)
        let fileOK = received.filter { $0.stream == 1 }.map(\.bytes) == file
        let chatOK = received.filter { $0.stream == 3 }.map { Int($0.bytes[0]) } == Array(0..<sentAt.count)
        return (latencies, fileOK && chatOK)
    }

    /// A chat channel beside a file transfer on one association: first come first served
    /// makes chat messages wait for the file's whole buffered backlog (over a second);
    /// round robin and
    /// WebRTC's weighted fair scheduler let each wait for at most the file message being
    /// cut into chunks (with plain DATA, RFC 9260 §6.9) and what is in flight.
    @Test func chatLatencyStaysLowBesideAFileTransfer() {
        let fifo = Self.chatBesideFile(scheduler: .firstComeFirstServed)
        let roundRobin = Self.chatBesideFile(scheduler: .roundRobin)
        let weighted = Self.chatBesideFile(scheduler: .weightedFair)
        #expect(fifo.complete && roundRobin.complete && weighted.complete)
        #expect(fifo.latencies.count >= 10 && roundRobin.latencies.count >= 10 && weighted.latencies.count >= 10)
        let fifoWorst = fifo.latencies.max() ?? .zero
        for latencies in [roundRobin.latencies, weighted.latencies] {
            let worst = latencies.max() ?? .seconds(3600)
            #expect(worst * Int64(10) < fifoWorst, "worst chat latency \(worst) vs first come first served \(fifoWorst)")
        }
    }
}
