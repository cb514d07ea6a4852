/// Big-endian reads over the bytes of a record or a handshake message. A read past the
/// end throws `DTLSError.decodeError`, so hostile lengths never trap.
struct DTLSWireReader {
    private let bytes: ArraySlice<UInt8>
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func take(_ count: Int) throws(DTLSError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .decodeError("needs \(count) bytes, \(remaining) left") }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// An unsigned big-endian integer of `width` bytes (1 to 8).
    mutating func integer(_ width: Int) throws(DTLSError) -> UInt64 {
        var value: UInt64 = 0
        for byte in try take(width) { value = value << 8 | UInt64(byte) }
        return value
    }

    mutating func uint8() throws(DTLSError) -> UInt8 { UInt8(try integer(1)) }
    mutating func uint16() throws(DTLSError) -> UInt16 { UInt16(try integer(2)) }
    mutating func uint24() throws(DTLSError) -> Int { Int(try integer(3)) }

    /// A vector with a `lengthWidth`-byte length prefix (RFC 5246 §4.3), whose length
    /// must lie in `bounds`.
    mutating func vector(lengthWidth: Int, _ bounds: ClosedRange<Int>, _ what: String) throws(DTLSError) -> ArraySlice<UInt8> {
        let length = Int(try integer(lengthWidth))
        guard bounds.contains(length) else { throw .decodeError("\(what) of \(length) bytes") }
        return try take(length)
    }

    /// A list of 16-bit values with a 2-byte length (cipher suites, groups, signature
    /// algorithms, SRTP profiles), of `bounds` bytes.
    mutating func uint16List(_ bounds: ClosedRange<Int>, _ what: String) throws(DTLSError) -> [UInt16] {
        let data = try vector(lengthWidth: 2, bounds, what)
        guard data.count % 2 == 0 else { throw .decodeError("\(what) of odd length") }
        var inner = DTLSWireReader(data), values: [UInt16] = []
        while !inner.isAtEnd { values.append(try inner.uint16()) }
        return values
    }

    /// Throws unless every byte was read.
    func expectEnd(_ what: String) throws(DTLSError) {
        guard isAtEnd else { throw .decodeError("\(remaining) bytes after \(what)") }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` big-endian in `width` bytes.
    mutating func appendInteger<T: BinaryInteger>(_ value: T, width: Int) {
        let wide = UInt64(truncatingIfNeeded: value)
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: wide >> UInt64(shift))) }
    }

    /// Appends 16-bit `values` with a 2-byte length prefix.
    mutating func appendUInt16List(_ values: [UInt16]) {
        appendInteger(2 * values.count, width: 2)
        for value in values { appendInteger(value, width: 2) }
    }

    /// Appends `body` with a `lengthWidth`-byte length prefix (RFC 5246 §4.3).
    mutating func appendVector<C: Collection>(_ body: C, lengthWidth: Int) where C.Element == UInt8 {
        appendInteger(body.count, width: lengthWidth)
        append(contentsOf: body)
    }
}
