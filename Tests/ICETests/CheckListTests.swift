@testable import ICE
import NetTypes
import Testing

@Suite struct CheckListTests {
    static func ep(_ text: String) -> Endpoint { try! Endpoint(parsing: text) }
    static func host(_ address: String, _ foundation: CandidateFoundation, component: Int = 1, pref: UInt32 = 65535) -> Candidate {
        Candidate(foundation: foundation, component: component,
                  priority: Candidate.priority(type: .host, localPreference: pref, component: component),
                  address: ep(address), type: .host)
    }

    @Test func pairsSameComponentAndFamilyOnly() {
        let locals = [Self.host("10.0.0.1:1", "1"), Self.host("[2001:db8::1]:1", "2"), Self.host("10.0.0.1:2", "1", component: 2)]
        let remotes = [Self.host("10.0.0.2:5", "9"), Self.host("[2001:db8::2]:5", "8"), Self.host("10.0.0.2:6", "9", component: 2)]
        var list = CheckList()
        list.addPairs(locals: locals, remotes: remotes, role: .controlling, limit: 100)
        #expect(list.pairs.count == 3)
        #expect(list.pairs.allSatisfy {
            $0.local.component == $0.remote.component && $0.local.address.address.family == $0.remote.address.address.family
        })
    }

    @Test func reflexiveLocalIsReplacedByItsBaseAndRedundantPairsPruned() {
        let base = Self.host("10.0.0.1:1", "1")
        let srflx = Candidate(foundation: "3", component: 1, priority: Candidate.priority(type: .serverReflexive, localPreference: 65535, component: 1),
                              address: Self.ep("203.0.113.1:7"), type: .serverReflexive, relatedAddress: base.address, base: base.address)
        let remote = Self.host("10.0.0.2:5", "9")
        var list = CheckList()
        list.addPairs(locals: [srflx, base], remotes: [remote], role: .controlling, limit: 100)
        #expect(list.pairs.count == 1)
        #expect(list.pairs[0].local == base)
        // Adding the same candidates again forms nothing new.
        #expect(list.addPairs(locals: [base, srflx], remotes: [remote], role: .controlling, limit: 100).isEmpty)
        // Without the base's host candidate (relay-only policy) the reflexive one is not paired.
        var relayOnly = CheckList()
        relayOnly.addPairs(locals: [srflx], remotes: [remote], role: .controlling, limit: 100)
        #expect(relayOnly.pairs.isEmpty)
    }

    @Test func limitKeepsTheHighestPriorityPairs() {
        let locals = (0..<4).map { Self.host("10.0.0.1:\($0 + 1)", .numbered($0), pref: 65535 - UInt32($0)) }
        let remotes = [Self.host("10.0.0.2:5", "9")]
        var list = CheckList()
        list.addPairs(locals: locals, remotes: remotes, role: .controlled, limit: 2)
        #expect(list.pairs.map(\.local.address.port) == [1, 2])
    }

    @Test func unfreezingByFoundation() {
        // Two foundations: pairs from 10.0.0.1 (foundation 1) and 10.0.0.3 (foundation 2), two components.
        let locals = [Self.host("10.0.0.1:1", "1"), Self.host("10.0.0.1:2", "1", component: 2),
                      Self.host("10.0.0.3:1", "2", pref: 100), Self.host("10.0.0.3:2", "2", component: 2, pref: 100)]
        let remotes = [Self.host("10.0.0.2:5", "9"), Self.host("10.0.0.2:6", "9", component: 2)]
        var list = CheckList()
        list.addPairs(locals: locals, remotes: remotes, role: .controlling, limit: 100)
        #expect(list.pairs.allSatisfy { $0.state == .frozen })
        let first = list.unfreeze(role: .controlling)
        // One waiting pair per foundation: the one of component 1.
        #expect(first.count == 2)
        #expect(first.allSatisfy { list[$0].component == 1 && list[$0].state == .waiting })
        #expect(list.unfreeze(role: .controlling).isEmpty)
        // A success in foundation 1:9 unfreezes its component-2 pair, not foundation 2:9's.
        let succeeded = first.first { list.pairs[$0].foundation == "1:9" }!
        list[succeeded].state = .succeeded
        let next = list.unfreeze(role: .controlling)
        #expect(next.count == 1 && list.pairs[next[0]].foundation == "1:9" && list[next[0]].component == 2)
        #expect(list.pairs.filter { $0.foundation == "2:9" }.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.frozen, .waiting])
    }

    @Test func triggeredChecksQueueOnceInOrder() {
        let locals = [Self.host("10.0.0.1:1", "1"), Self.host("10.0.0.3:1", "2", pref: 100)]
        var list = CheckList()
        list.addPairs(locals: locals, remotes: [Self.host("10.0.0.2:5", "9")], role: .controlling, limit: 100)
        _ = list.unfreeze(role: .controlling)
        #expect(list.popTriggered() == nil && list.best(role: .controlling, where: { $0.state == .waiting }) == 0)
        list.trigger(1)
        list.trigger(1)
        #expect(list.hasTriggered && list.popTriggered() == 1 && !list.hasTriggered)
    }

    @Test func nominationsAreCountedByComponent() {
        let locals = [Self.host("10.0.0.1:1", "1"), Self.host("10.0.0.1:2", "1", component: 2)]
        let remotes = [Self.host("10.0.0.2:5", "9"), Self.host("10.0.0.2:6", "9", component: 2)]
        var list = CheckList()
        list.addPairs(locals: locals, remotes: remotes, role: .controlling, limit: 100)
        for i in list.pairs.indices { list[i].state = .waiting }
        list.nominate(0)
        list.nominate(0)
        #expect(list.pairs.filter(\.nominated).count == 1 && list.hasNominated(component: 1) && !list.hasNominated(component: 2))
        #expect(list.hasWork { !list.hasNominated(component: list[$0].component) })
        #expect(!list.hasWork { $0 == 0 && !list.hasNominated(component: list[$0].component) })
    }

    @Test func foundationsGroupByTypeBaseServerAndTransport() throws {
        var table = FoundationTable()
        let a = try IPAddress(parsing: "10.0.0.1"), b = try IPAddress(parsing: "10.0.0.2"), s = try IPAddress(parsing: "192.0.2.1")
        let host = table.foundation(type: .host, base: a, server: nil, transport: .udp)
        #expect(table.foundation(type: .host, base: a, server: nil, transport: .udp) == host)
        #expect(table.foundation(type: .host, base: b, server: nil, transport: .udp) != host)
        #expect(table.foundation(type: .serverReflexive, base: a, server: s, transport: .udp) != host)
        #expect(table.foundation(type: .host, base: a, server: nil, transport: .tcp) != host)
    }
}
