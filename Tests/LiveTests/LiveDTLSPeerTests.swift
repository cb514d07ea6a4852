import DTLS
import NetTypes
import RTP
import SDP
import Signaling
import TestSupport
import Testing
@testable import Live

/// Two live peers running DTLS-SRTP after ICE on loopback, and the roles a=setup gives.
@Suite(.liveNetwork) struct LiveDTLSPeerTests {
    static let timeout = NetTypes.Duration.seconds(20)

    /// The controlling offerer says actpass, the controlled answerer active: the answerer
    /// is the client. Both connect with the same profile and keys: an RTP packet sent
    /// protected comes back from the echoing peer, decrypted and re-protected, intact.
    @Test func twoPeersSecureTheSelectedPairAndEchoSRTP() async throws {
        let echoing = try LiveICEPeer(configuration: .init(role: .controlling, echo: true,
                                                           dtls: LiveICEPeer.Configuration.defaultSetup(for: .controlling)))
        let sending = try LiveICEPeer(configuration: .init(role: .controlled, dtls: LiveICEPeer.Configuration.defaultSetup(for: .controlled)))
        let (offer, answer, results) = try await LiveICEPeerTests.connect(echoing, sending)
        #expect(offer.setup == .actpass && answer.setup == .active)
        #expect(offer.fingerprint != nil && answer.fingerprint != nil && offer.fingerprint != answer.fingerprint)
        for result in results { #expect(result.isConnected, "\(result.jsonLine)") }
        let server = try await echoing.secure(timeout: Self.timeout)
        let client = try await sending.secure(timeout: Self.timeout)
        #expect(server.isConnected && server.role == .server, "\(server.jsonLine)")
        #expect(client.isConnected && client.role == .client, "\(client.jsonLine)")
        #expect(server.profile == .aeadAes128Gcm && client.profile == server.profile)

        let payload = Array("media \u{1F3A4}".utf8) + (0...255).map(UInt8.init)
        var echoed: [UInt8]?
        for sequence in UInt16(1)...40 where echoed == nil {
            let packet = RTPPacket(payloadType: 111, sequenceNumber: sequence, timestamp: 960 * UInt32(sequence), ssrc: 0xDEC0DE, payload: payload)
            try await sending.sendRTP(packet.encoded())
            echoed = await sending.receive(timeout: .milliseconds(500)).flatMap { try? RTPPacket(decoding: $0).payload }
        }
        #expect(echoed == payload)
        let counters = try #require(await echoing.mediaCounters())
        #expect(counters.rtpReceived >= 1 && counters.rtpSent >= 1 && counters.unprotectFailures == 0)

        // Closing sends close_notify on the pair before the agent stops.
        await echoing.close()
        var state = client.state
        for _ in 0..<100 where state != .closed {
            try await Task.sleep(for: .milliseconds(50))
            state = try await sending.secure(timeout: .zero).state
        }
        #expect(state == .closed)
        await sending.close()
    }

    /// A certificate that does not match the signalled fingerprint fails the handshake
    /// (RFC 8122 §5) on the side that checks it, and its fatal alert fails the other.
    @Test func aFingerprintMismatchFailsBothSides() async throws {
        let server = try LiveICEPeer(configuration: .init(role: .controlling, echo: true, dtls: .actpass))
        let client = try LiveICEPeer(configuration: .init(role: .controlled, dtls: .active))
        var offer = try await server.start(timeout: Self.timeout)
        let answer = try await client.start(timeout: Self.timeout)
        offer.fingerprint = try DTLSFingerprint(sdp: "sha-256 " + (0..<32).map { _ in "5A" }.joined(separator: ":"))
        async let serverConnected = server.connect(remote: answer, timeout: Self.timeout)
        async let clientConnected = client.connect(remote: offer, timeout: Self.timeout)
        for result in try await [serverConnected, clientConnected] { #expect(result.isConnected, "\(result.jsonLine)") }
        let refused = try await client.secure(timeout: Self.timeout)
        let alerted = try await server.secure(timeout: Self.timeout)
        #expect(refused.state == .failed && !refused.isConnected, "\(refused.jsonLine)")
        #expect(alerted.state == .failed, "\(alerted.jsonLine)")
        await #expect(throws: MediaTransportError.self) { try await client.sendRTP(Array(repeating: 0x80, count: 20)) }
        await server.close()
        await client.close()
    }

    /// A peer without DTLS keeps media APIs closed: `sendRTP` throws `notSecured`.
    @Test func sendingRTPWithoutDTLSIsRefused() async throws {
        let peer = try LiveICEPeer(configuration: .init(role: .controlling))
        await #expect(throws: MediaTransportError.self) { try await peer.sendRTP(Array(repeating: 0x80, count: 20)) }
        await peer.close()
    }

    /// RFC 8842 §5: which side is the DTLS client for each pair of a=setup values.
    @Test func setupRolesMapToDTLSRoles() {
        #expect(SetupRole.active.dtlsRole(remote: .actpass) == .client)
        #expect(SetupRole.actpass.dtlsRole(remote: .active) == .server)
        #expect(SetupRole.passive.dtlsRole(remote: .actpass) == .server)
        #expect(SetupRole.actpass.dtlsRole(remote: .passive) == .client)
        #expect(SetupRole.active.dtlsRole(remote: .passive) == .client)
        for (local, remote) in [(SetupRole.actpass, SetupRole.actpass), (.active, .active), (.passive, .passive), (.holdconn, .active)] {
            #expect(local.dtlsRole(remote: remote) == nil, "\(local) with \(remote)")
        }
    }

    /// A description's fingerprint and setup survive its JSON line; a bad one is refused.
    @Test func theDescriptionCarriesFingerprintAndSetup() throws {
        let line = #"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"fingerprint":"sha-256 "#
            + (0..<32).map { _ in "AB" }.joined(separator: ":") + #"","setup":"actpass"}"#
        let description = try ICEPeerDescription(jsonLine: line)
        #expect(description.setup == .actpass && description.fingerprint?.digest == Array(repeating: 0xAB, count: 32))
        #expect(try ICEPeerDescription(jsonLine: description.jsonLine) == description)
        #expect(throws: JSONLineError.self) {
            try ICEPeerDescription(jsonLine: #"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"setup":"sideways"}"#)
        }
        #expect(throws: JSONLineError.self) {
            try ICEPeerDescription(jsonLine: #"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"fingerprint":"md5 AB"}"#)
        }
    }

    /// The SCTP fields (a=sctp-port, a=max-message-size) survive the JSON line.
    @Test func theDescriptionCarriesTheSCTPPortAndMessageSize() throws {
        let line = #"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"sctp_port":5001,"max_message_size":65536}"#
        let description = try ICEPeerDescription(jsonLine: line)
        #expect(description.sctpPort == 5001 && description.maxMessageSize == 65536)
        #expect(try ICEPeerDescription(jsonLine: description.jsonLine) == description)
        #expect(throws: JSONLineError.self) {
            try ICEPeerDescription(jsonLine: #"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"max_message_size":-1}"#)
        }
        #expect(throws: JSONLineError.self) {
            try ICEPeerDescription(jsonLine: #"{"ufrag":"abcd","pwd":"0123456789012345678901","candidates":[],"sctp_port":70000}"#)
        }
    }
}
