/// Which local candidates the agent uses (W3C `RTCIceTransportPolicy`).
public enum ICETransportPolicy: String, Hashable, Sendable {
    /// Host, server-reflexive and relayed candidates.
    case all
    /// Only relayed candidates: the peer never learns a local address.
    case relay
}
