import Congestion
import NetTypes
import RTP
import Scenario
import Testing
@testable import Media

/// The receiving side of loss recovery on hand-made packets: key frame requests.
@Suite struct VideoReceiveStreamTests {
    static let stream = RTPStreamConfiguration()

    /// A one-packet frame `n` (30 fps) with sequence number `sequence`.
    static func packet(_ sequence: UInt16, frame n: UInt32, key: Bool) -> RTPPacket {
        let marking = FrameMarking(startOfFrame: true, endOfFrame: true, independent: key)
        return RTPPacket(marker: true, payloadType: 96, sequenceNumber: sequence, timestamp: n * 3000, ssrc: 7,
                         extensions: RTPHeaderExtensions(elements: [.init(id: stream.frameMarkingID, data: marking.data)]), payload: [0])
    }

    @Test func unrepairableLossSendsPLIUntilAKeyFrameComes() throws {
        var recovery = RecoveryConfiguration(nack: false, rtx: false, keyFrameRequests: true)
        recovery.jitterBuffer.minDelay = .milliseconds(10)
        var video = VideoReceiveStream(configuration: recovery, mediaSSRC: 7, receiverSSRC: 9, stream: Self.stream, start: .zero)
        video.receive(Self.packet(0, frame: 0, key: true), now: .zero)
        video.handleTimeout(now: video.nextDeadline)
        #expect(video.metrics.framesRendered == 1)
        // Frame 1 is lost; frame 2 completes and is due: the decoder gives up and asks.
        video.receive(Self.packet(2, frame: 2, key: false), now: .zero + .milliseconds(67))
        let due = video.nextDeadline
        video.handleTimeout(now: due)
        #expect(video.takeFeedback() == [.pictureLossIndication(PictureLossIndication(senderSSRC: 9, mediaSSRC: 7))])
        #expect(video.metrics.framesDropped == 1)
        // Asked again 200 ms later while no key frame came; then the key frame plays.
        #expect(video.nextDeadline == due + .milliseconds(200))
        video.handleTimeout(now: video.nextDeadline)
        #expect(video.takeFeedback().count == 1)
        video.receive(Self.packet(3, frame: 12, key: true), now: .zero + .milliseconds(400))
        video.handleTimeout(now: video.nextDeadline)
        #expect(video.metrics.framesRendered == 2)
        #expect(video.metrics.pliSent == 2)
        #expect(video.metrics.packetsUnrecovered == 1)
        #expect(video.nextDeadline == .distantFuture)
    }

    @Test func nackedPacketIsWaitedForInsteadOfGivingUp() {
        let recovery = RecoveryConfiguration(nack: true, rtx: true, keyFrameRequests: true)
        var video = VideoReceiveStream(configuration: recovery, mediaSSRC: 7, receiverSSRC: 9, stream: Self.stream, start: .zero)
        video.receive(Self.packet(0, frame: 0, key: true), now: .zero)
        video.receive(Self.packet(2, frame: 2, key: false), now: .zero + .milliseconds(67))
        #expect(video.takeFeedback() == [.nack(GenericNACK(senderSSRC: 9, mediaSSRC: 7, lost: [1]))])
        video.handleTimeout(now: .zero + .milliseconds(120))
        #expect(video.takeFeedback().isEmpty)
        video.receive(Self.packet(1, frame: 1, key: false), now: .zero + .milliseconds(130))
        #expect(video.metrics.framesRendered == 3)
        #expect(video.metrics.packetsRecovered == 1 && video.metrics.packetsUnrecovered == 0 && video.metrics.framesDropped == 0)
    }
}

/// End to end over a lossy 2 Mbps link (50 ms one way): NACK + RTX repair what loss
/// takes, and frames freeze less.
@Suite struct RecoveryCallTests {
    static func call(seed: UInt64 = 1, loss: Double, recovery: RecoveryConfiguration) -> SimulatedCall {
        let call = SimulatedCall(seed: seed, capacity: .mbps(2), loss: loss, recovery: recovery)
        call.run(for: .seconds(20))
        return call
    }

