import ArgumentParser
import Foundation
import Netns
import Signaling

/// `icelab netns-probe`: RFC 5780 discovery through a real Linux NAT built in network
/// namespaces, side by side with the same discovery behind the simulator's preset for it.
struct NetnsProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netns-probe",
        abstract: "Probe a real Linux NAT (network namespaces, nftables) and compare it with the simulator's preset (root).",
        discussion: "Builds namespaces inet (icelab's STUN server), nat (the router) and host (icelab nat-probe), "
            + "runs RFC 5780 discovery, removes everything (also on Ctrl-C), and prints mapping, filtering and "
            + "hairpinning as simulated and as measured. Exit 0 when they agree, 1 when not, 2 when the lab cannot run.")

    @Option(help: "The Linux NAT: \(LinuxNAT.allCases.map(\.rawValue).joined(separator: ", ")).")
    var nat: String = LinuxNAT.masquerade.rawValue

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        guard let kind = LinuxNAT(rawValue: nat) else {
            throw ValidationError("--nat must be one of \(LinuxNAT.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let reason = NetnsLab.unavailableReason() {
            FileHandle.standardError.write(Data("netns-probe: \(reason)\n".utf8))
            throw ExitCode(2)
        }
        let lab = NetnsLab()
        let sources = onTerminationSignals { _ in
            lab.teardown()
            Foundation.exit(130)
        }
        defer { withExtendedLifetime(sources) {} }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let linux: [String: String]
        do { linux = try NATProbeLab(nat: kind, icelab: executable).run(lab: lab) } catch {
            FileHandle.standardError.write(Data("netns-probe: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let agreement = try NATAgreement(nat: kind, linux: linux)
        if json {
            print(JSONLine.encode([JSONLine.Field("nat", .string(kind.rawValue)), JSONLine.Field("agrees", .bool(agreement.agrees))]
                + agreement.rows.map { row in
                    JSONLine.Field(row.property, .object([JSONLine.Field("simulated", .string(row.simulated)),
                                                          JSONLine.Field("linux", .string(row.linux))]))
                }))
        } else {
            let simulated = "simulated (\(kind.preset))", width = max(30, simulated.count + 2)
            print("property".padding(toLength: 13, withPad: " ", startingAt: 0) + simulated.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "linux (nftables)")
            for row in agreement.rows {
                print(row.property.padding(toLength: 13, withPad: " ", startingAt: 0)
                      + row.simulated.padding(toLength: width, withPad: " ", startingAt: 0) + row.linux + (row.agrees ? "" : "   DISAGREE"))
            }
        }
        if !agreement.agrees { throw ExitCode(1) }
    }
}
