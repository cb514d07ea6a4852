import NetTypes

/// Many STUN client transactions (RFC 8489 §6.2): sends requests, retransmits them on the
/// RFC schedule over unreliable transports (a single timeout over reliable ones), matches
/// responses by transaction ID (and by source unless told otherwise), and reports each
/// transaction's end once.
///
/// Sans-IO: feed datagrams and timeouts, then drain `pollOutput()`. Transaction IDs come
/// from the `Xoshiro256` handed in; timers fire in (deadline, start order) so runs are
/// reproducible.
public struct STUNTransactionTable: SansIOCore {
    public typealias Event = STUNTransactionEvent

    public let configuration: STUNTransactionConfiguration
    private var rng: Xoshiro256
    private var transactions: [STUNTransactionID: Transaction] = [:]
    private var outputs = OutputQueue<Event>()
    private var sequence = 0
    /// Datagrams `handle` did not match to a pending transaction (or that failed checks).
    public private(set) var ignoredDatagrams = 0

    private struct Transaction {
        let datagram: Datagram
        let authenticator: STUNAuthenticator?
        let acceptAnySource: Bool
        let started: Instant
        let sequence: Int
        var transmissions = 1
        var interval: Duration
        var deadline: Instant
    }

    public init(configuration: STUNTransactionConfiguration = .init(), rng: Xoshiro256) {
        self.configuration = configuration
        self.rng = rng
    }

    /// Starts a transaction for `request`, whose transaction ID is replaced by a fresh one
    /// (returned). With an `authenticator` the request carries MESSAGE-INTEGRITY and
    /// responses must verify; `acceptAnySource` lets responses come from another address
    /// than `destination` (RFC 5780 CHANGE-REQUEST).
    public mutating func start(
        _ request: STUNMessage, from source: Endpoint, to destination: Endpoint, transport: TransportKind = .udp,
        authenticator: STUNAuthenticator? = nil, fingerprint: Bool = true, acceptAnySource: Bool = false, now: Instant
    ) -> STUNTransactionID {
        var message = request
        var id = STUNTransactionID(using: &rng)
        while transactions[id] != nil { id = STUNTransactionID(using: &rng) }
        message.transactionID = id
        let bytes = message.encoded(authenticator: authenticator, fingerprint: fingerprint)
        let datagram = Datagram(source: source, destination: destination, transport: transport, payload: bytes)
        let reliable = transport.isReliable
        let interval = reliable ? configuration.reliableTimeout : configuration.initialRTO
        transactions[id] = Transaction(
            datagram: datagram, authenticator: authenticator, acceptAnySource: acceptAnySource, started: now,
            sequence: sequence, interval: interval, deadline: now + lastWait(afterTransmissions: 1, interval: interval, reliable: reliable))
        sequence += 1
        outputs.append(.transmit(datagram))
        return id
    }

    /// Forgets a transaction without an event (e.g. the caller no longer needs the answer).
    public mutating func cancel(_ id: STUNTransactionID) { transactions[id] = nil }

    /// Whether `id` is still waiting for a response.
    public func isPending(_ id: STUNTransactionID) -> Bool { transactions[id] != nil }

    /// How many transactions are waiting.
    public var pendingCount: Int { transactions.count }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        if !handleResponse(datagram, now: now) { ignoredDatagrams += 1 }
    }

    /// Consumes `datagram` if it is an acceptable response to a pending transaction and
    /// returns true; otherwise leaves all state alone and returns false (for callers that
    /// share a port with other protocols).
    public mutating func handleResponse(_ datagram: Datagram, now: Instant) -> Bool {
        guard isPendingResponse(datagram.payload),
              let decoded = try? DecodedSTUNMessage(decoding: datagram.payload),
              decoded.message.type.messageClass.isResponse,
              let transaction = transactions[decoded.message.transactionID],
              transaction.acceptAnySource || datagram.source == transaction.datagram.destination,
              decoded.fingerprintCheck != .invalid
        else { return false }
        let id = decoded.message.transactionID
        let isError = decoded.message.type.messageClass == .errorResponse
        if let authenticator = transaction.authenticator {
            // RFC 8489 §9.1.4: a success response must verify; error responses may lack
            // integrity (400/401 cannot carry it) but must not carry a wrong one.
            let check = decoded.checkIntegrity(authenticator)
            guard check == .valid || (isError && check == .missing) else { return false }
        }
        transactions[id] = nil
        if isError {
            let code = decoded.message.errorCode ?? STUNErrorCode(code: 0, reason: "missing ERROR-CODE")
            outputs.append(.event(.errorResponse(id: id, code: code, response: decoded, from: datagram.source)))
        } else {
            outputs.append(.event(.success(id: id, response: decoded, from: datagram.source, rtt: now - transaction.started)))
        }
        return true
    }

    /// Whether `payload` has the header of a response to a pending transaction: checked
    /// before the full decode, which the other datagrams of a shared port (requests,
    /// responses to other parties' transactions) would waste.
    private func isPendingResponse(_ payload: [UInt8]) -> Bool {
        payload.withUnsafeBytes { p in
            guard let (type, id, _) = try? DecodedSTUNMessage.header(p) else { return false }
            return type.messageClass.isResponse && transactions[id] != nil
        }
    }

    public mutating func handleTimeout(now: Instant) {
        let due = transactions.filter { $0.value.deadline <= now }
            .sorted { ($0.value.deadline, $0.value.sequence) < ($1.value.deadline, $1.value.sequence) }
        for (id, var transaction) in due {
            let reliable = transaction.datagram.transport.isReliable
            guard !reliable && transaction.transmissions < configuration.maxTransmissions else {
                transactions[id] = nil
                outputs.append(.event(.timeout(id: id)))
                continue
            }
            // Retransmit on the schedule, not at `now`: late timer calls do not shift it.
            let sentAt = transaction.deadline
            transaction.transmissions += 1
            transaction.interval = transaction.interval * Int64(2)
            transaction.deadline = sentAt + lastWait(
                afterTransmissions: transaction.transmissions, interval: transaction.interval, reliable: false)
            transactions[id] = transaction
            outputs.append(.transmit(transaction.datagram))
        }
    }

    public mutating func pollOutput() -> CoreOutput<Event> {
        if let output = outputs.next() { return output }
        var earliest = Instant.distantFuture
        for transaction in transactions.values where transaction.deadline < earliest { earliest = transaction.deadline }
        return .timeout(earliest)
    }

    /// The wait after the `transmissions`-th send: the current interval, Rm × RTO after the
    /// last one, Ti over reliable transports.
    private func lastWait(afterTransmissions transmissions: Int, interval: Duration, reliable: Bool) -> Duration {
        if reliable { return configuration.reliableTimeout }
        if transmissions >= configuration.maxTransmissions {
            return configuration.initialRTO * configuration.finalWaitMultiplier
        }
        return interval
    }
}
