import NetTypes

/// The short-term credentials of one ICE session (RFC 8445 §5.3, RFC 8839 §5.4):
/// `ice-ufrag` (at least 4 characters) and `ice-pwd` (at least 22).
public struct ICECredentials: Hashable, Sendable {
    public var ufrag: String
    public var password: String

    public init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// The characters SDP allows (`ice-char`: ALPHA / DIGIT / "+" / "/").
    static let iceChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Fresh random credentials: 8 and 24 `ice-char`s (48 and 144 bits) from `rng`.
    public static func random(using rng: inout Xoshiro256) -> ICECredentials {
        func text(_ count: Int) -> String {
            String((0..<count).map { _ in iceChars[Int(rng.next() % UInt64(iceChars.count))] })
        }
        return ICECredentials(ufrag: text(8), password: text(24))
    }
}
