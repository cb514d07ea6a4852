/// A candidate's foundation (RFC 8445 §5.1.1.3), stored inline.
///
/// RFC 8839 §5.1 limits a foundation to 32 ice-chars, so its bytes fit in the value
/// itself: no heap storage and no reference counting, which keeps `Candidate` and
/// `CandidatePair` trivially copyable (the agent copies them on every check-list walk
/// and event). Any text of at most 32 UTF-8 bytes is accepted as is.
public struct CandidateFoundation: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The longest foundation in bytes (RFC 8839 §5.1: 1*32 ice-char).
    public static let maximumLength = 32

    /// The UTF-8 bytes, zero-padded (so equal foundations have equal words).
    private var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count: UInt8 = 0

    /// The foundation `text`; nil when it is longer than `maximumLength` bytes.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count <= Self.maximumLength else { return nil }
        count = UInt8(text.utf8.count)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            for (i, byte) in text.utf8.enumerated() { buffer[i] = byte }
        }
    }

    /// A literal foundation; it must fit (at most `maximumLength` bytes).
    public init(stringLiteral text: String) {
        guard let foundation = Self(text) else { preconditionFailure("foundation longer than \(Self.maximumLength) bytes: \(text)") }
        self = foundation
    }

    /// The agent's own foundations: `prefix` followed by `number` in decimal (at most
    /// 20 digits, so any prefix of up to 12 bytes fits).
    static func numbered(_ number: Int, prefix: String = "") -> CandidateFoundation {
        guard let foundation = CandidateFoundation(prefix + String(number)) else { preconditionFailure("foundation prefix too long: \(prefix)") }
        return foundation
    }

    /// The foundation as text, as signalled in `a=candidate`.
    public var description: String {
        withUnsafeBytes(of: bytes) { String(decoding: $0.prefix(Int(count)), as: UTF8.self) }
    }

    public static func == (a: CandidateFoundation, b: CandidateFoundation) -> Bool {
        a.count == b.count && a.bytes.0 == b.bytes.0 && a.bytes.1 == b.bytes.1 && a.bytes.2 == b.bytes.2 && a.bytes.3 == b.bytes.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(bytes.0)
        hasher.combine(bytes.1)
        hasher.combine(bytes.2)
        hasher.combine(bytes.3)
    }
}
