import NetTypes
import TLS

/// The handshake messages in order, for both roles (RFC 5246 §7.3 with ECDHE_ECDSA and
/// a client certificate, RFC 6347 §4.2.1 with the cookie exchange):
///
///     client                                    server
///     ClientHello                       →                            flight 1
///                                       ←   HelloVerifyRequest       flight 2 (optional)
///     ClientHello + cookie              →                            flight 3
///                                       ←   ServerHello, Certificate,
///                                           ServerKeyExchange,
///                                           CertificateRequest,
///                                           ServerHelloDone          flight 4
///     Certificate, ClientKeyExchange,
///     CertificateVerify,
///     ChangeCipherSpec, Finished        →                            flight 5
///                                       ←   ChangeCipherSpec, Finished  flight 6
extension DTLSEndpoint {
    mutating func process(type rawType: UInt8, sequence: UInt16, epoch: UInt16, body: [UInt8], now: Instant) throws(DTLSError) {
        guard let type = DTLSHandshakeType(rawValue: rawType) else {
            if rawType == 0 && state == .connected { refuseRenegotiation(); return }  // HelloRequest
            throw .unexpectedMessage("handshake message type \(rawType)")
        }
        if handshake.expecting == .done {
            // A new handshake on an established association: renegotiation is not
            // supported (RFC 5746 §4.2, §4.4).
            refuseRenegotiation()
            return
        }
        if handshake.expecting == .clientHello && type != .clientHello { return }  // a server ignores all else until then
        let transcriptBytes = DTLSHandshakeMessage(type: type, sequence: sequence, body: body).transcriptBytes
        switch (handshake.expecting, type) {
        case (.clientHello, .clientHello):
            try serverReceiveClientHello(body, sequence: sequence, now: now)
        case (.serverHello, .helloVerifyRequest):
            try clientReceiveHelloVerifyRequest(body, now: now)
        case (.serverHello, .serverHello):
            handshake.transcript += transcriptBytes
            try clientReceiveServerHello(body)
            handshake.expecting = .serverCertificate
        case (.serverCertificate, .certificate), (.clientCertificate, .certificate):
            handshake.transcript += transcriptBytes
            try acceptPeerCertificate(body)
            handshake.expecting = configuration.role == .client ? .serverKeyExchange : .clientKeyExchange
        case (.serverKeyExchange, .serverKeyExchange):
            handshake.transcript += transcriptBytes
            try clientReceiveServerKeyExchange(body)
            handshake.expecting = .certificateRequest
        case (.certificateRequest, .certificateRequest):
            handshake.transcript += transcriptBytes
            let request = try DTLSCertificateRequest(decoding: body)
            guard request.certificateTypes.contains(DTLSCertificateRequest.ecdsaSign),
                  request.signatureAlgorithms.contains(DTLSSignature.ecdsaSHA256) else {
                throw .handshakeFailure("the server accepts no ECDSA-SHA256 client certificate")
            }
            handshake.expecting = .serverHelloDone
        case (.certificateRequest, .serverHelloDone):
            throw .handshakeFailure("the server did not request a client certificate (RFC 8827 §6.5)")
        case (.serverHelloDone, .serverHelloDone):
            guard body.isEmpty else { throw .decodeError("a ServerHelloDone with a body") }
            handshake.transcript += transcriptBytes
            try clientSendSecondFlight(now: now)
        case (.clientCertificate, .clientKeyExchange):
            throw .handshakeFailure("the client sent no certificate (RFC 8827 §6.5)")
        case (.clientKeyExchange, .clientKeyExchange):
            let point = try DTLSClientKeyExchange.decode(body)
            handshake.transcript += transcriptBytes
            try deriveKeys(peerKeyShare: point)
            handshake.expecting = .certificateVerify
        case (.certificateVerify, .certificateVerify):
            let signed = try DTLSDigitallySigned(decoding: body)
            guard signed.algorithm == DTLSSignature.ecdsaSHA256, let key = handshake.peerKey,
                  DTLSSignature.verify(signed.signature, of: handshake.transcript, by: key) else {
                throw .badSignature("CertificateVerify")
            }
            handshake.transcript += transcriptBytes
            handshake.expecting = .clientFinished
        case (.clientFinished, .finished), (.serverFinished, .finished):
            guard epoch == 1 else { throw .unexpectedMessage("an unprotected Finished") }
            let client = configuration.role == .server
            let expected = DTLSPRF.finished(masterSecret: handshake.masterSecret, client: client,
                                            transcriptHash: DTLSPRF.sha256(handshake.transcript))
            guard body == expected else { throw .badFinished }
            handshake.transcript += transcriptBytes
            if configuration.role == .server {
                let verify = DTLSPRF.finished(masterSecret: handshake.masterSecret, client: false,
                                              transcriptHash: DTLSPRF.sha256(handshake.transcript))
                let finished = handshake.outgoing(.finished, verify)
                try sendFlight([.changeCipherSpec, .message(finished, epoch: 1)], now: now, awaitingReply: false)
            } else {
                handshake.lastFlight = []
                timers.stop(.retransmit)
            }
            try connect()
        default:
            throw .unexpectedMessage("\(type) while expecting \(handshake.expecting)")
        }
    }

