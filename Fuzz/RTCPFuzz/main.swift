import NetTypes
import RTP

/// A sender's history kept across inputs, with packets of two streams, so RFC 8888 and
/// transport-wide feedback from the fuzzer land on known and unknown packets alike.
enum FuzzFixtures {
    nonisolated(unsafe) static var history: SentPacketHistory = {
        var history = SentPacketHistory()
        for i in 0..<4096 {
            history.add(SentPacket(sequence: Int64(i), size: 1200, sendTime: .zero + .milliseconds(Int64(i)),
                                   ssrc: i % 2 == 0 ? 0x1111 : 0x2222, rtpSequence: UInt16(truncatingIfNeeded: 65_000 + i / 2)))
        }
        return history
    }()
}

/// libFuzzer entry point: the input is one RTCP compound packet. Properties: decoding
/// never traps and refuses with a typed `RTPError`; what decodes re-encodes to bytes that
/// decode to the same packets; feedback packets (RFC 8888 CCFB and transport-wide) turn
/// into results for the history's packets only, each received at most once; a decoded
/// REMB rate is exactly representable (it re-encodes to itself).
@_cdecl("LLVMFuzzerTestOneInput")
public func rtcpFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let packets = try? RTCPPacket.decodeCompound(bytes) else { return 0 }
    let again = try? RTCPPacket.decodeCompound(RTCPPacket.encodeCompound(packets))
    precondition(again == packets, "a decoded compound packet did not survive re-encoding")
    for packet in packets {
        let results: [PacketResult]
        switch packet {
        case .congestionFeedback(let feedback): results = FuzzFixtures.history.results(for: feedback)
        case .transportFeedback(let feedback): results = FuzzFixtures.history.results(for: feedback)
        case .receiverEstimatedMaxBitrate(let remb):
            precondition(remb.encodedBitrate == remb.bitrate, "a decoded REMB rate changed on re-encoding")
            continue
        default: continue
        }
        let received = results.filter(\.isReceived).map(\.sent.sequence)
        precondition(Set(received).count == received.count, "a packet reported received twice in one feedback")
        precondition(results.allSatisfy { (0..<4096).contains($0.sent.sequence) }, "a result for a packet never sent")
    }
    return 0
}
