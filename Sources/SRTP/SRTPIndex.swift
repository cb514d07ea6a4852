/// The 48-bit SRTP packet index i = 2^16 × ROC + SEQ (RFC 3711 §3.3.1).
enum SRTPIndex {
    /// The largest index: ROC and sequence number both at their maximum.
    static let maximum: UInt64 = 1 << 48 - 1

    /// The index of a packet with sequence number `sequence`, given the highest index
    /// `highest` of its SSRC so far (RFC 3711 §3.3.1 and Appendix A): the rollover
    /// counter v is ROC − 1, ROC or ROC + 1, whichever puts the packet nearest s_l.
    /// Nil when v would be −1 (a packet from before the first the stream saw) or exceed
    /// 2^32 − 1 (the index is used up).
    static func estimate(sequence: UInt16, highest: UInt64) -> UInt64? {
        let roc = highest >> 16
        let last = Int(highest & 0xFFFF), seq = Int(sequence)
        var v = roc
        if last < 32_768 {
            if seq - last > 32_768 {
                guard roc > 0 else { return nil }
                v = roc - 1
            }
        } else if last - 32_768 > seq {
            v = roc + 1
        }
        let index = v << 16 | UInt64(sequence)
        return index <= maximum ? index : nil
    }
}
