import Foundation
import Netns
import Simulator
import TestSupport
import Testing

/// The Linux NATs icelab can build in network namespaces: their nftables rules, the
/// simulator's presets for them, and — as root — the real netfilter measured with the
/// same RFC 5780 discovery and compared with the model, lab torn down every time.
@Suite struct LinuxNATModelTests {
    @Test func rulesetsTranslateWhatLeavesThroughTheWAN() {
        let plain = LinuxNAT.masquerade.ruleset(wan: "ilv1b")
        #expect(plain.contains("type nat hook postrouting priority srcnat;") && plain.contains("oifname \"ilv1b\" masquerade\n"))
        #expect(LinuxNAT.masqueradeRandomFully.ruleset(wan: "ilv1b").contains("oifname \"ilv1b\" masquerade fully-random\n"))
    }

    /// Each Linux NAT has a preset of its name, which discovery in simulation classifies
    /// as netfilter behaves (docs/nat.md): ports kept (EIM) or drawn per entry (APDM),
    /// replies only from the contacted endpoint, no hairpinning.
    @Test(arguments: LinuxNAT.allCases)
    func presetsClassifyAsLinuxDoes(nat: LinuxNAT) throws {
        let report = try #require(try SimulatedNATDiscovery.run(try NATBehavior.preset(named: nat.preset)))
        #expect(report.mapping?.rawValue == (nat == .masquerade ? "endpoint-independent" : "address-and-port-dependent"))
        #expect(report.filtering?.rawValue == "address-and-port-dependent")
        #expect(report.hairpinning == false)
    }
}

@Suite(.liveNetwork, .enabled(if: NetnsLab.unavailableReason() == nil, "network namespaces need root, ip and nft"),
       .enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct NetnsLabTests {
    /// The real NAT agrees with its preset on mapping, filtering and hairpinning, and
    /// nothing of the lab is left.
    @Test(arguments: LinuxNAT.allCases)
    func linuxAgreesWithTheModel(nat: LinuxNAT) throws {
        let lab = NetnsLab(prefix: "ilt\(nat == .masquerade ? 0 : 1)")
        let linux = try NATProbeLab(nat: nat, icelab: IcelabExecutable.url!.path).run(lab: lab)
        let agreement = try NATAgreement(nat: nat, linux: linux)
        #expect(agreement.agrees, "\(agreement.rows)")
        #expect(linux["mapped_address"]?.hasPrefix("203.0.113.1:") == true, "\(linux)")
        #expect(lab.existingNamespaces().isEmpty)
    }

    /// What the model does not have yet (docs/nat.md "Checked against Linux"): a packet
    /// from a peer that reaches the masquerading router before the host ever sent to that
    /// peer leaves an unreplied conntrack entry, and the host's first packet to the peer
    /// then leaves from another port (its reply tuple would clash), where without the
    /// early packet the port is kept.
    @Test func anEarlyInboundPacketMovesTheHostsPortToThatPeer() throws {
        let lab = NetnsLab(prefix: "ilt3")
        defer { lab.teardown() }
        for name in ["inet", "nat", "host"] { try lab.addNamespace(name) }
        let (_, wan) = try lab.link("inet", ["203.0.113.254/24"], "nat", ["203.0.113.1/24"])
        try lab.link("nat", ["10.0.0.1/24"], "host", ["10.0.0.2/24"])
        try lab.defaultRoute(in: "host", via: "10.0.0.1")
        try lab.enableForwarding(in: "nat")
        try lab.loadRules(LinuxNAT.masquerade.ruleset(wan: wan), in: "nat")
        func sourcePortSeenByThePeer(peerPort: Int, early: Bool) throws -> String {
            let peer = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("203.0.113.254", \(peerPort))); s.settimeout(20)
                if \(early ? "True" : "False"): s.sendto(b"early", ("203.0.113.1", 5000))
                open("/tmp/\(lab.prefix)-ready-\(peerPort)", "w").close()
                print(s.recvfrom(100)[1][1])
                """
            let host = """
                import os, socket, time
                while not os.path.exists("/tmp/\(lab.prefix)-ready-\(peerPort)"): time.sleep(0.05)
                time.sleep(0.2)
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.0.0.2", 5000)); s.sendto(b"hello", ("203.0.113.254", \(peerPort)))
                """
            defer { try? FileManager.default.removeItem(atPath: "/tmp/\(lab.prefix)-ready-\(peerPort)") }
            let listening = Listening()
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                listening.result = Result { try lab.run(["python3", "-c", peer], in: "inet", timeout: 30) }
                done.signal()
            }
            let sent = try lab.run(["python3", "-c", host], in: "host", timeout: 30)
            done.wait()
            let heard = try listening.result!.get()
            #expect(sent.status == 0 && heard.status == 0, "\(sent.errors) \(heard.errors)")
            return heard.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try sourcePortSeenByThePeer(peerPort: 7000, early: false) == "5000")
        let moved = try sourcePortSeenByThePeer(peerPort: 7001, early: true)
        #expect(!moved.isEmpty && moved != "5000", "\(moved)")
    }

    /// A failing step (nft refuses a ruleset) is a typed error carrying nft's message, and
    /// teardown still removes every namespace.
    @Test func aFailedSetupIsTornDown() throws {
        let lab = NetnsLab(prefix: "ilt2")
        defer { lab.teardown() }
        try lab.addNamespace("a")
        try lab.addNamespace("b")
        try lab.link("a", ["10.1.0.1/24"], "b", ["10.1.0.2/24"])
        #expect(lab.existingNamespaces().count == 2)
        #expect {
            try lab.loadRules("table ip broken { chain x { this is not nft } }\n", in: "a")
        } throws: { error in
            guard case NetnsError.commandFailed(let command, _, let output)? = error as? NetnsError else { return false }
            return command.contains("nft") && output.contains("syntax error")
        }
        lab.teardown()
        #expect(lab.existingNamespaces().isEmpty)
    }

    /// `icelab netns-probe`: agreement printed and exit 0; a bad --nat is a usage error; on
    /// SIGINT while the lab runs it removes its namespaces and exits.
    @Test func theCommandReportsAndCleansUpOnInterrupt() async throws {
        let icelab = IcelabExecutable.url!
        let (status, output, errors) = try await ChildProcess.run(icelab, ["netns-probe", "--nat", "linux-masquerade"])
        #expect(status == 0, "\(errors)")
        #expect(output.contains("mapping      endpoint-independent"), "\(output)")
        let (bad, _, badErrors) = try await ChildProcess.run(icelab, ["netns-probe", "--nat", "cone"])
        #expect(bad == 2 && badErrors.contains("--nat must be one of linux-masquerade, linux-masquerade-random-fully"), "\(badErrors)")

        let child = try ChildProcess(icelab, ["netns-probe", "--nat", "linux-masquerade-random-fully"])
        // A lab object with the child's default prefix only lists what the child built.
        let childLab = NetnsLab(prefix: "il\(child.process.processIdentifier % 10_000)")
        for _ in 0..<300 where childLab.existingNamespaces().count < 3 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(childLab.existingNamespaces().count == 3, "the lab never came up: \(child.standardError)")
        kill(child.process.processIdentifier, SIGINT)
        #expect(await child.exitStatus() == 130)
        #expect(childLab.existingNamespaces().isEmpty)
    }
}

/// What the peer's side of a two-namespace exchange printed, set by its thread.
private final class Listening: @unchecked Sendable {
    var result: Result<(status: Int32, output: String, errors: String), any Error>?
}
