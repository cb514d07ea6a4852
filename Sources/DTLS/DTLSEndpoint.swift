import COpenSSL
import NetTypes
import TLS

/// The timers of a DTLS endpoint.
enum DTLSTimer: Int, CaseIterable {
    /// Retransmit the last flight (RFC 6347 §4.2.4.1).
    case retransmit
}

/// A sans-IO DTLS 1.2 endpoint (RFC 6347 on RFC 5246) for WebRTC's DTLS-SRTP (RFC 5764,
/// RFC 8827): one association with one peer, written on OpenSSL's primitives so that
/// retransmission runs on the caller's clock (docs/dtls.md, "Why native").
///
/// The `SansIOCore` contract: feed `start(now:)` (a client sends its ClientHello),
/// `handle(_:now:)`, `handleTimeout(now:)`, `send(_:now:)` and `close(now:)`, and after
/// each drain `pollOutput()` until `.timeout(deadline)`. Outputs: datagrams from `local`
/// to `remote` and `DTLSEvent`s (`connected` with the SRTP profile and keying material,
/// `data`, `alert`, `closed`, `failed`).
///
/// Randomness (hello randoms, ECDHE keys, ECDSA nonces, the cookie key) comes from the
/// `TLSRandomness` given at init: `.seeded` makes the whole exchange repeat byte for byte.
/// Copies of an endpoint share that generator, so drive one copy only.
public struct DTLSEndpoint: SansIOCore {
    public typealias Event = DTLSEvent

    public let configuration: DTLSConfiguration
    public let local: Endpoint
    public let remote: Endpoint
    public internal(set) var state: DTLSState = .idle
    public private(set) var counters = DTLSCounters()
    /// The completed handshake's outcome, once connected.
    public internal(set) var connection: DTLSConnection?
    /// The datagram size flights are fragmented to: `configuration.mtu`, or its
    /// `fallbackMTU` after unanswered retransmissions (RFC 6347 §4.1.1.1).
    public private(set) var mtu: Int

    let random: SeededRandomSource?
    var timers = TimerTable<DTLSTimer>()
    var outputs = OutputQueue<DTLSEvent>()
    var handshake: DTLSHandshakeState

    /// Record layer: the epoch application data and alerts go out in, the next sequence
    /// number per epoch, a replay window per epoch, and epoch 1's ciphers.
    var writeEpoch: UInt16 = 0
    var writeSequence: [UInt64] = [0, 0]
    var replayWindows = [DTLSReplayWindow(), DTLSReplayWindow()]
    var readCipher: DTLSRecordCipher?
    var writeCipher: DTLSRecordCipher?
    /// Epoch-1 records that arrived before the keys to read them (a reordered Finished),
    /// read once the keys exist (RFC 6347 §4.1 allows buffering them).
    var earlyRecords: [DTLSRecord] = []
    static let maximumEarlyRecords = 8

    /// The largest application data record body (RFC 6347 §4.1.1).
    public static let maximumDataSize = 16_384

    /// An endpoint between `local` and `remote`. Throws `.invalidConfiguration`.
    public init(configuration: DTLSConfiguration, local: Endpoint, remote: Endpoint, randomness: TLSRandomness) throws(DTLSError) {
        try configuration.validate()
        self.configuration = configuration
        self.local = local
        self.remote = remote
        mtu = configuration.mtu
        random = randomness.makeSource()
        handshake = DTLSHandshakeState(expecting: configuration.role == .client ? .serverHello : .clientHello)
        if configuration.role == .server && configuration.cookieExchange {
            handshake.cookieKey = try randomBytes(32)
        }
    }

    // MARK: Inputs

