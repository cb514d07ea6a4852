import NetTypes

/// RFC 5780 NAT behavior discovery client (sans-IO): from one local endpoint it runs
/// test I (mapped address, OTHER-ADDRESS), the filtering tests (§4.4: CHANGE-REQUEST
/// for IP+port, then port only), the mapping tests (§4.3: tests II and III to the
/// alternate address), and hairpinning (§4.5: a request to its own mapped address), then
/// reports `.finished(NATBehaviorReport)`.
///
/// Filtering is measured before the mapping tests contact the alternate address, since
/// that contact would open the NAT's filter for it.
public struct NATBehaviorDiscovery: SansIOCore {
    public enum Event: Hashable, Sendable {
        case finished(NATBehaviorReport)
    }

    private enum Step { case mappedAddress, filterChangeBoth, filterChangePort, mappingAlternateIP, mappingAlternateBoth, hairpin, done }

    public let local: Endpoint
    public let server: Endpoint
    private var transactions: STUNTransactionTable
    private var step = Step.done
    private var pending: STUNTransactionID?
    private var report = NATBehaviorReport()
    private var secondMapping: Endpoint?
    private var now = Instant.zero
    private var finished: NATBehaviorReport?

    /// `configuration` sets the retransmission schedule of every test's transaction.
    public init(local: Endpoint, server: Endpoint, configuration: STUNTransactionConfiguration = .init(), rng: Xoshiro256) {
        self.local = local
        self.server = server
        transactions = STUNTransactionTable(configuration: configuration, rng: rng)
    }

    /// Begins with test I.
    public mutating func start(now: Instant) {
        self.now = now
        send(.mappedAddress, to: server)
    }

    public mutating func handle(_ datagram: Datagram, now: Instant) {
        self.now = now
        if step == .hairpin, let pending, let message = try? STUNMessage(decoding: datagram.payload),
           message.type == .bindingRequest, message.transactionID == pending {
            transactions.cancel(pending)
            report.hairpinning = true
            finish()
            return
        }
        transactions.handle(datagram, now: now)
    }

    public mutating func handleTimeout(now: Instant) {
        self.now = now
        transactions.handleTimeout(now: now)
    }

    public mutating func pollOutput() -> CoreOutput<Event> {
        while true {
            switch transactions.pollOutput() {
            case .transmit(let datagram): return .transmit(datagram)
            case .event(let event): advance(after: event)
            case .timeout(let deadline):
                if let result = finished {
                    finished = nil
                    return .event(.finished(result))
                }
                return .timeout(deadline)
            }
        }
    }

    private mutating func send(_ next: Step, to destination: Endpoint, change: (ip: Bool, port: Bool)? = nil) {
        step = next
        var attributes: [STUNAttribute] = []
        if let change { attributes.append(.changeRequest(changeIP: change.ip, changePort: change.port)) }
        let request = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 0, low: 0), attributes: attributes)
        pending = transactions.start(request, from: local, to: destination, acceptAnySource: change != nil || next == .hairpin, now: now)
    }

    /// Moves to the next test after the current one's transaction ended.
    private mutating func advance(after event: STUNTransactionEvent) {
        guard event.id == pending else { return }
        pending = nil
        var mapped: Endpoint?
        switch event {
        case .success(_, let response, _, _): mapped = response.message.mappedAddress
        case .errorResponse(_, let code, _, _):
            report.note = "error response \(code) in test \(step)"
            return finish()
        case .timeout: break
        }
        switch step {
        case .mappedAddress:
            guard let mapped, case .success(_, let response, _, _) = event else {
                report.classic = .udpBlocked
                return finish()
            }
            report.mappedAddress = mapped
            guard let other = response.message.otherAddress else {
                report.note = "the server sent no OTHER-ADDRESS: it does not support RFC 5780"
                if mapped == local { report.classic = .openInternet }
                return finish()
            }
            report.otherAddress = other
            send(.filterChangeBoth, to: server, change: (true, true))
        case .filterChangeBoth:
            if mapped != nil {
                report.filtering = .endpointIndependent
                send(.mappingAlternateIP, to: alternateIP)
            } else {
                send(.filterChangePort, to: server, change: (false, true))
            }
        case .filterChangePort:
            report.filtering = mapped != nil ? .addressDependent : .addressAndPortDependent
            send(.mappingAlternateIP, to: alternateIP)
        case .mappingAlternateIP:
            guard let mapped else {
                report.note = "no response from the alternate address \(alternateIP)"
                return finish()
            }
            if mapped == report.mappedAddress {
                report.mapping = .endpointIndependent
                startHairpinOrFinish()
            } else {
                secondMapping = mapped
                send(.mappingAlternateBoth, to: report.otherAddress ?? server)
            }
        case .mappingAlternateBoth:
            guard let mapped else {
                report.note = "no response from the alternate address and port"
                return finish()
            }
            report.mapping = mapped == secondMapping ? .addressDependent : .addressAndPortDependent
            startHairpinOrFinish()
        case .hairpin:
            report.hairpinning = false
            finish()
        case .done:
            break
        }
    }

    /// (A2, P1): the alternate IP with the primary port.
    private var alternateIP: Endpoint { Endpoint(report.otherAddress?.address ?? server.address, server.port) }

    private mutating func startHairpinOrFinish() {
        guard let mapped = report.mappedAddress, mapped != local else { return finish() }
        send(.hairpin, to: mapped)
    }

    private mutating func finish() {
        step = .done
        if let pending { transactions.cancel(pending) }
        pending = nil
        if report.classic == nil, let mapped = report.mappedAddress {
            if mapped == local {
                report.classic = .openInternet
            } else if let mapping = report.mapping, let filtering = report.filtering {
                report.classic = NATClassicType(mapping: mapping, filtering: filtering)
            }
        }
        finished = report
    }
}
