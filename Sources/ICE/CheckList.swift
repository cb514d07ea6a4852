import NetTypes

/// The check list of the data stream (RFC 8445 §6.1.2): candidate pairs of every
/// component, with stable indices (pairs are never removed, so in-flight checks can
/// name them), and the triggered-check queue (§6.1.4.1).
///
/// Candidates are stored once, in `locals` and `remotes`; a pair is a `PairEntry` of
/// indices into them, so the agent's walks over the pairs copy a few words per pair.
/// `pairs` and `pair(_:)` give the readable view.
public struct CheckList: Sendable {
    /// The pairs' local candidates and their valid pairs' local candidates, each once.
    private(set) var locals: [Candidate] = []
    /// The pairs' remote candidates, each once.
    private(set) var remotes: [Candidate] = []
    /// The pairs in order of formation: pair `i` is `entries[i]`.
    private(set) var entries: [PairEntry] = []
    /// Pair indices waiting for a triggered check, oldest first.
    private(set) var triggered: [Int] = []
    /// The components with a nominated pair, in order of their first nomination: kept so
    /// that the pacer's per-component question needs no walk over the pairs.
    private var nominatedComponents: [Int] = []

    public init() {}

    /// Every pair with its candidates, by pair index.
    public var pairs: [CandidatePair] { entries.indices.map(pair) }

    /// Pair `i` with its candidates.
    public func pair(_ i: Int) -> CandidatePair {
        let entry = entries[i]
        var pair = CandidatePair(local: locals[entry.local], remote: remotes[entry.remote])
        pair.state = entry.state
        pair.validLocal = entry.validLocal.map { locals[$0] }
        pair.nominated = entry.nominated
        pair.roundTripTime = entry.roundTripTime
        return pair
    }

    /// The local candidate of pair `i`.
    func local(_ i: Int) -> Candidate { locals[entries[i].local] }

    /// The remote candidate of pair `i`.
    func remote(_ i: Int) -> Candidate { remotes[entries[i].remote] }

    /// The priority of pair `i` as the agent in `role` computes it.
    func priority(_ i: Int, role: ICERole) -> UInt64 {
        CandidatePair.priority(role: role, local: locals[entries[i].local].priority, remote: remotes[entries[i].remote].priority)
    }

    /// Forms the pairs of `newLocals` × `newRemotes` that are missing (§6.1.2.2: same
    /// component, same address family, same transport; RFC 6544 §6.2: complementary TCP
    /// types), replacing each reflexive local candidate by the host candidate of its base
    /// and skipping pairs with the same transport, base and remote address as an existing
    /// one (§6.1.2.4). Pairs whose local candidate is passive TCP are pruned (RFC 6544
    /// §6.2: the peer connects to it) unless `passive` allows them: the pair a check on
    /// an accepted connection arrived on. Newer pairs beyond `limit` in all are dropped,
    /// lowest priority first (§6.1.2.5). Returns the indices of the pairs added.
    @discardableResult
    public mutating func addPairs(locals newLocals: [Candidate], remotes newRemotes: [Candidate], role: ICERole, limit: Int,
                                  passive: Bool = false) -> Range<Int> {
        var candidates: [CandidatePair] = []
        for local in newLocals {
            guard let paired = Self.pairable(local, among: newLocals), passive || paired.tcpType != .passive else { continue }
            for remote in newRemotes where remote.component == paired.component
                && remote.address.address.family == paired.base.address.family
                && paired.pairs(with: remote) {
                let duplicate = index(base: paired.base, remote: remote.address, transport: paired.transport) != nil
                    || candidates.contains {
                        $0.local.base == paired.base && $0.remote.address == remote.address && $0.local.transport == paired.transport
                    }
                if !duplicate { candidates.append(CandidatePair(local: paired, remote: remote)) }
            }
        }
        candidates.sort { $0.priority(role: role) > $1.priority(role: role) }
        let room = max(0, limit - entries.count)
        let start = entries.count
        for pair in candidates.prefix(room) {
            let local = Self.index(of: pair.local, in: &locals)
            entries.append(PairEntry(local: local, remote: Self.index(of: pair.remote, in: &remotes), component: pair.component))
        }
        return start..<entries.count
    }

    /// The index of `candidate` in `table`, appended when it is not there yet.
    private static func index(of candidate: Candidate, in table: inout [Candidate]) -> Int {
        if let known = table.firstIndex(of: candidate) { return known }
        table.append(candidate)
        return table.count - 1
    }

    /// The candidate a local candidate is paired as: itself for host and relayed ones,
    /// its base's host candidate for reflexive ones (nil when that is not in `locals`).
    static func pairable(_ local: Candidate, among locals: [Candidate]) -> Candidate? {
        switch local.type {
        case .host, .relayed: return local
        case .serverReflexive, .peerReflexive:
            return locals.first {
                $0.type == .host && $0.address == local.base && $0.component == local.component && $0.transport == local.transport
            }
        }
    }

    /// The index of the pair from `base` to `remote` over `transport`, if any.
    public func index(base: Endpoint, remote: Endpoint, transport: TransportKind = .udp) -> Int? {
        entries.indices.first {
            let local = locals[entries[$0].local]
            return local.base == base && local.transport == transport && remotes[entries[$0].remote].address == remote
        }
    }

    /// Takes `candidate` as the remote candidate of every pair whose transport and remote
    /// address it has: a signalled candidate replaces a peer-reflexive one (RFC 8838 §11).
    mutating func updateRemote(_ candidate: Candidate) {
        for j in remotes.indices where remotes[j].address == candidate.address && remotes[j].transport == candidate.transport {
            remotes[j] = candidate
        }
    }

