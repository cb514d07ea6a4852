import NetTypes
import Testing
@testable import STUN

@Suite struct DiscoveryTests {
    let local = try! Endpoint(parsing: "10.0.0.2:5000")
    let publicIP = IPAddress.v4(IPv4Address(203, 0, 113, 1))
    let serverConfiguration = STUNServerConfiguration(
        primary: try! Endpoint(parsing: "198.51.100.1:3478"), alternateAddress: .v4(IPv4Address(198, 51, 100, 2)), alternatePort: 3479)

    static let combinations = NATMappingBehavior.allCases.flatMap { m in NATFilteringBehavior.allCases.map { (m, $0) } }

    @Test(arguments: combinations)
    func classifiesEveryMappingAndFilteringCombination(mapping: NATMappingBehavior, filtering: NATFilteringBehavior) throws {
        var network = DiscoveryNetwork(
            nat: FakeNAT(mapping: mapping, filtering: filtering, publicIP: publicIP), local: local, serverConfiguration: serverConfiguration)
        let (result, _) = network.run()
        let report = try #require(result)
        #expect(report.mapping == mapping)
        #expect(report.filtering == filtering)
        #expect(report.hairpinning == true)
        #expect(report.mappedAddress?.address == publicIP)
        #expect(report.otherAddress == Endpoint(.v4(IPv4Address(198, 51, 100, 2)), 3479))
        let expected: NATClassicType = switch (mapping, filtering) {
        case (.endpointIndependent, .endpointIndependent): .fullCone
        case (.endpointIndependent, .addressDependent): .restrictedCone
        case (.endpointIndependent, .addressAndPortDependent): .portRestrictedCone
        default: .symmetric
        }
        #expect(report.classic == expected)
        #expect(report.note == nil)
    }

    @Test func noNATIsOpenInternet() throws {
        let open = Endpoint(.v4(IPv4Address(203, 0, 113, 9)), 5000)
        var network = DiscoveryNetwork(nat: nil, local: open, serverConfiguration: serverConfiguration)
        let report = try #require(network.run().0)
        #expect(report.mappedAddress == open)
        #expect(report.mapping == .endpointIndependent && report.filtering == .endpointIndependent)
        #expect(report.classic == .openInternet)
        #expect(report.hairpinning == nil)
    }

    @Test func hairpinningAbsentIsReported() throws {
        var nat = FakeNAT(mapping: .endpointIndependent, filtering: .addressAndPortDependent, publicIP: publicIP)
        nat.hairpinning = false
        var network = DiscoveryNetwork(nat: nat, local: local, serverConfiguration: serverConfiguration)
        let report = try #require(network.run().0)
        #expect(report.hairpinning == false)
        #expect(report.classic == .portRestrictedCone)
    }

    @Test func noResponseIsUDPBlocked() throws {
        let unreachable = STUNServerConfiguration(primary: try Endpoint(parsing: "198.51.100.99:3478"))
        var client = NATBehaviorDiscovery(local: local, server: unreachable.primary, rng: Xoshiro256(seed: 1))
        client.start(now: .zero)
        var out = client.drain()
        var sends = out.transmits.count
        while out.events.isEmpty && out.deadline != .distantFuture {
            client.handleTimeout(now: out.deadline)
            out = client.drain()
            sends += out.transmits.count
        }
        guard case .finished(let report) = out.events.first else { Issue.record("no result"); return }
        #expect(report.classic == .udpBlocked && report.mappedAddress == nil)
        #expect(sends == 7)
    }

    @Test func serverWithoutRFC5780IsNoted() throws {
        var network = DiscoveryNetwork(
            nat: FakeNAT(mapping: .endpointIndependent, filtering: .endpointIndependent, publicIP: publicIP), local: local,
            serverConfiguration: STUNServerConfiguration(primary: serverConfiguration.primary))
        let report = try #require(network.run().0)
        #expect(report.mappedAddress?.address == publicIP)
        #expect(report.mapping == nil && report.classic == nil)
        #expect(report.note != nil)
    }
}
