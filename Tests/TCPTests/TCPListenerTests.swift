import NetTypes
import Testing
@testable import TCP

@Suite struct TCPListenerTests {
    static let server = Endpoint(.v4(IPv4Address(198, 51, 100, 2)), 443)

    /// Delivers every datagram between a client and a listener with no delay until both are quiet.
    static func exchange(_ client: inout TCPConnection, _ listener: inout TCPListener, now: Instant) {
        var progress = true
        while progress {
            progress = false
            while true {
                let output = client.pollOutput()
                if case .timeout = output { break }
                if case .transmit(let d) = output { listener.handle(d, now: now); progress = true }
            }
            while true {
                let output = listener.pollOutput()
                if case .timeout = output { break }
                if case .transmit(let d) = output { client.handle(d, now: now); progress = true }
            }
        }
    }

    @Test func acceptsAnEstablishedConnection() {
        var listener = TCPListener(local: Self.server, rng: Xoshiro256(seed: 5))
        var client = TCPConnection(local: Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 50000), remote: Self.server,
                                   rng: Xoshiro256(seed: 6))
        client.connect(now: .zero)
        Self.exchange(&client, &listener, now: .zero)
        #expect(client.state == .established)
        #expect(listener.readyCount == 1 && listener.halfOpenCount == 0)
        client.send(pattern(500), now: .zero)
        Self.exchange(&client, &listener, now: .zero)
        guard var accepted = listener.accept() else { Issue.record("nothing to accept"); return }
        #expect(accepted.state == .established)
        #expect(accepted.remote == client.local)
        #expect(accepted.receive(now: .zero) == pattern(500))
        #expect(listener.accept() == nil)
    }

    /// A SYN flood from 1000 sources: at most `maximumHalfOpen` entries, the rest dropped;
    /// the entries retire once their SYN-ACK retransmissions run out (1 + 2 + 4 s, then
    /// the last RTO of 8 s).
    @Test func synFloodIsBounded() {
        var config = TCPConfiguration()
        config.synAckRetries = 3
        var listener = TCPListener(local: Self.server, configuration: config, maximumHalfOpen: 16, rng: Xoshiro256(seed: 7))
        var synAcks = 0
        var dropped = 0
        for i in 0..<1000 {
            let source = Endpoint(.v4(IPv4Address(203, 0, 113, UInt8(i % 200))), UInt16(1024 + i))
            let syn = TCPSegment(sourcePort: source.port, destinationPort: 443, sequenceNumber: TCPSequence(UInt32(i)),
                                 flags: .syn, window: 1024, options: [.maximumSegmentSize(1460)])
            listener.handle(Datagram(source: source, destination: Self.server, transport: .tcp,
                                     payload: syn.encode(source: source.address, destination: Self.server.address)), now: .zero)
            drain: while true {
                switch listener.pollOutput() {
                case .transmit: synAcks += 1
                case .event(.synDropped): dropped += 1
                case .event: break
                case .timeout: break drain
                }
            }
        }
        #expect(listener.halfOpenCount == 16)
        #expect(listener.droppedSYNs == 984 && dropped == 984)
        #expect(synAcks == 16)
        var now = Instant.zero
        var deadline = Instant.zero + .seconds(1)
        var retransmitted = 0
        while deadline != .distantFuture {
            now = deadline
            listener.handleTimeout(now: now)
            while true {
                let output = listener.pollOutput()
                if case .transmit = output { retransmitted += 1 }
                if case .timeout(let next) = output { deadline = next; break }
            }
        }
        #expect(retransmitted == 16 * 3)
        #expect(now == .zero + .seconds(15))
        #expect(listener.halfOpenCount == 0)
    }
}
