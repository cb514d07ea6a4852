import NetTypes
import Testing
@testable import Simulator

/// Stateful NAT64 (RFC 6146) with RFC 6052 addressing and the RFC 7915 header rewrite,
/// and 464XLAT's CLAT (RFC 6877) in front of it.
@Suite struct NAT64Tests {
    /// `phone` (IPv6 only; `tablet` with a CLAT) behind the NAT64 `carrier`, and an IPv4
    /// `server` on the internet, every link tapped.
    struct Bench {
        let simulation = Simulation(seed: 1)
        let topology: Topology
        let carrier: NAT
        let phone: Host
        let tablet: Host
        let server: Host
        let tap = PacketLog()

        init(_ behavior: NATBehavior = .portRestrictedCone) throws {
            topology = Topology(simulation: simulation)
            let edge = LinkConfig(latency: .milliseconds(1))
            server = try topology.addHost("server", link: edge)
            carrier = try topology.addNAT("carrier", behavior: behavior, addressing: LANAddressing(ipv4: false, ipv6: true), link: edge)
            carrier.nat64 = .wellKnown
            phone = try topology.addHost("phone", behind: carrier, link: edge)
            tablet = try topology.addHost("tablet", behind: carrier, clat: .wellKnown, link: edge)
            for link in simulation.links {
                link.forward.taps.append(tap)
                link.backward.taps.append(tap)
            }
        }

        var serverIPv4: IPAddress { server.interfaces[0].address(of: .ipv4)! }
        /// The server's IPv4 address as DNS64 synthesises it.
        var synthesised: IPAddress {
            guard case .v4(let v4) = serverIPv4 else { preconditionFailure() }
            return .v6(NAT64Prefix.wellKnown.embed(v4))
        }
    }

    /// Packets as they enter links.
    final class PacketLog: PacketTap {
        var packets: [Packet] = []
        func observe(_ packet: Packet, direction: LinkDirection, point: TapPoint, at time: Instant) {
            if point == .enter { packets.append(packet) }
        }
    }

    @Test func anIPv6OnlyHostReachesAnIPv4ServerThroughTheSynthesisedAddress() throws {
        let bench = try Bench()
        #expect(bench.phone.interfaces[0].addresses.allSatisfy { $0.address.family == .ipv6 })
        let phoneAddress = try #require(bench.phone.interfaces[0].address(of: .ipv6))
        let socket = try bench.phone.bindUDP(address: phoneAddress, port: 5000)
        let phoneHeard = Recorder(socket)
        let service = try bench.server.bindUDP(address: bench.serverIPv4, port: 3478)
        let serverHeard = Recorder(service)
        _ = socket.send([1, 2, 3], to: Endpoint(bench.synthesised, 3478))
        bench.simulation.run(for: .milliseconds(50))
        let arrived = try #require(serverHeard.arrivals.first?.datagram)
        #expect(arrived.source.address == bench.carrier.externalAddresses[0] && arrived.payload == [1, 2, 3])
        _ = service.send([4, 5], to: arrived.source)
        bench.simulation.run(for: .milliseconds(50))
        let answer = try #require(phoneHeard.arrivals.first?.datagram)
        #expect(answer.source == Endpoint(bench.synthesised, 3478))
        #expect(answer.destination == Endpoint(phoneAddress, 5000) && answer.payload == [4, 5])
        #expect(bench.carrier.mappings.map(\.internalEndpoint) == [Endpoint(phoneAddress, 5000)])
    }

    @Test func nat64FiltersAsItsBehaviorSays() throws {
        let bench = try Bench(.portRestrictedCone)
        let socket = try bench.phone.bindUDP(address: bench.phone.interfaces[0].address(of: .ipv6)!, port: 5000)
        let heard = Recorder(socket)
        let service = try bench.server.bindUDP(address: bench.serverIPv4, port: 3478)
        let stranger = try bench.server.bindUDP(address: bench.serverIPv4, port: 4000)
        _ = socket.send([1], to: Endpoint(bench.synthesised, 3478))
        bench.simulation.run(for: .milliseconds(50))
        let external = try #require(bench.carrier.mappings.first?.externalEndpoint)
        _ = stranger.send([9], to: external)
        _ = service.send([2], to: external)
        bench.simulation.run(for: .milliseconds(50))
        // APDF: only the contacted endpoint's packet comes in.
        #expect(heard.arrivals.map(\.datagram.payload) == [[2]])
        #expect(bench.carrier.natStats.drops[.filtered] == 1)
    }

