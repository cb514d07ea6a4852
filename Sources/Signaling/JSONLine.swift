import Foundation

/// One JSON object per line: how `icelab ice-peer` and its interop partners signal.
public enum JSONLine {
    /// A JSON value; objects keep their fields in the order given.
    public indirect enum Value: Hashable, Sendable {
        case string(String)
        case integer(Int64)
        case unsigned(UInt64)
        /// A non-finite number is written as null (JSON has no NaN or infinity).
        case number(Double)
        case bool(Bool)
        case array([Value])
        case object([Field])
        case null

        /// `string`, or null when nil.
        public static func optional(_ string: String?) -> Value { string.map(Value.string) ?? .null }
    }

    /// One field of an object.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: Value

        public init(_ name: String, _ value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// The object of `fields`, in that order, as compact JSON on one line.
    public static func encode(_ fields: [Field]) -> String {
        var text = ""
        write(.object(fields), to: &text)
        return text
    }

    private static func write(_ value: Value, to text: inout String) {
        switch value {
        case .string(let string): writeString(string, to: &text)
        case .integer(let n): text += String(n)
        case .unsigned(let n): text += String(n)
        case .number(let x): text += x.isFinite ? String(x) : "null"
        case .bool(let b): text += b ? "true" : "false"
        case .null: text += "null"
        case .array(let values):
            text += "["
            for (i, element) in values.enumerated() {
                if i > 0 { text += "," }
                write(element, to: &text)
            }
            text += "]"
        case .object(let fields):
            text += "{"
            for (i, field) in fields.enumerated() {
                if i > 0 { text += "," }
                writeString(field.name, to: &text)
                text += ":"
                write(field.value, to: &text)
            }
            text += "}"
        }
    }

    /// A JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped.
    /// Also the quoting of logfmt values (`LineLogHandler`).
    package static func writeString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// Decodes one line, turning decoding errors into short messages that name the field.
    public static func decode<T: Decodable>(_ type: T.Type, from line: String) throws(JSONLineError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(line.utf8))
        } catch let DecodingError.keyNotFound(key, _) {
            throw JSONLineError(message: "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw JSONLineError(message: "\(Self.path(context)) is not \(Self.name(of: expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw JSONLineError(message: "\(Self.path(context)) is null, expected \(Self.name(of: expected))")
        } catch {
            throw JSONLineError(message: "not a JSON object on one line")
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the line" : "field \(path.dropFirst(path.hasPrefix(".") ? 1 : 0))"
    }

    private static func name(of type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return name == "String" ? "a string" : "a \(name)"
    }
}

/// A JSON line that does not have the expected shape.
public struct JSONLineError: Error, Hashable, CustomStringConvertible {
    public let message: String
    package init(message: String) { self.message = message }
    public var description: String { message }
}
