/// Handshake message types (RFC 5246 §7.4, RFC 6347 §4.3.2 for hello_verify_request).
enum DTLSHandshakeType: UInt8 {
    case clientHello = 1, serverHello = 2, helloVerifyRequest = 3, certificate = 11, serverKeyExchange = 12
    case certificateRequest = 13, serverHelloDone = 14, certificateVerify = 15, clientKeyExchange = 16, finished = 20
}

/// A whole handshake message: type, message_seq and body (RFC 6347 §4.2.2).
struct DTLSHandshakeMessage {
    static let headerLength = 12
    /// The largest message accepted (a certificate chain with room to spare); larger
    /// lengths are refused before any buffer is allocated.
    static let maximumLength = 1 << 16

    var type: DTLSHandshakeType
    var sequence: UInt16
    var body: [UInt8]

    /// The message as one fragment (offset 0, full length): what both sides hash into
    /// the transcript (RFC 6347 §4.2.6).
    var transcriptBytes: [UInt8] { Self.fragment(type: type.rawValue, length: body.count, sequence: sequence, offset: 0, data: body[...]) }

    /// The message cut into fragments of at most `maximumData` body bytes, each with its
    /// handshake header (RFC 6347 §4.2.3). An empty body is one empty fragment.
    func fragments(maximumData: Int) -> [[UInt8]] {
        guard !body.isEmpty else { return [transcriptBytes] }
        return stride(from: 0, to: body.count, by: maximumData).map { offset in
            Self.fragment(type: type.rawValue, length: body.count, sequence: sequence, offset: offset,
                          data: body[offset..<min(body.count, offset + maximumData)])
        }
    }

    static func fragment(type: UInt8, length: Int, sequence: UInt16, offset: Int, data: ArraySlice<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerLength + data.count)
        bytes.append(type)
        bytes.appendInteger(length, width: 3)
        bytes.appendInteger(sequence, width: 2)
        bytes.appendInteger(offset, width: 3)
        bytes.appendInteger(data.count, width: 3)
        bytes.append(contentsOf: data)
        return bytes
    }
}

/// One handshake fragment as received (RFC 6347 §4.2.2).
struct DTLSHandshakeFragment {
    var type: UInt8
    var length: Int
    var sequence: UInt16
    var offset: Int
    var data: ArraySlice<UInt8>

    /// The fragments of a handshake record's body (a record may carry several). Throws
    /// `.decodeError` on a truncated header or a fragment reaching past its message.
    static func fragments(in body: ArraySlice<UInt8>) throws(DTLSError) -> [DTLSHandshakeFragment] {
        var reader = DTLSWireReader(body)
        var found: [DTLSHandshakeFragment] = []
        while !reader.isAtEnd {
            let type = try reader.uint8()
            let length = try reader.uint24()
            let sequence = try reader.uint16()
            let offset = try reader.uint24()
            let data = try reader.vector(lengthWidth: 3, 0...DTLSHandshakeMessage.maximumLength, "handshake fragment")
            guard length <= DTLSHandshakeMessage.maximumLength, offset + data.count <= length else {
                throw .decodeError("fragment \(offset)+\(data.count) of a \(length)-byte message")
            }
            found.append(DTLSHandshakeFragment(type: type, length: length, sequence: sequence, offset: offset, data: data))
        }
        return found
    }
}
