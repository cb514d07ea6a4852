import COpenSSL
import NetTypes

/// What a TLS session asks its driver to do, or tells it: drained with `TLSSession.poll()`.
public enum TLSOutput: Sendable, Hashable {
    /// Ciphertext for the wire (the TCP stream), in order.
    case transmit([UInt8])
    /// Plaintext from the peer, in order.
    case received([UInt8])
    /// The handshake completed; application data flows from now on.
    case established(TLSConnectionInfo)
    /// The peer closed the connection with close_notify (RFC 8446 §6.1); this session
    /// answered with its own if it had not sent one. Nothing more will be received.
    case closed
    /// The connection failed; any alert for the peer was queued as `.transmit` before.
    /// Every later input is ignored.
    case failed(TLSError)
}

/// What the handshake agreed on, reported with `TLSOutput.established`.
public struct TLSConnectionInfo: Sendable, Hashable {
    /// "TLSv1.3" or "TLSv1.2", as OpenSSL names them.
    public var version: String
    /// The cipher suite's IANA name, e.g. "TLS_AES_128_GCM_SHA256" (RFC 8446 §B.4).
    public var cipherSuite: String
    /// The application protocol selected with ALPN (RFC 7301), or nil.
    public var alpn: String?
    /// The common name of the peer's certificate, if it sent one (servers always do).
    public var peerCommonName: String?
    /// The DER encoding of the peer's certificate, if it sent one.
    public var peerCertificateDER: [UInt8]?
}

/// Byte counts of one session, for reports.
public struct TLSCounters: Sendable, Hashable {
    /// Ciphertext fed with `receive`.
    public var ciphertextIn = 0
    /// Ciphertext handed out as `.transmit`.
    public var ciphertextOut = 0
    /// Plaintext handed out as `.received`.
    public var plaintextIn = 0
    /// Plaintext accepted with `send` (queued or encrypted).
    public var plaintextOut = 0
}

/// One TLS connection (RFC 8446, RFC 5246) as a sans-IO byte-stream core: OpenSSL runs
/// on two memory BIOs, so the session never touches a socket, a thread or a clock.
/// The driver (the simulator's TCP socket, a live TCP channel) feeds it the bytes read
/// from the stream and the application's plaintext, and after **every** input drains
/// `poll()` until nil: `.transmit` goes to the wire, `.received` to the application.
///
/// Time comes in as `now` and matters only to certificate verification with
/// `TLSConfiguration.verificationEpoch`; randomness comes in at init (`TLSRandomness`).
/// With `.seeded`, the session's OpenSSL calls draw every random byte from its own
/// generator, so equal seeds and equal inputs give byte-identical records (docs/tls.md).
///
/// Not thread-safe: one owner at a time (a session may move between threads between
/// calls). Inputs after `.failed` or `.closed` are ignored.
public final class TLSSession {
    /// Where the connection is.
    public enum State: Sendable, Hashable {
        /// Handshake messages are being exchanged; `send` queues.
        case handshaking
        /// Application data flows both ways.
        case established
        /// This side sent close_notify (`close`); the peer may still send until its own.
        case closing
        /// Both directions are closed (or `close` came before the handshake finished).
        case closed
        /// The connection failed; see the `.failed` output.
        case failed
    }

    /// The context the session was made from.
    public let context: TLSContext
    /// Where the connection is.
    public private(set) var state: State = .handshaking
    /// Bytes in and out so far.
    public private(set) var counters = TLSCounters()

