import Foundation
import NetTypes

/// Alternating on and off periods of a traffic source, each drawn from an exponential
/// distribution with the given mean (the classic on/off cross-traffic model).
public struct OnOffPattern: Sendable, Equatable {
    public var meanOn: Duration
    public var meanOff: Duration

    public init(meanOn: Duration, meanOff: Duration) {
        self.meanOn = meanOn
        self.meanOff = meanOff
    }
}

/// A constant-bitrate UDP sender: `payloadSize`-byte datagrams at a fixed interval from
/// `start` until `stop`, optionally only during the on periods of an `OnOffPattern`.
/// Used for benchmarks and as cross traffic. Sends from its own event handler, so it
/// allocates nothing per packet beyond the payload.
public final class ConstantBitrateSource: EventHandler {
    public let socket: UDPSocket
    public let destination: Endpoint
    public let payloadSize: Int
    public let interval: Duration
    public let stop: Instant
    public let pattern: OnOffPattern?
    public private(set) var sent = 0
    private unowned let simulation: Simulation
    private var handlerID: Int32 = -1
    private let payload: [UInt8]
    private var random: Xoshiro256
    private var isOn = true
    private var periodEnd = Instant.distantFuture

    /// Sends at `rate` counted on UDP payload bytes (the interval is
    /// payloadSize × 8 / rate); with `pattern`, only while on (starting with an on period).
    public init(simulation: Simulation, socket: UDPSocket, destination: Endpoint, rate: Bitrate,
                payloadSize: Int, start: Instant = .zero, stop: Instant = .distantFuture, pattern: OnOffPattern? = nil) {
        self.simulation = simulation
        self.socket = socket
        self.destination = destination
        self.payloadSize = payloadSize
        self.interval = rate.transmissionTime(bytes: payloadSize)
        self.stop = stop
        self.pattern = pattern
        self.payload = [UInt8](repeating: 0xAB, count: payloadSize)
        random = simulation.randomStream(for: "cbr:\(socket.host.name):\(socket.local.port)")
        super.init()
        handlerID = simulation.register(self)
        if let pattern { periodEnd = start + exponential(mean: pattern.meanOn) }
        simulation.schedule(at: start, target: handlerID)
    }

    override public func handleEvent(kind: UInt32, arg: Int64) {
        let now = simulation.now
        guard now < stop else { return }
        if let pattern, now >= periodEnd {
            isOn.toggle()
            periodEnd = now + exponential(mean: isOn ? pattern.meanOn : pattern.meanOff)
        }
        guard isOn else {
            simulation.schedule(at: periodEnd, target: handlerID)
            return
        }
        socket.send(payload, to: destination)
        sent += 1
        simulation.schedule(at: now + interval, target: handlerID)
    }

    /// An exponentially distributed period with `mean` (at least 1 ms).
    private func exponential(mean: Duration) -> Duration {
        let u = max(random.nextUnit(), 1e-12)
        return max(.milliseconds(1), Duration.fromSeconds(-mean.seconds * Foundation.log(u)))
    }
}

/// Counts what a UDP socket receives.
public final class UDPSink {
    public let socket: UDPSocket
    public private(set) var received = 0
    public private(set) var receivedBytes = 0
    public private(set) var lastArrival: Instant?

    public init(socket: UDPSocket) {
        self.socket = socket
        let simulation = socket.host.simulation
        socket.onReceive = { [unowned self] datagram in
            received += 1
            receivedBytes += datagram.payload.count
            lastArrival = simulation.now
        }
    }
}
