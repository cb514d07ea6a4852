import NetTypes
import Testing
@testable import STUN

@Suite struct TransactionTests {
    let client = try! Endpoint(parsing: "10.0.0.1:5000")
    let server = try! Endpoint(parsing: "192.0.2.10:3478")
    let request = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 0, low: 0))

    /// Runs timers until the transaction ends; returns send times and the end time (ms).
    func schedule(transport: TransportKind, configuration: STUNTransactionConfiguration = .init()) -> ([Int64], Int64?) {
        var table = STUNTransactionTable(configuration: configuration, rng: Xoshiro256(seed: 1))
        _ = table.start(request, from: client, to: server, transport: transport, now: .zero)
        var out = table.drain()
        var sends = out.transmits.map { _ in Int64(0) }
        while out.deadline != .distantFuture {
            let now = out.deadline
            table.handleTimeout(now: now)
            out = table.drain()
            sends += out.transmits.map { _ in now.nanoseconds / 1_000_000 }
            if case .timeout = out.events.first { return (sends, now.nanoseconds / 1_000_000) }
        }
        return (sends, nil)
    }

    @Test func unreliableScheduleFollowsRFC8489() {
        let (sends, end) = schedule(transport: .udp)
        #expect(sends == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(end == 39500)
    }

    @Test func scheduleIsConfigurable() {
        let (sends, end) = schedule(transport: .udp, configuration: .init(initialRTO: .milliseconds(100), maxTransmissions: 3, finalWaitMultiplier: 4))
        #expect(sends == [0, 100, 300])
        #expect(end == 700)
    }

    @Test func reliableTransportsUseOneTimeout() {
        let (sends, end) = schedule(transport: .tcp)
        #expect(sends == [0])
        #expect(end == 39500)
    }

    @Test func responsesMatchByIDAndSource() throws {
        var table = STUNTransactionTable(rng: Xoshiro256(seed: 3))
        let id = table.start(request, from: client, to: server, now: .zero)
        let sent = table.drain().transmits
        #expect(sent.count == 1)
        #expect(try STUNMessage(decoding: sent[0].payload).transactionID == id)
        let response = STUNMessage(type: .bindingSuccess, transactionID: id, attributes: [.xorMappedAddress(client)]).encoded(authenticator: nil)
        let stranger = try Endpoint(parsing: "198.51.100.7:3478")
        // Wrong source, wrong ID, a request: all ignored.
        table.handle(Datagram(source: stranger, destination: client, payload: response), now: .zero + .milliseconds(10))
        let otherID = STUNMessage(type: .bindingSuccess, transactionID: STUNTransactionID(high: 9, low: 9)).encoded()
        table.handle(Datagram(source: server, destination: client, payload: otherID), now: .zero + .milliseconds(10))
        table.handle(Datagram(source: server, destination: client, payload: [1, 2, 3]), now: .zero + .milliseconds(10))
        #expect(table.drain().events.isEmpty)
        #expect(table.ignoredDatagrams == 3)
        table.handle(Datagram(source: server, destination: client, payload: response), now: .zero + .milliseconds(42))
        let out = table.drain()
        guard case .success(let gotID, let decoded, let from, let rtt) = out.events.first else {
            Issue.record("expected success"); return
        }
        #expect(gotID == id && from == server && rtt == .milliseconds(42))
        #expect(decoded.message.mappedAddress == client)
        #expect(out.deadline == .distantFuture)
        #expect(table.pendingCount == 0)
        // A duplicate response after completion is ignored.
        table.handle(Datagram(source: server, destination: client, payload: response), now: .zero + .milliseconds(50))
        #expect(table.drain().events.isEmpty)
    }

    @Test func errorResponsesAndIntegrity() throws {
        let authenticator = STUNAuthenticator(key: .shortTerm(password: "pw"))
        var table = STUNTransactionTable(rng: Xoshiro256(seed: 4))
        let id = table.start(request, from: client, to: server, authenticator: authenticator, now: .zero)
        let sent = try DecodedSTUNMessage(decoding: table.drain().transmits[0].payload)
        #expect(sent.checkIntegrity(authenticator) == .valid)
        // A success response without integrity is discarded; a signed one is accepted.
        let unsigned = STUNMessage(type: .bindingSuccess, transactionID: id).encoded(authenticator: nil)
        table.handle(Datagram(source: server, destination: client, payload: unsigned), now: .zero)
        #expect(table.drain().events.isEmpty)
        let error = STUNMessage(type: .bindingError, transactionID: id, attributes: [.errorCode(.unauthorized)]).encoded(authenticator: nil)
        table.handle(Datagram(source: server, destination: client, payload: error), now: .zero)
        guard case .errorResponse(_, let code, _, _) = table.drain().events.first else { Issue.record("expected error"); return }
        #expect(code.code == 401)
    }

    @Test func responseFromAnySourceWhenAllowed() {
        var table = STUNTransactionTable(rng: Xoshiro256(seed: 5))
        let id = table.start(request, from: client, to: server, acceptAnySource: true, now: .zero)
        _ = table.drain()
        let other = Endpoint(.v4(IPv4Address(192, 0, 2, 11)), 3479)
        table.handle(Datagram(source: other, destination: client, payload: STUNMessage(type: .bindingSuccess, transactionID: id).encoded()), now: .zero)
        #expect(table.drain().events.count == 1)
    }

    @Test func timersFireInStartOrderAndIDsAreDeterministic() {
        func run() -> [STUNTransactionID] {
            var table = STUNTransactionTable(configuration: .init(maxTransmissions: 1, finalWaitMultiplier: 1), rng: Xoshiro256(seed: 8))
            let ids = (0..<50).map { _ in table.start(request, from: client, to: server, now: .zero) }
            _ = table.drain()
            table.handleTimeout(now: .zero + .milliseconds(500))
            let ended = table.drain().events.map(\.id)
            #expect(ended == ids)
            return ids
        }
        #expect(run() == run())
    }
}
