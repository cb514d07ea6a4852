import ICE
import NetTypes
import SDP
import Signaling

/// How a live ICE peer's connection attempt ended, printed as the JSON line
/// `{"state":"connected","selected":{"local":"candidate:…","remote":"candidate:…"},"elapsed_ms":123}`
/// (`selected` is null without a selected pair).
public struct ICEPeerResult: Hashable, Sendable {
    /// The selected pair of the data component.
    public struct Pair: Hashable, Sendable {
        public var local: ICECandidate
        public var remote: ICECandidate

        public init(local: ICECandidate, remote: ICECandidate) {
            self.local = local
            self.remote = remote
        }
    }

    /// The agent's state when the attempt ended: connected or completed on success.
    public var state: ICEConnectionState
    public var selected: Pair?
    /// From handing the agent the remote description to the end of the attempt.
    public var elapsed: Duration

    public init(state: ICEConnectionState, selected: Pair?, elapsed: Duration) {
        self.state = state
        self.selected = selected
        self.elapsed = elapsed
    }

    /// Whether the peer has a pair to send data on.
    public var isConnected: Bool { (state == .connected || state == .completed) && selected != nil }

    /// The one-line JSON form.
    public var jsonLine: String {
        let pair: JSONLine.Value = selected.map {
            .object([.init("local", .string($0.local.description)), .init("remote", .string($0.remote.description))])
        } ?? .null
        return JSONLine.encode([.init("state", .string(state.rawValue)), .init("selected", pair),
                                .init("elapsed_ms", .integer(Int64(elapsed.milliseconds.rounded())))])
    }
}
