import NetTypes
import TCP

/// libFuzzer entry point for the TCP segment codec: any bytes must decode or fail with a
/// typed error (never trap), with and without the checksum check, and whatever decodes
/// must survive encode → decode (checksum verified) unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func tcpDecodeFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let source = IPAddress.v4(IPv4Address(192, 0, 2, 1)), destination = IPAddress.v4(IPv4Address(198, 51, 100, 2))
    _ = try? TCPSegment(decoding: bytes[...], source: source, destination: destination)
    if let segment = try? TCPSegment(decoding: bytes[...]) {
        let encoded = segment.encode(source: source, destination: destination)
        let again = try? TCPSegment(decoding: encoded[...], source: source, destination: destination)
        precondition(again == segment, "encode/decode round trip changed the segment")
    }
    return 0
}
