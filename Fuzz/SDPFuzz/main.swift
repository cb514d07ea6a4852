#if canImport(Glibc)
import Glibc
#endif
import SDP

/// libFuzzer entry point for SDP text as the simulator's signaling carries it: the first
/// byte picks the victim, the rest is the text (bytes that are not UTF-8 become U+FFFD,
/// as a page's string would). Mode 0: a whole description — what parses must serialize
/// and parse again to the same value. Mode 1: an RFC 8840 trickle fragment — what parses
/// must round-trip through `serialized` unchanged. Properties: no trap or sanitizer
/// report, and the round trips.
@_cdecl("LLVMFuzzerTestOneInput")
public func sdpFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if data[0] % 2 == 0 {
        guard let description = try? SessionDescription(parsing: text) else { return 0 }
        guard let again = try? SessionDescription(parsing: description.serialized()), again == description else {
            fatalError("a parsed description does not survive its own serialization")
        }
    } else {
        guard let fragment = try? TrickleFragment(parsing: text) else { return 0 }
        guard let again = try? TrickleFragment(parsing: fragment.serialized), again == fragment else {
            fatalError("a parsed fragment does not survive its own serialization")
        }
    }
    return 0
}
