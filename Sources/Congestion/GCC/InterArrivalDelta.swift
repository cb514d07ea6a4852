import NetTypes

/// Groups packets into bursts and yields the send and arrival time differences of
/// consecutive groups (draft-ietf-rmcat-gcc-02 §5.2; libwebrtc inter_arrival_delta.cc).
///
/// A group is the packets sent within `groupLength` of its first one; packets that
/// arrive in a burst (less than `burstDelta` after the previous one while their
/// propagation delta is negative, for at most `maxBurstDuration`) join the current
/// group too, so that a burst released by a bottleneck counts as one.
struct InterArrivalDelta: Sendable {
    /// Send time span of a group: 5 ms (draft-ietf-rmcat-gcc-02 §5.2 "burst_time";
    /// libwebrtc kSendTimeGroupLength in delay_based_bwe.cc).
    static let groupLength = Duration.milliseconds(5)
    /// libwebrtc kBurstDeltaThreshold, inter_arrival_delta.cc: 5 ms.
    static let burstDelta = Duration.milliseconds(5)
    /// libwebrtc kMaxBurstDuration, inter_arrival_delta.cc: 100 ms.
    static let maxBurstDuration = Duration.milliseconds(100)
    /// libwebrtc kReorderedResetThreshold, inter_arrival_delta.cc: 3 groups.
    static let reorderedResetThreshold = 3

    /// Differences between two consecutive groups.
    struct Deltas: Equatable {
        var send: Duration
        var arrival: Duration
    }

    private struct Group {
        var firstSend: Instant
        var send: Instant
        var firstArrival: Instant
        var complete: Instant

        /// A group opened by a packet sent at `sendTime` that arrived at `arrival`.
        init(sendTime: Instant, arrival: Instant) {
            firstSend = sendTime
            send = sendTime
            firstArrival = arrival
            complete = arrival
        }
    }

    private var current: Group?
    private var previous: Group?
    private var reordered = 0

    /// Adds a packet; returns the deltas of the two previous groups when it opens a new one.
    mutating func add(sendTime: Instant, arrival: Instant) -> Deltas? {
        guard var group = current else {
            current = Group(sendTime: sendTime, arrival: arrival)
            return nil
        }
        if sendTime < group.firstSend { return nil }   // reordered within the feedback: ignored
        var deltas: Deltas?
        if startsNewGroup(group, sendTime: sendTime, arrival: arrival) {
            if let previous {
                let d = Deltas(send: group.send - previous.send, arrival: group.complete - previous.complete)
                if d.arrival < .zero {
                    reordered += 1
                    if reordered >= Self.reorderedResetThreshold { self = InterArrivalDelta() }
                    return nil
                }
                reordered = 0
                deltas = d
            }
            previous = group
            group = Group(sendTime: sendTime, arrival: arrival)
        } else {
            group.send = max(group.send, sendTime)
        }
        group.complete = arrival
        current = group
        return deltas
    }

    private func startsNewGroup(_ group: Group, sendTime: Instant, arrival: Instant) -> Bool {
        !belongsToBurst(group, sendTime: sendTime, arrival: arrival) && sendTime - group.firstSend > Self.groupLength
    }

    private func belongsToBurst(_ group: Group, sendTime: Instant, arrival: Instant) -> Bool {
        let arrivalDelta = arrival - group.complete
        let sendDelta = sendTime - group.send
        if sendDelta == .zero { return true }
        let propagationDelta = arrivalDelta - sendDelta
        return propagationDelta < .zero && arrivalDelta <= Self.burstDelta && arrival - group.firstArrival < Self.maxBurstDuration
    }
}
