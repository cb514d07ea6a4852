/// A unit of data a protocol core sends or receives: the bytes on the wire and their
/// transport addresses. Cores emit `Datagram`s; the simulator or a socket delivers them.
public struct Datagram: Hashable, Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var transport: TransportKind
    public var payload: [UInt8]

    @inlinable public init(source: Endpoint, destination: Endpoint, transport: TransportKind = .udp, payload: [UInt8]) {
        self.source = source
        self.destination = destination
        self.transport = transport
        self.payload = payload
    }
}
