import NetTypes

/// Which packets of a stream are missing and when to ask for them again — after
/// libwebrtc's NackRequester: a gap in the sequence numbers puts the skipped packets on
/// the list and they are NACKed at once; each is asked for again one RTT after the last
/// request, at most `maxRetries` times, and dropped once missing for longer than `maxAge`
/// or when the list exceeds `capacity` (oldest first). The RTT is measured from NACK to
/// the answer (the first request of a packet to its arrival), starting from 100 ms. With
/// a `delay`, a missing packet is first asked for that much after it was found missing
/// (so that FEC can repair it without a request).
struct NackTracker: Sendable {
    /// libwebrtc kMaxNackPackets.
    static let capacity = 1000
    /// libwebrtc's RTT until one is known.
    static let initialRoundTripTime = Duration.milliseconds(100)

    private struct Entry: Sendable {
        var missingSince: Instant
        var lastRequested: Instant?
        var requests = 0
    }

    let maxRetries: Int
    let maxAge: Duration
    let delay: Duration
    private(set) var roundTripTime = NackTracker.initialRoundTripTime
    /// Packets dropped from the list unrecovered.
    private(set) var givenUp = 0
    private var missing: [Int64: Entry] = [:]
    private var newest: Int64?

    init(maxRetries: Int, maxAge: Duration, delay: Duration = .zero) {
        self.maxRetries = maxRetries
        self.maxAge = maxAge
        self.delay = delay
    }

    /// Whether a packet in `range` is still missing and may yet be requested.
    func isPending(in range: Range<Int64>) -> Bool { missing.keys.contains { range.contains($0) } }

    /// Stops asking for packets up to `sequence`: the decoder no longer needs them.
    mutating func clear(through sequence: Int64) { missing = missing.filter { $0.key > sequence } }

    /// Packet `sequence` (unwrapped) arrived at `now`; `recovered`: rebuilt from FEC, so
    /// no answer to a request and no round trip sample.
    mutating func onPacket(_ sequence: Int64, now: Instant, recovered: Bool = false) {
        guard let last = newest else { newest = sequence; return }
        if sequence > last {
            for skipped in max(last + 1, sequence - Int64(Self.capacity))..<sequence { missing[skipped] = Entry(missingSince: now) }
            newest = sequence
            let excess = missing.count - Self.capacity
            if excess > 0 {
                for old in missing.keys.sorted().prefix(excess) { missing[old] = nil }
                givenUp += excess
            }
        } else if let entry = missing.removeValue(forKey: sequence), !recovered, entry.requests == 1, let requested = entry.lastRequested {
            // Answered after one request: a round trip sample (smoothed as RFC 6298 SRTT).
            roundTripTime = roundTripTime * 0.875 + (now - requested) * 0.125
        }
    }

    /// The packets to NACK at `now` (oldest first), each marked requested; packets past
    /// their retries or age leave the list.
    mutating func due(now: Instant) -> [Int64] {
        var request: [Int64] = []
        for sequence in missing.keys.sorted() {
            guard var entry = missing[sequence] else { continue }
            if now - entry.missingSince > maxAge || (entry.requests >= maxRetries && entry.lastRequested.map({ now - $0 >= roundTripTime }) ?? true) {
                missing[sequence] = nil
                givenUp += 1
                continue
            }
            guard entry.requests < maxRetries, entry.lastRequested != nil || now >= entry.missingSince + delay else { continue }
            if let last = entry.lastRequested, now - last < roundTripTime { continue }
            entry.lastRequested = now
            entry.requests += 1
            missing[sequence] = entry
            request.append(sequence)
        }
        return request
    }

    /// When `due` next has something to do.
    var nextDeadline: Instant {
        var next = Instant.distantFuture
        for entry in missing.values {
            next = min(next, entry.missingSince + maxAge + .nanoseconds(1))
            next = min(next, entry.lastRequested.map { $0 + roundTripTime } ?? entry.missingSince + delay)
        }
        return next
    }
}
