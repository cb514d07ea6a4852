/// The user messages waiting for TSNs: one FIFO per stream and the scheduler that picks
/// the stream whose message goes out next (RFC 8260 §3).
///
/// The message being cut into chunks (`current`) keeps the association until its last
/// fragment has a TSN: without I-DATA a message's fragments carry consecutive TSNs
/// (RFC 9260 §6.9), so streams take turns at message boundaries only. With I-DATA
/// (`interleave`) the scheduler picks again after every fragment, and weighted fair
/// queueing charges fragments rather than messages (RFC 8260 §3: the schedulers with
/// user message interleaving).
struct SCTPSendQueue {
    /// One stream's messages, in the order the user sent them.
    struct Lane {
        let stream: UInt16
        /// The weighted fair queueing weight (the stream's priority).
        var weight: Int
        var messages: [SCTPOutboundMessage] = []
        var head = 0
        /// Weighted fair queueing: the virtual time at which the head message finishes.
        var finish = 0

        var isEmpty: Bool { head == messages.count }
    }

    let scheduler: SCTPStreamScheduler
    let defaultWeight: Int
    private(set) var lanes: [Lane] = []
    private var laneOfStream: [UInt16: Int] = [:]
    /// Lanes with messages, in stream id order.
    private var active: [Int] = []
    /// The lane whose head message is being sent.
    private(set) var current: Int?
    /// Round robin: the stream served last.
    private var lastServed: UInt16?
    /// Weighted fair queueing (self-clocked, Golestani 1994): the finish time of the
    /// message served last.
    private var virtualTime = 0
    private(set) var count = 0
    /// When interleaving, the largest fragment: the unit the scheduler serves.
    private var fragmentSize: Int?

    init(scheduler: SCTPStreamScheduler, defaultWeight: UInt16) {
        self.scheduler = scheduler
        self.defaultWeight = max(Int(defaultWeight), 1)
    }

    var isEmpty: Bool { count == 0 }

    /// Whether messages of `stream` are waiting (some of one may already have TSNs).
    func contains(stream: UInt16) -> Bool {
        guard let index = laneOfStream[stream] else { return false }
        return !lanes[index].isEmpty
    }

    /// Sets the weight of `stream` (at least 1); it counts from its next message on.
    mutating func setWeight(_ weight: UInt16, stream: UInt16) {
        lanes[lane(for: stream)].weight = max(Int(weight), 1)
    }

    func weight(of stream: UInt16) -> Int {
        laneOfStream[stream].map { lanes[$0].weight } ?? defaultWeight
    }

    mutating func push(_ message: SCTPOutboundMessage) {
        let index = lane(for: message.stream)
        if lanes[index].isEmpty {
            let position = active.firstIndex { lanes[$0].stream > message.stream } ?? active.count
            active.insert(index, at: position)
            lanes[index].finish = virtualTime + cost(message, lane: index)
        }
        lanes[index].messages.append(message)
        count += 1
    }

    /// The lane to send from: the message in progress, else the scheduler's pick.
    mutating func select() -> Int? {
        if let current { return current }
        guard let first = active.first else { return nil }
        var pick = first
        switch scheduler {
        case .firstComeFirstServed:
            for index in active where head(of: index).id < head(of: pick).id { pick = index }
        case .roundRobin:
            if let last = lastServed, let next = active.first(where: { lanes[$0].stream > last }) { pick = next }
        case .weightedFair:
            for index in active where lanes[index].finish < lanes[pick].finish { pick = index }
        }
        current = pick
        return pick
    }

    /// Switches to user message interleaving (RFC 8260): from now on streams take turns
    /// between fragments of at most `fragmentSize` bytes.
    mutating func interleave(fragmentSize: Int) {
        self.fragmentSize = max(fragmentSize, 1)
        current = nil
        for index in active { lanes[index].finish = virtualTime + cost(head(of: index), lane: index) }
    }

    /// Interleaving: a fragment of the current message got its TSN and more of it is
    /// left; the scheduler picks again, the stream having been served one fragment.
    mutating func fragmentSent() {
        guard let index = current else { return }
        current = nil
        lastServed = lanes[index].stream
        virtualTime = lanes[index].finish
        lanes[index].finish += cost(head(of: index), lane: index)
    }

    /// Makes the lane whose head message is `id` the current one (to remove it);
    /// false when no lane's head is that message.
    mutating func selectLane(headedBy id: Int) -> Bool {
        if let index = current, head(of: index).id == id { return true }
        guard let index = active.first(where: { head(of: $0).id == id }) else { return false }
        current = index
        return true
    }

    /// Lets the scheduler pick again when nothing of the selected message went out yet:
    /// a message queued since on a higher-priority stream may go first.
    mutating func reconsider() {
        if let index = current, head(of: index).offset == 0 { current = nil }
    }

    func head(of index: Int) -> SCTPOutboundMessage { lanes[index].messages[lanes[index].head] }

    /// Changes the head message of lane `index` in place.
    mutating func updateHead<Result>(of index: Int, _ body: (inout SCTPOutboundMessage) -> Result) -> Result {
        let head = lanes[index].head
        return body(&lanes[index].messages[head])
    }

    /// Removes the current message (all of it has TSNs, or it expired or was abandoned)
    /// and moves the scheduler on.
    mutating func removeCurrent() {
        guard let index = current else { return }
        current = nil
        count -= 1
        lastServed = lanes[index].stream
        virtualTime = lanes[index].finish
        lanes[index].head += 1
        let lane = lanes[index]
        if lane.isEmpty {
            lanes[index].messages.removeAll(keepingCapacity: true)
            lanes[index].head = 0
            active.removeAll { $0 == index }
        } else {
            if lane.head > 64 && lane.head * 2 > lane.messages.count {
                lanes[index].messages.removeFirst(lane.head)
                lanes[index].head = 0
            }
            lanes[index].finish += cost(head(of: index), lane: index)
        }
    }

    /// Applies `body` to every queued message.
    mutating func forEachMessage(_ body: (inout SCTPOutboundMessage) -> Void) {
        for lane in lanes.indices {
            for message in lanes[lane].head..<lanes[lane].messages.count { body(&lanes[lane].messages[message]) }
        }
    }

    /// The virtual time a message (or, interleaving, its next fragment) costs: its bytes
    /// over the lane's weight (scaled so that weights up to 65535 keep precision).
    private func cost(_ message: SCTPOutboundMessage, lane: Int) -> Int {
        min(message.remaining, fragmentSize ?? .max) << 16 / lanes[lane].weight
    }

    private mutating func lane(for stream: UInt16) -> Int {
        if let index = laneOfStream[stream] { return index }
        lanes.append(Lane(stream: stream, weight: defaultWeight))
        laneOfStream[stream] = lanes.count - 1
        return lanes.count - 1
    }
}
