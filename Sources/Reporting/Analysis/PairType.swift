import Results

/// The label of a session's selected candidate pair: local and remote candidate types
/// and the transport, `srflx→prflx/udp`; a relay reached over TCP or TLS adds how,
/// `relay→srflx/udp via TURN/TLS`.
public enum PairType {
    public static func label(of session: StoredSession) -> String? {
        guard session.connected, let local = session.localType, let remote = session.remoteType else { return nil }
        let via = session.relayProtocol.flatMap { $0 == "udp" ? nil : " via TURN/\($0.uppercased())" } ?? ""
        return "\(local)→\(remote)/\(session.transport ?? "udp")" + via
    }

    /// How many connected `sessions` selected each label, most frequent first (ties:
    /// alphabetically).
    public static func counts(in sessions: [StoredSession]) -> [(label: String, count: Int)] {
        var counts: [String: Int] = [:]
        for session in sessions { if let label = label(of: session) { counts[label, default: 0] += 1 } }
        return counts.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.map { ($0.key, $0.value) }
    }

    /// The label of more than half of the connected `sessions`, or nil: without connected
    /// sessions, or when none has a strict majority (a 2/2 split has no dominant type).
    public static func dominant(in sessions: [StoredSession]) -> String? {
        let counts = counts(in: sessions)
        guard let first = counts.first, 2 * first.count > counts.reduce(0, { $0 + $1.count }) else { return nil }
        return first.label
    }
}
