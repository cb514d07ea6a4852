import Foundation
import NetTypes
import Testing
import TestSupport
@testable import Simulator
import TCP

/// The NAT against RFC 5382, one test per requirement (REQ-6, ALGs, does not apply: the
/// NAT has none), with hand-built segments recorded by every host's TCP stack.
@Suite struct NATTCPTests {
    /// The standard NAT bench with a recording TCP stack on every host.
    struct Bench {
        let bench: NATTestBench
        let alice: TCPRecorder
        let carol: TCPRecorder
        let server: TCPRecorder
        let other: TCPRecorder

        init(_ behavior: NATBehavior) throws {
            bench = try NATTestBench(behavior)
            alice = TCPRecorder(bench.alice)
            carol = TCPRecorder(bench.carol)
            server = TCPRecorder(bench.server)
            other = TCPRecorder(bench.other)
        }

        var nat: NAT { bench.nat }
        var external: IPAddress { bench.nat.externalAddresses[0] }
        var aliceEndpoint: Endpoint { Endpoint(bench.alice.ipv4, 5000) }
        var web: Endpoint { Endpoint(bench.server.ipv4, 80) }

        /// Runs the network until everything sent has settled.
        func settle() { bench.simulation.run(for: .milliseconds(100)) }

        /// Runs until `seconds` after the start.
        func run(until seconds: Int64) { bench.simulation.run(until: .zero + .seconds(seconds)) }

        /// Alice opens a connection from port 5000 to the server's port 80 (SYN, SYN-ACK,
        /// ACK) and returns the endpoint the server sees her at.
        func handshake() throws -> Endpoint {
            bench.alice.sendSegment(.syn, from: aliceEndpoint, to: web, sequence: 1000)
            settle()
            let mapped = try #require(server.segments.last?.source)
            bench.server.sendSegment([.syn, .ack], from: web, to: mapped, sequence: 5000, acknowledgment: 1001)
            settle()
            bench.alice.sendSegment(.ack, from: aliceEndpoint, to: web, sequence: 1001, acknowledgment: 5001)
            settle()
            return mapped
        }

        /// Whether a segment with `flags` the server sends to `mapped` reaches alice.
        func reachesAlice(_ flags: TCPFlags = .ack, to mapped: Endpoint) -> Bool {
            let before = alice.segments.count
            bench.server.sendSegment(flags, from: web, to: mapped, sequence: 5001, acknowledgment: 1001)
            settle()
            return alice.segments.count > before
        }
    }

    @Test("REQ-1: TCP maps endpoint-independently, configured apart from UDP")
    func req1EndpointIndependentMapping() throws {
        let t = try Bench(.rfc4787)
        let destinations = [t.web, Endpoint(t.bench.server.ipv4, 443), Endpoint(t.bench.server.ipv4Addresses[1], 80),
                            Endpoint(t.bench.other.ipv4, 80)]
        for destination in destinations { t.bench.alice.sendSegment(.syn, from: t.aliceEndpoint, to: destination) }
        t.settle()
        let seen = (t.server.segments + t.other.segments).map(\.source)
        #expect(seen == Array(repeating: Endpoint(t.external, 5000), count: 4))
        #expect(t.nat.mappings.count == 1)

        // TCP mapping per remote endpoint while UDP stays endpoint-independent.
        var behavior = NATBehavior.fullCone
        behavior.tcp.mapping = .addressAndPortDependent
        let split = try Bench(behavior)
        for destination in destinations.prefix(2) { split.bench.alice.sendSegment(.syn, from: split.aliceEndpoint, to: destination) }
        split.settle()
        #expect(Set(split.server.segments.map(\.source)).count == 2)
        let socket = try split.bench.alice.bindUDP(port: 5000)
        let udp = try destinations.prefix(2).map { try split.bench.mappedEndpoint(of: socket, to: $0, on: split.bench.server) }
        #expect(udp[0] == udp[1] && udp[0] != nil)
    }

