/// A unit of data a protocol core sends or receives: the bytes on the wire and their
/// transport addresses. Cores emit `Datagram`s; the simulator or a socket delivers them.
public struct Datagram: Hashable, Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var transport: TransportKind
    public var payload: [UInt8]
    /// The IP header's ECN field the datagram is sent with or arrived with (RFC 3168 §5);
    /// drivers without access to it send Not-ECT and report arrivals as Not-ECT.
    public var ecn: ECNCodepoint

    @inlinable public init(source: Endpoint, destination: Endpoint, transport: TransportKind = .udp, payload: [UInt8],
                           ecn: ECNCodepoint = .notECT) {
        self.source = source
        self.destination = destination
        self.transport = transport
        self.payload = payload
        self.ecn = ecn
    }
}
