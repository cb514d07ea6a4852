/// Reads DER elements (ITU-T X.690 §8.1, §10.1: tag, definite length, contents) one after
/// another, enough to walk to a field of a certificate without OpenSSL's X.509 decoder.
/// Only low tag numbers (one tag byte) and lengths up to four bytes occur in what it
/// reads; anything else, and every element that overruns its parent, is an error.
struct DERReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// The tag of the next element, nil at the end.
    var nextTag: UInt8? { bytes.first }

    /// The contents of the next element, which must have `tag`. Throws `.invalidPEM`.
    mutating func read(_ tag: UInt8, _ what: String) throws(TLSError) -> ArraySlice<UInt8> {
        guard bytes.count >= 2, bytes.first == tag else { throw .invalidPEM("DER: no \(what)") }
        var index = bytes.startIndex + 1
        var length = Int(bytes[index])
        index += 1
        if length >= 0x80 {
            let width = length - 0x80
            guard (1...4).contains(width), bytes.endIndex - index >= width else { throw .invalidPEM("DER: bad length of \(what)") }
            length = 0
            for byte in bytes[index..<index + width] { length = length << 8 | Int(byte) }
            index += width
        }
        guard bytes.endIndex - index >= length else { throw .invalidPEM("DER: \(what) overruns its container") }
        defer { bytes = bytes[(index + length)...] }
        return bytes[index..<index + length]
    }
}
