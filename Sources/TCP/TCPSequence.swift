/// A TCP sequence number: arithmetic and comparison modulo 2^32 (RFC 9293 §3.4).
///
/// Sequence numbers wrap; `a < b` means `b` lies less than 2^31 ahead of `a`, the serial
/// number arithmetic every TCP uses (RFC 1982 applied to 32 bits). Keeping them in their
/// own type keeps a plain `<` on raw `UInt32`s out of the core.
public struct TCPSequence: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number as it appears on the wire.
    public var value: UInt32

    @inlinable public init(_ value: UInt32) { self.value = value }

    /// `a` is before `b` when `b - a` (mod 2^32) is positive as a signed 32-bit number.
    @inlinable public static func < (a: TCPSequence, b: TCPSequence) -> Bool {
        Int32(bitPattern: b.value &- a.value) > 0
    }

    /// The number `n` octets later (wrapping).
    @inlinable public static func + (a: TCPSequence, n: Int) -> TCPSequence {
        TCPSequence(a.value &+ UInt32(truncatingIfNeeded: n))
    }

    /// The number `n` octets earlier (wrapping).
    @inlinable public static func - (a: TCPSequence, n: Int) -> TCPSequence {
        TCPSequence(a.value &- UInt32(truncatingIfNeeded: n))
    }

    /// The signed distance from `b` to `a` in octets (positive when `a` is later).
    @inlinable public static func - (a: TCPSequence, b: TCPSequence) -> Int {
        Int(Int32(bitPattern: a.value &- b.value))
    }

    @inlinable public static func += (a: inout TCPSequence, n: Int) { a = a + n }

    public var description: String { String(value) }
}
