import NetTypes

/// The check list of the data stream (RFC 8445 §6.1.2): candidate pairs of every
/// component, with stable indices (pairs are never removed, so in-flight checks can
/// name them), and the triggered-check queue (§6.1.4.1).
public struct CheckList: Sendable {
    public private(set) var pairs: [CandidatePair] = []
    /// Pair indices waiting for a triggered check, oldest first.
    private(set) var triggered: [Int] = []
    /// The components with a nominated pair, in order of their first nomination: kept so
    /// that the pacer's per-component question needs no walk over the pairs.
    private var nominatedComponents: [Int] = []
    /// How many pairs are nominated.
    private(set) var nominatedCount = 0

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
    /// priority does. Foundations are taken in order of first appearance, pairs in index
    /// order. Returns the indices that changed.
    public mutating func unfreeze(role: ICERole) -> [Int] {
        var changed: [Int] = []
        var seen = [Bool](repeating: false, count: pairs.count)
        for first in pairs.indices where !seen[first] {
            var frozen: Int?
            var succeeded = false
            var active = false
            for i in first..<pairs.count where !seen[i] && pairs[i].hasFoundation(of: pairs[first]) {
                seen[i] = true
                switch pairs[i].state {
                case .frozen:
                    if let best = frozen, !Self.unfreezesFirst(pairs[i], before: pairs[best], role: role) { continue }
                    frozen = i
                case .succeeded: succeeded = true
                case .waiting, .inProgress: active = true
                case .failed: break
                }
            }
            guard let best = frozen else { continue }
            if succeeded {
                for i in first..<pairs.count where pairs[i].state == .frozen && pairs[i].hasFoundation(of: pairs[first]) {
                    pairs[i].state = .waiting
                    changed.append(i)
                }
            } else if !active {
                pairs[best].state = .waiting
                changed.append(best)
            }
        }
        return changed
    }

    /// Whether frozen pair `a` goes before `b` when one pair of a foundation unfreezes:
    /// the lower component, then the higher priority.
    private static func unfreezesFirst(_ a: CandidatePair, before b: CandidatePair, role: ICERole) -> Bool {
        (a.component, ~a.priority(role: role)) < (b.component, ~b.priority(role: role))
    }

    /// The next pair to check (§6.1.4.2) among components 1 through `components` that have
    /// no nominated pair (§8.1.2: a nominated component stops checking): the oldest
    /// triggered one (a nomination always goes), else the waiting pair of highest
    /// priority. Taken off the queue.
    mutating func nextCheck(role: ICERole, components: Int) -> Int? {
        func checks(_ component: Int) -> Bool {
            component >= 1 && component <= components && !hasNominated(component: component)
        }
        while !triggered.isEmpty {
            let i = triggered.removeFirst()
            if pairs[i].nominating || (pairs[i].state != .succeeded && checks(pairs[i].component)) { return i }
        }
        var best: (index: Int, priority: UInt64)?
        for i in pairs.indices where pairs[i].state == .waiting && checks(pairs[i].component) {
            let priority = pairs[i].priority(role: role)
            if best == nil || priority > best!.priority { best = (i, priority) }
        }
        return best?.index
    }

    /// Whether triggered checks are queued.
    var hasTriggered: Bool { !triggered.isEmpty }

    /// Whether `nextCheck` may find work: a triggered check, or a waiting pair of a
    /// component without a nominated pair.
    var hasWork: Bool {
        !triggered.isEmpty || pairs.contains { $0.state == .waiting && !hasNominated(component: $0.component) }
    }

    /// Marks pair `i` nominated (its nominating check, if any, is over).
    mutating func nominate(_ i: Int) {
        guard !pairs[i].nominated else { return }
        pairs[i].nominated = true
        pairs[i].nominating = false
        nominatedCount += 1
        if !nominatedComponents.contains(pairs[i].component) { nominatedComponents.append(pairs[i].component) }
    }

    /// Whether `component` has a nominated pair.
    func hasNominated(component: Int) -> Bool {
        nominatedComponents.contains(component)
    }

    /// Queues a triggered check for pair `i` (once).
    mutating func trigger(_ i: Int) {
        if !triggered.contains(i) { triggered.append(i) }
    }

    /// Pair `i`; modified in place (no copy of the pair).
    subscript(i: Int) -> CandidatePair {
        get { pairs[i] }
        _modify { yield &pairs[i] }
    }
}
