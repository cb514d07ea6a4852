import NetTypes

/// The sender side of transport-wide congestion control (libwebrtc's
/// `TransportFeedbackAdapter`): remembers every packet sent with its transport-wide
/// sequence number, send time and size, and turns feedback packets into `PacketResult`s.
///
/// Each packet is reported once as received; a packet reported lost is reported again
/// if a later feedback says it arrived (reordering), never lost twice.
public struct SentPacketHistory: Sendable {
    /// How long packets stay in the history (libwebrtc `kSendTimeHistoryWindow`, 60 s in
    /// transport_feedback_adapter.cc).
    public static let window = Duration.seconds(60)

    private enum Fate: Sendable { case unreported, lost, received }
    private struct Entry: Sendable {
        var packet: SentPacket
        var fate: Fate
    }

    private var entries: [Entry] = []
    private var head = 0
    private var referenceTimes = SequenceUnwrapper(bits: 24)
    /// Feedback statuses that named packets not (or no longer) in the history.
    public private(set) var unknownStatuses = 0

    public init() {}

    /// The next transport-wide sequence number to assign.
    public var nextSequence: Int64 { (entries.last?.packet.sequence).map { $0 + 1 } ?? 0 }

    /// Records a sent packet; its sequence must be `nextSequence`.
    public mutating func add(_ packet: SentPacket) {
        precondition(packet.sequence == nextSequence, "transport-wide sequence numbers must be consecutive")
        entries.append(Entry(packet: packet, fate: .unreported))
        while head < entries.count, packet.sendTime - entries[head].packet.sendTime > Self.window { head += 1 }
        if head > 4096 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// The results `feedback` reports, in sequence order. Arrival times are relative to
    /// the receiver's reference time origin.
    public mutating func results(for feedback: TransportFeedback) -> [PacketResult] {
        guard head < entries.count else { unknownStatuses += feedback.statuses.count; return [] }
        let first = entries[head].packet.sequence
        let last = entries[entries.count - 1].packet.sequence
        // Place the 16-bit base closest to the newest sequence sent.
        var base = last + Int64(Int16(bitPattern: feedback.baseSequence &- UInt16(truncatingIfNeeded: last)))
        if base > last { base -= 1 << 16 }
        let offsets = feedback.arrivalOffsets(referenceTime: referenceTimes.unwrap(feedback.referenceTime))
        var results: [PacketResult] = []
        for (i, offset) in offsets.enumerated() {
            let sequence = base + Int64(i)
            guard sequence >= first, sequence <= last else { unknownStatuses += 1; continue }
            let index = head + Int(sequence - first)
            switch (entries[index].fate, offset) {
            case (.received, _), (.lost, nil): continue
            case (_, nil):
                entries[index].fate = .lost
                results.append(PacketResult(sent: entries[index].packet, receiveTime: nil))
            case (_, let offset?):
                entries[index].fate = .received
                results.append(PacketResult(sent: entries[index].packet, receiveTime: .zero + offset))
            }
        }
        return results
    }
}
