/// What a live peer received on one data channel: its binary messages' bytes, counted and
/// hashed in arrival order, so a transfer is checked without keeping it.
public struct DataChannelTally: Sendable {
    public var label: String
    public private(set) var messages = 0
    private var digest = SHA256Digest()

    public init(label: String) { self.label = label }

    /// Binary bytes received.
    public var bytes: Int { digest.count }
    /// SHA-256 of the binary messages concatenated, lowercase hex.
    public var sha256: String { digest.hexDigest }

    mutating func add(_ message: [UInt8]) {
        digest.update(message)
        messages += 1
    }
}
