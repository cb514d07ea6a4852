import NetTypes
import Testing
@testable import Simulator

/// The nine RFC 4787 mapping × filtering combinations, packet by packet.
@Suite struct NATMappingFilteringTests {
    @Test(arguments: EndpointDependence.allCases, EndpointDependence.allCases)
    func mappingDependsOnTheRemoteAsConfigured(mapping: EndpointDependence, filtering: EndpointDependence) throws {
        let bench = try NATTestBench(NATBehavior(mapping: mapping, filtering: filtering))
        let socket = try bench.alice.bindUDP(port: 5000)
        let addresses = bench.server.ipv4Addresses
        let first = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(addresses[0], 3478), on: bench.server))
        let otherPort = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(addresses[0], 3479), on: bench.server))
        let otherAddress = try #require(try bench.mappedEndpoint(of: socket, to: Endpoint(addresses[1], 3478), on: bench.server))
        #expect(first.address == bench.nat.externalAddresses[0])
        // A repeated flow keeps its mapping whatever the behavior.
        #expect(try bench.mappedEndpoint(of: socket, to: Endpoint(addresses[0], 3478), on: bench.server) == first)
        switch mapping {
        case .endpointIndependent:
            #expect(otherPort == first && otherAddress == first)
        case .addressDependent:
            #expect(otherPort == first && otherAddress != first)
        case .addressAndPortDependent:
            #expect(otherPort != first && otherAddress != first && otherPort != otherAddress)
        }
        #expect(bench.nat.mappings.count == Set([first, otherPort, otherAddress]).count)
    }

    @Test(arguments: EndpointDependence.allCases, EndpointDependence.allCases)
    func filteringLetsInWhomTheBehaviorAllows(mapping: EndpointDependence, filtering: EndpointDependence) throws {
        let bench = try NATTestBench(NATBehavior(mapping: mapping, filtering: filtering))
        let socket = try bench.alice.bindUDP(port: 5000)
        let alice = Recorder(socket)
        let serverAddress = bench.server.ipv4
        let contacted = try bench.server.bindUDP(address: serverAddress, port: 3478)
        let sameHostOtherPort = try bench.server.bindUDP(address: serverAddress, port: 3479)
        let otherHostSamePort = try bench.other.bindUDP(port: 3478)
        let otherHostOtherPort = try bench.other.bindUDP(port: 9999)
        let seen = Recorder(contacted)
        bench.send(socket, to: Endpoint(serverAddress, 3478))
        let mapped = try #require(seen.arrivals.first?.datagram.source)

        var admitted: [Bool] = []
        for sender in [contacted, sameHostOtherPort, otherHostSamePort, otherHostOtherPort] {
            let before = alice.arrivals.count
            bench.send(sender, to: mapped)
            admitted.append(alice.arrivals.count > before)
        }
        switch filtering {
        case .endpointIndependent: #expect(admitted == [true, true, true, true])
        case .addressDependent: #expect(admitted == [true, true, false, false])
        case .addressAndPortDependent: #expect(admitted == [true, false, false, false])
        }
        let refused = admitted.filter { !$0 }.count
        #expect(bench.nat.natStats.dropped(.filtered) == refused)
        #expect(bench.nat.stats.dropped(.filtered) == refused)
        #expect(alice.arrivals.allSatisfy { $0.datagram.destination == Endpoint(bench.alice.ipv4, 5000) })
    }
}
