import NetTypes

/// RFC 4571 framing of ICE-TCP connections (RFC 6544 §3): every STUN message and every
/// media packet on the connection is preceded by its length as a 16-bit big-endian
/// number. The reader reassembles frames from stream bytes in any split.
struct TCPFrameReader {
    /// The largest payload one frame carries (the 16-bit length field).
    static let maximumPayload = 0xFFFF

    /// Bytes received and not yet returned: at most one partial frame after `next()`
    /// drained the complete ones, so at most 2 + 65,535 bytes stay here.
    private var buffer: [UInt8] = []
    private var start = 0

    /// `payload` with its length prefix; nil when it does not fit a frame.
    static func frame(_ payload: [UInt8]) -> [UInt8]? {
        guard payload.count <= maximumPayload else { return nil }
        var framed: [UInt8] = []
        framed.reserveCapacity(payload.count + 2)
        framed.append(UInt8(payload.count >> 8))
        framed.append(UInt8(payload.count & 0xFF))
        framed.append(contentsOf: payload)
        return framed
    }

    /// Adds bytes read from the connection.
    mutating func append(_ bytes: [UInt8]) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame's payload, if one is there.
    mutating func next() -> [UInt8]? {
        guard buffer.count - start >= 2 else { return compact() }
        let length = Int(buffer[start]) << 8 | Int(buffer[start + 1])
        guard buffer.count - start - 2 >= length else { return compact() }
        let payload = Array(buffer[(start + 2)..<(start + 2 + length)])
        start += 2 + length
        return payload
    }

    /// Drops the consumed bytes once no complete frame is left; returns nil.
    private mutating func compact() -> [UInt8]? {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        return nil
    }
}

/// One ICE-TCP connection as the agent names it (RFC 6544 §7): its local end (a passive
/// candidate's base for accepted connections, an active candidate's base, port 9, for
/// those the driver opened for the agent) and the remote end.
struct TCPConnectionKey: Hashable {
    var local: Endpoint
    var remote: Endpoint
}
