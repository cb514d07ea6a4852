import NetTypes
import SimulatedTCP

/// One TCP connection of a cross-traffic flow: what it is to send, what its receiver got,
/// and when it completed.
///
/// On the wire a transfer is a 4-byte header (the transfer's number, big-endian) and then
/// its payload, so that the receiving side, which sees the connection from whatever
/// address the NATs on the way gave it, knows which transfer it is reading.
final class TCPTransfer {
    static let headerSize = 4

    let index: Int
    /// Payload bytes to send; nil: until the flow stops.
    let size: Int64?
    let start: Instant
    var socket: TCPSocket?
    /// Payload bytes handed to the socket.
    var queued: Int64 = 0
    /// Payload bytes the receiving application read.
    var delivered: Int64 = 0
    /// When the receiver had every byte and the FIN.
    var completed: Instant?
    /// Ended without completing (reset, error, or the flow stopped).
    var failed = false
    /// When it completed or failed.
    var end: Instant?

    init(index: Int, size: Int64?, start: Instant) {
        self.index = index
        self.size = size
        self.start = start
    }

    var isActive: Bool { completed == nil && !failed }

    /// The header that opens the byte stream.
    var header: [UInt8] { withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) } }

    /// Segments the sender sent again so far.
    var retransmissions: Int { socket?.connection.statistics.retransmissions ?? 0 }
}

/// The receiving end of one accepted connection: reads the header, then counts payload
/// bytes for the transfer it names.
final class TCPTransferReader {
    private var header: [UInt8] = []
    private(set) var transfer: Int?
    /// The sender's FIN arrived.
    var sawFIN = false

    /// Consumes `bytes` and returns how many of them are payload.
    func consume(_ bytes: [UInt8]) -> Int {
        guard transfer == nil else { return bytes.count }
        let needed = TCPTransfer.headerSize - header.count
        header += bytes.prefix(needed)
        guard header.count == TCPTransfer.headerSize else { return 0 }
        transfer = Int(header.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        return max(0, bytes.count - needed)
    }
}