    @Test func nackAndRTXBringResidualLossWellBelowTheRawLoss() throws {
        let without = Self.call(loss: 0.03, recovery: RecoveryConfiguration(nack: false, rtx: false, keyFrameRequests: true))
        let with = Self.call(loss: 0.03, recovery: RecoveryConfiguration(nack: true, rtx: true, keyFrameRequests: true))
        let raw = try #require(without.receiver.videoMetrics)
        let repaired = try #require(with.receiver.videoMetrics)
        let rawLoss = try #require(raw.residualLoss), residual = try #require(repaired.residualLoss)
        #expect(rawLoss > 0.02 && rawLoss < 0.04)
        #expect(residual < 0.003)
        #expect(with.sender.metrics.retransmittedPackets > 0 && repaired.nacksSent > 0)
        #expect(repaired.freezeCount < raw.freezeCount)
        #expect(repaired.framesRendered > raw.framesRendered)
        #expect(raw.pliSent > 0)
        let firstFrame = try #require(repaired.timeToFirstFrame)
        #expect(firstFrame < .milliseconds(500))
        #expect(try #require(repaired.frameDelay.percentile(0.5, in: seconds(5, 20))) < 200)
    }

    @Test func recoveryIsDeterministic() {
        let recovery = RecoveryConfiguration(nack: true, rtx: true, keyFrameRequests: true)
        let first = Self.call(seed: 3, loss: 0.02, recovery: recovery)
        let second = Self.call(seed: 3, loss: 0.02, recovery: recovery)
        #expect(first.receiver.videoMetrics == second.receiver.videoMetrics)
        #expect(first.sender.metrics == second.sender.metrics)
    }

    @Test func withoutRecoveryNothingIsTracked() {
        let call = SimulatedCall(capacity: .mbps(1), loss: 0.02)
        call.run(for: .seconds(3))
        #expect(call.receiver.videoMetrics == nil)
        #expect(call.sender.metrics.retransmittedPackets == 0 && call.sender.metrics.nacksReceived == 0)
    }
}

/// The sender's answers to feedback messages: key frames on PLI and FIR, rate-limited.
@Suite struct KeyFrameRequestTests {
    typealias Sender = MediaSender<AnyCongestionController>
    static let local = Endpoint(try! IPAddress(parsing: "10.0.0.1"), 5000)
    static let remote = Endpoint(try! IPAddress(parsing: "10.0.0.2"), 6000)

    static func feedback(_ packet: RTCPPacket) -> Datagram {
        Datagram(source: remote, destination: local, payload: packet.encoded())
    }

    /// Runs `sender` until `time`, dropping what it sends.
    static func run(_ sender: inout Sender, until time: Instant) {
        while true {
            switch sender.pollOutput() {
            case .transmit: continue
            case .timeout(let next) where next <= time: sender.handleTimeout(now: next)
            default: return
            }
        }
    }

    @Test func pliAndNewFIRForceAKeyFrameAtMostEvery300ms() {
        var configuration = Sender.Configuration(local: Self.local, remote: Self.remote)
        configuration.audio = nil
        var sender = Sender(configuration: configuration, controller: ControllerRecipe.gcc.make(ControllerRates()), random: Xoshiro256(seed: 1))
        let ssrc = configuration.videoSSRC
        sender.start(now: .zero)
        Self.run(&sender, until: .zero + .milliseconds(100))
        #expect(sender.metrics.keyFrames == 1)
        sender.handle(Self.feedback(.pictureLossIndication(PictureLossIndication(senderSSRC: 9, mediaSSRC: ssrc))), now: .zero + .milliseconds(100))
        Self.run(&sender, until: .zero + .milliseconds(200))
        #expect(sender.metrics.keyFrames == 2)
        // Within 300 ms of the last: counted, not honoured.
        sender.handle(Self.feedback(.pictureLossIndication(PictureLossIndication(senderSSRC: 9, mediaSSRC: ssrc))), now: .zero + .milliseconds(300))
        Self.run(&sender, until: .zero + .milliseconds(500))
        #expect(sender.metrics.keyFrames == 2 && sender.metrics.keyFrameRequests == 2)
        // A FIR with a new sequence number is honoured; its repetition is not.
        let fir = RTCPPacket.fullIntraRequest(FullIntraRequest(senderSSRC: 9, entries: [.init(ssrc: ssrc, sequenceNumber: 1)]))
        sender.handle(Self.feedback(fir), now: .zero + .milliseconds(500))
        Self.run(&sender, until: .zero + .milliseconds(900))
        sender.handle(Self.feedback(fir), now: .zero + .milliseconds(900))
        Self.run(&sender, until: .zero + .milliseconds(1000))
        #expect(sender.metrics.keyFrames == 3 && sender.metrics.keyFrameRequests == 3)
        // A PLI about another source changes nothing.
        sender.handle(Self.feedback(.pictureLossIndication(PictureLossIndication(senderSSRC: 9, mediaSSRC: ssrc + 1))), now: .zero + .milliseconds(1000))
        Self.run(&sender, until: .zero + .milliseconds(1100))
        #expect(sender.metrics.keyFrames == 3)
    }
}
