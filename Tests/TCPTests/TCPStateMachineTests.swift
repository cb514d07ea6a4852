import NetTypes
import Testing
@testable import TCP

/// The connection states and transitions of RFC 9293 §3.3.2 (Figure 5), one test or
/// more per transition; each test names the transitions it covers.
@Suite struct TCPStateMachineTests {
    /// CLOSED → SYN-SENT (active open), CLOSED → LISTEN (passive open), LISTEN →
    /// SYN-RECEIVED (SYN), SYN-SENT → ESTABLISHED (SYN-ACK), SYN-RECEIVED → ESTABLISHED (ACK).
    @Test func threeWayHandshake() {
        let pair = TCPPair()
        #expect(pair.b.state == .listen)
        pair.call(.a) { core, now in core.connect(now: now) }
        #expect(pair.a.state == .synSent)
        pair.run(for: .milliseconds(200))
        #expect(pair.states[.a] == [.closed, .synSent, .established])
        #expect(pair.states[.b] == [.listen, .synReceived, .established])
        #expect(pair.events[.a] == [.connected])
        #expect(pair.events[.b] == [.connected])
        let flags = pair.log.map(\.segment.flags)
        #expect(flags == [.syn, [.syn, .ack], .ack])
        let synAck = pair.log[1].segment
        #expect(synAck.acknowledgmentNumber == pair.log[0].segment.sequenceNumber + 1)
        #expect(pair.log[2].segment.acknowledgmentNumber == synAck.sequenceNumber + 1)
        // Both offered MSS, SACK, timestamps and window scale: all agreed.
        #expect(synAck.maximumSegmentSize == 1460 && synAck.windowScale == 7 && synAck.isSACKPermitted && synAck.timestamps != nil)
        #expect(pair.a.sackEnabled && pair.a.timestampsEnabled && pair.a.sendShift == 7 && pair.a.sendMSS == 1448)
        #expect(pair.a.nextTimer == nil && pair.b.nextTimer == nil)
    }

    /// SYN-SENT → SYN-RECEIVED (SYN without ACK) → ESTABLISHED on both ends (Figure 8).
    @Test func simultaneousOpen() {
        let pair = TCPPair(bListens: false)
        pair.call(.a) { core, now in core.connect(now: now) }
        pair.call(.b) { core, now in core.connect(now: now) }
        pair.run(for: .milliseconds(300))
        #expect(pair.states[.a] == [.closed, .synSent, .synReceived, .established])
        #expect(pair.states[.b] == [.closed, .synSent, .synReceived, .established])
        #expect(pair.events[.a] == [.connected] && pair.events[.b] == [.connected])
        #expect(pair.log.map(\.segment.flags) == [.syn, .syn, [.syn, .ack], [.syn, .ack]])
        // Data flows afterwards.
        pair.call(.a) { core, now in core.send(pattern(3000), now: now) }
        pair.run(for: .seconds(1))
        #expect(pair.read[.b] == pattern(3000))
    }

    /// ESTABLISHED → FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT → CLOSED on the active closer;
    /// ESTABLISHED → CLOSE-WAIT → LAST-ACK → CLOSED on the passive one. TIME-WAIT lasts 2·MSL.
    @Test func orderlyCloseBothWays() {
        var config = TCPConfiguration()
        config.maximumSegmentLifetime = .seconds(30)
        let pair = TCPPair(a: config)
        pair.handshake()
        pair.call(.a) { core, now in core.send(pattern(100), now: now) }
        pair.call(.a) { core, now in core.close(now: now) }
        #expect(pair.a.state == .finWait1)
        pair.run(for: .milliseconds(120))
        #expect(pair.a.state == .finWait2)
        #expect(pair.b.state == .closeWait)
        #expect(pair.events[.b] == [.connected, .dataReceived(readable: 100), .peerClosed])
        #expect(pair.read[.b] == pattern(100))
        pair.call(.b) { core, now in core.send(pattern(10), now: now) }
        pair.call(.b) { core, now in core.close(now: now) }
        #expect(pair.b.state == .lastAck)
        pair.run(for: .milliseconds(49))
        #expect(pair.a.state == .finWait2)
        pair.run(for: .milliseconds(2))
        #expect(pair.a.state == .timeWait)
        let timeWaitStart = pair.now - .milliseconds(1)
        #expect(pair.read[.a] == pattern(10))
        #expect(pair.events[.a]!.suffix(2) == [.dataReceived(readable: 10), .peerClosed])
        pair.run(for: .milliseconds(100))
        #expect(pair.b.state == .closed)
        #expect(pair.events[.b]!.last == .closed)
        #expect(pair.a.nextTimer?.timer == .timeWait)
        #expect(pair.a.nextTimer?.deadline == timeWaitStart + .seconds(60))
        pair.run(until: timeWaitStart + .seconds(60))
        #expect(pair.a.state == .closed)
        #expect(pair.events[.a]!.last == .closed)
        #expect(pair.states[.a] == [.closed, .synSent, .established, .finWait1, .finWait2, .timeWait, .closed])
        #expect(pair.states[.b] == [.listen, .synReceived, .established, .closeWait, .lastAck, .closed])
    }