    /// Starts the handshake: a client sends its ClientHello (flight 1); a server waits
    /// for one (it also answers a ClientHello without `start`).
    public mutating func start(now: Instant) {
        guard configuration.role == .client, state == .idle else { return }
        do {
            handshake.clientRandom = try randomBytes(32)
            var extensions = DTLSHelloExtensions()
            extensions.supportedGroups = configuration.groups.map(\.rawValue)
            extensions.pointFormats = [0]
            extensions.signatureAlgorithms = [DTLSSignature.ecdsaSHA256]
            if !configuration.srtpProfiles.isEmpty { extensions.srtpProfiles = configuration.srtpProfiles.map(\.rawValue) }
            extensions.extendedMasterSecret = true
            extensions.renegotiationInfo = []
            let hello = DTLSClientHello(random: handshake.clientRandom, cipherSuites: [dtlsCipherSuite], extensions: extensions)
            handshake.clientHello = hello
            state = .handshaking
            let message = handshake.outgoing(.clientHello, hello.encoded)
            try sendFlight([.message(message, epoch: 0)], now: now, awaitingReply: true)
        } catch {
            fail(error)
        }
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard state != .failed, state != .closed else { return }
        counters.datagramsReceived += 1
        let (records, malformed) = DTLSRecord.records(in: datagram.payload[...])
        if malformed { counters.recordsDiscarded += 1 }
        for record in records {
            guard state != .failed, state != .closed else { return }
            receive(record, now: now)
            if readCipher != nil, !earlyRecords.isEmpty {
                let early = earlyRecords
                earlyRecords = []
                for record in early where state != .failed && state != .closed { receive(record, now: now) }
            }
        }
    }

    public mutating func handleTimeout(now: Instant) {
        guard state == .handshaking, timers.isDue(.retransmit, at: now) else { return }
        guard handshake.retransmissions < configuration.maximumRetransmissions else {
            fail(.retransmissionLimit(handshake.retransmissions))
            return
        }
        handshake.retransmissions += 1
        handshake.timeout = min(handshake.timeout * Int64(2), configuration.maximumRetransmissionTimeout)
        timers[.retransmit] = now + handshake.timeout
        retransmit()
    }

    public mutating func pollOutput() -> CoreOutput<DTLSEvent> {
        outputs.next() ?? .timeout(timers.next)
    }

    /// The instant `handleTimeout` is next due (`distantFuture`: none).
    public var nextDeadline: Instant { timers.next }

    /// Sends `data` as one application_data record. Throws `.notConnected` before the
    /// handshake completed or after close, `.dataTooLarge` beyond 16384 bytes.
    public mutating func send(_ data: [UInt8], now: Instant) throws(DTLSError) {
        guard state == .connected else { throw .notConnected }
        guard data.count <= Self.maximumDataSize else { throw .dataTooLarge(data.count) }
        do {
            emit(try sealRecord(.applicationData, epoch: 1, payload: data))
            counters.applicationBytesSent += data.count
        } catch {
            fail(error)
            throw error
        }
    }

    /// Closes the association: when connected, sends close_notify (RFC 5246 §7.2.1).
    /// The endpoint then ignores every input; no event follows (the caller knows).
    public mutating func close(now: Instant) {
        guard state != .failed, state != .closed else { return }
        if state == .connected { sendAlert(DTLSAlert(level: .warning, reason: .closeNotify)) }
        state = .closed
        timers.stopAll()
    }

    /// Keying material exported from the master secret (RFC 5705 §4; with the extended
    /// master secret, RFC 7627 §5.4): PRF(master_secret, label, client_random +
    /// server_random [+ context length + context]). DTLS-SRTP uses the label
    /// "EXTRACTOR-dtls_srtp" and no context (RFC 5764 §4.2).
    public func exportKeyingMaterial(label: String, context: [UInt8]? = nil, length: Int) throws(DTLSError) -> [UInt8] {
        guard state == .connected, !handshake.masterSecret.isEmpty else { throw .notConnected }
        guard (1...65_535).contains(length) else { throw .invalidConfiguration("an export of \(length) bytes") }
        var seed = handshake.clientRandom + handshake.serverRandom
        if let context {
            guard context.count <= 65_535 else { throw .invalidConfiguration("an export context of \(context.count) bytes") }
            seed.appendVector(context, lengthWidth: 2)
        }
        return DTLSPRF.prf(secret: handshake.masterSecret, label: label, seed: seed, length: length)
    }

    // MARK: Records in

