import NetTypes
import Testing
@testable import TCP

/// Hostile input to a live connection: it must never trap, whatever the peer sends.
@Suite struct TCPRobustnessTests {
    /// 20 000 random segments with valid checksums (every flag combination, sequence and
    /// acknowledgment numbers near and far from the window, SACK blocks, timestamps,
    /// payloads) fed to an established connection, interleaved with its timeouts and
    /// application calls.
    @Test func randomSegmentsNeverTrap() {
        var rng = Xoshiro256(seed: 2024)
        for round in 0..<4 {
            let pair = TCPPair(seed: UInt64(round))
            pair.handshake()
            pair.call(.a) { core, now in core.send(pattern(50_000), now: now) }
            pair.run(for: .milliseconds(150))
            var core = pair.a
            var now = pair.now
            for i in 0..<5000 {
                let near = core.rcvNxt + Int(Int64(bitPattern: rng.next() % 400_000) - 200_000)
                let sequence = rng.next() % 4 == 0 ? TCPSequence(UInt32(truncatingIfNeeded: rng.next())) : near
                let ack = rng.next() % 4 == 0 ? TCPSequence(UInt32(truncatingIfNeeded: rng.next()))
                                              : core.sndUna + Int(Int64(bitPattern: rng.next() % 100_000) - 30_000)
                var options: [TCPOption] = []
                if rng.next() % 2 == 0 {
                    options.append(.timestamps(value: UInt32(truncatingIfNeeded: rng.next()), echoReply: UInt32(truncatingIfNeeded: rng.next())))
                }
                if rng.next() % 2 == 0 {
                    let start = core.sndUna + Int(rng.next() % 60_000)
                    options.append(.sack([TCPSACKBlock(start: start, end: start + Int(rng.next() % 5000) - 1000),
                                          TCPSACKBlock(start: core.sndUna - 3, end: core.sndMax + 10)]))
                }
                if rng.next() % 8 == 0 { options.append(.windowScale(UInt8(truncatingIfNeeded: rng.next()))) }
                let segment = TCPSegment(sourcePort: 80, destinationPort: 49152, sequenceNumber: sequence, acknowledgmentNumber: ack,
                                         flags: TCPFlags(rawValue: UInt8(truncatingIfNeeded: rng.next()) & 0x1F | (rng.next() % 3 == 0 ? 0 : 0x10)),
                                         window: UInt16(truncatingIfNeeded: rng.next()), options: options,
                                         payload: pattern(Int(rng.next() % 1600)))
                now += .microseconds(Int64(rng.next() % 20_000))
                core.handle(Datagram(source: TCPPair.addressB, destination: TCPPair.addressA, transport: .tcp,
                                     payload: segment.encode(source: TCPPair.addressB.address, destination: TCPPair.addressA.address)),
                            now: now)
                switch i % 50 {
                case 0:
                    if core.timers.next != .distantFuture { now = max(now, core.timers.next) }
                    core.handleTimeout(now: now)
                case 1: core.send(pattern(3000), now: now)
                case 2: _ = core.receive(now: now)
                default: break
                }
                while true {
                    if case .timeout = core.pollOutput() { break }
                }
                if core.state == .closed { break }
            }
        }
    }
}
