import Foundation
import NetTypes
import RTP
import TestSupport
import Testing
@testable import Live

/// DTLS-SRTP after ICE against an independent stack, aiortc (Python: OpenSSL's DTLS and
/// libsrtp), on loopback, in both DTLS roles and with SRTP media both ways:
/// `aiortc_peer.py` speaks the one-line JSON protocol of `icelab ice-peer --dtls` and
/// reports the RTP payloads it decrypted.
@Suite(.serialized, .liveNetwork, .enabled(if: PeerProcess.aiortcIsAvailable, "python3 with aiortc is missing: python3 -m pip install aiortc"))
struct LiveDTLSInteropTests {
    static let timeout = NetTypes.Duration.seconds(60)   // generous: CI loads both cores (25 s was hit)
    static let packets = 5

    /// icelab answers active (DTLS client) to aiortc's actpass; icelab sends SRTP, aiortc
    /// decrypts it and sends each packet back protected under its own keys.
    @Test func icelabClientSendsMediaThatAiortcEchoes() async throws {
        let aiortc = try PeerProcess.aiortc(["--role", "controlling", "--timeout", "60"])
        defer { aiortc.kill() }
        let peer = try LiveICEPeer(configuration: .init(role: .controlled, dtls: .active))
        let secured = try await handshake(peer, aiortc)
        #expect(secured.role == .client)
        let sent = (0..<Self.packets).map(Self.payload)
        let echoed = await exchange(peer, sending: sent)
        #expect(echoed == Set(sent), "echoed \(echoed.count) of \(sent.count) payloads")
        aiortc.closeInput()
        let report = try #require(try await aiortc.nextObject(), "aiortc printed no report")
        let received = Set((report["received"] as? [String] ?? []).map { [UInt8](hex: $0) })
        #expect(received == Set(sent), "aiortc decrypted \(received.count) of \(sent.count) payloads")
        #expect(await aiortc.exitStatus() == 0)
        await peer.close()
    }

    /// icelab offers actpass as the controlling peer and aiortc answers active, so icelab
    /// is the DTLS server; aiortc sends SRTP, icelab decrypts it and echoes it protected.
    @Test func icelabServerEchoesTheMediaAiortcSends() async throws {
        let aiortc = try PeerProcess.aiortc(["--role", "controlled", "--send", "\(Self.packets)", "--timeout", "60"])
        defer { aiortc.kill() }
        let peer = try LiveICEPeer(configuration: .init(role: .controlling, echo: true, dtls: .actpass))
        let secured = try await handshake(peer, aiortc)
        #expect(secured.role == .server)
        let report = try #require(try await aiortc.nextObject(), "aiortc printed no report")
        let sent = Set((report["sent"] as? [String] ?? []).map { [UInt8](hex: $0) })
        let received = Set((report["received"] as? [String] ?? []).map { [UInt8](hex: $0) })
        #expect(sent.count == Self.packets)
        #expect(received == sent, "aiortc got back \(received.count) of \(sent.count) payloads")
        #expect(await aiortc.exitStatus() == 0)
        let counters = try #require(await peer.mediaCounters())
        #expect(counters.rtpReceived >= Self.packets && counters.rtpSent >= Self.packets && counters.unprotectFailures == 0)
        await peer.close()
    }

    /// A payload with every byte value, numbered so that each packet is told apart.
    static func payload(_ index: Int) -> [UInt8] { Array("icelab packet \(index) ".utf8) + (0...255).map(UInt8.init) }

    /// Descriptions both ways, ICE, then DTLS on both sides: the result icelab reports.
    private func handshake(_ peer: LiveICEPeer, _ aiortc: PeerProcess) async throws -> DTLSPeerResult {
        let local = try await peer.start(timeout: Self.timeout)
        #expect(local.fingerprint != nil && local.setup != nil)
        aiortc.write(local.jsonLine)
        let remote = try ICEPeerDescription(jsonLine: try #require(await aiortc.nextLine(), "aiortc printed no description"))
        let result = try await peer.connect(remote: remote, timeout: Self.timeout)
        #expect(result.isConnected, "\(result.jsonLine)")
        #expect(try await aiortc.nextObject()?["state"] as? String == "connected")
        let secured = try await peer.secure(timeout: Self.timeout)
        // `secure` reports the state when it reads it: an aiortc that got its echoes may
        // already have sent close_notify. Keys from a completed handshake are the check.
        #expect(secured.profile != nil && secured.handshakeTime != nil && (secured.isConnected || secured.state == .closed),
                "\(secured.jsonLine)")
        let theirs = try #require(try await aiortc.nextObject(), "aiortc printed no DTLS result")
        #expect(theirs["dtls"] as? String == "connected", "\(theirs)")
        #expect(theirs["profile"] as? String == secured.profile?.name)
        return secured
    }

    /// Sends each payload in an RTP packet until it comes back (every 250 ms: a packet may
    /// be lost), and returns the payloads that did.
    private func exchange(_ peer: LiveICEPeer, sending payloads: [[UInt8]]) async -> Set<[UInt8]> {
        var echoed: Set<[UInt8]> = []
        var sequence: UInt16 = 0
        let deadline = ContinuousClock.now + .seconds(25)
        while echoed.count < payloads.count, ContinuousClock.now < deadline {
            for payload in payloads where !echoed.contains(payload) {
                sequence &+= 1
                let packet = RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(sequence) * 960,
                                       ssrc: 0x1CE_1AB, payload: payload)
                try? await peer.sendRTP(packet.encoded())
            }
            while let reply = await peer.receive(timeout: .milliseconds(250)) {
                if let packet = try? RTPPacket(decoding: reply) { echoed.insert(packet.payload) }
            }
        }
        return echoed
    }
}