    private let ssl: OpaquePointer
    /// Network → OpenSSL (owned by `ssl`).
    private let incoming: OpaquePointer
    /// OpenSSL → network (owned by `ssl`).
    private let outgoing: OpaquePointer
    private let random: SeededRandomSource?
    private let verifying: Bool
    private var queuedPlaintext: [UInt8] = []
    private var outputs: [TLSOutput] = []
    private var outputHead = 0
    private var unreadBytes = 0
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// A session on `context`. `serverName` overrides the configuration's for this
    /// connection (one client context, many servers). Call `start(now:)` next.
    public init(context: TLSContext, randomness: TLSRandomness, serverName: String? = nil) {
        self.context = context
        random = randomness.makeSource()
        let configuration = context.configuration
        verifying = configuration.role == .client && configuration.verifyPeer
        OpenSSLErrors.clear()
        // Allocation failures here are out-of-memory conditions, which Swift traps on anyway.
        ssl = SSL_new(context.pointer)!
        incoming = BIO_new(BIO_s_mem())!
        outgoing = BIO_new(BIO_s_mem())!
        icelab_bio_mem_retry_when_empty(incoming)
        icelab_bio_mem_retry_when_empty(outgoing)
        SSL_set_bio(ssl, incoming, outgoing)
        if configuration.role == .client {
            SSL_set_connect_state(ssl)
            if let name = serverName ?? configuration.serverName { setServerName(name) }
        } else {
            SSL_set_accept_state(ssl)
        }
        OpenSSLErrors.clear()
    }

