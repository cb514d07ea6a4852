/// The parity operation of FlexFEC (RFC 8627 §6.2): a repair is the XOR of the protected
/// source packets' bit strings — first 16 header bits, length minus 12, timestamp, then
/// everything after the fixed 12-byte header, zero-padded to the longest packet.
public enum FlexFECEncoder {
    /// The repair of `sources` (RTP packets' wire bytes, each at least 12 bytes), which
    /// `blocks` describe.
    public static func repair(of sources: some Collection<[UInt8]>, blocks: [FlexFECHeader.Block]) -> FlexFECRepair {
        var flags: UInt16 = 0, length: UInt16 = 0, timestamp: UInt32 = 0
        var payload = [UInt8](repeating: 0, count: (sources.lazy.map(\.count).max() ?? 12) - 12)
        for bytes in sources {
            precondition(bytes.count >= 12, "an RTP packet has a 12-byte fixed header")
            let fields = recoveryFields(bytes)
            flags ^= fields.flags
            length ^= fields.length
            timestamp ^= fields.timestamp
            xor(bytes[12...], into: &payload, at: 0)
        }
        return FlexFECRepair(header: FlexFECHeader(flagsRecovery: flags, lengthRecovery: length, timestampRecovery: timestamp, blocks: blocks),
                             payload: payload)
    }

    /// The parts of an RTP packet's (at least 12) `bytes` that the FEC header's recovery
    /// fields protect: the first 16 header bits, the length minus 12 and the timestamp.
    static func recoveryFields(_ bytes: [UInt8]) -> (flags: UInt16, length: UInt16, timestamp: UInt32) {
        (UInt16(bytes[0]) << 8 | UInt16(bytes[1]), UInt16(truncatingIfNeeded: bytes.count - 12),
         UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7]))
    }

    /// XORs `bytes` into `target` from index `offset` (`target` is long enough).
    static func xor(_ bytes: ArraySlice<UInt8>, into target: inout [UInt8], at offset: Int) {
        precondition(offset + bytes.count <= target.count)
        target.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                for i in input.indices { out[offset + i] ^= input[i] }
            }
        }
    }
}
