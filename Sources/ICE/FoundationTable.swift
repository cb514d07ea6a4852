import NetTypes

/// Hands out foundations (RFC 8445 §5.1.1.3): candidates with the same type, base IP
/// address, STUN/TURN server IP address and transport share one; others differ.
/// Foundations are short decimal numbers in order of first use, so runs are reproducible.
struct FoundationTable {
    private struct Key: Hashable {
        let type: CandidateType
        let baseAddress: IPAddress
        let server: IPAddress?
        let transport: TransportKind
    }

    private var known: [Key: CandidateFoundation] = [:]

    /// The foundation of a candidate of `type` on `base` obtained from `server`.
    mutating func foundation(type: CandidateType, base: IPAddress, server: IPAddress?, transport: TransportKind) -> CandidateFoundation {
        let key = Key(type: type, baseAddress: base, server: server, transport: transport)
        if let existing = known[key] { return existing }
        let value = CandidateFoundation.numbered(known.count + 1)
        known[key] = value
        return value
    }
}
