/// Certificate (RFC 5246 §7.4.2): DER certificates, the sender's own first.
struct DTLSCertificateMessage: Equatable {
    var certificates: [[UInt8]]

    init(certificates: [[UInt8]]) { self.certificates = certificates }

    var encoded: [UInt8] {
        var list: [UInt8] = []
        for der in certificates { list.appendVector(der, lengthWidth: 3) }
        var body: [UInt8] = []
        body.appendVector(list, lengthWidth: 3)
        return body
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        var list = DTLSWireReader(try reader.vector(lengthWidth: 3, 0...DTLSHandshakeMessage.maximumLength, "certificate_list"))
        try reader.expectEnd("Certificate")
        certificates = []
        while !list.isAtEnd { certificates.append(Array(try list.vector(lengthWidth: 3, 1...DTLSHandshakeMessage.maximumLength, "certificate"))) }
    }
}

/// ServerKeyExchange for ECDHE_ECDSA (RFC 8422 §5.4): named-curve parameters, the
/// server's public value and its signature over both randoms and the parameters.
struct DTLSServerKeyExchange: Equatable {
    var group: UInt16
    var publicKey: [UInt8]
    var signatureAlgorithm: UInt16
    var signature: [UInt8]

    init(group: UInt16, publicKey: [UInt8], signatureAlgorithm: UInt16, signature: [UInt8]) {
        self.group = group
        self.publicKey = publicKey
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
    }

    /// ServerECDHParams: curve_type named_curve(3), the group, the point.
    var parameters: [UInt8] {
        var bytes: [UInt8] = [3]
        bytes.appendInteger(group, width: 2)
        bytes.appendVector(publicKey, lengthWidth: 1)
        return bytes
    }

    /// What the signature covers (RFC 8422 §5.4).
    static func signedData(clientRandom: [UInt8], serverRandom: [UInt8], parameters: [UInt8]) -> [UInt8] {
        clientRandom + serverRandom + parameters
    }

    var encoded: [UInt8] {
        var body = parameters
        body.appendInteger(signatureAlgorithm, width: 2)
        body.appendVector(signature, lengthWidth: 2)
        return body
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        guard try reader.uint8() == 3 else { throw .handshakeFailure("ServerKeyExchange without a named curve") }
        group = try reader.uint16()
        publicKey = Array(try reader.vector(lengthWidth: 1, 1...255, "ECPoint"))
        signatureAlgorithm = try reader.uint16()
        signature = Array(try reader.vector(lengthWidth: 2, 1...65_535, "signature"))
        try reader.expectEnd("ServerKeyExchange")
    }
}

/// CertificateRequest (RFC 5246 §7.4.4): WebRTC's server asks the client for its
/// certificate (RFC 8827 §6.5) with ecdsa_sign(64) and ecdsa_secp256r1_sha256, no CAs.
struct DTLSCertificateRequest: Equatable {
    var certificateTypes: [UInt8]
    var signatureAlgorithms: [UInt16]

    static let ecdsaSign: UInt8 = 64

    init(certificateTypes: [UInt8], signatureAlgorithms: [UInt16]) {
        self.certificateTypes = certificateTypes
        self.signatureAlgorithms = signatureAlgorithms
    }

    var encoded: [UInt8] {
        var body: [UInt8] = []
        body.appendVector(certificateTypes, lengthWidth: 1)
        body.appendUInt16List(signatureAlgorithms)
        body.appendInteger(0, width: 2)  // certificate_authorities: none
        return body
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        certificateTypes = Array(try reader.vector(lengthWidth: 1, 1...255, "certificate_types"))
        signatureAlgorithms = try reader.uint16List(2...65_534, "supported_signature_algorithms")
        _ = try reader.vector(lengthWidth: 2, 0...65_535, "certificate_authorities")
        try reader.expectEnd("CertificateRequest")
    }
}

/// A signature with its algorithm: the body of CertificateVerify (RFC 5246 §7.4.8).
struct DTLSDigitallySigned: Equatable {
    var algorithm: UInt16
    var signature: [UInt8]

    init(algorithm: UInt16, signature: [UInt8]) {
        self.algorithm = algorithm
        self.signature = signature
    }

    var encoded: [UInt8] {
        var body: [UInt8] = []
        body.appendInteger(algorithm, width: 2)
        body.appendVector(signature, lengthWidth: 2)
        return body
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        algorithm = try reader.uint16()
        signature = Array(try reader.vector(lengthWidth: 2, 1...65_535, "signature"))
        try reader.expectEnd("CertificateVerify")
    }
}

/// The ECDH public value of a ClientKeyExchange (RFC 8422 §5.7).
enum DTLSClientKeyExchange {
    static func encode(_ publicKey: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        body.appendVector(publicKey, lengthWidth: 1)
        return body
    }

    static func decode(_ body: [UInt8]) throws(DTLSError) -> [UInt8] {
        var reader = DTLSWireReader(body[...])
        let point = Array(try reader.vector(lengthWidth: 1, 1...255, "ECPoint"))
        try reader.expectEnd("ClientKeyExchange")
        return point
    }
}
