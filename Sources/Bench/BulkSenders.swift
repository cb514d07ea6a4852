import NetTypes
import SimulatedTCP
import Simulator
import TCP

/// The applications of the TCP benchmarks: senders that keep their connections' send
/// buffers full, topping them up every 100 ms (4 MiB last 3 s at 10 Mbps), in 1 MiB
/// writes. The TCP sockets have no "writable" event, so the application polls.
final class BulkSenders {
    /// What the benchmarks' connections use: the congestion controller under test, 4 MiB
    /// send and receive buffers (the ns-3 program's `SndBufSize`/`RcvBufSize`), the rest
    /// RFC defaults.
    static func configuration(_ congestionControl: TCPCongestionAlgorithm) -> TCPConfiguration {
        var configuration = TCPConfiguration()
        configuration.congestionControl = congestionControl
        configuration.sendBufferSize = 4 << 20
        configuration.receiveBufferSize = 4 << 20
        return configuration
    }

    private static let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
    private let sockets: [TCPSocket]
    private var timer: SimTimer!

    /// Starts topping up `sockets` now.
    init(_ sockets: [TCPSocket], simulation: Simulation) {
        self.sockets = sockets
        timer = SimTimer(simulation: simulation) { [unowned self] now in
            topUp()
            timer.arm(at: now + .milliseconds(100))
        }
        topUp()
        timer.arm(at: simulation.now + .milliseconds(100))
    }

    private func topUp() {
        for socket in sockets {
            while socket.connection.unacknowledgedBytes + Self.chunk.count <= socket.connection.configuration.sendBufferSize,
                  socket.send(Self.chunk) == Self.chunk.count {}
        }
    }
}
