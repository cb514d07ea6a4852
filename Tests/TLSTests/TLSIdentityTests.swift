import Foundation
import NetTypes
import TLS
import Testing

@Suite struct TLSIdentityTests {
    @Test func pemRoundTrip() throws {
        let identity = Fixtures.serverIdentity
        #expect(identity.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(identity.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try TLSIdentity(certificatePEM: identity.certificatePEM, privateKeyPEM: identity.privateKeyPEM)
        #expect(loaded.certificateDER == identity.certificateDER)
        #expect(loaded.fingerprint == identity.fingerprint)
        #expect(loaded.commonName == "turn.example.net")
        #expect(try TLSCertificate(der: identity.certificateDER).pem == identity.certificate.pem)
        let fingerprint = identity.fingerprint
        #expect(fingerprint.count == 32 * 3 - 1)
        #expect(fingerprint.split(separator: ":").allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) && $0.uppercased() == $0 })
    }

    @Test func aServerRunsOnALoadedIdentity() throws {
        let identity = Fixtures.serverIdentity
        let loaded = try TLSIdentity(certificatePEM: identity.certificatePEM, privateKeyPEM: identity.privateKeyPEM)
        var connection = Connection(server: try TLSContext(TLSConfiguration(role: .server, identity: loaded)))
        connection.exchange()
        #expect(connection.client.failure == nil && connection.server.closed)
    }

    @Test func invalidPEMIsATypedError() {
        let identity = Fixtures.serverIdentity
        #expect(throws: TLSError.self) { try TLSIdentity(certificatePEM: "not pem", privateKeyPEM: identity.privateKeyPEM) }
        #expect(throws: TLSError.self) { try TLSIdentity(certificatePEM: identity.certificatePEM, privateKeyPEM: "") }
        let mangled = identity.certificatePEM.replacingOccurrences(of: "M", with: "x")
        do {
            _ = try TLSIdentity(certificatePEM: mangled, privateKeyPEM: identity.privateKeyPEM)
            Issue.record("a mangled certificate loaded")
        } catch {
            guard case .invalidPEM = error else { Issue.record("\(error)"); return }
            #expect(error.description.hasPrefix("invalid PEM: "))
        }
        #expect(throws: TLSError.self) { try TLSCertificate(der: [0x30, 0x03, 0x02, 0x01]) }
    }

    @Test func keyNotMatchingTheCertificateIsRefused() {
        #expect(throws: TLSError.keyMismatch) {
            try TLSIdentity(certificatePEM: Fixtures.serverIdentity.certificatePEM,
                            privateKeyPEM: Fixtures.otherIdentity.privateKeyPEM)
        }
    }

    @Test func unreadableFilesAreTypedErrors() {
        #expect(throws: TLSError.self) { try TLSIdentity(certificateFile: "/nonexistent/cert.pem", privateKeyFile: "/nonexistent/key.pem") }
    }

    @Test func badSubjectAltNamesAreRefused() {
        var rng = Xoshiro256(seed: 1)
        #expect(throws: TLSError.self) {
            try TLSIdentity.generate(commonName: "x", subjectAltNames: ["a,DNS:b"], notBefore: 0, validity: .seconds(1), rng: &rng)
        }
    }
}