    @Test("REQ-2: a connection opens, carries data and closes, checksums valid after every rewrite")
    func req2ValidSequences() throws {
        let t = try Bench(.portRestrictedCone)
        let mapped = try t.handshake()
        #expect(mapped == Endpoint(t.external, 5000))
        #expect(t.nat.mappings.first?.tcp?.phase == .established)
        t.bench.alice.sendSegment([.ack, .psh], from: t.aliceEndpoint, to: t.web, sequence: 1001, acknowledgment: 5001, payload: [1, 2, 3])
        t.bench.server.sendSegment([.ack, .psh], from: t.web, to: mapped, sequence: 5001, acknowledgment: 1004, payload: [4, 5])
        t.settle()
        t.bench.alice.sendSegment([.fin, .ack], from: t.aliceEndpoint, to: t.web, sequence: 1004, acknowledgment: 5003)
        t.settle()
        #expect(t.nat.mappings.first?.tcp?.phase == .established)  // half-closed
        t.bench.server.sendSegment([.fin, .ack], from: t.web, to: mapped, sequence: 5003, acknowledgment: 1005)
        t.settle()
        t.bench.alice.sendSegment(.ack, from: t.aliceEndpoint, to: t.web, sequence: 1005, acknowledgment: 5004)
        t.settle()
        #expect(t.nat.mappings.first?.tcp?.phase == .closing)
        #expect(t.server.flags == [.syn, .ack, [.ack, .psh], [.fin, .ack], .ack])
        #expect(t.alice.flags == [[.syn, .ack], [.ack, .psh], [.fin, .ack]])
        #expect(t.server.segments.map(\.segment.sequenceNumber.value) == [1000, 1001, 1001, 1004, 1005])
        #expect(t.alice.segments.map(\.destination) == Array(repeating: t.aliceEndpoint, count: 3))
        #expect(t.alice.segments[1].segment.payload == [4, 5] && t.server.segments[2].segment.payload == [1, 2, 3])
        #expect(t.alice.corrupt == 0 && t.server.corrupt == 0)
    }

    @Test("REQ-2a: a simultaneous open passes; the SYN that arrived first is dropped silently")
    func req2aSimultaneousOpen() throws {
        let t = try Bench(.rfc4787)
        let mapped = Endpoint(t.external, 5000)  // preserved port: the server knows it in advance
        t.bench.server.sendSegment(.syn, from: t.web, to: mapped, sequence: 5000)
        t.settle()
        #expect(t.nat.natStats.synsHeld == 1)
        t.bench.alice.sendSegment(.syn, from: t.aliceEndpoint, to: t.web, sequence: 1000)
        t.settle()
        #expect(t.server.segments.map(\.source) == [mapped])
        // The server is in SYN-RECEIVED: it answers alice's SYN with its SYN-ACK.
        t.bench.server.sendSegment([.syn, .ack], from: t.web, to: mapped, sequence: 5000, acknowledgment: 1001)
        t.run(until: 10)
        #expect(t.alice.flags == [[.syn, .ack]])
        #expect(t.nat.mappings.first?.tcp?.phase == .established)
        #expect(t.server.errors.isEmpty)
        #expect(t.nat.natStats.heldSYNsCrossed == 1 && t.nat.natStats.rejectsSent == 0)
    }

    @Test("REQ-3: TCP filtering is its own: endpoint-independent, address-dependent or stricter")
    func req3Filtering() throws {
        for filtering in EndpointDependence.allCases {
            var behavior = NATBehavior.fullCone
            behavior.tcp.filtering = filtering
            let t = try Bench(behavior)
            let mapped = try t.handshake()
            // New connections to alice's mapping: from another port of the server, from another host.
            t.bench.server.sendSegment(.syn, from: Endpoint(t.bench.server.ipv4, 81), to: mapped)
            t.bench.other.sendSegment(.syn, from: Endpoint(t.bench.other.ipv4, 80), to: mapped)
            t.settle()
            let admitted = t.alice.segments.dropFirst().map(\.source.port)
            switch filtering {
            case .endpointIndependent: #expect(admitted == [81, 80])
            case .addressDependent: #expect(admitted == [81])
            case .addressAndPortDependent: #expect(admitted.isEmpty)
            }
            // UDP keeps the NAT's UDP filtering (endpoint-independent).
            let socket = try t.bench.alice.bindUDP(port: 6000)
            let aliceUDP = Recorder(socket)
            let udpMapped = try #require(try t.bench.mappedEndpoint(of: socket, to: Endpoint(t.bench.server.ipv4, 3478), on: t.bench.server))
            t.bench.send(try t.bench.other.bindUDP(port: 9), to: udpMapped)
            #expect(aliceUDP.arrivals.count == 1)
        }
    }

