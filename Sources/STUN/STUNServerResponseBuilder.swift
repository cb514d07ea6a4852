import NetTypes

/// Builds one response of `STUNServer` under its amplification bound.
struct ResponseBuilder {
    let request: DecodedSTUNMessage
    let configuration: STUNServerConfiguration
    var source: Endpoint
    var destination: Endpoint
    let transport: TransportKind
    let clientEndpoint: Endpoint
    /// Set once the request authenticated: the response is signed and not size-bounded.
    var authenticator: STUNAuthenticator?
    var integrity = STUNIntegrityAlgorithm.sha1

    init(request: DecodedSTUNMessage, datagram: Datagram, configuration: STUNServerConfiguration) {
        self.request = request
        self.configuration = configuration
        source = datagram.destination
        destination = datagram.source
        transport = datagram.transport
        clientEndpoint = datagram.source
    }

    func success(otherAddress: Endpoint?) -> Datagram {
        var optional: [STUNAttribute] = []
        if let otherAddress { optional.append(.otherAddress(otherAddress)) }
        optional.append(.responseOrigin(source))
        if configuration.includeMappedAddress { optional.append(.mappedAddress(clientEndpoint)) }
        if let software = configuration.software { optional.append(.software(software)) }
        if let padding = request.message.first({ if case .padding(let p) = $0 { p } else { nil } }) {
            optional.append(.padding(Array(repeating: 0, count: padding.count)))
        }
        return build(.bindingSuccess, mandatory: [.xorMappedAddress(clientEndpoint)], optional: optional)
    }

    func error(_ code: STUNErrorCode, unknown: [STUNAttributeType]) -> Datagram {
        var mandatory: [STUNAttribute] = [.errorCode(code)]
        if !unknown.isEmpty { mandatory.append(.unknownAttributes(unknown)) }
        let type = STUNMessageType(method: request.message.type.method, class: .errorResponse)
        return build(type, mandatory: mandatory, optional: configuration.software.map { [.software($0)] } ?? [])
    }

    /// Mandatory attributes always; optional ones while the response stays within the
    /// bound (unless authenticated). FINGERPRINT if the request carried one.
    private func build(_ type: STUNMessageType, mandatory: [STUNAttribute], optional: [STUNAttribute]) -> Datagram {
        let id = request.message.transactionID
        let fingerprint = request.fingerprintOffset != nil
        var attributes = mandatory
        var size = 20 + mandatory.reduce(0) { $0 + $1.encodedSize(transactionID: id) } + (fingerprint ? 8 : 0)
        if let authenticator {
            attributes += optional
            let payload = STUNMessage(type: type, transactionID: id, attributes: attributes)
                .encoded(authenticator: authenticator, integrity: integrity, fingerprint: fingerprint)
            return Datagram(source: source, destination: destination, transport: transport, payload: payload)
        }
        let limit = request.bytes.count + configuration.amplificationAllowance
        for attribute in optional {
            var candidate = attribute
            var extra = candidate.encodedSize(transactionID: id)
            if case .padding(let bytes) = attribute, size + extra > limit {
                // Shrink PADDING to what fits rather than leave it out.
                candidate = .padding(Array(bytes.prefix(max(0, (limit - size - 4) & ~3))))
                extra = candidate.encodedSize(transactionID: id)
            }
            if size + extra <= limit {
                attributes.append(candidate)
                size += extra
            }
        }
        let payload = STUNMessage(type: type, transactionID: id, attributes: attributes)
            .encoded(authenticator: nil, fingerprint: fingerprint)
        return Datagram(source: source, destination: destination, transport: transport, payload: payload)
    }
}

extension STUNAttribute {
    /// Bytes the attribute takes on the wire: header, value and padding.
    func encodedSize(transactionID: STUNTransactionID) -> Int {
        var value: [UInt8] = []
        appendValue(to: &value, transactionID: transactionID)
        return 4 + paddedToFour(value.count)
    }
}