    /// SNI for DNS names (RFC 6066 §3 forbids literals), and the name check when verifying.
    private func setServerName(_ name: String) {
        let isAddress = (try? IPAddress(parsing: name)) != nil
        if !isAddress { _ = icelab_ssl_set_sni(ssl, name) }
        guard verifying else { return }
        if isAddress {
            _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name)
        } else {
            _ = SSL_set1_host(ssl, name)
        }
    }

    deinit { SSL_free(ssl) }

    /// Starts the handshake: a client queues its ClientHello; a server waits for one.
    public func start(now: Instant) {
        if context.configuration.role == .client { advance(now: now) }
    }

    /// Feeds bytes read from the stream, split anywhere.
    public func receive(_ ciphertext: [UInt8], now: Instant) {
        guard state == .handshaking || state == .established || state == .closing, !ciphertext.isEmpty else { return }
        counters.ciphertextIn += ciphertext.count
        let written = ciphertext.withUnsafeBytes { BIO_write(incoming, $0.baseAddress, Int32(clamping: $0.count)) }
        guard written == ciphertext.count else { return fail(.internalError("cannot buffer received bytes")) }
        advance(now: now)
    }

    /// Sends application data: encrypted at once when established, queued (up to
    /// `maximumQueuedPlaintext`) while the handshake runs, ignored after `close`.
    public func send(_ plaintext: [UInt8], now: Instant) {
        guard !plaintext.isEmpty else { return }
        switch state {
        case .handshaking:
            queuedPlaintext += plaintext
            counters.plaintextOut += plaintext.count
            if queuedPlaintext.count > context.configuration.maximumQueuedPlaintext { fail(.bufferLimit) }
        case .established:
            counters.plaintextOut += plaintext.count
            queuedPlaintext += plaintext
            advance(now: now)
        case .closing, .closed, .failed:
            return
        }
    }

    /// Closes this direction with close_notify (RFC 8446 §6.1). Before the handshake has
    /// finished there is nothing to protect an alert with, so the session just closes
    /// (queued plaintext is dropped) and the driver closes the stream.
    public func close(now: Instant) {
        switch state {
        case .handshaking:
            state = .closed
            queuedPlaintext = []
        case .established:
            state = .closing
            _ = withOpenSSL { SSL_shutdown(ssl) }
            flush()
        case .closing, .closed, .failed:
            return
        }
    }

    /// The next output, or nil when there is none; drain after every input.
    public func poll() -> TLSOutput? {
        guard outputHead < outputs.count else { return nil }
        let output = outputs[outputHead]
        outputs[outputHead] = .closed  // drop the payload's reference
        outputHead += 1
        if outputHead == outputs.count { outputs.removeAll(keepingCapacity: true); outputHead = 0 }
        switch output {
        case .transmit(let bytes), .received(let bytes): unreadBytes -= bytes.count
        default: break
        }
        return output
    }

    // MARK: - Driving OpenSSL

    /// Runs OpenSSL calls with this session's randomness, the error queue cleared first.
    private func withOpenSSL<T>(_ body: () -> T) -> T {
        random.withSource {
            OpenSSLErrors.clear()
            return body()
        }
    }

    /// Moves the handshake and the data as far as the buffered input allows.
    private func advance(now: Instant) {
        if let epoch = context.configuration.verificationEpoch, verifying {
            X509_VERIFY_PARAM_set_time(SSL_get0_param(ssl), time_t(epoch + now.nanoseconds / 1_000_000_000))
        }
        let failure: TLSError? = withOpenSSL {
            if state == .handshaking {
                let result = SSL_do_handshake(ssl)
                if result != 1 { return blocked(result) ? nil : error(after: result) }
                flush()
                state = .established
                emit(.established(connectionInfo()))
            }
            if state == .established && !queuedPlaintext.isEmpty {
                var written = 0
                let result = queuedPlaintext.withUnsafeBytes { SSL_write_ex(ssl, $0.baseAddress, $0.count, &written) }
                if result != 1 { return error(after: result) }
                queuedPlaintext = []
            }
            return readAll()
        }
        if let failure { return fail(failure) }
        flush()
        if unreadBytes + Int(BIO_ctrl_pending(incoming)) > context.configuration.maximumUnreadOutput { fail(.bufferLimit) }
    }

    /// Reads every complete record; handles the peer's close_notify.
    private func readAll() -> TLSError? {
        var plaintext: [UInt8] = []
        defer {
            if !plaintext.isEmpty {
                counters.plaintextIn += plaintext.count
                emit(.received(plaintext))
            }
        }
        while true {
            var read = 0
            let result = readBuffer.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &read) }
            if result == 1 {
                plaintext += readBuffer.prefix(read)
                continue
            }
            if blocked(result) { return nil }
            guard SSL_get_error(ssl, result) == SSL_ERROR_ZERO_RETURN else { return error(after: result) }
            if SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN == 0 { _ = SSL_shutdown(ssl) }
            state = .closed
            flush()
            if !plaintext.isEmpty {
                counters.plaintextIn += plaintext.count
                emit(.received(plaintext))
                plaintext = []
            }
            emit(.closed)
            return nil
        }
    }

    /// Whether a failed call only waits for more input (memory BIOs never block writing).
    private func blocked(_ result: Int32) -> Bool {
        let code = SSL_get_error(ssl, result)
        return code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE
    }

    /// The typed error of a failed call, from the verification result or the error queue.
    private func error(after result: Int32) -> TLSError {
        let code = SSL_get_error(ssl, result)
        if verifying, SSL_get_verify_result(ssl) != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(SSL_get_verify_result(ssl)))
            OpenSSLErrors.clear()
            return .certificateVerificationFailed(reason)
        }
        switch code {
        case SSL_ERROR_SSL: return .protocolError(OpenSSLErrors.drain(or: "TLS failure"))
        case SSL_ERROR_SYSCALL: return .protocolError(OpenSSLErrors.drain(or: "unexpected end of the stream"))
        default: return .internalError(OpenSSLErrors.drain(or: "SSL error \(code)"))
        }
    }

    private func fail(_ error: TLSError) {
        flush()  // an alert OpenSSL queued for the peer goes out first
        state = .failed
        queuedPlaintext = []
        emit(.failed(error))
        OpenSSLErrors.clear()
    }

    /// Moves the ciphertext OpenSSL wrote into one `.transmit`.
    private func flush() {
        let bytes = drainBIO(outgoing)
        guard !bytes.isEmpty else { return }
        counters.ciphertextOut += bytes.count
        emit(.transmit(bytes))
    }

    private func emit(_ output: TLSOutput) {
        switch output {
        case .transmit(let bytes), .received(let bytes): unreadBytes += bytes.count
        default: break
        }
        outputs.append(output)
    }

    private func connectionInfo() -> TLSConnectionInfo {
        let cipher = SSL_get_current_cipher(ssl)
        var alpnData: UnsafePointer<UInt8>?
        var alpnLength: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &alpnData, &alpnLength)
        let alpn = alpnData.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(alpnLength)), as: UTF8.self) }
        let peer = SSL_get1_peer_certificate(ssl).map { TLSCertificate(owning: $0) }
        return TLSConnectionInfo(version: String(cString: SSL_get_version(ssl)),
                                 cipherSuite: cipher.flatMap { SSL_CIPHER_standard_name($0) }.map { String(cString: $0) } ?? "",
                                 alpn: alpn, peerCommonName: peer?.commonName, peerCertificateDER: peer?.der)
    }
}