    private mutating func refuseRenegotiation() {
        sendAlert(DTLSAlert(level: .warning, reason: .noRenegotiation))
    }

    // MARK: Client

    private mutating func clientReceiveHelloVerifyRequest(_ body: [UInt8], now: Instant) throws(DTLSError) {
        let request = try DTLSHelloVerifyRequest(decoding: body)
        guard var hello = handshake.clientHello, handshake.helloVerifyRequests < 4 else {
            throw .unexpectedMessage("too many HelloVerifyRequests")
        }
        handshake.helloVerifyRequests += 1
        hello.cookie = request.cookie
        handshake.clientHello = hello
        handshake.transcript = []  // the first ClientHello and the request are not hashed (§4.2.1)
        let message = handshake.outgoing(.clientHello, hello.encoded)
        try sendFlight([.message(message, epoch: 0)], now: now, awaitingReply: true)
    }

    private mutating func clientReceiveServerHello(_ body: [UInt8]) throws(DTLSError) {
        let hello = try DTLSServerHello(decoding: body)
        guard hello.version == DTLSRecord.version12 else { throw .protocolVersion(String(hello.version, radix: 16)) }
        guard hello.cipherSuite == dtlsCipherSuite, hello.compressionMethod == 0 else {
            throw .handshakeFailure("the server chose cipher suite \(String(hello.cipherSuite, radix: 16))")
        }
        guard hello.extensions.extendedMasterSecret else { throw .handshakeFailure("no extended_master_secret (RFC 7627)") }
        if let info = hello.extensions.renegotiationInfo, !info.isEmpty {
            throw .handshakeFailure("a non-empty renegotiation_info (RFC 5746 §3.4)")
        }
        if !configuration.srtpProfiles.isEmpty {
            guard let chosen = hello.extensions.srtpProfiles, chosen.count == 1,
                  let profile = DTLSSRTPProfile(rawValue: chosen[0]), configuration.srtpProfiles.contains(profile) else {
                throw .handshakeFailure("the server chose no offered SRTP profile (RFC 5764 §4.1.1)")
            }
            handshake.srtpProfile = profile
        }
        handshake.serverRandom = hello.random
    }

    private mutating func clientReceiveServerKeyExchange(_ body: [UInt8]) throws(DTLSError) {
        let exchange = try DTLSServerKeyExchange(decoding: body)
        guard let group = DTLSGroup(rawValue: exchange.group), configuration.groups.contains(group) else {
            throw .handshakeFailure("the server chose group \(exchange.group)")
        }
        let signed = DTLSServerKeyExchange.signedData(clientRandom: handshake.clientRandom, serverRandom: handshake.serverRandom,
                                                      parameters: exchange.parameters)
        guard exchange.signatureAlgorithm == DTLSSignature.ecdsaSHA256, let key = handshake.peerKey,
              DTLSSignature.verify(exchange.signature, of: signed, by: key) else {
            throw .badSignature("ServerKeyExchange")
        }
        handshake.group = group
        handshake.peerKeyShare = exchange.publicKey
        handshake.keyShare = try withRandomness { () throws(DTLSError) in try DTLSKeyShare(group: group) }
    }

    /// Flight 5: Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec,
    /// Finished.
    private mutating func clientSendSecondFlight(now: Instant) throws(DTLSError) {
        guard let share = handshake.keyShare else { throw .unexpectedMessage("ServerHelloDone before ServerKeyExchange") }
        let certificate = handshake.outgoing(.certificate, DTLSCertificateMessage(certificates: [configuration.identity.certificateDER]).encoded)
        let exchange = handshake.outgoing(.clientKeyExchange, DTLSClientKeyExchange.encode(share.publicKey))
        try deriveKeys(peerKeyShare: handshake.peerKeyShare)
        let transcript = handshake.transcript, identity = configuration.identity
        let signature = try withRandomness { () throws(DTLSError) in try DTLSSignature.sign(transcript, with: identity) }
        let verify = handshake.outgoing(.certificateVerify, DTLSDigitallySigned(algorithm: DTLSSignature.ecdsaSHA256, signature: signature).encoded)
        let finished = handshake.outgoing(.finished, DTLSPRF.finished(masterSecret: handshake.masterSecret, client: true,
                                                                      transcriptHash: DTLSPRF.sha256(handshake.transcript)))
        handshake.expecting = .serverFinished
        try sendFlight([.message(certificate, epoch: 0), .message(exchange, epoch: 0), .message(verify, epoch: 0),
                        .changeCipherSpec, .message(finished, epoch: 1)], now: now, awaitingReply: true)
    }

