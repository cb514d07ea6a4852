import NetTypes
import RTP

/// libFuzzer entry point for the RTP log of RFC 8868 §3.1. The input is read twice: as
/// an RTP packet, whose log record (read from the header alone) must agree with
/// `RTPPacket(decoding:)` on every field and the payload size whenever the decoder
/// accepts it; and as log text, which parses or is refused with a typed error, and
/// whose records written again parse to the same records.
@_cdecl("LLVMFuzzerTestOneInput")
public func rtpLogFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let record = try? RTPLogRecord(packet: bytes, time: .zero)
    if let packet = try? RTPPacket(decoding: bytes) {
        precondition(record == RTPLogRecord(time: .zero, payloadType: packet.payloadType, ssrc: packet.ssrc, sequenceNumber: packet.sequenceNumber,
                                            timestamp: packet.timestamp, marker: packet.marker, payloadSize: packet.payload.count),
                     "the log record disagrees with the decoder")
    }
    if let records = try? RTPLog.parse(String(decoding: bytes, as: UTF8.self)) {
        precondition((try? RTPLog.parse(RTPLog.text(records))) == records, "a parsed log did not survive writing")
    }
    return 0
}