    /// FIN-WAIT-1 → CLOSING (FIN not acknowledging ours) → TIME-WAIT (ACK of our FIN), on both ends.
    @Test func simultaneousClose() {
        let pair = TCPPair()
        pair.handshake()
        pair.call(.a) { core, now in core.close(now: now) }
        pair.call(.b) { core, now in core.close(now: now) }
        pair.run(for: .milliseconds(200))
        #expect(pair.states[.a]!.suffix(3) == [.finWait1, .closing, .timeWait])
        #expect(pair.states[.b]!.suffix(3) == [.finWait1, .closing, .timeWait])
        #expect(pair.events[.a] == [.connected, .peerClosed])
    }

    /// FIN-WAIT-1 → TIME-WAIT: the peer's FIN arrives acknowledging ours in one segment.
    @Test func finWait1ToTimeWaitOnFINAndACK() {
        let pair = TCPPair()
        pair.handshake()
        pair.call(.a) { core, now in core.close(now: now) }
        pair.drop(from: .b) { $0.flags == .ack }  // B's ACK of the FIN is lost
        pair.run(for: .milliseconds(60))
        #expect(pair.b.state == .closeWait)
        pair.call(.b) { core, now in core.close(now: now) }
        pair.run(for: .milliseconds(60))
        #expect(pair.states[.a]!.suffix(2) == [.finWait1, .timeWait])
        pair.run(for: .milliseconds(60))
        #expect(pair.b.state == .closed)
    }

    /// SYN-RECEIVED → FIN-WAIT-1: close during the handshake sends FIN once it completes.
    @Test func closeInSYNReceivedSendsFINAfterTheHandshake() {
        let pair = TCPPair()
        pair.call(.a) { core, now in core.connect(now: now) }
        pair.run(for: .milliseconds(60))
        #expect(pair.b.state == .synReceived)
        pair.call(.b) { core, now in core.close(now: now) }
        pair.run(for: .milliseconds(250))
        #expect(pair.states[.b] == [.listen, .synReceived, .finWait1, .finWait2])
        #expect(pair.a.state == .closeWait)
    }