    // MARK: Server

    private mutating func serverReceiveClientHello(_ body: [UInt8], sequence: UInt16, now: Instant) throws(DTLSError) {
        let hello = try DTLSClientHello(decoding: body)
        if configuration.cookieExchange {
            let cookie = DTLSPRF.hmacSHA256(key: handshake.cookieKey, Array(remote.description.utf8), hello.cookieInput)
            guard hello.cookie == cookie else {
                sendHelloVerifyRequest(cookie: cookie, sequence: sequence)
                return
            }
        }
        // DTLS versions count down: 0xFEFD is 1.2, 0xFEFF 1.0 (RFC 6347 §4.1).
        guard hello.version <= DTLSRecord.version12 else { throw .protocolVersion("the client offers only DTLS 1.0") }
        guard hello.cipherSuites.contains(dtlsCipherSuite) else {
            throw .handshakeFailure("the client does not offer TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
        }
        guard hello.compressionMethods.contains(0) else { throw .handshakeFailure("no null compression") }
        let offered = hello.extensions
        guard offered.extendedMasterSecret else { throw .handshakeFailure("no extended_master_secret (RFC 7627)") }
        guard let group = configuration.groups.first(where: { offered.supportedGroups?.contains($0.rawValue) ?? false }) else {
            throw .handshakeFailure("no common group")
        }
        if let formats = offered.pointFormats, !formats.contains(0) { throw .handshakeFailure("no uncompressed points") }
        if let algorithms = offered.signatureAlgorithms, !algorithms.contains(DTLSSignature.ecdsaSHA256) {
            throw .handshakeFailure("the client does not accept ecdsa_secp256r1_sha256")
        }
        if let info = offered.renegotiationInfo, !info.isEmpty { throw .handshakeFailure("a non-empty renegotiation_info") }
        var extensions = DTLSHelloExtensions()
        if !configuration.srtpProfiles.isEmpty {
            guard let profile = configuration.srtpProfiles.first(where: { offered.srtpProfiles?.contains($0.rawValue) ?? false }) else {
                throw .handshakeFailure("no common SRTP profile (RFC 5764 §4.1.1)")
            }
            handshake.srtpProfile = profile
            extensions.srtpProfiles = [profile.rawValue]
        }
        extensions.extendedMasterSecret = true
        // RFC 5746 §3.6: answer renegotiation_info or the SCSV with an empty one.
        if offered.renegotiationInfo != nil || hello.cipherSuites.contains(0x00FF) { extensions.renegotiationInfo = [] }
        if offered.pointFormats != nil { extensions.pointFormats = [0] }

        state = .handshaking
        handshake.group = group
        handshake.clientRandom = hello.random
        handshake.serverRandom = try randomBytes(32)
        // The server's numbering follows the client's hello (RFC 6347 §4.2.2).
        handshake.sendSequence = sequence
        handshake.transcript = DTLSHandshakeMessage(type: .clientHello, sequence: sequence, body: body).transcriptBytes
        let serverHello = handshake.outgoing(.serverHello,
                                             DTLSServerHello(random: handshake.serverRandom, cipherSuite: dtlsCipherSuite, extensions: extensions).encoded)
        let certificate = handshake.outgoing(.certificate, DTLSCertificateMessage(certificates: [configuration.identity.certificateDER]).encoded)
        let share = try withRandomness { () throws(DTLSError) in try DTLSKeyShare(group: group) }
        handshake.keyShare = share
        var exchange = DTLSServerKeyExchange(group: group.rawValue, publicKey: share.publicKey,
                                             signatureAlgorithm: DTLSSignature.ecdsaSHA256, signature: [])
        let signed = DTLSServerKeyExchange.signedData(clientRandom: handshake.clientRandom, serverRandom: handshake.serverRandom,
                                                      parameters: exchange.parameters)
        let identity = configuration.identity
        exchange.signature = try withRandomness { () throws(DTLSError) in try DTLSSignature.sign(signed, with: identity) }
        let keyExchange = handshake.outgoing(.serverKeyExchange, exchange.encoded)
        let request = handshake.outgoing(.certificateRequest,
                                         DTLSCertificateRequest(certificateTypes: [DTLSCertificateRequest.ecdsaSign],
                                                                signatureAlgorithms: [DTLSSignature.ecdsaSHA256]).encoded)
        let done = handshake.outgoing(.serverHelloDone, [])
        handshake.expecting = .clientCertificate
        try sendFlight([serverHello, certificate, keyExchange, request, done].map { .message($0, epoch: 0) }, now: now, awaitingReply: true)
    }

    /// A stateless HelloVerifyRequest (RFC 6347 §4.2.1): it repeats the ClientHello's
    /// message_seq and record sequence number, and nothing is kept.
    private mutating func sendHelloVerifyRequest(cookie: [UInt8], sequence: UInt16) {
        let message = DTLSHandshakeMessage(type: .helloVerifyRequest, sequence: sequence, body: DTLSHelloVerifyRequest(cookie: cookie).encoded)
        let fragment = message.transcriptBytes
        let recordSequence = handshake.recordSequence
        writeSequence[0] = max(writeSequence[0], recordSequence + 1)
        emit(DTLSRecord.header(type: .handshake, epoch: 0, sequence: recordSequence, length: fragment.count) + fragment)
    }

    // MARK: Both

    /// Checks the peer's certificate against the expected fingerprint (RFC 8122 §5,
    /// RFC 8827 §6.5) before anything else is done with it, then takes its key: the
    /// fingerprint is the authentication, so only the subjectPublicKeyInfo is read (it
    /// must be a P-256 key, as the only signature scheme offered is
    /// ecdsa_secp256r1_sha256).
    private mutating func acceptPeerCertificate(_ body: [UInt8]) throws(DTLSError) {
        let message = try DTLSCertificateMessage(decoding: body)
        guard let leaf = message.certificates.first else { throw .handshakeFailure("the peer sent no certificate (RFC 8827 §6.5)") }
        let fingerprint = DTLSFingerprint(certificateDER: leaf)
        guard fingerprint == configuration.remoteFingerprint else {
            throw .fingerprintMismatch(expected: configuration.remoteFingerprint.sdpValue, received: fingerprint.sdpValue)
        }
        do {
            handshake.peerKey = try P256PublicKey(certificateDER: leaf)
        } catch {
            throw .badCertificate("\(error)")
        }
        handshake.peerCertificateDER = leaf
    }

    /// The pre-master secret from ECDHE, the extended master secret over the transcript
    /// so far (which ends with ClientKeyExchange, RFC 7627 §3), and epoch 1's ciphers.
    private mutating func deriveKeys(peerKeyShare: [UInt8]) throws(DTLSError) {
        guard let share = handshake.keyShare else { throw .unexpectedMessage("ClientKeyExchange before a key share") }
        let preMaster = try share.sharedSecret(peerPublicKey: peerKeyShare)
        handshake.masterSecret = DTLSPRF.extendedMasterSecret(preMasterSecret: preMaster, sessionHash: DTLSPRF.sha256(handshake.transcript))
        let block = DTLSKeyBlock(masterSecret: handshake.masterSecret, clientRandom: handshake.clientRandom,
                                 serverRandom: handshake.serverRandom)
        let client = DTLSRecordCipher(key: block.clientKey, salt: block.clientSalt)
        let server = DTLSRecordCipher(key: block.serverKey, salt: block.serverSalt)
        (writeCipher, readCipher) = configuration.role == .client ? (client, server) : (server, client)
        handshake.keyShare = nil
    }

    private mutating func connect() throws(DTLSError) {
        guard let group = handshake.group else { throw .unexpectedMessage("Finished before the key exchange") }
        handshake.expecting = .done
        state = .connected
        let material = try handshake.srtpProfile.map { profile throws(DTLSError) in
            try exportKeyingMaterial(label: "EXTRACTOR-dtls_srtp", length: profile.keyingMaterialLength)
        } ?? []
        let connection = DTLSConnection(role: configuration.role, cipherSuite: dtlsCipherSuite, group: group,
                                        srtpProfile: handshake.srtpProfile,
                                        peerFingerprint: DTLSFingerprint(certificateDER: handshake.peerCertificateDER),
                                        peerCertificateDER: handshake.peerCertificateDER, srtpKeyingMaterial: material)
        self.connection = connection
        outputs.append(.event(.connected(connection)))
    }
}
