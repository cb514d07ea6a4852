/// Serial number arithmetic for TSNs (32 bits) and SSNs (16 bits), RFC 1982 as RFC 9260
/// §1.6 prescribes: `a.precedes(b)` when `b` lies less than half the space ahead.
extension UInt32 {
    @inlinable func precedes(_ other: UInt32) -> Bool { Int32(bitPattern: other &- self) > 0 }
    @inlinable func precedesOrEquals(_ other: UInt32) -> Bool { self == other || precedes(other) }
}

extension UInt16 {
    @inlinable func precedes(_ other: UInt16) -> Bool { Int16(bitPattern: other &- self) > 0 }
}
