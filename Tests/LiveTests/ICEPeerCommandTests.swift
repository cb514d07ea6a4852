import Foundation
import TestSupport
import Testing

/// `icelab ice-peer` as a process: two of them wired to each other, and bad input.
@Suite(.serialized, .liveNetwork, .enabled(if: PeerProcess.icelab != nil, "the icelab executable is not next to the test bundle (swift build first)"))
struct ICEPeerCommandTests {
    static var icelab: URL { PeerProcess.icelab ?? URL(fileURLWithPath: "/nonexistent") }

    @Test func twoIcePeersConnectAndTheSenderGetsItsEcho() async throws {
        // Generous phase timeouts: CI runs this while other suites load both cores.
        let echoing = try PeerProcess.icePeer(Self.icelab, ["--role", "controlling", "--timeout", "25"])
        let sending = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--send", "hello \"peer\"", "--timeout", "25"])
        defer { echoing.kill(); sending.kill() }
        let offer = try #require(await echoing.nextLine())
        let answer = try #require(await sending.nextLine())
        #expect(offer.hasPrefix("{\"ufrag\":") && offer.contains("\"candidates\":[\"candidate:1 1 udp 2130706431 127.0.0.1 "))
        echoing.write(answer)
        sending.write(offer)
        for peer in [echoing, sending] {
            let result = try #require(try await peer.nextObject())
            #expect(["connected", "completed"].contains(result["state"] as? String), "\(result)")
            let selected = try #require(result["selected"] as? [String: String])
            #expect(selected["local"]?.hasPrefix("candidate:") == true && selected["remote"]?.hasPrefix("candidate:") == true)
            #expect(result["elapsed_ms"] is Int)
        }
        #expect(try await sending.nextObject()?["received"] as? String == "hello \"peer\"")
        #expect(await sending.exitStatus() == 0)
        echoing.closeInput()
        #expect(await echoing.exitStatus() == 0)
    }

    @Test func twoIcePeersWithDTLSExchangeSRTPMedia() async throws {
        let echoing = try PeerProcess.icePeer(Self.icelab, ["--role", "controlling", "--dtls", "--timeout", "25"])
        let sending = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--dtls", "--send", "hello over SRTP", "--timeout", "25"])
        defer { echoing.kill(); sending.kill() }
        let offer = try #require(try await echoing.nextObject())
        let answer = try #require(try await sending.nextObject())
        #expect(offer["setup"] as? String == "actpass" && answer["setup"] as? String == "active")
        #expect((offer["fingerprint"] as? String)?.hasPrefix("sha-256 ") == true && offer["fingerprint"] as? String != answer["fingerprint"] as? String)
        echoing.write(try #require(String(data: JSONSerialization.data(withJSONObject: answer), encoding: .utf8)))
        sending.write(try #require(String(data: JSONSerialization.data(withJSONObject: offer), encoding: .utf8)))
        for (peer, role) in [(echoing, "server"), (sending, "client")] {
            #expect(["connected", "completed"].contains(try await peer.nextObject()?["state"] as? String))
            let dtls = try #require(try await peer.nextObject())
            #expect(dtls["dtls"] as? String == "connected" && dtls["role"] as? String == role, "\(dtls)")
            #expect(dtls["profile"] as? String == "SRTP_AEAD_AES_128_GCM" && dtls["handshake_ms"] is Int, "\(dtls)")
        }
        #expect(try await sending.nextObject()?["received"] as? String == "hello over SRTP")
        #expect(await sending.exitStatus() == 0)
        echoing.closeInput()
        #expect(await echoing.exitStatus() == 0)
    }

    @Test func aDTLSPeerRefusesADescriptionWithoutFingerprint() async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--dtls"])
        defer { peer.kill() }
        _ = try #require(await peer.nextLine())
        peer.write(#"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":["1 1 udp 2130706431 127.0.0.1 9 typ host"]}"#)
        #expect(await peer.exitStatus() == 2)
    }

    @Test(arguments: [["--dtls", "--setup", "holdconn"], ["--setup", "active"]])
    func aSetupThatCannotBeUsedIsBadUsage(arguments: [String]) async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled"] + arguments)
        defer { peer.kill() }
        #expect(await peer.exitStatus() == 2)
    }

    @Test func aBadRemoteDescriptionIsBadInput() async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled"])
        defer { peer.kill() }
        _ = try #require(await peer.nextLine())
        peer.write(#"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":["1 1 udp 1 127.0.0.1 5 typ nat"]}"#)
        #expect(await peer.exitStatus() == 2)
    }

    @Test func aLocalAddressOfNoInterfaceIsBadInput() async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlled", "--local", "203.0.113.254"])
        defer { peer.kill() }
        #expect(await peer.exitStatus() == 2)
    }

    @Test func aPeerThatNeverAnswersTimesOut() async throws {
        let peer = try PeerProcess.icePeer(Self.icelab, ["--role", "controlling", "--timeout", "0.5"])
        defer { peer.kill() }
        _ = try #require(await peer.nextLine())
        peer.write(#"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":["1 1 udp 2130706431 127.0.0.1 9 typ host"]}"#)
        #expect(try await peer.nextObject()?["state"] as? String == "checking")
        #expect(await peer.exitStatus() == 1)
    }
}
