import NetTypes
import RTP
import Testing
@testable import Media

@Suite struct MediaSourceTests {
    @Test func videoAveragesItsRateWithPeriodicKeyFrames() {
        var video = VideoSource(startRate: .kbps(800), random: Xoshiro256(seed: 1))
        var frames: [(bytes: Int, isKeyFrame: Bool)] = []
        for i in 0..<900 { frames.append(video.nextFrame(now: .zero + video.frameInterval * Int64(i))) }
        let bits = Double(frames.reduce(0) { $0 + $1.bytes } * 8)
        #expect(abs(bits / 30 - 800_000) < 8_000)   // 900 frames = 30 s
        let keys = frames.indices.filter { frames[$0].isKeyFrame }
        #expect(keys == Array(stride(from: 0, to: 900, by: 90)))
        let delta = Double(frames[1..<90].reduce(0) { $0 + $1.bytes }) / 89
        #expect(Double(frames[90].bytes) / delta > 4.5)
    }

    @Test func videoFollowsTheTargetAfterTheAdaptationDelayWithinLimits() {
        var video = VideoSource(startRate: .kbps(300), random: Xoshiro256(seed: 2))
        video.setTarget(.mbps(1), now: .zero)
        _ = video.nextFrame(now: .zero + .milliseconds(400))
        #expect(video.encoderRate == .kbps(300))
        _ = video.nextFrame(now: .zero + .milliseconds(500))
        #expect(video.encoderRate == .mbps(1))
        video.setTarget(.kbps(10), now: .zero + .seconds(1))
        _ = video.nextFrame(now: .zero + .seconds(2))
        #expect(video.encoderRate == video.configuration.minRate)
    }

    @Test func packetizerSplitsFramesIntoEqualPacketsOfAtMost1200Bytes() throws {
        let packetizer = Packetizer(ssrc: 5, payloadType: 96, clockRate: 90_000, maxPacketSize: 1200, stream: RTPStreamConfiguration(),
                                    timestampOffset: 1000)
        let packets = packetizer.packetize(bytes: 5000, capturedAt: .zero + .seconds(1))
        #expect(packets.count == 5)
        #expect(packets.map(\.payload.count).reduce(0, +) == 5000)
        #expect(packets.allSatisfy { $0.encoded().count <= 1200 && $0.timestamp == 91_000 })
        #expect(packets.map(\.marker) == [false, false, false, false, true])
        let decoded = try RTPPacket(decoding: packets[0].encoded())
        #expect(decoded.extensions?[3] == [0, 0])
        let padding = packetizer.padding(bytes: 1000, at: .zero)
        #expect(padding.encoded().count == packetizer.maxPaddingPacketSize)
    }

    @Test func timeSeriesStatistics() {
        var series = TimeSeries()
        for i in 1...100 { series.append(Double(i), at: .zero + .milliseconds(Int64(i))) }
        #expect(series.percentile(0.95, in: seconds(0, 1)) == 95)
        #expect(series.mean(in: seconds(0, 0.0505)) == 25.5)
        #expect(series.firstTime(reaching: 50) == .zero + .milliseconds(50))
    }
}
