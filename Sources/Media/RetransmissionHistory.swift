import NetTypes
import RTP

/// The RTP packets a sender sent in one stream, kept for retransmission on NACK — after
/// libwebrtc's RtpPacketHistory: packets are kept for max(1 s, 3 × RTT) and at most
/// `capacity` of them, and a packet is resent at most once per RTT.
struct RetransmissionHistory: Sendable {
    /// libwebrtc RtpPacketHistory kMaxCapacity.
    static let capacity = 9600
    /// libwebrtc kMinPacketDuration and kPacketCullingDelayFactor.
    static let minimumAge = Duration.seconds(1)
    static let rttFactor: Int64 = 3

    private struct Entry {
        var packet: RTPPacket
        var sent: Instant
        var lastResent: Instant?
    }

    /// Entries by unwrapped sequence number from `first`, contiguous (a stream numbers
    /// its packets consecutively), a nil for a culled one.
    private var entries: [Entry?] = []
    private var head = 0
    private var first: Int64 = 0
    private var unwrapper = SequenceUnwrapper(bits: 16)

    /// Packets held.
    var count: Int { entries.count - head }

    /// Records `packet` (sequence number assigned) sent at `now`; culls what is too old.
    mutating func add(_ packet: RTPPacket, at now: Instant, roundTripTime: Duration) {
        let sequence = unwrapper.unwrap(UInt32(packet.sequenceNumber))
        if count == 0 { entries.removeAll(keepingCapacity: true); head = 0; first = sequence }
        guard sequence == first + Int64(count) else { return }
        entries.append(Entry(packet: packet, sent: now))
        let keep = max(Self.minimumAge, roundTripTime * Self.rttFactor)
        while count > Self.capacity || (count > 1 && entries[head].map({ now - $0.sent > keep }) ?? true) {
            entries[head] = nil
            head += 1
            first += 1
        }
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// The packet with `sequenceNumber` for a retransmission at `now`, marked resent;
    /// nil when it is no longer held or was resent less than `roundTripTime` ago.
    mutating func retransmission(of sequenceNumber: UInt16, now: Instant, roundTripTime: Duration) -> RTPPacket? {
        guard count > 0 else { return nil }
        // Place the number near the newest packet without disturbing the unwrapper.
        let newest = first + Int64(count) - 1
        let index = SequenceUnwrapper.closest(UInt32(sequenceNumber), to: newest) - first
        guard index >= 0, index < Int64(count), var entry = entries[head + Int(index)] else { return nil }
        if let last = entry.lastResent, now - last < roundTripTime { return nil }
        entry.lastResent = now
        entries[head + Int(index)] = entry
        return entry.packet
    }
}