    private mutating func receive(_ record: DTLSRecord, now: Instant) {
        let epoch = Int(record.epoch)
        guard epoch < 2, replayWindows[epoch].isFresh(record.sequence) else { counters.recordsDiscarded += 1; return }
        let plaintext: [UInt8]
        if epoch == 0 {
            plaintext = Array(record.body)
        } else {
            if readCipher == nil, state == .handshaking, earlyRecords.count < Self.maximumEarlyRecords {
                earlyRecords.append(record)
                return
            }
            guard let cipher = readCipher,
                  let opened = cipher.open(type: record.contentType, epoch: 1, sequence: record.sequence, body: record.body) else {
                counters.recordsDiscarded += 1
                return
            }
            plaintext = opened
        }
        guard plaintext.count <= Self.maximumDataSize else { counters.recordsDiscarded += 1; return }
        replayWindows[epoch].mark(record.sequence)
        switch DTLSContentType(rawValue: record.contentType) {
        case .handshake:
            if epoch == 0 { handshake.recordSequence = record.sequence }
            receiveHandshake(plaintext, epoch: record.epoch, now: now)
        case .changeCipherSpec:
            // Keys switch when they are derived (RFC 6347 §4.1: records of the next epoch
            // may arrive before ChangeCipherSpec); the message itself carries nothing.
            break
        case .alert:
            // After the handshake, only authenticated alerts count.
            guard epoch == 1 || state != .connected else { counters.recordsDiscarded += 1; return }
            receiveAlert(plaintext)
        case .applicationData:
            guard epoch == 1, state == .connected else { counters.recordsDiscarded += 1; return }
            counters.applicationBytesReceived += plaintext.count
            outputs.append(.event(.data(plaintext)))
        case nil:
            counters.recordsDiscarded += 1
        }
    }

    private mutating func receiveAlert(_ body: [UInt8]) {
        guard let alert = try? DTLSAlert(decoding: body[...]) else { counters.recordsDiscarded += 1; return }
        if alert.reason == .closeNotify {
            // RFC 5246 §7.2.1: answer with close_notify.
            if state == .connected { sendAlert(DTLSAlert(level: .warning, reason: .closeNotify)) }
            state = .closed
            timers.stopAll()
            outputs.append(.event(.closed))
        } else if alert.level == .fatal {
            fail(.alertReceived(alert), sendingAlert: false)
        } else {
            outputs.append(.event(.alert(alert)))
        }
    }

    private mutating func receiveHandshake(_ body: [UInt8], epoch: UInt16, now: Instant) {
        guard let fragments = try? DTLSHandshakeFragment.fragments(in: body[...]) else {
            counters.recordsDiscarded += 1
            return
        }
        for fragment in fragments {
            // A server waiting for a ClientHello follows the client's numbering: after a
            // HelloVerifyRequest the hello comes again with the next message_seq.
            if handshake.expecting == .clientHello, fragment.type == DTLSHandshakeType.clientHello.rawValue,
               fragment.sequence != handshake.reassembler.nextSequence {
                handshake.reassembler.restart(at: fragment.sequence)
                handshake.awaitedFlightStart = fragment.sequence
            }
            switch handshake.reassembler.add(fragment, epoch: epoch) {
            case .old:
                if fragment.sequence == handshake.answeredFlightStart, fragment.offset == 0, !handshake.lastFlight.isEmpty {
                    retransmit()
                }
            case .accepted, .dropped:
                break
            }
        }
        while state != .failed, state != .closed, let message = handshake.reassembler.next() {
            do {
                try process(type: message.type, sequence: message.sequence, epoch: message.epoch, body: message.body, now: now)
            } catch {
                fail(error)
            }
        }
    }

    // MARK: Records out

    /// One record of `type` in `epoch` with the epoch's next sequence number.
    mutating func sealRecord(_ type: DTLSContentType, epoch: UInt16, payload: [UInt8]) throws(DTLSError) -> [UInt8] {
        let sequence = writeSequence[Int(epoch)]
        writeSequence[Int(epoch)] += 1
        guard epoch == 1 else { return DTLSRecord.header(type: type, epoch: 0, sequence: sequence, length: payload.count) + payload }
        guard let cipher = writeCipher else { throw .cryptoFailure("no keys for epoch 1") }
        let body = try cipher.seal(type: type.rawValue, epoch: 1, sequence: sequence, plaintext: payload)
        return DTLSRecord.header(type: type, epoch: 1, sequence: sequence, length: body.count) + body
    }

