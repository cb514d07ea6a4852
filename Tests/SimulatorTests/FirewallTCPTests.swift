import NetTypes
import Testing
@testable import Simulator
import TCP

/// Stateful firewalls and TCP: connections are remembered from their SYN and live by
/// their phase (RFC 5382 §5's timeouts).
@Suite struct FirewallTCPTests {
    @Test func webOnlyLetsConnectionsTo80And443AndTheirRepliesThrough() throws {
        let bench = try FirewallTestBench(try FirewallPolicy.preset(named: "allow-only-tcp-80-443"))
        for port: UInt16 in [80, 443] {
            #expect(try bench.outbound(.tcp, port: port, from: 5000 + port))
            #expect(try bench.inbound(.tcp, from: bench.server, port: port, to: 5000 + port))
            #expect(try bench.outbound(.tcp, port: port, from: 5000 + port, flags: [.ack, .psh]))
            #expect(try bench.inbound(.tcp, from: bench.server, port: port, to: 5000 + port, flags: [.ack, .psh]))
        }
        #expect(try bench.outbound(.tcp, port: 8080) == false)
        #expect(try bench.outbound(.udp, port: 443) == false)
        #expect(try bench.outbound(.udp, port: 3478) == false)
        #expect(try bench.inbound(.tcp, from: bench.server, port: 443, to: 6000, flags: .syn) == false)  // opened from outside
        #expect(try bench.inbound(.tcp, from: bench.other, port: 443, to: 5443) == false)                // not the connection's peer
        // A segment that opens nothing passes the rule but lets no reply in.
        #expect(try bench.outbound(.tcp, port: 443, from: 7000, flags: .ack))
        #expect(try bench.inbound(.tcp, from: bench.server, port: 443, to: 7000, flags: .ack) == false)
        #expect(bench.firewall.flows.map(\.flow.outside.port) == [80, 443])
    }

    @Test func connectionsLiveByTheirPhase() throws {
        let bench = try FirewallTestBench(.allowOutboundOnly)
        func reply(to port: UInt16, _ flags: TCPFlags = .ack) throws -> Bool {
            try bench.inbound(.tcp, from: bench.server, port: 443, to: port, flags: flags)
        }
        #expect(try bench.outbound(.tcp, port: 443, from: 5000))
        #expect(try reply(to: 5000, [.syn, .ack]))                  // established
        #expect(try bench.outbound(.tcp, port: 443, from: 6000))     // stays half-open
        bench.simulation.run(until: .zero + .seconds(7400))
        #expect(try reply(to: 5000))                                 // 2 h 4 min allowed
        #expect(try reply(to: 6000) == false)                        // 4 min allowed
        // FIN both ways: 4 minutes from the last segment.
        #expect(try bench.outbound(.tcp, port: 443, from: 5000, flags: [.fin, .ack]))
        #expect(try reply(to: 5000, [.fin, .ack]))
        bench.simulation.run(for: .seconds(230))
        #expect(try reply(to: 5000))
        bench.simulation.run(for: .seconds(241))
        #expect(try reply(to: 5000) == false)
        // A RST: 4 minutes, unless a later segment shows the connection alive.
        #expect(try bench.outbound(.tcp, port: 443, from: 7000))
        #expect(try reply(to: 7000, [.syn, .ack]))
        #expect(try reply(to: 7000, .rst))
        bench.simulation.run(for: .seconds(200))
        #expect(try reply(to: 7000))                                 // established again
        bench.simulation.run(for: .seconds(7000))
        #expect(try reply(to: 7000))
        #expect(try bench.outbound(.tcp, port: 443, from: 7000, flags: .rst))
        bench.simulation.run(for: .seconds(241))
        #expect(try reply(to: 7000) == false)
        #expect(bench.firewall.flows.isEmpty)
    }
}