    /// Records `candidate` as the local candidate of pair `i`'s valid pair (§7.2.5.3.2).
    mutating func setValidLocal(_ i: Int, _ candidate: Candidate) {
        entries[i].validLocal = Self.index(of: candidate, in: &locals)
    }

    /// Records a round-trip time measured on pair `i`'s check.
    mutating func setRoundTripTime(_ i: Int, _ roundTripTime: Duration) {
        entries[i].roundTripTime = roundTripTime
    }

    /// Unfreezes by foundation (§6.1.2.6, §7.2.5.3.3): every frozen pair whose foundation
    /// has a succeeded pair becomes waiting; for a foundation with no pair waiting, in
    /// progress or succeeded, the frozen pair of the lowest component and highest
    /// priority does. Foundations are taken in order of first appearance, pairs in index
    /// order. Returns the indices that changed.
    public mutating func unfreeze(role: ICERole) -> [Int] {
        // Which pairs a foundation already took in, on the stack (this runs on every
        // success and every new pair).
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: entries.count) { seen in
            seen.initialize(repeating: false)
            return unfreeze(role: role, seen: seen)
        }
    }

    /// `unfreeze(role:)` with `seen` (one flag per pair, all false) as scratch.
    private mutating func unfreeze(role: ICERole, seen: UnsafeMutableBufferPointer<Bool>) -> [Int] {
        var changed: [Int] = []
        for first in entries.indices where !seen[first] {
            var frozen: Int?
            var succeeded = false
            var active = false
            for i in first..<entries.count where !seen[i] && sameFoundation(i, first) {
                seen[i] = true
                switch entries[i].state {
                case .frozen:
                    if let best = frozen, !unfreezesFirst(i, before: best, role: role) { continue }
                    frozen = i
                case .succeeded: succeeded = true
                case .waiting, .inProgress: active = true
                case .failed: break
                }
            }
            guard let best = frozen else { continue }
            if succeeded {
                for i in first..<entries.count where entries[i].state == .frozen && sameFoundation(i, first) {
                    entries[i].state = .waiting
                    changed.append(i)
                }
            } else if !active {
                entries[best].state = .waiting
                changed.append(best)
            }
        }
        return changed
    }

    /// Makes every frozen pair waiting (libwebrtc has no frozen state); returns the
    /// indices that changed.
    mutating func unfreezeAll() -> [Int] {
        var changed: [Int] = []
        for i in entries.indices where entries[i].state == .frozen {
            entries[i].state = .waiting
            changed.append(i)
        }
        return changed
    }

    /// Whether frozen pair `a` goes before `b` when one pair of a foundation unfreezes:
    /// the lower component, then the higher priority.
    private func unfreezesFirst(_ a: Int, before b: Int, role: ICERole) -> Bool {
        (entries[a].component, ~priority(a, role: role)) < (entries[b].component, ~priority(b, role: role))
    }

    /// Whether pairs `i` and `j` have the same foundation: equal local and remote
    /// foundations (the colon that joins them is no ice-char, RFC 8839 §5.1), compared
    /// without joining.
    private func sameFoundation(_ i: Int, _ j: Int) -> Bool {
        locals[entries[i].local].foundation == locals[entries[j].local].foundation
            && remotes[entries[i].remote].foundation == remotes[entries[j].remote].foundation
    }

    /// The oldest triggered check (§6.1.4.1), taken off the queue.
    mutating func popTriggered() -> Int? {
        triggered.isEmpty ? nil : triggered.removeFirst()
    }

    /// The index of the pair of highest priority (as the agent in `role` computes it)
    /// among those that `qualify`; the first of equals.
    func best(role: ICERole, where qualifies: (PairEntry) -> Bool) -> Int? {
        best(role: role) { i in qualifies(entries[i]) }
    }

    /// The index of the pair of highest priority among the indices that `qualify`; the
    /// first of equals.
    func best(role: ICERole, indices qualifies: (Int) -> Bool) -> Int? {
        var best: (index: Int, priority: UInt64)?
        for i in entries.indices where qualifies(i) {
            let priority = priority(i, role: role)
            if best == nil || priority > best!.priority { best = (i, priority) }
        }
        return best?.index
    }

    /// Whether triggered checks are queued.
    var hasTriggered: Bool { !triggered.isEmpty }

    /// Whether `nextCheck` may find work: a triggered check, or a waiting pair the agent
    /// still `checks`.
    func hasWork(checks: (Int) -> Bool) -> Bool {
        !triggered.isEmpty || entries.indices.contains { entries[$0].state == .waiting && checks($0) }
    }

    /// Marks pair `i` nominated (its nominating check, if any, is over).
    mutating func nominate(_ i: Int) {
        guard !entries[i].nominated else { return }
        entries[i].nominated = true
        entries[i].nominating = false
        if !nominatedComponents.contains(entries[i].component) { nominatedComponents.append(entries[i].component) }
    }

    /// Whether `component` has a nominated pair.
    func hasNominated(component: Int) -> Bool {
        nominatedComponents.contains(component)
    }

    /// Queues a triggered check for pair `i` (once).
    mutating func trigger(_ i: Int) {
        if !triggered.contains(i) { triggered.append(i) }
    }

    /// The entry of pair `i`; modified in place.
    subscript(i: Int) -> PairEntry {
        get { entries[i] }
        _modify { yield &entries[i] }
    }
}
