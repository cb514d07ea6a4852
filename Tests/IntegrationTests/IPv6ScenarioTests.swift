import Foundation
import Records
import Scenario
import TestSupport
import Testing

/// The shipped IPv6 scenarios end to end: dual-stack homes pick the IPv6 pair (RFC 8421),
/// IPv6-only mobiles behind NAT64/DNS64 connect as `mobile-ipv6.yaml` expects, runs are
/// deterministic, and the captures (translated packets included) decode in Wireshark.
@Suite struct IPv6ScenarioTests {
    static func run(_ name: String, pcap: String? = nil) throws -> RunResult {
        let (point, scenario) = try ShippedScenarioTests.file(name).scenario(at: 0)
        return ScenarioRunner.run(index: 0, point: point, scenario: scenario, options: ScenarioRunner.Options(pcapDirectory: pcap))
    }

    static func selected(_ result: RunResult, _ session: String) -> [String] {
        result.events.filter { $0.session == session && $0.kind == "selected" }.map(\.detail)
    }

    @Test func dualStackHostsGatherBothFamiliesAndSelectIPv6() throws {
        let result = try Self.run("dual-stack.yaml")
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        let candidates = result.events.filter { $0.session == "call" && $0.kind == "candidate" }.map(\.detail)
        #expect(candidates.contains { $0.hasPrefix("host [2001:db8:0:1::") } && candidates.contains { $0.hasPrefix("host 10.") })
        #expect(candidates.contains { $0.hasPrefix("srflx 203.") || $0.hasPrefix("srflx 198.") || $0.hasPrefix("srflx 192.") })
        let selected = Self.selected(result, "call")
        #expect(!selected.isEmpty && selected.allSatisfy { $0.contains("[2001:db8:0:") }, "\(selected)")
        // The relay-only call has an IPv4 and an IPv6 relayed candidate on each side.
        let relays = result.events.filter { $0.session == "relayed" && $0.kind == "candidate" }.map(\.detail)
        #expect(relays.contains { $0.hasPrefix("relay [2001:db8::") } && relays.contains { $0.hasPrefix("relay 203.") || $0.hasPrefix("relay 198.") || $0.hasPrefix("relay 192.") },
                "\(relays)")
    }

    @Test func ipv6OnlyMobilesConnectAsExpected() throws {
        let result = try Self.run("mobile-ipv6.yaml")
        #expect(result.outcome == .passed, "\(result.expectations.filter { !$0.passed }.map(\.message))")
        // The CLAT's host candidate is 192.0.0.2; the phone's only host candidate is IPv6.
        let xlat = result.events.filter { $0.session == "xlat" && $0.kind == "candidate" && $0.source == "offerer" }.map(\.detail)
        #expect(xlat.contains { $0.hasPrefix("host 192.0.0.2:") }, "\(xlat)")
        let phone = result.events.filter { $0.session == "ipv6-only-stun" && $0.kind == "candidate" && $0.source == "offerer" }.map(\.detail)
        #expect(phone.filter { $0.hasPrefix("host") }.allSatisfy { $0.hasPrefix("host [") }, "\(phone)")
    }

    @Test func sameSeedSameRows() throws {
        func rows() throws -> [String] {
            let result = try Self.run("mobile-ipv6.yaml")
            return result.events.map { "\($0.time) \($0.session ?? "") \($0.source) \($0.kind) \($0.detail)" }
                + result.sessions.map { "\($0.name) \($0.connected) \($0.connectedTime.map { "\($0)" } ?? "-") \($0.checksSent) \($0.stunBytes)" }
        }
        let first = try rows()
        #expect(first.count > 20)
        #expect(first == (try rows()))
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func translatedCapturesDecodeWithoutMalformedPackets() throws {
        for name in ["mobile-ipv6.yaml", "dual-stack.yaml"] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-pcap6-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = try Self.run(name, pcap: directory)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcap") }
            #expect(files.count >= 5)
            var ipv6 = 0
            let tshark = try #require(Tshark())
            for file in files {
                let (lines, status) = try tshark.run("\(directory)/\(file)", ["-d", "udp.port==3478,stun", "-T", "fields", "-e", "frame.protocols",
                                                                          "-e", "_ws.malformed"])
                #expect(status == 0)
                for line in lines {
                    #expect(!line.contains("malformed"), "\(name) \(file): \(line)")
                    if line.contains("ipv6:udp") { ipv6 += 1 }
                }
            }
            #expect(ipv6 > 10, "\(name)")
        }
    }

    @Test func ipv6CapturesAreByteIdenticalAcrossRuns() throws {
        func captures() throws -> [String: Data] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-pcap6-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = try Self.run("mobile-ipv6.yaml", pcap: directory)
            var result: [String: Data] = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
                result[file] = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)"))
            }
            return result
        }
        let first = try captures()
        #expect(!first.isEmpty)
        #expect(first == (try captures()))
    }
}
