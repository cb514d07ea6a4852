import NetTypes

/// Recovers lost source packets of one RTP stream from FlexFEC repairs (RFC 8627 §6.3):
/// a repair whose protected packets (its mask, or its row or column, §6.3.1) are all
/// present but one gives that one back — header fields from the XOR of the recovery
/// fields with the received packets' (§6.3.2), the rest from the XOR of the repair
/// payload with theirs (§6.3.3). Every recovery retries the repairs still waiting, so row
/// and column repairs of 2-D protection decode iteratively (§6.3.4), and a source packet
/// that arrives late (reordered, retransmitted) can complete a repair that had two gaps.
///
/// The decoder keeps the last `capacity` source packets by sequence number, and a repair
/// for at most `repairWindow` (§1.1.8; §5.2.1 `repair-window`) while it still misses more
/// than one packet. Repairs that also protect other streams, or reach outside the kept
/// packets, are ignored.
public struct FlexFECDecoder: Sendable {
    /// Source packets kept (a power of two); a repair's packets must lie within half of it.
    public static let defaultCapacity = 1024
    /// Repairs waiting for packets at most.
    static let pendingLimit = 256

    public let ssrc: UInt32
    public let repairWindow: Duration
    /// Packets recovered so far.
    public private(set) var recovered = 0
    /// Repairs ignored: other streams, out of range, inconsistent with the packets received.
    public private(set) var ignoredRepairs = 0

    private struct Source: Sendable {
        var sequence: Int64
        var bytes: [UInt8]
    }

    private struct Pending: Sendable {
        var sequences: [Int64]
        var repair: FlexFECRepair
        var arrival: Instant
    }

    private var sources: [Source?]
    private var pending: [Pending] = []
    private var highest: Int64?

    public init(ssrc: UInt32, repairWindow: Duration, capacity: Int = FlexFECDecoder.defaultCapacity) {
        precondition(capacity > 1 && capacity.nonzeroBitCount == 1, "capacity is a power of two")
        self.ssrc = ssrc
        self.repairWindow = repairWindow
        sources = Array(repeating: nil, count: capacity)
    }

    /// Source packet `bytes` (RTP, in the decoder's stream) with `sequenceNumber` arrived
    /// at `now`; returns the wire bytes of the packets it let the decoder recover.
    public mutating func receiveSource(_ bytes: [UInt8], sequenceNumber: UInt16, now: Instant) -> [[UInt8]] {
        let sequence = unwrap(sequenceNumber)
        guard bytes.count >= 12, !has(sequence) else { return [] }
        if let top = highest, sequence <= top - Int64(sources.count) { return [] }
        store(bytes, sequence)
        return pending.isEmpty ? [] : recoverAll(now: now)
    }

    /// A repair arrived at `now`; returns the wire bytes of the packets it recovered.
    public mutating func receiveRepair(_ repair: FlexFECRepair, now: Instant) -> [[UInt8]] {
        guard repair.header.blocks.count == 1, let block = repair.header.blocks.first, block.ssrc == ssrc, highest != nil else {
            ignoredRepairs += 1
            return []
        }
        let base = unwrap(block.sequenceBase)
        let sequences = block.protection.offsets.map { base + Int64($0) }
        guard let top = highest, let last = sequences.last, sequences.allSatisfy({ abs($0 - top) < Int64(sources.count / 2) }),
              last - base < Int64(sources.count / 2) else {
            ignoredRepairs += 1
            return []
        }
        if pending.count == Self.pendingLimit { pending.removeFirst() }
        pending.append(Pending(sequences: sequences, repair: repair, arrival: now))
        return recoverAll(now: now)
    }

    /// `sequenceNumber` unwrapped next to the highest one received, without moving it.
    private func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        guard let top = highest else { return Int64(sequenceNumber) }
        return SequenceUnwrapper.closest(UInt32(sequenceNumber), to: top)
    }

    private func has(_ sequence: Int64) -> Bool { sources[slot(sequence)]?.sequence == sequence }

    private func slot(_ sequence: Int64) -> Int { Int(sequence & Int64(sources.count - 1)) }

    private mutating func store(_ bytes: [UInt8], _ sequence: Int64) {
        sources[slot(sequence)] = Source(sequence: sequence, bytes: bytes)
        highest = max(highest ?? sequence, sequence)
    }

    /// Recovers with every repair that misses exactly one packet, until none does (§6.3.4);
    /// drops repairs that miss none, are past the repair window or reach below the kept packets.
    private mutating func recoverAll(now: Instant) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var progress = true
        while progress {
            progress = false
            var i = 0
            while i < pending.count {
                let entry = pending[i]
                let floor = (highest ?? 0) - Int64(sources.count) + 1
                if now - entry.arrival > repairWindow || entry.sequences[0] < floor {
                    pending.remove(at: i)
                    continue
                }
                var missing: Int64?, count = 0
                for sequence in entry.sequences where !has(sequence) {
                    count += 1
                    missing = sequence
                    if count > 1 { break }
                }
                guard count <= 1 else { i += 1; continue }
                pending.remove(at: i)
                guard let missing else { continue }
                guard let bytes = recover(missing, with: entry) else { ignoredRepairs += 1; continue }
                store(bytes, missing)
                recovered += 1
                out.append(bytes)
                progress = true
            }
        }
        return out
    }

    /// The packet `sequence` from `entry`'s repair and its other (received) packets
    /// (§6.3.2, §6.3.3); nil when the recovered length exceeds the repair payload.
    private func recover(_ sequence: Int64, with entry: Pending) -> [UInt8]? {
        let header = entry.repair.header
        var flags = header.flagsRecovery, length = header.lengthRecovery, timestamp = header.timestampRecovery
        for other in entry.sequences where other != sequence {
            guard let bytes = sources[slot(other)]?.bytes else { return nil }
            let fields = FlexFECEncoder.recoveryFields(bytes)
            flags ^= fields.flags
            length ^= fields.length
            timestamp ^= fields.timestamp
        }
        let y = Int(length)
        guard y <= entry.repair.payload.count else { return nil }
        var bytes = [UInt8](repeating: 0, count: 12 + y)
        bytes[0] = 0x80 | UInt8(flags >> 8 & 0x3F)
        bytes[1] = UInt8(truncatingIfNeeded: flags)
        bytes[2] = UInt8(truncatingIfNeeded: sequence >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: sequence)
        for i in 0..<4 { bytes[4 + i] = UInt8(truncatingIfNeeded: timestamp >> (24 - 8 * i)) }
        for i in 0..<4 { bytes[8 + i] = UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * UInt32(i))) }
        FlexFECEncoder.xor(entry.repair.payload[..<y], into: &bytes, at: 12)
        for other in entry.sequences where other != sequence {
            guard let source = sources[slot(other)]?.bytes else { return nil }
            FlexFECEncoder.xor(source[12..<min(source.count, 12 + y)], into: &bytes, at: 12)
        }
        return bytes
    }
}
