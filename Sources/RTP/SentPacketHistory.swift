import NetTypes

/// The sender side of transport-wide congestion control (libwebrtc's
/// `TransportFeedbackAdapter`): remembers every packet sent with its transport-wide
/// sequence number, send time and size, and turns feedback packets — transport-wide
/// (draft-holmer) or RFC 8888, which names packets by SSRC and RTP sequence number —
/// into `PacketResult`s.
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
    private var reportTimestamps = SequenceUnwrapper(bits: 32)
    /// SSRC << 16 | RTP sequence number → transport-wide sequence, for packets in the
    /// history (RFC 8888 feedback).
    private var byRTPSequence: [UInt64: Int64] = [:]
    /// Feedback statuses that named packets not (or no longer) in the history.
    public private(set) var unknownStatuses = 0

    public init() {}

    /// The next transport-wide sequence number to assign.
    public var nextSequence: Int64 { (entries.last?.packet.sequence).map { $0 + 1 } ?? 0 }

    /// Records a sent packet; its sequence must be `nextSequence`.
    public mutating func add(_ packet: SentPacket) {
        precondition(packet.sequence == nextSequence, "transport-wide sequence numbers must be consecutive")
        entries.append(Entry(packet: packet, fate: .unreported))
        byRTPSequence[Self.key(packet.ssrc, packet.rtpSequence)] = packet.sequence
        while head < entries.count, packet.sendTime - entries[head].packet.sendTime > Self.window {
            let old = entries[head].packet
            let key = Self.key(old.ssrc, old.rtpSequence)
            if byRTPSequence[key] == old.sequence { byRTPSequence[key] = nil }
            head += 1
        }
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
            settle(sequence, receiveTime: offset.map { .zero + $0 }, ecn: .notECT, into: &results)
        }
        return results
    }

    /// The results an RFC 8888 report gives, in transport-wide sequence order. Arrival
    /// times are the report timestamp (unwrapped, in the receiver's clock) less each
    /// packet's offset; a metric whose offset is over-range or unavailable (RFC 8888 §3.1)
    /// leaves its packet unreported, for a later report to settle.
    public mutating func results(for feedback: CongestionControlFeedback) -> [PacketResult] {
        // Report timestamps in 1/65536 s; offsets in 1/1024 s = 64 of those units.
        let timestamp = reportTimestamps.unwrap(feedback.reportTimestamp)
        var results: [PacketResult] = []
        for block in feedback.blocks {
            for (i, metric) in block.metrics.enumerated() {
                let rtpSequence = block.beginSequence &+ UInt16(truncatingIfNeeded: i)
                guard let sequence = byRTPSequence[Self.key(block.ssrc, rtpSequence)] else { unknownStatuses += 1; continue }
                switch metric {
                case .notReceived:
                    settle(sequence, receiveTime: nil, ecn: .notECT, into: &results)
                case .received(let ecn, let offset) where offset < CongestionControlFeedback.overRange:
                    let units = timestamp - 64 * Int64(offset)
                    settle(sequence, receiveTime: .zero + Duration(nanoseconds: units * 1_000_000_000 >> 16), ecn: ecn, into: &results)
                case .received: continue
                }
            }
        }
        results.sort { $0.sent.sequence < $1.sent.sequence }
        return results
    }

    /// Records the fate of transport-wide `sequence` (in the history) and appends its
    /// result unless it was already received, or lost and lost again.
    private mutating func settle(_ sequence: Int64, receiveTime: Instant?, ecn: ECNCodepoint, into results: inout [PacketResult]) {
        let index = head + Int(sequence - entries[head].packet.sequence)
        guard index >= head, index < entries.count else { unknownStatuses += 1; return }
        switch (entries[index].fate, receiveTime) {
        case (.received, _), (.lost, nil): return
        case (_, nil):
            entries[index].fate = .lost
            results.append(PacketResult(sent: entries[index].packet, receiveTime: nil))
        case (_, let time?):
            entries[index].fate = .received
            results.append(PacketResult(sent: entries[index].packet, receiveTime: time, ecn: ecn))
        }
    }

    private static func key(_ ssrc: UInt32, _ sequence: UInt16) -> UInt64 { UInt64(ssrc) << 16 | UInt64(sequence) }
}
