import NetTypes

/// The check list of the data stream (RFC 8445 §6.1.2): candidate pairs of every
/// component, with stable indices (pairs are never removed, so in-flight checks can
/// name them), and the triggered-check queue (§6.1.4.1).
public struct CheckList: Sendable {
    public private(set) var pairs: [CandidatePair] = []
    /// Pair indices waiting for a triggered check, oldest first.
    private(set) var triggered: [Int] = []

    public init() {}

    /// Forms the pairs of `locals` × `remotes` that are missing (§6.1.2.2: same
    /// component, same address family), replacing each reflexive local candidate by the
    /// host candidate of its base and
    /// skipping pairs with the same base and remote address as an existing one
    /// (§6.1.2.4). Newer pairs beyond `limit` in all are dropped, lowest priority first
    /// (§6.1.2.5). Returns the indices of the pairs added.
    @discardableResult
    public mutating func addPairs(locals: [Candidate], remotes: [Candidate], role: ICERole, limit: Int) -> [Int] {
        var candidates: [CandidatePair] = []
        for local in locals {
            guard let paired = Self.pairable(local, among: locals) else { continue }
            for remote in remotes where remote.component == paired.component
                && remote.address.address.family == paired.base.address.family
                && remote.transport == paired.transport {
                let duplicate = pairs.contains { $0.local.base == paired.base && $0.remote.address == remote.address }
                    || candidates.contains { $0.local.base == paired.base && $0.remote.address == remote.address }
                if !duplicate { candidates.append(CandidatePair(local: paired, remote: remote)) }
            }
        }
        candidates.sort { $0.priority(role: role) > $1.priority(role: role) }
        let room = max(0, limit - pairs.count)
        let start = pairs.count
        pairs.append(contentsOf: candidates.prefix(room))
        return Array(start..<pairs.count)
    }

    /// The candidate a local candidate is paired as: itself for host and relayed ones,
    /// its base's host candidate for reflexive ones (nil when that is not in `locals`).
    static func pairable(_ local: Candidate, among locals: [Candidate]) -> Candidate? {
        switch local.type {
        case .host, .relayed: return local
        case .serverReflexive, .peerReflexive:
            return locals.first { $0.type == .host && $0.address == local.base && $0.component == local.component }
        }
    }

    /// The index of the pair from `base` to `remote`, if any.
    public func index(base: Endpoint, remote: Endpoint) -> Int? {
        pairs.firstIndex { $0.local.base == base && $0.remote.address == remote }
    }

    /// Unfreezes by foundation (§6.1.2.6, §7.2.5.3.3): every frozen pair whose foundation
    /// has a succeeded pair becomes waiting; for a foundation with no pair waiting, in
    /// progress or succeeded, the frozen pair of the lowest component and highest
    /// priority does. Returns the indices that changed.
    public mutating func unfreeze(role: ICERole) -> [Int] {
        var changed: [Int] = []
        var byFoundation: [String: [Int]] = [:]
        var order: [String] = []
        for (i, pair) in pairs.enumerated() {
            if byFoundation[pair.foundation] == nil { order.append(pair.foundation) }
            byFoundation[pair.foundation, default: []].append(i)
        }
        for foundation in order {
            let members = byFoundation[foundation]!
            let frozen = members.filter { pairs[$0].state == .frozen }
            guard !frozen.isEmpty else { continue }
            if members.contains(where: { pairs[$0].state == .succeeded }) {
                for i in frozen { pairs[i].state = .waiting; changed.append(i) }
            } else if !members.contains(where: { pairs[$0].state == .waiting || pairs[$0].state == .inProgress }) {
                let first = frozen.min {
                    (pairs[$0].component, ~pairs[$0].priority(role: role)) < (pairs[$1].component, ~pairs[$1].priority(role: role))
                }!
                pairs[first].state = .waiting
                changed.append(first)
            }
        }
        return changed
    }

    /// The next pair to check (§6.1.4.2) among components in `components` (§8.1.2: a
    /// nominated component stops checking): the oldest triggered one (a nomination always
    /// goes), else the waiting pair of highest priority. Taken off the queue.
    mutating func nextCheck(role: ICERole, components: (Int) -> Bool) -> Int? {
        while !triggered.isEmpty {
            let i = triggered.removeFirst()
            if pairs[i].nominating || (pairs[i].state != .succeeded && components(pairs[i].component)) { return i }
        }
        let waiting = pairs.indices.filter { pairs[$0].state == .waiting && components(pairs[$0].component) }
        return waiting.max { pairs[$0].priority(role: role) < pairs[$1].priority(role: role) }
    }

    /// Whether triggered checks are queued.
    var hasTriggered: Bool { !triggered.isEmpty }

    /// Whether `nextCheck` may find work.
    func hasWork(components: (Int) -> Bool) -> Bool {
        !triggered.isEmpty || pairs.contains { $0.state == .waiting && components($0.component) }
    }

    /// Queues a triggered check for pair `i` (once).
    mutating func trigger(_ i: Int) {
        if !triggered.contains(i) { triggered.append(i) }
    }

    subscript(i: Int) -> CandidatePair {
        get { pairs[i] }
        set { pairs[i] = newValue }
    }
}
