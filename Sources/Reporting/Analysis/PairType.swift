import Results

/// The label of a session's selected candidate pair: local and remote candidate types
/// and the transport, `srflx→prflx/udp`.
public enum PairType {
    public static func label(of session: StoredSession) -> String? {
        guard session.connected, let local = session.localType, let remote = session.remoteType else { return nil }
        return "\(local)→\(remote)/\(session.transport ?? "udp")"
    }

    /// The most frequent label among `sessions` (ties: alphabetically first), or nil.
    public static func dominant(in sessions: [StoredSession]) -> String? {
        var counts: [String: Int] = [:]
        for session in sessions { if let label = label(of: session) { counts[label, default: 0] += 1 } }
        return counts.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }?.key
    }
}
