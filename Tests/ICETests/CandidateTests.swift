import ICE
import NetTypes
import Testing

@Suite struct CandidateTests {
    static func ep(_ text: String) -> Endpoint { try! Endpoint(parsing: text) }

    @Test func priorityFollowsRFC8445Formula() {
        // (2^24)(126) + (2^8)(65535) + (256 - 1)
        #expect(Candidate.priority(type: .host, localPreference: 65535, component: 1) == 2_130_706_431)
        #expect(Candidate.priority(type: .host, localPreference: 65535, component: 2) == 2_130_706_430)
        #expect(Candidate.priority(type: .serverReflexive, localPreference: 65535, component: 1) == 100 << 24 | 65535 << 8 | 255)
        #expect(Candidate.priority(type: .peerReflexive, localPreference: 0, component: 1) == 110 << 24 | 255)
        #expect(Candidate.priority(type: .relayed, localPreference: 65535, component: 1) == 16_777_215)
        let types: [CandidateType] = [.host, .peerReflexive, .serverReflexive, .relayed]
        #expect(types.map(\.typePreference) == [126, 110, 100, 0])
    }

    /// Two of each family: RFC 8421 §4's head start is (2 + 2) / 2 = 2 IPv6 addresses, then
    /// the IPv4 ones; duplicates count once.
    @Test func localPreferenceGivesIPv6ItsHeadStart() throws {
        let a4 = try IPAddress(parsing: "10.0.0.1"), b4 = try IPAddress(parsing: "192.168.1.2")
        let a6 = try IPAddress(parsing: "2001:db8::1"), b6 = try IPAddress(parsing: "2001:db8::2")
        let prefs = LocalPreference.assign([a4, b4, a6, b6, a4])
        #expect(prefs.count == 4)
        let order = prefs.sorted { $0.value > $1.value }.map(\.key)
        #expect(order == [a6, b6, a4, b4])
        #expect(prefs[a6] == LocalPreference.highest)
        #expect(Set(prefs.values).count == 4)
    }

    @Test func pairPriorityFormulaAndSymmetry() {
        // 2^32 × MIN(G, D) + 2 × MAX(G, D) + (G > D ? 1 : 0)
        #expect(CandidatePair.priority(controlling: 10, controlled: 20) == (10 << 32) + 40)
        #expect(CandidatePair.priority(controlling: 20, controlled: 10) == (10 << 32) + 41)
        let local = Candidate(foundation: "1", component: 1, priority: 2_130_706_431, address: Self.ep("10.0.0.1:1000"), type: .host)
        let remote = Candidate(foundation: "2", component: 1, priority: 1_694_498_815, address: Self.ep("10.0.0.2:2000"), type: .serverReflexive)
        let mine = CandidatePair(local: local, remote: remote)
        let theirs = CandidatePair(local: remote, remote: local)
        #expect(mine.priority(role: .controlling) == theirs.priority(role: .controlled))
        #expect(mine.priority(role: .controlled) == theirs.priority(role: .controlling))
        #expect(mine.priority(role: .controlling) != mine.priority(role: .controlled))
    }

    @Test func foundationHoldsUpTo32BytesInline() {
        let longest = String(repeating: "a+/9", count: 8)
        #expect(CandidateFoundation(longest)?.description == longest)
        #expect(CandidateFoundation(longest + "x") == nil)
        #expect(CandidateFoundation("12") == "12" && CandidateFoundation("12") != "1")
        #expect(CandidateFoundation("1") != "1\0")
        #expect(_isPOD(Candidate.self) && _isPOD(CandidatePair.self))
    }

    @Test func credentialsUseIceCharsAndRFCLengths() {
        var rng = Xoshiro256(seed: 1)
        let c = ICECredentials.random(using: &rng)
        #expect(c.ufrag.count >= 4 && c.password.count >= 22)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        #expect((c.ufrag + c.password).allSatisfy(allowed.contains))
        #expect(ICECredentials.random(using: &rng) != c)
    }
}