    /// LISTEN → CLOSED and SYN-SENT → CLOSED on close.
    @Test func closeBeforeSynchronizing() {
        var listener = TCPConnection(listeningOn: TCPPair.addressB, rng: Xoshiro256(seed: 1))
        listener.close(now: .zero)
        #expect(listener.state == .closed)
        var client = TCPConnection(local: TCPPair.addressA, remote: TCPPair.addressB, rng: Xoshiro256(seed: 1))
        client.connect(now: .zero)
        client.close(now: .zero)
        #expect(client.state == .closed)
        var outputs: [CoreOutput<TCPEvent>] = []
        while true {
            let output = client.pollOutput()
            if case .timeout(let deadline) = output { #expect(deadline == .distantFuture); break }
            outputs.append(output)
        }
        #expect(outputs.count == 2)  // the SYN, then .closed
    }

    /// SYN-SENT → CLOSED on an RST acknowledging the SYN (connection refused): a CLOSED
    /// end answers a SYN with RST,ACK (§3.10.7.1).
    @Test func refusedConnection() {
        let pair = TCPPair(bListens: false)
        pair.call(.a) { core, now in core.connect(now: now) }
        pair.run(for: .milliseconds(200))
        #expect(pair.log.map(\.segment.flags) == [.syn, [.rst, .ack]])
        #expect(pair.log[1].segment.acknowledgmentNumber == pair.log[0].segment.sequenceNumber + 1)
        #expect(pair.states[.a] == [.closed, .synSent, .closed])
        #expect(pair.events[.a] == [.reset])
    }

    /// ESTABLISHED → CLOSED on abort (RST sent) and on an RST received (RFC 5961 §3.2:
    /// only at RCV.NXT; elsewhere in the window a challenge ACK).
    @Test func resetHandling() throws {
        let pair = TCPPair()
        pair.handshake()
        // An in-window RST that is not at RCV.NXT draws a challenge ACK and changes nothing.
        let bad = TCPSegment(sourcePort: 80, destinationPort: 49152, sequenceNumber: pair.b.sndNxt + 10, flags: .rst, window: 0)
        pair.call(.a) { core, now in
            core.handle(Datagram(source: TCPPair.addressB, destination: TCPPair.addressA, transport: .tcp,
                                 payload: bad.encode(source: TCPPair.addressB.address, destination: TCPPair.addressA.address)), now: now)
        }
        #expect(pair.a.state == .established)
        #expect(pair.log.last?.segment.flags == .ack)
        pair.call(.a) { core, now in core.abort(now: now) }
        #expect(pair.a.state == .closed)
        #expect(pair.events[.a]!.last == .closed)
        pair.run(for: .milliseconds(100))
        #expect(pair.b.state == .closed)
        #expect(pair.events[.b]!.last == .reset)
    }

    /// SYN-RECEIVED → LISTEN on RST (passive open), and LISTEN answers a bare ACK with RST.
    @Test func resetInSYNReceivedReturnsToListen() {
        let pair = TCPPair()
        pair.call(.a) { core, now in core.connect(now: now) }
        pair.run(for: .milliseconds(60))
        #expect(pair.b.state == .synReceived)
        let rst = TCPSegment(sourcePort: 49152, destinationPort: 80, sequenceNumber: pair.b.rcvNxt, flags: .rst, window: 0)
        pair.call(.b) { core, now in
            core.handle(Datagram(source: TCPPair.addressA, destination: TCPPair.addressB, transport: .tcp,
                                 payload: rst.encode(source: TCPPair.addressA.address, destination: TCPPair.addressB.address)), now: now)
        }
        #expect(pair.b.state == .listen)
        #expect(pair.states[.b] == [.listen, .synReceived, .listen])
        // The SYN-ACK reaches A, but B no longer knows the connection: RST.
        var listener = TCPConnection(listeningOn: TCPPair.addressB, rng: Xoshiro256(seed: 3))
        let ack = TCPSegment(sourcePort: 49152, destinationPort: 80, sequenceNumber: TCPSequence(5),
                             acknowledgmentNumber: TCPSequence(77), flags: .ack, window: 100)
        listener.handle(Datagram(source: TCPPair.addressA, destination: TCPPair.addressB, transport: .tcp,
                                 payload: ack.encode(source: TCPPair.addressA.address, destination: TCPPair.addressB.address)),
                        now: .zero)
        guard case .transmit(let reply) = listener.pollOutput() else { Issue.record("no RST"); return }
        let segment = try? TCPSegment(decoding: reply.payload[...])
        #expect(segment?.flags == .rst && segment?.sequenceNumber == TCPSequence(77))
        #expect(listener.state == .listen)
    }

    /// A lost SYN-ACK: the client's retransmitted SYN is answered with the SYN-ACK at once
    /// (not with a bare ACK the client would drop), well before the server's own timer.
    @Test func duplicateSYNIsAnsweredWithTheSYNACK() {
        var server = TCPConfiguration()
        server.initialRTO = .seconds(3)
        let pair = TCPPair(b: server)
        pair.drop(from: .b) { $0.flags == [.syn, .ack] }
        pair.call(.a) { core, now in core.connect(now: now) }
        pair.run(for: .seconds(2))
        #expect(pair.a.state == .established && pair.b.state == .established)
        let synAcks = pair.log.filter { $0.segment.flags == [.syn, .ack] }.map(\.time)
        #expect(synAcks == [.zero + .milliseconds(50), .zero + .milliseconds(1050)])
    }

    /// SYN-SENT → CLOSED when the SYN retransmissions run out: 1, 2, 4, … s apart (RFC 6298 §5.5).
    @Test func connectTimesOut() {
        var config = TCPConfiguration()
        config.synRetries = 3
        let pair = TCPPair(a: config, bListens: false)
        pair.drop(from: .a, count: 10) { _ in true }
        pair.call(.a) { core, now in core.connect(now: now) }
        pair.run(for: .seconds(100))
        let times: [Instant] = [.zero, .zero + .seconds(1), .zero + .seconds(3), .zero + .seconds(7)]
        #expect(pair.log.map(\.time) == times)
        let expected: [TCPEvent] = [.error(.timedOut(.synSent))]
        #expect(pair.events[.a] == expected)
        #expect(pair.a.state == .closed)
    }

    /// A retransmitted FIN in TIME-WAIT is acknowledged again and restarts 2·MSL.
    @Test func timeWaitAcknowledgesARetransmittedFIN() {
        let pair = TCPPair()
        pair.handshake()
        pair.call(.a) { core, now in core.close(now: now) }
        pair.run(for: .milliseconds(200))
        pair.call(.b) { core, now in core.close(now: now) }
        pair.drop(from: .a) { $0.flags == .ack }  // A's ACK of B's FIN is lost
        pair.run(for: .milliseconds(100))
        #expect(pair.a.state == .timeWait)
        let firstDeadline = pair.a.nextTimer?.deadline
        pair.run(for: .seconds(2))  // B's RTO resends the FIN
        #expect(pair.b.state == .closed)
        #expect(pair.a.nextTimer!.deadline > firstDeadline!)
    }

    /// Every transition of RFC 9293 Figure 5 is taken by some scenario (LISTEN → SYN-SENT,
    /// a SEND on a listening socket, is not offered, as in the BSD socket API; a passive
    /// open creates its connection in LISTEN, so CLOSED → LISTEN is the initialiser).
    @Test func everyTransitionOfFigure5IsTaken() {
        var seen: Set<String> = []
        func record(_ pair: TCPPair) {
            for side in [Side.a, .b] {
                let states = pair.states[side]!
                for (from, to) in zip(states, states.dropFirst()) { seen.insert("\(from) → \(to)") }
            }
        }
        // Active and passive close, TIME-WAIT expiry.
        let orderly = TCPPair()
        orderly.handshake()
        orderly.call(.a) { core, now in core.close(now: now) }
        orderly.run(for: .milliseconds(200))
        orderly.call(.b) { core, now in core.close(now: now) }
        orderly.run(for: .seconds(300))
        record(orderly)
        // Simultaneous open and simultaneous close.
        let simultaneous = TCPPair(bListens: false)
        simultaneous.call(.a) { core, now in core.connect(now: now) }
        simultaneous.call(.b) { core, now in core.connect(now: now) }
        simultaneous.run(for: .milliseconds(200))
        simultaneous.call(.a) { core, now in core.close(now: now) }
        simultaneous.call(.b) { core, now in core.close(now: now) }
        simultaneous.run(for: .milliseconds(200))
        record(simultaneous)
        // FIN-WAIT-1 → TIME-WAIT: FIN and the ACK of ours in one segment.
        let combined = TCPPair()
        combined.handshake()
        combined.call(.a) { core, now in core.close(now: now) }
        combined.drop(from: .b) { $0.flags == .ack }
        combined.run(for: .milliseconds(60))
        combined.call(.b) { core, now in core.close(now: now) }
        combined.run(for: .milliseconds(200))
        record(combined)
        // Close during SYN-RECEIVED.
        let early = TCPPair()
        early.call(.a) { core, now in core.connect(now: now) }
        early.run(for: .milliseconds(60))
        early.call(.b) { core, now in core.close(now: now) }
        early.run(for: .milliseconds(300))
        record(early)
        // RST in SYN-RECEIVED (passive open) returns to LISTEN.
        let reset = TCPPair()
        reset.call(.a) { core, now in core.connect(now: now) }
        reset.run(for: .milliseconds(60))
        let rst = TCPSegment(sourcePort: 49152, destinationPort: 80, sequenceNumber: reset.b.rcvNxt, flags: .rst, window: 0)
        reset.call(.b) { core, now in
            core.handle(Datagram(source: TCPPair.addressA, destination: TCPPair.addressB, transport: .tcp,
                                 payload: rst.encode(source: TCPPair.addressA.address, destination: TCPPair.addressB.address)), now: now)
        }
        reset.call(.b) { core, now in core.close(now: now) }  // LISTEN → CLOSED
        record(reset)
        // Refused (SYN-SENT → CLOSED) and aborted (ESTABLISHED → CLOSED).
        let refused = TCPPair(bListens: false)
        refused.call(.a) { core, now in core.connect(now: now) }
        refused.run(for: .milliseconds(200))
        record(refused)
        let aborted = TCPPair()
        aborted.handshake()
        aborted.call(.a) { core, now in core.abort(now: now) }
        aborted.run(for: .milliseconds(100))
        record(aborted)

        let figure5: Set<String> = [
            "CLOSED → SYN-SENT", "LISTEN → SYN-RECEIVED", "LISTEN → CLOSED", "SYN-SENT → SYN-RECEIVED",
            "SYN-SENT → ESTABLISHED", "SYN-SENT → CLOSED", "SYN-RECEIVED → ESTABLISHED", "SYN-RECEIVED → LISTEN",
            "SYN-RECEIVED → FIN-WAIT-1", "ESTABLISHED → FIN-WAIT-1", "ESTABLISHED → CLOSE-WAIT", "ESTABLISHED → CLOSED",
            "FIN-WAIT-1 → FIN-WAIT-2", "FIN-WAIT-1 → CLOSING", "FIN-WAIT-1 → TIME-WAIT", "FIN-WAIT-2 → TIME-WAIT",
            "CLOSE-WAIT → LAST-ACK", "CLOSING → TIME-WAIT", "LAST-ACK → CLOSED", "TIME-WAIT → CLOSED",
        ]
        #expect(figure5.subtracting(seen).isEmpty, "not taken: \(figure5.subtracting(seen).sorted())")
    }
}