    @Test("REQ-4: an unsolicited SYN gets no answer for 6 s, then ICMP port unreachable")
    func req4UnsolicitedSYN() throws {
        let t = try Bench(.rfc4787)
        let stranger = Endpoint(t.bench.other.ipv4, 4000)
        t.bench.other.sendSegment(.syn, from: stranger, to: Endpoint(t.external, 7000))  // no mapping
        _ = try t.handshake()
        t.bench.other.sendSegment(.syn, from: stranger, to: Endpoint(t.external, 5000))  // filtered (address-dependent)
        t.bench.simulation.run(until: .zero + .milliseconds(5990))
        #expect(t.other.errors.isEmpty)
        t.bench.simulation.run(until: .zero + .milliseconds(6100))
        #expect(t.other.errors.count == 1)
        t.run(until: 7)
        #expect(t.other.errors == [7000, 5000].map {
            ICMPUnreachable(reason: .portUnreachable, originalSource: stranger, originalDestination: Endpoint(t.external, $0),
                            originalProtocol: .tcp, originalSequenceNumber: 1000)
        })
        #expect(t.nat.natStats.synsHeld == 2 && t.nat.natStats.rejectsSent == 2)
        #expect(t.alice.flags == [[.syn, .ack]])
    }

    @Test("REQ-4: an outbound SYN of the same connection within 6 s silences the held SYN; another connection's does not")
    func req4CrossingSYN() throws {
        let t = try Bench(.rfc4787)
        let stranger = Endpoint(t.bench.other.ipv4, 4000)
        t.bench.other.sendSegment(.syn, from: stranger, to: Endpoint(t.external, 5000))
        t.bench.other.sendSegment(.syn, from: stranger, to: Endpoint(t.external, 5001))
        t.run(until: 3)
        t.bench.alice.sendSegment(.syn, from: t.aliceEndpoint, to: stranger)
        t.bench.alice.sendSegment(.syn, from: Endpoint(t.bench.alice.ipv4, 5001), to: Endpoint(t.bench.other.ipv4, 4001))
        t.run(until: 10)
        #expect(t.other.segments.map(\.destination.port) == [4000, 4001])
        #expect(t.other.errors.map(\.originalDestination) == [Endpoint(t.external, 5001)])
        #expect(t.nat.natStats.heldSYNsCrossed == 1 && t.nat.natStats.rejectsSent == 1)
    }

    @Test("REQ-4a: unsolicited SYNs dropped silently, or reset at once as a Linux router does")
    func req4aDropOrReset() throws {
        var behavior = NATBehavior.rfc4787
        behavior.tcp.unsolicitedSYN = .drop
        let quiet = try Bench(behavior)
        quiet.bench.other.sendSegment(.syn, from: Endpoint(quiet.bench.other.ipv4, 4000), to: Endpoint(quiet.external, 7000))
        quiet.run(until: 10)
        #expect(quiet.other.errors.isEmpty && quiet.other.segments.isEmpty)
        #expect(quiet.nat.natStats.synsHeld == 0 && quiet.nat.natStats.dropped(.noMapping) == 1)

        let linux = try Bench(.linuxMasquerade)
        linux.bench.other.sendSegment(.syn, from: Endpoint(linux.bench.other.ipv4, 4000), to: Endpoint(linux.external, 7000),
                                      sequence: 77)
        linux.settle()
        #expect(linux.other.segments.map(\.source) == [Endpoint(linux.external, 7000)])
        #expect(linux.other.segments.first?.segment == TCPSegment(sourcePort: 7000, destinationPort: 4000, sequenceNumber: TCPSequence(0),
                                                                  acknowledgmentNumber: TCPSequence(78), flags: [.rst, .ack], window: 0))
        #expect(linux.nat.natStats.resetsSent == 1 && linux.other.corrupt == 0)
    }

    @Test("REQ-5: established connections idle out after 2 h 4 min, transitory ones after 4 min")
    func req5Timeouts() throws {
        for behavior in [NATBehavior(mapping: .addressDependent, filtering: .addressDependent), .rfc4787, .cgnat] {
            #expect(behavior.tcp.establishedIdleTimeout >= .seconds(7440))
            #expect(behavior.tcp.transitoryIdleTimeout >= .seconds(240) && behavior.tcp.resetIdleTimeout >= .seconds(240))
        }
        // Established: segments either way refresh it; 2 h 4 min of silence ends it.
        let established = try Bench(.rfc4787)
        let mapped = try established.handshake()
        established.run(until: 7439)
        #expect(established.reachesAlice(to: mapped))          // inbound refreshes
        established.run(until: 7439 + 7439)
        #expect(established.reachesAlice(to: mapped))
        established.run(until: 3 * 7439 + 2)
        #expect(!established.reachesAlice(to: mapped))

        // Partially open: 4 minutes.
        let opening = try Bench(.rfc4787)
        opening.bench.alice.sendSegment(.syn, from: opening.aliceEndpoint, to: opening.web)
        opening.run(until: 239)
        #expect(opening.nat.mappings.first?.tcp?.phase == .opening)
        #expect(opening.nat.mappings.first?.expires == .zero + .seconds(240) + .milliseconds(1))
        opening.run(until: 241)
        #expect(opening.nat.mappings.isEmpty)

        // Closed (FIN both ways) or reset: 4 minutes from the last segment.
        for reset in [false, true] {
            let t = try Bench(.rfc4787)
            let mapped = try t.handshake()
            if reset {
                t.bench.alice.sendSegment(.rst, from: t.aliceEndpoint, to: t.web, sequence: 1001)
            } else {
                t.bench.alice.sendSegment([.fin, .ack], from: t.aliceEndpoint, to: t.web, sequence: 1001, acknowledgment: 5001)
                t.bench.server.sendSegment([.fin, .ack], from: t.web, to: mapped, sequence: 5001, acknowledgment: 1002)
            }
            t.settle()
            #expect(t.nat.mappings.first?.tcp?.phase == (reset ? .reset : .closing))
            t.run(until: 240)
            #expect(!t.nat.mappings.isEmpty)
            t.run(until: 242)
            #expect(t.nat.mappings.isEmpty)
        }
    }

    @Test("RFC 5382 §5, RFC 7857 §2.1: each TCP mapping tracks its connection's phase")
    func connectionPhases() {
        var track = TCPConnectionTrack()
        func record(_ flags: TCPFlags, _ direction: TrafficDirection) -> TCPConnectionTrack.Phase {
            track.record(flags.rawValue, direction)
            return track.phase
        }
        #expect(track.phase == .opening)                           // picked up mid-stream
        #expect(record(.syn, .outbound) == .opening)
        #expect(record([.syn, .ack], .inbound) == .established)   // three-way handshake
        #expect(record([.fin, .ack], .inbound) == .established)   // half-close
        #expect(record(.rst, .outbound) == .reset)
        #expect(record(.ack, .inbound) == .established)           // the connection was alive after all
        #expect(record([.fin, .ack], .outbound) == .closing)
        #expect(record(.ack, .inbound) == .closing)
        #expect(record(.syn, .inbound) == .opening)               // the ports reused by a new connection
        #expect(record(.syn, .outbound) == .established)          // simultaneous open
        #expect(record(.rst, .inbound) == .reset)
        #expect(record(.syn, .outbound) == .opening)
    }

    @Test("REQ-7: no port overloading; TCP and UDP ports are separate spaces")
    func req7NoPortOverloading() throws {
        let t = try Bench(.rfc4787)
        t.bench.alice.sendSegment(.syn, from: t.aliceEndpoint, to: t.web)
        t.bench.carol.sendSegment(.syn, from: Endpoint(t.bench.carol.ipv4, 5000), to: t.web)
        t.settle()
        #expect(t.server.segments.map(\.source) == [Endpoint(t.external, 5000), Endpoint(t.external, 5002)])  // parity kept
        let socket = try t.bench.alice.bindUDP(port: 5000)
        #expect(try t.bench.mappedEndpoint(of: socket, to: Endpoint(t.bench.server.ipv4, 3478), on: t.bench.server)
            == Endpoint(t.external, 5000))
    }

    @Test("REQ-8: TCP hairpinning, with the sender's external endpoint as source")
    func req8Hairpinning() throws {
        let t = try Bench(.fullCone)
        let carolEndpoint = Endpoint(t.bench.carol.ipv4, 6000)
        t.bench.carol.sendSegment(.syn, from: carolEndpoint, to: t.web)
        t.settle()
        let carolMapped = try #require(t.server.segments.first?.source)
        t.bench.alice.sendSegment(.syn, from: t.aliceEndpoint, to: carolMapped, sequence: 1)
        t.settle()
        let aliceMapped = Endpoint(t.external, 5000)
        #expect(t.carol.segments.map(\.source) == [aliceMapped])
        t.bench.carol.sendSegment([.syn, .ack], from: carolEndpoint, to: aliceMapped, sequence: 9, acknowledgment: 2)
        t.settle()
        #expect(t.alice.segments.map(\.source) == [carolMapped])
        #expect(t.alice.segments.map(\.destination) == [t.aliceEndpoint])
        #expect(t.nat.natStats.hairpinned == 2 && t.alice.corrupt == 0 && t.carol.corrupt == 0)
    }

    /// Alice's SYN to a server port whose host answers every segment with ICMP port
    /// unreachable. Returns the bench and the packets delivered to alice.
    func refusedSYN() throws -> (Bench, Arrivals) {
        let t = try Bench(.rfc4787)
        t.server.refuseWithICMP()
        let arrivals = Arrivals(t.bench.alice)
        t.bench.alice.sendSegment(.syn, from: t.aliceEndpoint, to: t.web, sequence: 0xDEAD_BEEF)
        t.settle()
        return (t, arrivals)
    }

    @Test("REQ-9: ICMP errors about TCP are translated both ways, the quoted TCP header's ports rewritten")
    func req9ICMPTranslated() throws {
        let (t, arrivals) = try refusedSYN()
        #expect(t.alice.errors == [ICMPUnreachable(reason: .portUnreachable, originalSource: t.aliceEndpoint,
                                                   originalDestination: t.web, originalProtocol: .tcp, originalSequenceNumber: 0xDEAD_BEEF)])
        let icmp = try #require(arrivals.packets.first { $0.proto == .icmp })
        #expect(PacketHeaders.internetChecksum(icmp.payload[...]) == 0)
        // Type, code, unused; the quoted IP header; the quoted TCP ports and sequence number.
        #expect(Array(icmp.payload[28...]) == [0x13, 0x88, 0x00, 0x50, 0xDE, 0xAD, 0xBE, 0xEF])

        // Outbound: alice's host refuses the server's segment through her mapping.
        let u = try Bench(.rfc4787)
        u.alice.refuseWithICMP()
        let serverArrivals = Arrivals(u.bench.server)
        u.bench.alice.sendSegment(.syn, from: u.aliceEndpoint, to: u.web)
        u.settle()
        let mapped = try #require(u.server.segments.first?.source)
        u.bench.server.sendSegment([.syn, .ack], from: u.web, to: mapped, sequence: 0x0102_0304, acknowledgment: 1001)
        u.settle()
        #expect(u.server.errors == [ICMPUnreachable(reason: .portUnreachable, originalSource: u.web, originalDestination: mapped,
                                                    originalProtocol: .tcp, originalSequenceNumber: 0x0102_0304)])
        let error = try #require(serverArrivals.packets.first { $0.proto == .icmp })
        #expect(error.source.address == mapped.address)
        #expect(Array(error.payload[28...]) == [0x00, 0x50, 0x13, 0x88, 0x01, 0x02, 0x03, 0x04])
    }

    @Test("REQ-10: an ICMP error tears down neither the mapping nor the connection")
    func req10ICMPKeepsTheMapping() throws {
        let (t, _) = try refusedSYN()
        let before = try #require(t.nat.mappings.first)
        #expect(t.alice.errors.count == 1)
        #expect(t.nat.mappings == [before])
        #expect(t.reachesAlice([.syn, .ack], to: Endpoint(t.external, 5000)))
    }

    @Test(.enabled(if: Tshark.isInstalled, "tshark is not installed (apt-get install tshark; .ci/setup does)"))
    func tsharkDecodesTranslatedSegmentsAndErrors() throws {
        let tshark = try #require(Tshark())
        let t = try Bench(.rfc4787)
        let directory = FileManager.default.temporaryDirectory.path + "/icelab-nat-tcp-\(UInt32.random(in: 0...UInt32.max))"
        let paths = [directory + "-outside.pcap", directory + "-inside.pcap"]
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        let captures = [try t.bench.simulation.capture(t.nat, interface: t.nat.outsideInterface, to: paths[0]),
                        try t.bench.simulation.capture(t.bench.alice, interface: 0, to: paths[1])]
        let mapped = try t.handshake()
        t.bench.alice.sendSegment([.ack, .psh], from: t.aliceEndpoint, to: t.web, sequence: 1001, acknowledgment: 5001, payload: [1, 2, 3])
        t.bench.server.sendSegment([.fin, .ack], from: t.web, to: mapped, sequence: 5001, acknowledgment: 1004)
        t.settle()
        t.server.refuseWithICMP()
        t.bench.alice.sendSegment(.syn, from: Endpoint(t.bench.alice.ipv4, 5001), to: Endpoint(t.bench.server.ipv4, 81))
        t.settle()
        for capture in captures { try capture.writer.close() }
        let errorSeverity = "8388608"
        for path in paths {
            let (lines, status) = try tshark.run(path, ["-o", "tcp.check_checksum:TRUE", "-T", "fields", "-e", "frame.protocols",
                                                        "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "tcp.checksum.status"])
            #expect(status == 0)
            #expect(lines.count == 7)
            for line in lines {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                #expect(!line.contains("malformed"), "\(line)")
                #expect(!fields[2].split(separator: ",").contains { $0 == errorSeverity }, "\(line)")
                if fields[0] == "raw:ip:tcp" { #expect(fields[3] == "1", "\(line)") }  // 1: checksum good
            }
            #expect(lines.filter { $0.hasPrefix("raw:ip:icmp:ip:tcp") }.count == 1)
        }
    }
}
