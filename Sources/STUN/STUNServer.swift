import NetTypes

/// A stateless STUN server core (RFC 8489 Binding, RFC 5780 NAT behavior discovery).
///
/// Answers Binding requests with XOR-MAPPED-ADDRESS (plus MAPPED-ADDRESS if configured),
/// RESPONSE-ORIGIN, OTHER-ADDRESS and SOFTWARE; honours CHANGE-REQUEST (the response
/// leaves from the local address with the other IP and/or port), RESPONSE-PORT and
/// PADDING; optionally requires short-term credentials (400 when USERNAME or
/// MESSAGE-INTEGRITY is missing, 401 when they do not verify); answers 420 with
/// UNKNOWN-ATTRIBUTES. Garbage is dropped and counted.
///
/// No amplification: a response to an unauthenticated request is at most
/// `amplificationAllowance` (default 64) bytes longer than the request. XOR-MAPPED-ADDRESS
/// (at most 24 bytes) is always sent; FINGERPRINT (if the request had one), OTHER-ADDRESS,
/// RESPONSE-ORIGIN, MAPPED-ADDRESS, SOFTWARE and PADDING follow in that order while they fit.
/// A response to an authenticated request is not bounded.
public struct STUNServer: SansIOCore {
    public typealias Event = Never

    public let configuration: STUNServerConfiguration
    public private(set) var counters = STUNServerCounters()
    private let authenticator: STUNAuthenticator?
    private var outputs = OutputQueue<Never>()

    public init(configuration: STUNServerConfiguration) {
        self.configuration = configuration
        authenticator = configuration.shortTermCredential.map { STUNAuthenticator(key: .shortTerm(password: $0.password)) }
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        guard PacketKind(classifying: datagram.payload) == .stun else { return drop(.notSTUN) }
        guard configuration.localEndpoints.contains(datagram.destination) else { return drop(.unknownLocalEndpoint) }
        guard let decoded = try? DecodedSTUNMessage(decoding: datagram.payload) else { return drop(.malformed) }
        guard decoded.fingerprintCheck != .invalid else { return drop(.badFingerprint) }
        guard decoded.message.type.messageClass == .request else { return drop(.notARequest) }
        counters.requests += 1
        outputs.append(.transmit(respond(to: decoded, datagram)))
    }

    /// Binding requests never arm timers: the server is stateless.
    public mutating func handleTimeout(now: Instant) {}

    public mutating func pollOutput() -> CoreOutput<Never> { outputs.next() ?? .timeout(.distantFuture) }

    private mutating func drop(_ reason: STUNServerDropReason) { counters.dropped[reason, default: 0] += 1 }

    /// The response datagram to a well-formed request.
    private mutating func respond(to request: DecodedSTUNMessage, _ datagram: Datagram) -> Datagram {
        var reply = ResponseBuilder(request: request, datagram: datagram, configuration: configuration)
        let message = request.message
        if let credential = configuration.shortTermCredential, let authenticator {
            let hasIntegrity = request.messageIntegrityOffset != nil || request.messageIntegritySHA256Offset != nil
            guard let username = message.username, hasIntegrity else { return error(.badRequest, &reply) }
            guard username == credential.username, request.checkIntegrity(authenticator) == .valid else {
                return error(.unauthorized, &reply)
            }
            reply.authenticator = authenticator
            reply.integrity = request.messageIntegritySHA256Offset != nil ? .sha256 : .sha1
        }
        let unknown = message.unknownComprehensionRequired
        if !unknown.isEmpty { return error(.unknownAttribute, &reply, unknown: unknown) }
        guard message.type.method == .binding else { return error(.badRequest, &reply) }
        guard let source = changedSource(datagram.destination, message) else {
            return error(.unknownAttribute, &reply, unknown: [.changeRequest])
        }
        reply.source = source
        if let port = message.first({ if case .responsePort(let p) = $0 { p } else { nil } }) {
            reply.destination.port = port
        }
        counters.successResponses += 1
        return reply.success(otherAddress: otherAddress(of: datagram.destination))
    }

    private mutating func error(
        _ code: STUNErrorCode, _ reply: inout ResponseBuilder, unknown: [STUNAttributeType] = []
    ) -> Datagram {
        counters.errorResponses += 1
        return reply.error(code, unknown: unknown)
    }

    /// The local endpoint a response leaves from: the one the request reached, with IP
    /// and/or port swapped as CHANGE-REQUEST asks; nil if the server lacks that alternate.
    private func changedSource(_ local: Endpoint, _ message: STUNMessage) -> Endpoint? {
        guard let (changeIP, changePort) = message.first({
            if case .changeRequest(let ip, let port) = $0 { (ip, port) } else { nil }
        }) else { return local }
        var source = local
        if changeIP {
            guard let a2 = configuration.alternateAddress else { return nil }
            source.address = local.address == a2 ? configuration.primary.address : a2
        }
        if changePort {
            guard let p2 = configuration.alternatePort else { return nil }
            source.port = local.port == p2 ? configuration.primary.port : p2
        }
        return source
    }

    /// OTHER-ADDRESS: the local endpoint differing from `local` in both IP and port.
    private func otherAddress(of local: Endpoint) -> Endpoint? {
        guard let a2 = configuration.alternateAddress, let p2 = configuration.alternatePort else { return nil }
        return Endpoint(local.address == a2 ? configuration.primary.address : a2, local.port == p2 ? configuration.primary.port : p2)
    }
}
