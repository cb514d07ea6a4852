import NetTypes

/// The connection-tracking entries refused inbound packets leave on a Linux-like NAT
/// (`NATBehavior.tracksRefusedInbound`): remote → external endpoint, each until its
/// expiry. A new flow whose reply tuple (its remote → its external endpoint) matches a
/// live entry clashes with it and must take another port, as netfilter's NAT does when
/// the tuple is taken. Bounded: beyond `capacity` live entries, new ones are not kept
/// (netfilter drops packets when its table is full; here only the entry is lost).
struct RefusedInboundTable {
    struct Key: Hashable {
        var proto: IPProtocolKind
        var remote: Endpoint
        var external: Endpoint
    }

    static let capacity = 65_536
    private var entries: [Key: Instant] = [:]

    var isEmpty: Bool { entries.isEmpty }

    /// Records (or refreshes: each packet restarts an unreplied entry's timer) an entry.
    mutating func record(_ key: Key, until expiry: Instant, now: Instant) {
        if entries[key] == nil, entries.count >= Self.capacity {
            entries = entries.filter { $0.value > now }
            if entries.count >= Self.capacity { return }
        }
        entries[key] = expiry
    }

    /// Whether a live entry holds `key` (an expired one is forgotten).
    mutating func clashes(_ key: Key, now: Instant) -> Bool {
        guard let expiry = entries[key] else { return false }
        if expiry > now { return true }
        entries[key] = nil
        return false
    }

    /// Forgets every entry (a NAT reboot).
    mutating func removeAll() { entries = [:] }
}
