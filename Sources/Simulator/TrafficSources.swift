import NetTypes

/// A constant-bitrate UDP sender: `payloadSize`-byte datagrams at a fixed interval from
/// `start` until `stop`. Used for benchmarks and as cross traffic. Sends from its own
/// event handler, so it allocates nothing per packet beyond the payload.
public final class ConstantBitrateSource: EventHandler {
    public let socket: UDPSocket
    public let destination: Endpoint
    public let payloadSize: Int
    public let interval: Duration
    public let stop: Instant
    public private(set) var sent = 0
    private unowned let simulation: Simulation
    private var handlerID: Int32 = -1
    private let payload: [UInt8]

    /// Sends at `rate` counted on UDP payload bytes (the interval is
    /// payloadSize × 8 / rate).
    public init(simulation: Simulation, socket: UDPSocket, destination: Endpoint, rate: Bitrate,
                payloadSize: Int, start: Instant = .zero, stop: Instant = .distantFuture) {
        self.simulation = simulation
        self.socket = socket
        self.destination = destination
        self.payloadSize = payloadSize
        self.interval = rate.transmissionTime(bytes: payloadSize)
        self.stop = stop
        self.payload = [UInt8](repeating: 0xAB, count: payloadSize)
        handlerID = simulation.register(self)
        simulation.schedule(at: start, target: handlerID)
    }

    public func handleEvent(kind: UInt32, arg: Int64) {
        guard simulation.now < stop else { return }
        socket.send(payload, to: destination)
        sent += 1
        simulation.schedule(at: simulation.now + interval, target: handlerID)
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
