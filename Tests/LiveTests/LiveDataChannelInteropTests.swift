import DataChannel
import Foundation
import NetTypes
import SCTP
import TestSupport
import Testing
@testable import Live

/// Data channels over DTLS after ICE against an independent stack, aiortc (Python: its
/// RTCSctpTransport over its RTCDtlsTransport), on loopback, in both DTLS roles:
/// `aiortc_data_peer.py` speaks the one-line JSON protocol of `icelab ice-peer
/// --data-channel`, echoes every message and reports what each channel received.
@Suite(.serialized, .bulkTransfer, .enabled(if: PeerProcess.aiortcIsAvailable, "python3 with aiortc is missing: python3 -m pip install aiortc"))
struct LiveDataChannelInteropTests {
    static let timeout = NetTypes.Duration.seconds(60)   // generous: CI loads both cores
    /// A multi-megabyte transfer each way.
    static let fileSize = 3 * 1024 * 1024 + 12_345
    static let messages = 20

    /// icelab is the DTLS client (even stream ids): it opens a reliable channel and sends
    /// the file, which aiortc echoes; an unordered and a max-retransmits channel carry
    /// text messages; a negotiated channel (no DCEP) that both open carries one more.
    @Test func icelabOpensChannelsAndSendsAFileThatAiortcEchoes() async throws {
        let aiortc = try PeerProcess.aiortcData(["--role", "controlling", "--open", "agreed,id=100", "--timeout", "60"])
        defer { aiortc.kill() }
        let peer = try LiveICEPeer(configuration: .init(role: .controlled, dtls: .active, dataChannels: SCTPConfiguration()))
        try await connect(peer, aiortc)
        #expect(try await aiortc.nextObject()?["opened"] as? String == "agreed")

        let file = try await peer.openChannel(DataChannelParameters(label: "file"))
        #expect(file % 2 == 0, "the DTLS client opens even stream ids (RFC 8832 §6)")
        #expect(try await peer.channel(id: file, timeout: Self.timeout) != nil, "aiortc did not acknowledge the channel")
        let bytes = Self.fileBytes(Self.fileSize)
        var digest = SHA256Digest()
        digest.update(bytes)
        try await peer.sendChunked(bytes, chunk: 16 * 1024, on: file, highWater: 1 << 20, timeout: Self.timeout)
        let echoed = try #require(try await peer.tally(of: file, timeout: Self.timeout) { $0.bytes >= Self.fileSize })
        #expect(echoed.bytes == Self.fileSize && echoed.sha256 == digest.hexDigest)

        let unordered = try await peer.openChannel(DataChannelParameters(label: "unordered", ordered: false))
        let lossy = try await peer.openChannel(DataChannelParameters(label: "rexmit", reliability: .maxRetransmits(2)))
        let agreed = try await peer.openChannel(DataChannelParameters(label: "agreed"), negotiatedID: 100)
        for id in [unordered, lossy] { #expect(try await peer.channel(id: id, timeout: Self.timeout) != nil) }
        let sent = (0..<Self.messages).map { "message \($0)" }
        for text in sent {
            try await peer.sendMessage(Array(text.utf8), isString: true, on: unordered)
            try await peer.sendMessage(Array(text.utf8), isString: true, on: lossy)
        }
        try await peer.sendMessage(Array("agreed".utf8), isString: true, on: agreed)
        let replies = await texts(peer, count: 2 * Self.messages + 1)
        #expect(Set(replies.filter { $0.channel == unordered }.map(\.text)) == Set(sent))
        #expect(Set(replies.filter { $0.channel == lossy }.map(\.text)) == Set(sent), "loopback loses nothing")
        #expect(replies.filter { $0.channel == agreed }.map(\.text) == ["agreed"])

        aiortc.closeInput()
        let channels = try #require(try await aiortc.nextObject()?["channels"] as? [String: [String: Any]], "aiortc printed no report")
        #expect(channels["file"]?["sha256"] as? String == digest.hexDigest, "aiortc hashed what it received")
        #expect(channels["unordered"]?["ordered"] as? Bool == false)
        #expect(channels["rexmit"]?["max_retransmits"] as? Int == 2)
        #expect(channels["agreed"]?["negotiated"] as? Bool == true && channels["agreed"]?["texts"] as? [String] == ["agreed"])
        #expect(await aiortc.exitStatus() == 0)
        await peer.close()
    }

    /// icelab is the DTLS server (odd ids) and echoes: aiortc opens its channels, sends
    /// the file and checks the echo; icelab's tally of what it received has the same hash.
    @Test func aiortcOpensChannelsAndSendsAFileThatIcelabEchoes() async throws {
        let aiortc = try PeerProcess.aiortcData(["--role", "controlled", "--open", "unordered,unordered", "--open", "rexmit,rexmit=1",
                                                 "--open", "timed,lifetime=5000", "--messages", "\(Self.messages)",
                                                 "--send-file", "\(Self.fileSize)", "--timeout", "60"])
        defer { aiortc.kill() }
        let peer = try LiveICEPeer(configuration: .init(role: .controlling, echo: true, dtls: .actpass, dataChannels: SCTPConfiguration()))
        try await connect(peer, aiortc)
        for label in ["unordered", "rexmit", "timed"] {
            let opened = try #require(try await aiortc.nextObject(), "aiortc did not open \(label)")
            #expect(opened["opened"] as? String == label)
            #expect((opened["id"] as? Int).map { $0 % 2 == 0 } == true, "aiortc, the DTLS client, opens even ids")
        }
        let report = try #require(try await aiortc.nextObject(), "aiortc printed no transfer report")
        let sha256 = try #require(report["sha256"] as? String)
        #expect(report["echoed_bytes"] as? Int == Self.fileSize)
        #expect(report["echoed_sha256"] as? String == sha256)
        var digest = SHA256Digest()
        digest.update(Self.fileBytes(Self.fileSize))
        #expect(sha256 == digest.hexDigest, "the test and aiortc make the same file")

        let info = try #require(try await peer.channel(labelled: "file-from-aiortc", timeout: Self.timeout))
        let tally = try #require(try await peer.tally(of: info.id))
        #expect(tally.bytes == Self.fileSize && tally.sha256 == sha256)
        let unordered = try #require(try await peer.channel(labelled: "unordered", timeout: Self.timeout))
        #expect(unordered.parameters.ordered == false)
        #expect(try await peer.channel(labelled: "rexmit", timeout: Self.timeout)?.parameters.reliability == .maxRetransmits(1))
        #expect(try await peer.channel(labelled: "timed", timeout: Self.timeout)?.parameters.reliability == .lifetime(milliseconds: 5000))

        aiortc.closeInput()
        let channels = try #require(try await aiortc.nextObject()?["channels"] as? [String: [String: Any]], "aiortc printed no report")
        let sent = Set((0..<Self.messages).map { "msg \($0)" })
        for label in ["unordered", "rexmit", "timed"] {
            #expect(Set(channels[label]?["texts"] as? [String] ?? []) == sent, "\(label): echoed by icelab")
        }
        #expect(await aiortc.exitStatus() == 0)
        await peer.close()
    }

    /// The transfer's bytes: SHA-256 of the counter 0, 1, … as 8 big-endian bytes,
    /// concatenated (aiortc_data_peer.py makes the same stream).
    static func fileBytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 32)
        var index: UInt64 = 0
        while bytes.count < count {
            var digest = SHA256Digest()
            digest.update(withUnsafeBytes(of: index.bigEndian, Array.init))
            bytes += [UInt8](hex: digest.hexDigest)
            index += 1
        }
        return Array(bytes.prefix(count))
    }

    /// Descriptions both ways, ICE, DTLS and SCTP on both sides.
    private func connect(_ peer: LiveICEPeer, _ aiortc: PeerProcess) async throws {
        let local = try await peer.start(timeout: Self.timeout)
        #expect(local.sctpPort == 5000 && local.maxMessageSize != nil)
        aiortc.write(local.jsonLine)
        let remote = try ICEPeerDescription(jsonLine: try #require(await aiortc.nextLine(), "aiortc printed no description"))
        #expect(remote.sctpPort == 5000)
        let result = try await peer.connect(remote: remote, timeout: Self.timeout)
        #expect(result.isConnected, "\(result.jsonLine)")
        #expect(try await aiortc.nextObject()?["state"] as? String == "connected")
        let secured = try await peer.secure(timeout: Self.timeout)
        #expect(secured.state == .connected, "\(secured.jsonLine)")
        #expect(try await aiortc.nextObject()?["dtls"] as? String == "connected")
        #expect(try await peer.dataChannelsReady(timeout: Self.timeout), "the SCTP association did not come up")
        #expect(try await aiortc.nextObject()?["sctp"] as? String == "established")
    }

    /// Text replies until `count` came or nothing came for a while.
    private func texts(_ peer: LiveICEPeer, count: Int) async -> [(channel: UInt16, text: String)] {
        var replies: [(channel: UInt16, text: String)] = []
        while replies.count < count, let reply = await peer.receiveText(timeout: .seconds(20)) { replies.append(reply) }
        return replies
    }
}
