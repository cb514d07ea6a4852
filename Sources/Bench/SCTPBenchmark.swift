import Foundation
import NetTypes
import Records
import Scenario

/// `icelab bench sctp`: a data channel file transfer in a simulated session — ICE, DTLS,
/// then SCTP with DCEP, every packet real and encrypted — over a 10 Mbps path with 50 ms
/// one-way latency. `sim_speedup` is the transfer's simulated time over the run's wall
/// time with 1% loss (median of the repetitions); `goodput_share` the goodput over the
/// capacity with no loss.
public enum SCTPBenchmark {
    /// Workload sizes; tests run them small.
    public struct Sizes: Sendable {
        public var fileBytes: Int64 = 50_000_000
        /// The simulated run: long enough for the lossy transfer to finish.
        public var duration: Duration = .seconds(1200)

        public init() {}

        public static let tiny: Sizes = {
            var s = Sizes()
            s.fileBytes = 300_000
            s.duration = .seconds(20)
            return s
        }()
    }

    /// The path's capacity.
    public static let capacity = Bitrate.mbps(10)

    /// What one transfer measured.
    public struct Transfer: Sendable {
        public var wallSeconds: Double
        public var channel: DataChannelResult
    }

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) throws -> BenchmarkReport {
        var lossy: [Transfer] = []
        for _ in 0..<max(repetitions, 1) { lossy.append(try transfer(sizes, loss: 0.01)) }
        lossy.sort { $0.wallSeconds < $1.wallSeconds }
        let median = lossy[lossy.count / 2]
        guard let lossyTime = median.channel.completedTime else {
            throw BenchmarkFailure("the lossy transfer did not complete within \(sizes.duration)")
        }
        let clean = try transfer(sizes, loss: 0)
        guard let cleanTime = clean.channel.completedTime, let open = clean.channel.openTime else {
            throw BenchmarkFailure("the loss-free transfer did not complete within \(sizes.duration)")
        }
        var report = BenchmarkReport()
        let megabytes = Double(sizes.fileBytes) / 1e6
        report.add("sim_speedup", lossyTime.seconds / median.wallSeconds,
                   label: "sim speed-up, \(megabytes) MB over 10 Mbps, 50 ms, 1% loss (sim s / wall s, median)")
        report.add("goodput_share", Double(sizes.fileBytes) * 8 / (cleanTime - open).seconds / Double(capacity.bitsPerSecond),
                   label: "goodput / capacity, no loss (from channel open to the last byte)")
        report.add("lossy_transfer_s", lossyTime.seconds, label: "lossy transfer, simulated seconds from session start")
        report.add("lossy_wall_s", median.wallSeconds, label: "lossy run, wall seconds (median)")
        report.add("lossy_retransmissions", Double(median.channel.retransmissions), label: "SCTP DATA chunks retransmitted, lossy")
        report.add("clean_transfer_s", cleanTime.seconds, label: "loss-free transfer, simulated seconds from session start")
        return report
    }

    /// The scenario: two public hosts, the sender's access link the bottleneck.
    static func scenario(_ sizes: Sizes, loss: Double) -> String {
        """
        name: bench-sctp
        duration: \(sizes.duration.seconds)s
        seed: 1
        network:
          hosts: { a: {}, b: {} }
          links:
            - { from: a, to: internet, latency: 25ms, bandwidth: 10Mbps, queue: 100ms, loss: \(loss * 100)% }
            - { from: b, to: internet, latency: 25ms }
        sessions:
          - name: s
            offerer: a
            answerer: b
            data:
              - { label: file, file: \(sizes.fileBytes)B }
        """
    }

    /// Runs the transfer once; its channel's row and the run's wall time.
    public static func transfer(_ sizes: Sizes, loss: Double) throws -> Transfer {
        let (point, scenario) = try ScenarioFile(text: scenario(sizes, loss: loss), path: "bench-sctp.yaml").scenario(at: 0)
        var result: RunResult?
        let wall = WallClock.bestSeconds(repetitions: 1) { result = ScenarioRunner.run(index: 0, point: point, scenario: scenario) }
        guard let result, let channel = result.dataChannels.first else {
            throw BenchmarkFailure("the run recorded no data channel: \(result?.errorMessage ?? "")")
        }
        return Transfer(wallSeconds: wall, channel: channel)
    }
}