    mutating func emit(_ payload: [UInt8]) {
        counters.datagramsSent += 1
        outputs.append(.transmit(Datagram(source: local, destination: remote, payload: payload)))
    }

    /// Sends a new flight; when the peer must answer it, arms the retransmission timer
    /// at the initial timeout (RFC 6347 §4.2.4.1).
    mutating func sendFlight(_ flight: [DTLSFlightEntry], now: Instant, awaitingReply: Bool) throws(DTLSError) {
        handshake.lastFlight = flight
        // The flight answers the peer's messages received since our previous one.
        if handshake.reassembler.nextSequence != handshake.awaitedFlightStart {
            handshake.answeredFlightStart = handshake.awaitedFlightStart
        }
        handshake.awaitedFlightStart = handshake.reassembler.nextSequence
        handshake.retransmissions = 0
        handshake.timeout = configuration.initialRetransmissionTimeout
        if awaitingReply { timers[.retransmit] = now + handshake.timeout } else { timers.stop(.retransmit) }
        try transmitLastFlight()
    }

    private mutating func retransmit() {
        counters.retransmissions += 1
        if let fallback = configuration.fallbackMTU, fallback < mtu,
           handshake.retransmissions > configuration.fallbackAfterRetransmissions {
            mtu = fallback
        }
        do { try transmitLastFlight() } catch { fail(error) }
    }

    /// Encodes the last flight into records (handshake messages fragmented to the MTU,
    /// RFC 6347 §4.2.3) and packs them into datagrams of at most `mtu` bytes (§4.1.1).
    private mutating func transmitLastFlight() throws(DTLSError) {
        var datagram: [UInt8] = []
        for entry in handshake.lastFlight {
            var records: [[UInt8]] = []
            switch entry {
            case .changeCipherSpec:
                records.append(try sealRecord(.changeCipherSpec, epoch: 0, payload: [1]))
                writeEpoch = 1
            case .message(let message, let epoch):
                let room = mtu - DTLSRecord.headerLength - DTLSHandshakeMessage.headerLength
                    - (epoch == 0 ? 0 : DTLSRecordCipher.overhead)
                for fragment in message.fragments(maximumData: room) {
                    records.append(try sealRecord(.handshake, epoch: epoch, payload: fragment))
                }
            }
            for record in records {
                if !datagram.isEmpty, datagram.count + record.count > mtu {
                    emit(datagram)
                    datagram = []
                }
                datagram += record
            }
        }
        if !datagram.isEmpty { emit(datagram) }
    }

    mutating func sendAlert(_ alert: DTLSAlert) {
        let epoch: UInt16 = writeEpoch == 1 && writeCipher != nil ? 1 : 0
        if let record = try? sealRecord(.alert, epoch: epoch, payload: alert.encoded) { emit(record) }
    }

    /// Ends the endpoint: sends the error's fatal alert (unless it came from the peer),
    /// stops the timers and reports `.failed`.
    mutating func fail(_ error: DTLSError, sendingAlert: Bool = true) {
        guard state != .failed, state != .closed else { return }
        if sendingAlert, let description = error.alert { sendAlert(DTLSAlert(level: .fatal, reason: description)) }
        state = .failed
        timers.stopAll()
        handshake.lastFlight = []
        outputs.append(.event(.failed(error)))
    }

    /// `count` random bytes from the endpoint's source (RAND_priv_bytes consults the
    /// thread's current source, seeded or OpenSSL's own DRBG: docs/tls.md, "Determinism").
    mutating func randomBytes(_ count: Int) throws(DTLSError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = random.withSource { RAND_priv_bytes(&bytes, Int32(count)) }
        guard status == 1 else { throw .cryptoFailure("no random bytes") }
        return bytes
    }

    /// Runs `body` with the endpoint's randomness as OpenSSL's (key generation, signing).
    func withRandomness<T>(_ body: () throws(DTLSError) -> T) throws(DTLSError) -> T {
        try random.withSource(body)
    }
}
