import NetTypes
import TCP

/// libFuzzer entry point for the TCP segment codec and the middlebox view of TCP headers:
/// - any bytes must decode or fail with a typed error (never trap), with and without the
///   checksum check, and whatever decodes must survive encode → decode (checksum
///   verified) unchanged;
/// - `TCPWireHeader` (what NATs and firewalls read) must never trap on any bytes; a NAT
///   rewrite of a segment whose checksum was good must leave one that verifies for the new
///   addresses and ports (RFC 1624's incremental update agrees with a full sum); the RST
///   it builds for any segment must decode with a good checksum.
@_cdecl("LLVMFuzzerTestOneInput")
public func tcpDecodeFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let source = IPAddress.v4(IPv4Address(192, 0, 2, 1)), destination = IPAddress.v4(IPv4Address(198, 51, 100, 2))
    _ = try? TCPSegment(decoding: bytes[...], source: source, destination: destination)
    if var segment = try? TCPSegment(decoding: bytes[...]) {
        let encoded = segment.encode(source: source, destination: destination)
        let again = try? TCPSegment(decoding: encoded[...], source: source, destination: destination)
        precondition(again == segment, "encode/decode round trip changed the segment")

        // A NAT moves the segment to new addresses and ports.
        var rewritten = encoded
        let newSource = Endpoint(.v4(IPv4Address(203, 0, 113, 9)), 40_000), newDestination = Endpoint(.v4(IPv4Address(10, 0, 0, 7)), 8080)
        TCPWireHeader.rewrite(&rewritten, from: source, destination, to: newSource, newDestination)
        segment.sourcePort = newSource.port
        segment.destinationPort = newDestination.port
        let moved = try? TCPSegment(decoding: rewritten[...], source: newSource.address, destination: newDestination.address)
        precondition(moved == segment, "the incremental checksum update disagrees with a full sum")
    }
    _ = TCPWireHeader(bytes)
    var copy = bytes
    TCPWireHeader.rewrite(&copy, from: source, destination, to: Endpoint(destination, 1), Endpoint(source, 2))
    if let reset = TCPWireHeader.reset(answering: bytes, from: Endpoint(destination, 80), to: Endpoint(source, 5000)) {
        precondition((try? TCPSegment(decoding: reset[...], source: destination, destination: source)) != nil,
                     "a reset that does not decode")
    }
    return 0
}
