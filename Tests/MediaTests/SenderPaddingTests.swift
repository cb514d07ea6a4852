import Congestion
import Media
import NetTypes
import RTP
import Testing

/// The sender tells its controller whether it can pad (libwebrtc pads only video), and
/// the controller alone decides whether to probe.
@Suite struct SenderPaddingTests {
    static let local = Endpoint(try! IPAddress(parsing: "10.0.0.1"), 5000)
    static let remote = Endpoint(try! IPAddress(parsing: "10.0.0.2"), 6000)

    /// A controller at a fixed rate that keeps what the sender told it.
    struct Recorder: CongestionController {
        var paddingAllowed: Bool?
        let processInterval = Duration.milliseconds(25)
        let targetRate = Bitrate.kbps(300)
        let pacingRate = Bitrate.kbps(750)
        mutating func setPaddingAllowed(_ allowed: Bool) { paddingAllowed = allowed }
        mutating func onPacketSent(_ packet: SentPacket) {}
        mutating func onFeedback(_ results: [PacketResult], now: Instant) {}
        mutating func onRoundTripTime(_ rtt: Duration, now: Instant) {}
        mutating func onProcessInterval(now: Instant) {}
        mutating func takeProbeClusters() -> [ProbeCluster] { [] }
        mutating func setRateConstraints(min: Bitrate, max: Bitrate, now: Instant) {}
    }

    static func configuration(video: Bool) -> MediaSender<Recorder>.Configuration {
        var configuration = MediaSender<Recorder>.Configuration(local: local, remote: remote)
        if !video { configuration.video = nil }
        return configuration
    }

    @Test func theSenderSaysWhetherItCanPad() {
        let audio = MediaSender(configuration: Self.configuration(video: false), controller: Recorder(), random: Xoshiro256(seed: 1))
        let video = MediaSender(configuration: Self.configuration(video: true), controller: Recorder(), random: Xoshiro256(seed: 1))
        #expect(audio.controller.paddingAllowed == false)
        #expect(video.controller.paddingAllowed == true)
    }

    /// An audio-only sender under GCC sends its 50 audio packets (20 ms frames) in its
    /// first second and nothing else: no start-up probe padding.
    @Test func anAudioOnlyGCCFlowSendsNoProbes() {
        var configuration = MediaSender<AnyCongestionController>.Configuration(local: Self.local, remote: Self.remote)
        configuration.video = nil
        var sender = MediaSender(configuration: configuration, controller: ControllerRecipe.gcc.make(ControllerRates()), random: Xoshiro256(seed: 1))
        sender.start(now: .zero)
        var count = 0
        while true {
            switch sender.pollOutput() {
            case .transmit(let datagram): if !RTPPacket.isRTCP(datagram.payload) { count += 1 }
            case .timeout(let next) where next < .zero + .seconds(1): sender.handleTimeout(now: next)
            default:
                #expect(count == 50)
                return
            }
        }
    }
}
