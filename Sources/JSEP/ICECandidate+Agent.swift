import ICE
import NetTypes
import SDP

extension ICECandidate {
    /// The `a=candidate` form (RFC 8839 §5.1) of one of the agent's candidates.
    public init(_ candidate: Candidate) {
        let type: SDP.CandidateType = switch candidate.type {
        case .host: .host
        case .serverReflexive: .serverReflexive
        case .peerReflexive: .peerReflexive
        case .relayed: .relay
        }
        self.init(foundation: candidate.foundation.description, component: UInt16(clamping: candidate.component),
                  transport: candidate.transport, priority: candidate.priority,
                  address: .ip(candidate.address.address), port: candidate.address.port, type: type,
                  relatedAddress: candidate.relatedAddress.map { .ip($0.address) },
                  relatedPort: candidate.relatedAddress?.port, tcpType: candidate.tcpType)
    }
}

extension Candidate {
    /// The agent's form of a signalled remote candidate, field by field (its base is its
    /// address); nil for names (mDNS `.local` hosts and FQDNs), which the agent cannot use,
    /// and for foundations longer than RFC 8839 allows (the SDP parser rejects those).
    public init?(_ candidate: ICECandidate) {
        guard let address = candidate.endpoint, let foundation = CandidateFoundation(candidate.foundation) else { return nil }
        let type: ICE.CandidateType = switch candidate.type {
        case .host: .host
        case .serverReflexive: .serverReflexive
        case .peerReflexive: .peerReflexive
        case .relay: .relayed
        }
        self.init(foundation: foundation, component: Int(candidate.component), transport: candidate.transport,
                  priority: candidate.priority, address: address, type: type, relatedAddress: candidate.relatedEndpoint,
                  tcpType: candidate.tcpType)
    }
}
