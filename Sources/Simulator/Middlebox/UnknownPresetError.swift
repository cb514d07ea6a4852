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

extension UnknownPresetError {
    /// The preset called `name` among `presets`, or the error listing every name.
    static func find<Value>(_ name: String, kind: String, in presets: [(String, Value)]) throws(UnknownPresetError) -> Value {
        guard let match = presets.first(where: { $0.0 == name }) else {
            throw UnknownPresetError(kind: kind, name: name, validNames: presets.map(\.0))
        }
        return match.1
    }
}
