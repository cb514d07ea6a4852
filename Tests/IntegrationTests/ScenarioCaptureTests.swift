import Foundation
import Scenario
import TestSupport
import Testing

/// `--pcap`: a scenario run writes one capture per link, and Wireshark decodes the real
/// protocol bytes in it (STUN checks, TURN allocations and ChannelData) without
/// malformed packets.
@Suite struct ScenarioCaptureTests {
    /// Runs the quickstart with `--pcap` into a scratch folder; returns it and the captures.
    static func captureQuickstart(_ body: (_ directory: String, _ files: [String]) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-pcap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try ShippedScenarioTests.file("quickstart.yaml")
        let (point, scenario) = try file.scenario(at: 0)
        let result = ScenarioRunner.run(index: 0, point: point, scenario: scenario,
                                        options: ScenarioRunner.Options(pcapDirectory: directory))
        #expect(result.outcome == .passed)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcap") }
        try body(directory, files)
    }

    @Test func oneCapturePerLink() throws {
        try Self.captureQuickstart { _, files in
            #expect(files.count == 6, "\(files)")   // 4 NAT/host links + 2 server links
        }
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func capturesDecodeAsSTUNAndTURN() throws {
        try Self.captureQuickstart { directory, files in
            try Self.decode(directory, files, with: try #require(Tshark()))
        }
    }

    static func decode(_ directory: String, _ files: [String], with tshark: Tshark) throws {
        var protocols: [String: Int] = [:]
        for name in files {
            let (lines, status) = try tshark.run("\(directory)/\(name)", ["-d", "udp.port==3478,stun", "-T", "fields", "-e", "frame.protocols", "-e", "_ws.malformed"])
            #expect(status == 0)
            for line in lines {
                #expect(!line.contains("malformed"), "\(name): \(line)")
                for proto in ["stun", "turnchannel"] where line.contains(":\(proto)") { protocols[proto, default: 0] += 1 }
            }
        }
        #expect((protocols["stun"] ?? 0) > 20, "\(protocols)")
    }
}
