/// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (RFC 5289 §3.2), the one cipher suite.
let dtlsCipherSuite: UInt16 = 0xC02B

/// ClientHello (RFC 6347 §4.2.1, RFC 5246 §7.4.1.2): DTLS adds the cookie.
struct DTLSClientHello: Equatable {
    var version = DTLSRecord.version12
    var random: [UInt8]
    var sessionID: [UInt8] = []
    var cookie: [UInt8] = []
    var cipherSuites: [UInt16]
    var compressionMethods: [UInt8] = [0]
    var extensions: DTLSHelloExtensions

    init(random: [UInt8], cipherSuites: [UInt16], extensions: DTLSHelloExtensions) {
        self.random = random
        self.cipherSuites = cipherSuites
        self.extensions = extensions
    }

    var encoded: [UInt8] {
        var body = DTLSHelloPreamble.encode(version: version, random: random, sessionID: sessionID)
        body.appendVector(cookie, lengthWidth: 1)
        body.appendUInt16List(cipherSuites)
        body.appendVector(compressionMethods, lengthWidth: 1)
        return body + extensions.encoded
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        (version, random, sessionID) = try DTLSHelloPreamble.decode(&reader)
        cookie = Array(try reader.vector(lengthWidth: 1, 0...255, "cookie"))
        cipherSuites = try reader.uint16List(2...65_534, "cipher_suites")
        compressionMethods = Array(try reader.vector(lengthWidth: 1, 1...255, "compression_methods"))
        extensions = try DTLSHelloExtensions(decoding: &reader)
    }

    /// What a stateless cookie covers (RFC 6347 §4.2.1): everything but the cookie.
    var cookieInput: [UInt8] {
        var copy = self
        copy.cookie = []
        return copy.encoded
    }
}

/// ServerHello (RFC 5246 §7.4.1.3).
struct DTLSServerHello: Equatable {
    var version = DTLSRecord.version12
    var random: [UInt8]
    var sessionID: [UInt8] = []
    var cipherSuite: UInt16
    var compressionMethod: UInt8 = 0
    var extensions: DTLSHelloExtensions

    init(random: [UInt8], cipherSuite: UInt16, extensions: DTLSHelloExtensions) {
        self.random = random
        self.cipherSuite = cipherSuite
        self.extensions = extensions
    }

    var encoded: [UInt8] {
        var body = DTLSHelloPreamble.encode(version: version, random: random, sessionID: sessionID)
        body.appendInteger(cipherSuite, width: 2)
        body.append(compressionMethod)
        return body + extensions.encoded
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        (version, random, sessionID) = try DTLSHelloPreamble.decode(&reader)
        cipherSuite = try reader.uint16()
        compressionMethod = try reader.uint8()
        extensions = try DTLSHelloExtensions(decoding: &reader)
    }
}

/// The fields both hellos open with (RFC 5246 §7.4.1.2-3): version, 32-byte random,
/// session_id (always empty here: no resumption).
enum DTLSHelloPreamble {
    static func encode(version: UInt16, random: [UInt8], sessionID: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        body.appendInteger(version, width: 2)
        body += random
        body.appendVector(sessionID, lengthWidth: 1)
        return body
    }

    static func decode(_ reader: inout DTLSWireReader) throws(DTLSError) -> (version: UInt16, random: [UInt8], sessionID: [UInt8]) {
        let version = try reader.uint16()
        let random = Array(try reader.take(32))
        return (version, random, Array(try reader.vector(lengthWidth: 1, 0...32, "session_id")))
    }
}

/// HelloVerifyRequest (RFC 6347 §4.2.1): the server's version and a cookie.
struct DTLSHelloVerifyRequest: Equatable {
    /// RFC 6347 §4.2.1: DTLS 1.0 regardless of the version negotiated.
    var version = DTLSRecord.version10
    var cookie: [UInt8]

    init(cookie: [UInt8]) { self.cookie = cookie }

    var encoded: [UInt8] {
        var body: [UInt8] = []
        body.appendInteger(version, width: 2)
        body.appendVector(cookie, lengthWidth: 1)
        return body
    }

    init(decoding body: [UInt8]) throws(DTLSError) {
        var reader = DTLSWireReader(body[...])
        version = try reader.uint16()
        cookie = Array(try reader.vector(lengthWidth: 1, 1...255, "cookie"))
        try reader.expectEnd("HelloVerifyRequest")
    }
}