    /// RFC 7915 §5.1 (IPv6 → IPv4) and §4.1 (IPv4 → IPv6), checked on the bytes the pcap
    /// writer emits before and after the NAT64.
    @Test func headersAreTranslatedAsRFC7915Says() throws {
        let bench = try Bench()
        let socket = try bench.phone.bindUDP(address: bench.phone.interfaces[0].address(of: .ipv6)!, port: 5000)
        let service = try bench.server.bindUDP(address: bench.serverIPv4, port: 3478)
        let heard = Recorder(service)
        _ = socket.send(Array(0..<32), to: Endpoint(bench.synthesised, 3478), ecn: .ect0)
        bench.simulation.run(for: .milliseconds(50))
        let v6 = try #require(bench.tap.packets.first { $0.destination.address == bench.synthesised })
        let v4 = try #require(bench.tap.packets.first { $0.destination.address == bench.serverIPv4 })
        let before = PacketHeaders.ipPacket(v6), after = PacketHeaders.ipPacket(v4)
        #expect(before.count == 40 + 8 + 32 && after.count == 20 + 8 + 32)
        #expect(before[0] == 0x60 && before[1] == ECNCodepoint.ect0.rawValue << 4 && before[6] == 17 && before[7] == 64)
        // Version 4, IHL 5; TOS = traffic class; total length = payload length + 20.
        #expect(after[0] == 0x45 && after[1] == ECNCodepoint.ect0.rawValue)
        #expect(Int(after[2]) << 8 | Int(after[3]) == (Int(before[4]) << 8 | Int(before[5])) + 20)
        // TTL = hop limit less the NAT64's hop; protocol = next header.
        #expect(after[8] == before[7] - 1 && after[9] == before[6])
        // Addresses: the mapping's, and the IPv4 address embedded in the destination (RFC 6052).
        #expect(Array(after[12..<16]) == bench.carrier.externalAddresses[0].bytes && Array(after[16..<20]) == bench.serverIPv4.bytes)
        #expect(InternetChecksum.checksum(after[0..<20]) == 0)
        // UDP: the mapped source port, the same length and payload, a checksum valid over
        // the IPv4 pseudo-header.
        #expect(Array(after[20..<22]) == [UInt8(heard.arrivals[0].datagram.source.port >> 8), UInt8(heard.arrivals[0].datagram.source.port & 0xFF)])
        #expect(Array(after[22..<26]) == Array(before[42..<46]) && Array(after[28...]) == Array(before[48...]))
        let pseudo = InternetChecksum.pseudoHeaderSum(source: v4.source.address, destination: v4.destination.address, protocolNumber: 17,
                                                      length: 40)
        #expect(InternetChecksum.fold(InternetChecksum.add(pseudo, after[20...])) == 0xFFFF)
        #expect(after[26] != before[46] || after[27] != before[47])
    }

    @Test func tcpThroughTheNAT64KeepsAValidChecksum() throws {
        let bench = try Bench()
        let phoneAddress = bench.phone.interfaces[0].address(of: .ipv6)!
        // A checksummed segment from the phone (a reset answering a made-up SYN, RFC 9293 §3.10.7.1).
        let syn: [UInt8] = [0x01, 0xBB, 0x13, 0x88, 0, 0, 0, 7, 0, 0, 0, 0, 0x50, 0x02, 0xFF, 0xFF, 0, 0, 0, 0]
        var segment = try #require(TCPWireHeader.reset(answering: syn, from: Endpoint(phoneAddress, 5000), to: Endpoint(bench.synthesised, 443)))
        #expect(bench.phone.sendTCP(segment, from: Endpoint(phoneAddress, 5000), to: Endpoint(bench.synthesised, 443)))
        bench.simulation.run(for: .milliseconds(50))
        let v4 = try #require(bench.tap.packets.first { $0.destination.address == bench.serverIPv4 })
        segment = v4.payload
        let pseudo = InternetChecksum.pseudoHeaderSum(source: v4.source.address, destination: v4.destination.address, protocolNumber: 6,
                                                      length: segment.count)
        #expect(InternetChecksum.fold(InternetChecksum.add(pseudo, segment[...])) == 0xFFFF)
        #expect(v4.source == bench.carrier.mappings[0].externalEndpoint)
    }

