import Foundation
import TestSupport
import Testing

/// `icelab ice-peer --data-channel` as processes: two of them wired to each other (a file
/// sent and echoed, a text message), and misused options. The file transfer runs alone
/// (`.bulkTransfer`), the rest as live tests.
@Suite(.serialized, .enabled(if: PeerProcess.icelab != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct DataChannelCommandTests {
    static var icelab: URL { PeerProcess.icelab ?? URL(fileURLWithPath: "/nonexistent") }

    @Test(.bulkTransfer) func aFileSentOnAChannelComesBackWithTheSameHash() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-data-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        let size = 2 * 1024 * 1024 + 777
        var rng = SystemRandomNumberGenerator()
        try Data((0..<size).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }).write(to: file)
        let echoing = try PeerProcess.icePeer(Self.icelab, ["--role", "controlling", "--data-channel", "echo", "--timeout", "60"])
        let sending = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--data-channel", "file", "--send-file", file.path,
                                                            "--timeout", "60"])
        defer { echoing.kill(); sending.kill() }
        try await wire(echoing, sending)
        let channel = try #require(try await sending.nextObject())
        #expect(channel["channel"] as? String == "file" && channel["ordered"] as? Bool == true && channel["reliability"] as? String == "reliable")
        #expect((channel["id"] as? Int).map { $0 % 2 == 0 } == true, "the DTLS client opens even ids")
        let report = try #require(try await sending.nextObject(), "no transfer report")
        #expect(report["sent_bytes"] as? Int == size && report["echoed_bytes"] as? Int == size, "\(report)")
        #expect(report["match"] as? Bool == true && report["sha256"] as? String == report["echoed_sha256"] as? String, "\(report)")
        #expect(report["elapsed_ms"] is Int)
        #expect(await sending.exitStatus() == 0)
        echoing.closeInput()
        #expect(try await echoing.nextObject()?["channel"] as? String == "echo", "its own channel opened")
        let received = try #require(try await echoing.nextObject(), "the echoing peer reported nothing")
        #expect(received["channel"] as? String == "file" && received["received_bytes"] as? Int == size)
        #expect(received["sha256"] as? String == report["sha256"] as? String)
        #expect(await echoing.exitStatus() == 0)
    }

    @Test(.liveNetwork) func aTextOnAnUnorderedPartiallyReliableChannelIsEchoed() async throws {
        let echoing = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--data-channel", "echo", "--timeout", "60"])
        let sending = try PeerProcess.icePeer(Self.icelab, ["--role", "controlling", "--data-channel", "chat", "--unordered",
                                                            "--max-retransmits", "3", "--send", "hello channel", "--timeout", "60"])
        defer { echoing.kill(); sending.kill() }
        try await wire(sending, echoing)
        let channel = try #require(try await sending.nextObject())
        #expect(channel["ordered"] as? Bool == false && channel["reliability"] as? String == "max-retransmits 3", "\(channel)")
        #expect((channel["id"] as? Int).map { $0 % 2 == 1 } == true, "the DTLS server opens odd ids")
        #expect(try await sending.nextObject()?["received"] as? String == "hello channel")
        #expect(await sending.exitStatus() == 0)
        echoing.closeInput()
        #expect(await echoing.exitStatus() == 0)
    }

    @Test(.liveNetwork) func aNegotiatedChannelBothOpenCarriesATextWithoutDCEP() async throws {
        let echoing = try PeerProcess.icePeer(Self.icelab, ["--role", "controlling", "--data-channel", "agreed", "--negotiated", "7",
                                                            "--timeout", "60"])
        let sending = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--data-channel", "agreed", "--negotiated", "7",
                                                            "--send", "pre-agreed", "--timeout", "60"])
        defer { echoing.kill(); sending.kill() }
        try await wire(echoing, sending)
        for peer in [echoing, sending] { #expect(try await peer.nextObject()?["id"] as? Int == 7) }
        #expect(try await sending.nextObject()?["received"] as? String == "pre-agreed")
        #expect(await sending.exitStatus() == 0)
        echoing.closeInput()
        #expect(await echoing.exitStatus() == 0)
    }

    @Test(.liveNetwork, arguments: [["--unordered"], ["--send-file", "/dev/null"], ["--data-channel", "x", "--max-retransmits", "1", "--max-packet-lifetime", "5"],
                      ["--data-channel", "x", "--send", "a", "--send-file", "/dev/null"], ["--data-channel", "x", "--negotiated", "65535"]])
    func misusedChannelOptionsAreBadUsage(arguments: [String]) async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled"] + arguments)
        defer { peer.kill() }
        #expect(await peer.exitStatus() == 2)
    }

    @Test(.liveNetwork) func aPeerWithoutSCTPPortIsBadInput() async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--data-channel", "x"])
        defer { peer.kill() }
        _ = try #require(await peer.nextLine())
        peer.write(#"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"fingerprint":"sha-256 "#
                   + (0..<32).map { _ in "AB" }.joined(separator: ":") + #"","setup":"actpass"}"#)
        #expect(await peer.exitStatus() == 2)
    }

    /// Descriptions across (both carry the SCTP fields), then ICE, DTLS and SCTP on both.
    private func wire(_ controlling: PeerProcess, _ controlled: PeerProcess) async throws {
        let offer = try #require(try await controlling.nextObject())
        let answer = try #require(try await controlled.nextObject())
        for description in [offer, answer] {
            #expect(description["sctp_port"] as? Int == 5000 && description["max_message_size"] as? Int == 262_144, "\(description)")
        }
        controlling.write(try #require(String(data: JSONSerialization.data(withJSONObject: answer), encoding: .utf8)))
        controlled.write(try #require(String(data: JSONSerialization.data(withJSONObject: offer), encoding: .utf8)))
        for peer in [controlling, controlled] {
            #expect(["connected", "completed"].contains(try await peer.nextObject()?["state"] as? String))
            #expect(try await peer.nextObject()?["dtls"] as? String == "connected")
            #expect(try await peer.nextObject()?["sctp"] as? String == "established")
        }
    }
}
