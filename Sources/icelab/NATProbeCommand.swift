import ArgumentParser
import Foundation
import Live
import NetTypes
import STUN
import Signaling

/// `icelab nat-probe`: classifies the NAT in front of this machine (RFC 5780).
struct NATProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nat-probe",
        abstract: "Discover NAT mapping, filtering and hairpinning behavior against a STUN server (RFC 5780).")

    @Option(help: "The STUN server, HOST:PORT; it must support RFC 5780 (an alternate address).", transform: Endpoint.init(parsing:))
    var server: Endpoint

    @Option(help: "Local address and port to probe from (default: the route's source address, any port).", transform: Endpoint.init(parsing:))
    var local: Endpoint?

    @Option(help: "Initial retransmission timeout in milliseconds.")
    var rto: Int64 = 500

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        var configuration = STUNTransactionConfiguration()
        configuration.initialRTO = .milliseconds(rto)
        let report = try await LiveNATProbe.run(server: server, local: local, configuration: configuration)
        print(json ? report.json : report.text)
        if report.classic == nil || report.classic == .udpBlocked { throw ExitCode(1) }
    }
}

extension NATBehaviorReport {
    /// One JSON object with every field (null when unknown).
    var json: String {
        JSONLine.encode([
            JSONLine.Field("mapped_address", .optional(mappedAddress?.description)),
            JSONLine.Field("other_address", .optional(otherAddress?.description)),
            JSONLine.Field("mapping", .optional(mapping?.rawValue)),
            JSONLine.Field("filtering", .optional(filtering?.rawValue)),
            JSONLine.Field("hairpinning", hairpinning.map(JSONLine.Value.bool) ?? .null),
            JSONLine.Field("classic", .optional(classic?.rawValue)),
            JSONLine.Field("note", .optional(note)),
        ])
    }

    /// Aligned lines for people.
    var text: String {
        [("mapped address", mappedAddress?.description), ("other address", otherAddress?.description),
         ("mapping", mapping?.rawValue), ("filtering", filtering?.rawValue),
         ("hairpinning", hairpinning.map { $0 ? "yes" : "no" }), ("NAT type", classic?.rawValue), ("note", note)]
            .compactMap { name, value in value.map { name.padding(toLength: 15, withPad: " ", startingAt: 0) + $0 } }
            .joined(separator: "\n")
    }
}