    @Test func ipv6ToNativeIPv6IsRoutedUntranslated() throws {
        let bench = try Bench()
        let serverIPv6 = try #require(bench.server.interfaces[0].address(of: .ipv6))
        let socket = try bench.phone.bindUDP(address: bench.phone.interfaces[0].address(of: .ipv6)!, port: 5000)
        let service = try bench.server.bindUDP(address: serverIPv6, port: 3478)
        let heard = Recorder(service)
        _ = socket.send([1], to: Endpoint(serverIPv6, 3478))
        bench.simulation.run(for: .milliseconds(50))
        #expect(heard.arrivals.first?.datagram.source == Endpoint(bench.phone.interfaces[0].address(of: .ipv6)!, 5000))
        #expect(bench.carrier.mappings.isEmpty)
    }

    @Test func theCLATTranslatesIPv4AppsThroughTheNAT64() throws {
        let bench = try Bench()
        let clat = try #require(bench.tablet.clat)
        #expect(bench.tablet.interfaces[0].address(of: .ipv4) == .v4(IPv4Address(192, 0, 0, 2)))
        #expect(!bench.tablet.owns(.v6(clat.ipv6)))
        let socket = try bench.tablet.bindUDP(port: 6000)
        let heard = Recorder(socket)
        let service = try bench.server.bindUDP(address: bench.serverIPv4, port: 3478)
        let serverHeard = Recorder(service)
        _ = socket.send([1], to: Endpoint(bench.serverIPv4, 3478))
        bench.simulation.run(for: .milliseconds(50))
        // On the tablet's link the packet is IPv6 from the CLAT's address to the synthesised one.
        #expect(bench.tap.packets.first.map { ($0.source, $0.destination) }! == (Endpoint(.v6(clat.ipv6), 6000), Endpoint(bench.synthesised, 3478)))
        let arrived = try #require(serverHeard.arrivals.first?.datagram)
        #expect(arrived.source.address == bench.carrier.externalAddresses[0])
        _ = service.send([2], to: arrived.source)
        bench.simulation.run(for: .milliseconds(50))
        #expect(heard.arrivals.first?.datagram.source == Endpoint(bench.serverIPv4, 3478))
        #expect(heard.arrivals.first?.datagram.destination == Endpoint(.v4(clat.ipv4), 6000))
    }

    @Test func aCLATNeedsAnIPv6Network() throws {
        let topology = Topology(simulation: Simulation(seed: 1))
        let nat = try topology.addNAT("home", behavior: .fullCone)
        #expect(throws: TopologyError.noIPv6("home")) { try topology.addHost("h", behind: nat, clat: .wellKnown) }
        let carrier = try topology.addNAT("carrier", behavior: .fullCone, addressing: LANAddressing(ipv4: false, ipv6: true))
        #expect(throws: TopologyError.noIPv4("carrier")) { try topology.addNAT("inner", behavior: .fullCone, behind: carrier) }
    }

    @Test func sameSeedSameTranslatedPackets() throws {
        func trace() throws -> [String] {
            let bench = try Bench(.symmetric)
            let socket = try bench.phone.bindUDP(address: bench.phone.interfaces[0].address(of: .ipv6)!)
            let service = try bench.server.bindUDP(address: bench.serverIPv4, port: 3478)
            service.onReceive = { _ = service.send($0.payload, to: $0.source) }
            for port in UInt16(3478)...3480 { _ = socket.send([1], to: Endpoint(bench.synthesised, port)) }
            bench.simulation.run(for: .milliseconds(50))
            return bench.tap.packets.map { "\($0.source)>\($0.destination) \(PacketHeaders.ipPacket($0))" }
        }
        let first = try trace()
        #expect(first.count >= 8)
        #expect(first == (try trace()))
    }
}
