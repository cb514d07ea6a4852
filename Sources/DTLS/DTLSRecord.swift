/// Record content types (RFC 5246 §6.2.1, §A.1).
enum DTLSContentType: UInt8 {
    case changeCipherSpec = 20, alert = 21, handshake = 22, applicationData = 23
}

/// One DTLS record (RFC 6347 §4.1): type, version, epoch, 48-bit sequence number and a
/// body (plaintext in epoch 0, AEAD-protected afterwards).
struct DTLSRecord {
    static let headerLength = 13
    /// DTLS 1.2 on the wire (RFC 6347 §4.1: the one's complement of 1.2).
    static let version12: UInt16 = 0xFEFD
    /// DTLS 1.0: what a ClientHello's record and a HelloVerifyRequest may carry
    /// (RFC 6347 §4.2.1).
    static let version10: UInt16 = 0xFEFF
    /// The largest body accepted: 2^14 of plaintext plus the AEAD's expansion (RFC 6347
    /// §4.1 allows 2048 more).
    static let maximumBodyLength = 16_384 + 2048

    var contentType: UInt8
    var version: UInt16
    var epoch: UInt16
    var sequence: UInt64
    var body: ArraySlice<UInt8>

    /// The records of a datagram, in order. Parsing stops at the first record whose
    /// header is malformed, truncated or of another version: the rest of the datagram is
    /// discarded (RFC 6347 §4.1.2.7), and `malformed` says so.
    static func records(in datagram: ArraySlice<UInt8>) -> (records: [DTLSRecord], malformed: Bool) {
        var found: [DTLSRecord] = []
        var reader = DTLSWireReader(datagram)
        while !reader.isAtEnd {
            guard let record = try? next(&reader) else { return (found, true) }
            found.append(record)
        }
        return (found, false)
    }

    private static func next(_ reader: inout DTLSWireReader) throws(DTLSError) -> DTLSRecord {
        let type = try reader.uint8()
        let version = try reader.uint16()
        let epoch = try reader.uint16()
        let sequence = try reader.integer(6)
        let body = try reader.vector(lengthWidth: 2, 0...maximumBodyLength, "record")
        guard (20...63).contains(type), version == version12 || version == version10 else {
            throw .decodeError("not a DTLS 1.2 record")
        }
        return DTLSRecord(contentType: type, version: version, epoch: epoch, sequence: sequence, body: body)
    }

    /// The 13-byte header of a record with a body of `length` bytes.
    static func header(type: DTLSContentType, epoch: UInt16, sequence: UInt64, length: Int) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(headerLength)
        header.append(type.rawValue)
        header.appendInteger(version12, width: 2)
        header.appendInteger(epoch, width: 2)
        header.appendInteger(sequence, width: 6)
        header.appendInteger(length, width: 2)
        return header
    }
}
