/// The ICE credentials and options that apply to one media section (RFC 8839 5.4).
public struct ICEParameters: Hashable, Sendable {
    public var usernameFragment: String
    public var password: String
    /// `ice-options` tokens, e.g. `trickle`.
    public var options: [String]
    /// Whether the peer is an ICE lite agent.
    public var isLite: Bool

    public init(usernameFragment: String, password: String, options: [String] = [], isLite: Bool = false) {
        self.usernameFragment = usernameFragment
        self.password = password
        self.options = options
        self.isLite = isLite
    }
}
