import NetTypes
import RTP

/// A video frame whose packets all arrived: the packets from a start-of-frame to an
/// end-of-frame marking (RFC 9626 §3.1) with one RTP timestamp and consecutive sequence
/// numbers.
struct AssembledFrame: Sendable, Equatable {
    /// Unwrapped sequence numbers of the first and last packet.
    var firstSequence: Int64
    var lastSequence: Int64
    /// Unwrapped RTP timestamp (90 kHz).
    var timestamp: Int64
    var isKeyFrame: Bool
    /// When its last missing packet arrived.
    var completed: Instant
    /// The earliest send time of its packets (abs-send-time): when the encoder handed it
    /// to the pacer, give or take the pacer's queue; nil without the extension.
    var sent: Instant?
    /// A packet of it arrived after later ones (a retransmission): its completion time
    /// says nothing about the path's jitter.
    var delayedByRetransmission = false
}

/// Collects video packets into frames by their frame marking, as libwebrtc's packet
/// buffer does with a payload's first/last-packet flags.
struct FrameAssembler: Sendable {
    private struct Piece: Sendable {
        var timestamp: UInt32
        var marking: FrameMarking
        var sent: Instant?
        var late: Bool
    }

    private var pieces: [Int64: Piece] = [:]
    private var timestamps = SequenceUnwrapper(bits: 32)
    /// Packets up to here belong to frames already played or given up: late copies are ignored.
    private var discardedThrough = Int64.min

    /// Adds packet `sequence` (unwrapped; `late`: it arrived after later ones); returns its
    /// frame when this packet completed it.
    mutating func insert(sequence: Int64, timestamp: UInt32, marking: FrameMarking, sent: Instant?, late: Bool = false,
                         now: Instant) -> AssembledFrame? {
        guard sequence > discardedThrough, pieces[sequence] == nil else { return nil }
        pieces[sequence] = Piece(timestamp: timestamp, marking: marking, sent: sent, late: late)
        var first = sequence, last = sequence
        while let piece = pieces[first], !piece.marking.startOfFrame {
            guard let previous = pieces[first - 1], previous.timestamp == timestamp else { return nil }
            first -= 1
        }
        while let piece = pieces[last], !piece.marking.endOfFrame {
            guard let next = pieces[last + 1], next.timestamp == timestamp else { return nil }
            last += 1
        }
        var sentAt: Instant?
        var delayed = false
        for s in first...last {
            guard let piece = pieces.removeValue(forKey: s) else { continue }
            if let time = piece.sent { sentAt = min(sentAt ?? time, time) }
            delayed = delayed || piece.late
        }
        return AssembledFrame(firstSequence: first, lastSequence: last, timestamp: timestamps.unwrap(timestamp),
                              isKeyFrame: marking.independent, completed: now, sent: sentAt, delayedByRetransmission: delayed)
    }

    /// Drops the packets before `sequence` (their frames will not be played) and returns
    /// how many frames (distinct timestamps) they belonged to.
    mutating func discard(before sequence: Int64) -> Int {
        discardedThrough = max(discardedThrough, sequence - 1)
        let old = pieces.filter { $0.key < sequence }
        for key in old.keys { pieces[key] = nil }
        return Set(old.values.map(\.timestamp)).count
    }
}
