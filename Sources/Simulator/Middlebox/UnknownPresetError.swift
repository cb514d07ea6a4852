/// A preset name (NAT behavior or firewall policy) that does not exist. Lists the valid
/// names so that a scenario author can fix the typo from the message alone.
public struct UnknownPresetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of preset was asked for ("NAT", "firewall").
    public var kind: String
    /// The name that was not found.
    public var name: String
    /// Every valid name, in documentation order.
    public var validNames: [String]

    public var description: String {
        "unknown \(kind) preset '\(name)'; valid presets: \(validNames.joined(separator: ", "))"
    }
}
