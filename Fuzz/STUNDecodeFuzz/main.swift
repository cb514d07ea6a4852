import STUN

/// libFuzzer entry point: any bytes must decode or fail with a typed error (never trap),
/// and whatever decodes must survive encode → decode unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func stunDecodeFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = PacketKind(classifying: bytes)
    _ = try? ChannelData.decode(bytes, stream: size & 1 == 0)
    if let decoded = try? DecodedSTUNMessage(decoding: bytes) {
        _ = decoded.fingerprintCheck
        let again = try? STUNMessage(decoding: decoded.message.encoded())
        precondition(again == decoded.message, "encode/decode round trip changed the message")
    }
    return 0
}
