import NetTypes

/// Groups packets into bursts and yields the send and arrival time differences of
/// consecutive groups (draft-ietf-rmcat-gcc-02 §5.2; libwebrtc inter_arrival_delta.cc).
///
/// A group is the packets sent within `sendTimeGroupLength` (5 ms) of its first one;
/// packets that arrive in a burst (at most `burstDeltaThreshold` after the previous one
/// while their propagation delta is negative, for less than `maxBurstDuration`) join the
/// current group too, so that a burst released by a bottleneck counts as one.
struct InterArrivalDelta: Sendable {
    /// The group length, burst thresholds and reordering reset (`GoogCCParameters.interArrival`).
    let parameters: InterArrivalParameters

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

    init(parameters: InterArrivalParameters = InterArrivalParameters()) { self.parameters = parameters }

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
                    if reordered >= parameters.reorderedResetThreshold { self = InterArrivalDelta(parameters: parameters) }
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
        !belongsToBurst(group, sendTime: sendTime, arrival: arrival) && sendTime - group.firstSend > parameters.sendTimeGroupLength
    }

    private func belongsToBurst(_ group: Group, sendTime: Instant, arrival: Instant) -> Bool {
        let arrivalDelta = arrival - group.complete
        let sendDelta = sendTime - group.send
        if sendDelta == .zero { return true }
        let propagationDelta = arrivalDelta - sendDelta
        return propagationDelta < .zero && arrivalDelta <= parameters.burstDeltaThreshold && arrival - group.firstArrival < parameters.maxBurstDuration
    }
}
