import ICE
import NetTypes
import Simulator
import Testing

/// Two agents in the simulator, signalling through scheduled closures.
@Suite struct ICEEndToEndTests {
    /// Runs until both agents are connected (or `limit` passes); returns the instant.
    @discardableResult
    static func runUntilConnected(_ bed: ICETestbed, limit: Duration = .seconds(60)) -> Instant? {
        let end = bed.simulation.now + limit
        while bed.simulation.now < end {
            bed.simulation.run(for: .milliseconds(10))
            if [bed.alice.state, bed.bob.state].allSatisfy({ $0 == .connected || $0 == .completed }) { return bed.simulation.now }
        }
        return nil
    }

    /// Sends numbered datagrams both ways and runs a little.
    static func exchangeData(_ bed: ICETestbed, count: Int = 5) {
        for i in 0..<count {
            #expect(bed.alice.send([0x80, UInt8(i)]))
            #expect(bed.bob.send([0x81, UInt8(i)]))
        }
        bed.simulation.run(for: .milliseconds(200))
    }

    @Test func connectsAndDataFlowsBothWays() throws {
        let bed = ICETestbed()
        bed.start(alice: bed.configuration(), bob: bed.configuration())
        let connected = try #require(Self.runUntilConnected(bed))
        #expect(connected < Instant.zero + .seconds(1))
        Self.exchangeData(bed)
        #expect(bed.bob.received == (0..<5).map { [0x80, UInt8($0)] })
        #expect(bed.alice.received == (0..<5).map { [0x81, UInt8($0)] })
        let pair = try #require(bed.alice.agent.selectedPair(component: 1))
        #expect(pair.local.type == .host && pair.remote.type == .host)
        bed.simulation.run(for: .seconds(2))
        #expect(bed.alice.state == .completed && bed.bob.state == .completed)
        #expect(bed.alice.agent.gatheringState == .complete)
        let metrics = bed.alice.agent.metrics
        #expect(metrics.timeToFirstConnected != nil && metrics.timeToSelectedPair != nil)
        #expect(metrics.checksSent > 0 && metrics.checksReceived > 0 && metrics.pairsFormed > 0 && metrics.stunBytesSent > 0)
        #expect(bed.alice.driver.unroutable == 0)
    }
}
