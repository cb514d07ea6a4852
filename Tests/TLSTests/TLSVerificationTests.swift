import NetTypes
import TLS
import Testing

/// Client-side verification of the server's certificate (RFC 5280 path validation, RFC
/// 6125 name check), with validity judged at `verificationEpoch + now`.
@Suite struct TLSVerificationTests {
    static func client(trusting trusted: [TLSCertificate] = [Fixtures.serverIdentity.certificate],
                       name: String? = "turn.example.net", verify: Bool = true,
                       epoch: Int64? = Fixtures.epoch) throws -> TLSContext {
        try TLSContext(TLSConfiguration(role: .client, trusted: trusted, verifyPeer: verify, serverName: name,
                                        verificationEpoch: epoch))
    }

    static func handshake(_ client: TLSContext, server: TLSContext = Fixtures.serverContext,
                          serverName: String? = nil) -> Connection {
        var connection = Connection(client: client, server: server, serverName: serverName)
        connection.handshake()
        return connection
    }

    @Test func trustedCertificateAndNameSucceed() throws {
        let connection = Self.handshake(try Self.client())
        #expect(connection.client.failure == nil && connection.client.info != nil && connection.server.info != nil)
    }

    @Test func anIPAddressIsCheckedAgainstIPAddressEntries() throws {
        #expect(Self.handshake(try Self.client(name: "192.0.2.7")).client.info != nil)
        let wrong = Self.handshake(try Self.client(name: "192.0.2.8"))
        #expect(wrong.client.failure == .certificateVerificationFailed("IP address mismatch"))
    }

    @Test func untrustedCertificateFails() throws {
        let connection = Self.handshake(try Self.client(trusting: [Fixtures.otherIdentity.certificate]))
        guard case .certificateVerificationFailed(let reason) = connection.client.failure else {
            Issue.record("\(String(describing: connection.client.failure))")
            return
        }
        #expect(reason.contains("certificate"))
        // The client's alert reaches the server, which fails too.
        if case .protocolError(let reason) = connection.server.failure { #expect(reason.contains("alert")) }
        else { Issue.record("server: \(String(describing: connection.server.failure))") }
    }

    @Test func wrongServerNameFails() throws {
        let connection = Self.handshake(try Self.client(), serverName: "evil.example.net")
        #expect(connection.client.failure == .certificateVerificationFailed("hostname mismatch"))
    }

    @Test func validityIsJudgedAtSimulatedTime() throws {
        // The fixture is valid from epoch - 1 day for 30 days.
        let early = Self.handshake(try Self.client(epoch: Fixtures.epoch - 2 * 86_400))
        #expect(early.client.failure == .certificateVerificationFailed("certificate is not yet valid"))
        let late = Self.handshake(try Self.client(epoch: Fixtures.epoch + 30 * 86_400))
        #expect(late.client.failure == .certificateVerificationFailed("certificate has expired"))

        // Simulated time moves the check: the same epoch, a session 40 days in.
        let client = try Self.client()
        var connection = Connection(client: client)
        connection.now = Instant.zero + .seconds(40 * 86_400)
        connection.handshake()
        #expect(connection.client.failure == .certificateVerificationFailed("certificate has expired"))
    }

    @Test func verifyPeerFalseAcceptsAnything() throws {
        let connection = Self.handshake(try Self.client(trusting: [], name: "wrong.example", verify: false,
                                                        epoch: Fixtures.epoch + 365 * 86_400))
        #expect(connection.client.failure == nil && connection.client.info?.peerCommonName == "turn.example.net")
    }
}
