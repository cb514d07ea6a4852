/// Which agent nominates (RFC 8445 §6.1.1): the controlling agent picks the pairs,
/// the controlled one follows.
public enum ICERole: String, Hashable, Sendable, CustomStringConvertible {
    case controlling, controlled

    /// The other role (what a role conflict switches to).
    public var opposite: ICERole { self == .controlling ? .controlled : .controlling }

    public var description: String { rawValue }
}
