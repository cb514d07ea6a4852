import NetTypes

/// The transport-wide sequence number header extension
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): a 16-bit counter over all
/// RTP packets of a transport, whatever their SSRC, so that feedback can describe every
/// packet the congestion controller sent. Carried as a 2-byte element under the id
/// negotiated for `http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01`.
public enum TransportSequenceNumber {
    /// The extension URI used in SDP `a=extmap`.
    public static let uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    /// The element data for `sequence`.
    public static func data(_ sequence: UInt16) -> [UInt8] { [UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)] }

    /// The sequence number in element data, if it is two bytes long.
    public static func value(_ data: [UInt8]) -> UInt16? {
        data.count == 2 ? UInt16(data[0]) << 8 | UInt16(data[1]) : nil
    }
}

/// The absolute send time header extension (webrtc.org `abs-send-time`): the send time
/// as 24-bit 6.18 fixed-point seconds, wrapping every 64 s. The receiver uses it to
/// measure one-way delay against its own clock (exact in the simulator, where both ends
/// share one clock).
public enum AbsoluteSendTime {
    /// The extension URI used in SDP `a=extmap`.
    public static let uri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// The wrap period of the 24-bit field: 2^6 s.
    public static let wrapPeriod = Duration.seconds(64)

    /// The 24-bit field for `time`.
    public static func field(_ time: Instant) -> UInt32 {
        let withinWrap = time.nanoseconds.magnitude % UInt64(wrapPeriod.nanoseconds)
        return UInt32((withinWrap << 18) / 1_000_000_000) & 0xFF_FFFF
    }

    /// The element data for `time`.
    public static func data(_ time: Instant) -> [UInt8] {
        let v = field(time)
        return [UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }

    /// The 24-bit field in element data, if it is three bytes long.
    public static func value(_ data: [UInt8]) -> UInt32? {
        data.count == 3 ? UInt32(data[0]) << 16 | UInt32(data[1]) << 8 | UInt32(data[2]) : nil
    }

    /// How long before `arrival` a packet stamped `field` was sent (modulo 64 s).
    public static func age(of field: UInt32, at arrival: Instant) -> Duration {
        let ticks = (AbsoluteSendTime.field(arrival) &- field) & 0xFF_FFFF
        return Duration(nanoseconds: (Int64(ticks) * 1_000_000_000) >> 18)
    }
}
