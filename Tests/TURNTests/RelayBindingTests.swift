import NetTypes
import STUN
import Testing
@testable import TURN

/// An Allocate is answered only once its relayed transport address is bound (RFC 8656
/// §7.2): taken ports are skipped, 508 when none is left, and allocations still binding
/// count against quota and capacity.
@Suite struct RelayBindingTests {
    static let relayAddress = try! IPAddress(parsing: "203.0.113.1")
    static func client(_ port: UInt16) -> Endpoint { Endpoint(try! IPAddress(parsing: "192.0.2.20"), port) }

    static func allocate(_ relay: inout Relay, from client: Endpoint, _ extra: [STUNAttribute] = []) -> STUNMessage? {
        ServerRequestTests.request(&relay, .allocate, [ServerRequestTests.udp] + extra, from: client)
    }

    static func relayed(_ message: STUNMessage?) -> [Endpoint] {
        message?.attributes.compactMap { if case .xorRelayedAddress(let e) = $0 { e } else { nil } } ?? []
    }

    /// The last response the server sent to `client` (answers that waited for a bind).
    static func lastAnswer(_ relay: Relay, to client: Endpoint) -> STUNMessage? {
        relay.peerInbox[client]?.last.flatMap { try? STUNMessage(decoding: $0.payload) }
    }

    @Test func allocateIsAnsweredOnlyOnceTheRelayIsBound() throws {
        var relay = Relay()
        relay.holdsBinds = true
        let client = Self.client(5000)
        #expect(Self.allocate(&relay, from: client) == nil, "no answer before the bind")
        #expect(relay.bindRequests.count == 1)
        // A retransmission waits too; another transaction on the 5-tuple is 437.
        #expect(Self.allocate(&relay, from: client) == nil)
        #expect(relay.bindRequests.count == 1)
        #expect(ServerRequestTests.request(&relay, .allocate, [ServerRequestTests.udp], from: client, id: 2)?.errorCode?.code == 437)
        #expect(relay.server.counters.allocationsActive == 0)
        relay.answerBinds()
        let answer = try #require(Self.lastAnswer(relay, to: client))
        #expect(answer.type.messageClass == .successResponse)
        #expect(Self.relayed(answer) == relay.serverEvents.compactMap { if case .bindRelay(let e) = $0 { e } else { nil } })
        #expect(relay.server.counters.allocationsActive == 1)
    }

    @Test func takenPortsAreSkippedAndExhaustionAnswers508() throws {
        var relay = Relay { $0.relayPorts = 50000...50003 }
        relay.takenEndpoints = Set((50000...50002).map { Endpoint(Self.relayAddress, $0) })
        let first = Self.allocate(&relay, from: Self.client(5000))
        #expect(Self.relayed(first) == [Endpoint(Self.relayAddress, 50003)])
        let before = relay.serverEvents.count
        let second = Self.allocate(&relay, from: Self.client(5001))
        #expect(second?.errorCode?.code == 508)
        #expect(relay.server.counters.allocationsActive == 1)
        #expect(relay.server.allocationsPerUser["alice"] == 1)
        #expect(relay.server.pendingAllocations.isEmpty && relay.server.relayIndex.count == 1)
        // Each port not in use by the server itself was asked for once.
        let asked = relay.serverEvents[before...].compactMap { if case .bindRelay(let e) = $0 { e.port } else { nil } }
        #expect(asked.sorted() == [50000, 50001, 50002], "\(asked)")
        // A port that frees up is used again.
        relay.takenEndpoints = []
        #expect(Self.relayed(Self.allocate(&relay, from: Self.client(5002))).count == 1)
    }

    @Test func bindAttemptsAreBounded() {
        var relay = Relay {
            $0.relayPorts = 50000...50999
            $0.relayBindAttempts = 5
        }
        relay.takenEndpoints = Set((50000...50999).map { Endpoint(Self.relayAddress, $0) })
        #expect(Self.allocate(&relay, from: Self.client(5000))?.errorCode?.code == 508)
        #expect(relay.serverEvents.filter { if case .bindRelay = $0 { true } else { false } }.count == 5)
    }

    @Test func aTakenIPv6RelayLeavesTheIPv4OneWithAnAddressError() throws {
        var relay = Relay { $0.relayPorts = 50000...50001 }
        let v6 = try IPAddress(parsing: "2001:db8::1")
        relay.takenEndpoints = [Endpoint(v6, 50000), Endpoint(v6, 50001)]
        let answer = try #require(Self.allocate(&relay, from: Self.client(5000), [.additionalAddressFamily(.ipv6)]))
        #expect(Self.relayed(answer).map(\.address) == [Self.relayAddress])
        let error = answer.attributes.compactMap { if case .addressErrorCode(let f, let e) = $0 { (f, e.code) } else { nil } }
        #expect(error.first?.0 == .ipv6 && error.first?.1 == 508)
    }

    @Test func capacityAndQuotaCountAllocatesStillBinding() {
        var relay = Relay {
            $0.maxAllocations = 2
            $0.maxAllocationsPerUser = 2
        }
        relay.holdsBinds = true
        #expect(Self.allocate(&relay, from: Self.client(5000)) == nil)
        #expect(Self.allocate(&relay, from: Self.client(5001)) == nil)
        #expect(Self.allocate(&relay, from: Self.client(5002))?.errorCode?.code == 486)
        relay.answerBinds()
        #expect(relay.server.counters.allocationsActive == 2)
        var capacity = Relay { $0.maxAllocations = 1 }
        capacity.holdsBinds = true
        #expect(Self.allocate(&capacity, from: Self.client(5000)) == nil)
        let bobKey = STUNAuthenticator(key: STUNKey.longTerm(username: "bob", realm: Relay.realm, password: "bob-pw")!)
        let bob = ServerRequestTests.request(&capacity, .allocate, [ServerRequestTests.udp], user: "bob", key: bobKey,
                                             from: Self.client(5001))
        #expect(bob?.errorCode?.code == 508)
    }

    @Test func evenPortWithReservationSkipsTakenPorts() throws {
        var relay = Relay { $0.relayPorts = 50000...50005 }
        relay.takenEndpoints = [Endpoint(Self.relayAddress, 50000), Endpoint(Self.relayAddress, 50002)]
        let answer = try #require(Self.allocate(&relay, from: Self.client(5000), [.evenPort(reserveNextPort: true)]))
        #expect(Self.relayed(answer) == [Endpoint(Self.relayAddress, 50004)])
        let token = try #require(answer.first { if case .reservationToken(let t) = $0 { t } else { nil } })
        #expect(relay.server.reservations[token]?.endpoint == Endpoint(Self.relayAddress, 50005))
        #expect(relay.server.reservations.count == 1, "failed attempts keep no reservation")
    }
}
