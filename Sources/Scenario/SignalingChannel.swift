import NetTypes
import Simulator

/// One session's signaling channel as `SignalingSpec` models it: each message arrives
/// after the delay plus a uniform share of the jitter, unless it is lost; with `ordered`
/// no message overtakes an earlier one of the same direction (it waits, as behind a
/// TCP stream). Losses and jitter draw from the session's own random stream, so they
/// repeat per seed and leave every other stream untouched.
final class SignalingChannel {
    let spec: SignalingSpec
    private let simulation: Simulation
    private var random: Xoshiro256
    /// The latest arrival scheduled per direction (offerer → answerer is `true`).
    private var lastArrival: [Bool: Instant] = [:]
    /// Messages sent and lost so far.
    private(set) var sent = 0
    private(set) var lost = 0

    init(_ spec: SignalingSpec, session: String, simulation: Simulation) {
        self.spec = spec
        self.simulation = simulation
        random = simulation.randomStream(for: "signaling:\(session)")
    }

    /// Sends one message; `deliver` runs at the peer when it arrives. Returns false when
    /// the message is lost (`deliver` never runs).
    @discardableResult
    func send(fromOfferer: Bool, _ deliver: @escaping () -> Void) -> Bool {
        sent += 1
        if spec.loss > 0, Double.random(in: 0..<1, using: &random) < spec.loss {
            lost += 1
            return false
        }
        var delay = spec.delay
        if spec.jitter > .zero {
            delay = delay + .nanoseconds(Int64.random(in: 0...spec.jitter.nanoseconds, using: &random))
        }
        var arrival = simulation.now + delay
        if spec.ordered, let last = lastArrival[fromOfferer], last > arrival { arrival = last }
        lastArrival[fromOfferer] = max(arrival, lastArrival[fromOfferer] ?? arrival)
        simulation.schedule(at: arrival) { _ in deliver() }
        return true
    }
}
