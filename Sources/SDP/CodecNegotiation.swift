/// Picks the codecs of an answer from an offer's codecs and the answerer's own.
enum CodecNegotiation {
    /// Codecs both sides support, in the answerer's order of preference, with the
    /// offerer's payload types and `fmtp`, and the feedback both support. RTX formats
    /// follow, for each chosen codec the offer pairs with RTX, when the answerer has RTX.
    static func select(offered: [Codec], local: [Codec]) -> [Codec] {
        var chosen: [Codec] = []
        for mine in local where !mine.isRetransmission {
            let taken = Set(chosen.map(\.payloadType))
            guard var theirs = offered.first(where: {
                !$0.isRetransmission && !taken.contains($0.payloadType) && $0.matches(mine)
            }) else { continue }
            theirs.feedback = theirs.feedback.filter(mine.feedback.contains)
            chosen.append(theirs)
        }
        guard let localRTX = local.first(where: \.isRetransmission) else { return chosen }
        let retransmissions = chosen.compactMap { codec in
            offered.first { $0.isRetransmission && $0.associatedPayloadType == codec.payloadType && $0.clockRate == localRTX.clockRate }
        }
        return chosen + retransmissions
    }
}
