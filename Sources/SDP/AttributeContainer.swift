/// Anything holding an ordered attribute list: the session level and each media section.
///
/// The raw list stays the source of truth; these helpers read and write it by name or
/// through `SDPAttributeValue` types, so typed edits keep unknown attributes in place.
public protocol AttributeContainer {
    var attributes: [Attribute] { get set }
}

extension AttributeContainer {
    /// The values of all attributes called `name` (property attributes give `""`).
    public func values(of name: String) -> [String] {
        attributes.filter { $0.name == name }.map { $0.value ?? "" }
    }

    /// The value of the first attribute called `name`.
    public func value(of name: String) -> String? {
        attributes.first { $0.name == name }.map { $0.value ?? "" }
    }

    /// Whether a property attribute such as `rtcp-mux` is present.
    public func hasAttribute(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }

    /// Adds an attribute at the end.
    public mutating func append(_ name: String, _ value: String? = nil) {
        attributes.append(Attribute(name, value))
    }

    /// Adds a typed attribute at the end.
    public mutating func append(_ value: some SDPAttributeValue) {
        attributes.append(value.attribute)
    }

    /// Removes every attribute called `name`.
    public mutating func removeAttributes(named name: String) {
        attributes.removeAll { $0.name == name }
    }

    /// Replaces the first attribute called `name` in place (or appends one); `nil` removes all.
    public mutating func setValue(_ value: String?, of name: String) {
        guard let value else { return removeAttributes(named: name) }
        if let index = attributes.firstIndex(where: { $0.name == name }) {
            attributes[index].value = value
        } else {
            append(name, value)
        }
    }

    /// Adds or removes a property attribute.
    public mutating func setFlag(_ name: String, _ present: Bool) {
        if !present {
            removeAttributes(named: name)
        } else if !hasAttribute(name) {
            append(name)
        }
    }

    /// Every attribute of type `T` that parses, in order. A parsed description has already
    /// been validated, so nothing is skipped there; hand-built lists may skip bad entries.
    public func all<T: SDPAttributeValue>(_ type: T.Type) -> [T] {
        attributes.compactMap { attribute in
            guard attribute.name == T.attributeName else { return nil }
            return try? T(attributeValue: (attribute.value ?? "")[...])
        }
    }

    /// The first attribute of type `T` that parses.
    public func first<T: SDPAttributeValue>(_ type: T.Type) -> T? {
        all(type).first
    }
}
