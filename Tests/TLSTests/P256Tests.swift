import COpenSSL
import NetTypes
@testable import TLS
import Testing

/// `P256` and `P256PublicKey`: signatures made with an identity's key verify with the key
/// read from its certificate's DER, and certificates or points that are not a P-256 key
/// are typed errors, never a trap.
@Suite struct P256Tests {
    static let identity = Fixtures.serverIdentity

    static func sign(_ data: [UInt8]) throws -> [UInt8] {
        let key = try #require(EVP_PKEY_get0_EC_KEY(identity.key))
        return try #require(P256.sign(data, with: key))
    }

    @Test func signaturesVerifyWithTheCertificatesKey() throws {
        let data = Array("client random + server random + params".utf8)
        let signature = try Self.sign(data)
        let key = try P256PublicKey(certificateDER: Self.identity.certificateDER)
        #expect(key.verify(signature, of: data))
        #expect(!key.verify(signature, of: data + [0]))
        var flipped = signature
        flipped[flipped.count - 1] ^= 1
        #expect(!key.verify(flipped, of: data))
        #expect(!key.verify(signature + [0], of: data), "trailing bytes after the DER signature")
        let other = try P256PublicKey(certificateDER: Fixtures.otherIdentity.certificateDER)
        #expect(!other.verify(signature, of: data))
    }

    @Test func everyTruncatedCertificateIsATypedError() {
        let der = Self.identity.certificateDER
        for length in 0..<der.count {
            #expect(throws: TLSError.self) { try P256PublicKey(certificateDER: Array(der.prefix(length))) }
        }
    }

    @Test func anotherCurveIsRefused() throws {
        var der = Self.identity.certificateDER
        let secp256r1: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        let at = try #require((0...(der.count - secp256r1.count)).first { Array(der[$0..<$0 + secp256r1.count]) == secp256r1 })
        der[at + secp256r1.count - 1] = 0x08  // another curve's OID of the same length
        #expect(throws: TLSError.invalidPEM("DER: not an ECDSA P-256 key")) { try P256PublicKey(certificateDER: der) }
    }

    @Test func pointsOffTheCurveAreRefused() throws {
        let key = try #require(EVP_PKEY_get0_EC_KEY(Self.identity.key))
        var point = P256.publicPoint(of: key)
        #expect(point.count == 65 && point[0] == 4)
        _ = try P256PublicKey(point: point[...])
        point[64] ^= 1
        #expect(throws: TLSError.self) { try P256PublicKey(point: point[...]) }
        #expect(throws: TLSError.self) { try P256PublicKey(point: [0][...]) }  // the point at infinity
        #expect(throws: TLSError.self) { try P256PublicKey(point: point.dropLast()) }
    }

    @Test func ecdhAgreesBothWays() throws {
        let a = try #require(P256.generateKey()), b = try #require(P256.generateKey())
        defer { EC_KEY_free(a); EC_KEY_free(b) }
        let ab = try P256PublicKey(point: P256.publicPoint(of: b)[...]).sharedSecret(with: a)
        let ba = try P256PublicKey(point: P256.publicPoint(of: a)[...]).sharedSecret(with: b)
        #expect(ab != nil && ab == ba && ab?.count == 32)
    }
}
