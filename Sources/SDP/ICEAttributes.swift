/// ICE attributes (RFC 8839 5), at session or media level.
extension AttributeContainer {
    /// `a=ice-ufrag`: the username fragment of the ICE credentials.
    public var iceUfrag: String? {
        get { value(of: AttributeName.iceUfrag) }
        set { setValue(newValue, of: AttributeName.iceUfrag) }
    }

    /// `a=ice-pwd`: the password of the ICE credentials.
    public var icePwd: String? {
        get { value(of: AttributeName.icePwd) }
        set { setValue(newValue, of: AttributeName.icePwd) }
    }

    /// `a=ice-options` tokens, e.g. `trickle` (RFC 8838) and `ice2` (RFC 8445).
    public var iceOptions: [String] {
        get { values(of: AttributeName.iceOptions).flatMap { $0.split(separator: " ").map(String.init) } }
        set { setValue(newValue.isEmpty ? nil : newValue.joined(separator: " "), of: AttributeName.iceOptions) }
    }

    /// `a=ice-lite`: the agent only answers checks (session level).
    public var isICELite: Bool {
        get { hasAttribute(AttributeName.iceLite) }
        set { setFlag(AttributeName.iceLite, newValue) }
    }

    /// `a=candidate` lines, in order.
    public var candidates: [ICECandidate] { all(ICECandidate.self) }

    /// `a=end-of-candidates` (RFC 8838): no more candidates will be trickled.
    public var hasEndOfCandidates: Bool {
        get { hasAttribute(AttributeName.endOfCandidates) }
        set { setFlag(AttributeName.endOfCandidates, newValue) }
    }
}
