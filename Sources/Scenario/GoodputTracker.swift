import RTP

/// Which RTP packets arriving at a flow's receiver are goodput (RFC 8868 §3 item 1): the
/// media stream's packets the first time their sequence number arrives, whether sent or
/// restored from RTX (RFC 4588 §4: the original sequence number leads the RTX payload),
/// or rebuilt by FEC (`recoveredPayload`), and how many payload bytes each brings.
/// Retransmitted copies of packets already here,
/// duplicates, padding-only packets and other streams bring none. O(1) per packet: a
/// ring of flags over the last `window` sequence numbers; an older packet counts as none.
struct GoodputTracker {
    static let window = 1 << 15

    let mediaSSRC: UInt32
    /// The RTX stream's SSRC, when the flow retransmits on one.
    let rtxSSRC: UInt32?
    private var unwrapper = SequenceUnwrapper(bits: 16)
    private var highest: Int64?
    private var seen = [UInt64](repeating: 0, count: GoodputTracker.window / 64)

    init(mediaSSRC: UInt32, rtxSSRC: UInt32?) {
        self.mediaSSRC = mediaSSRC
        self.rtxSSRC = rtxSSRC
    }

    /// The payload bytes `packet` (an RTP packet's header fields and payload size;
    /// `bytes` its wire bytes) delivers for the first time: 0 for anything not new media.
    mutating func newPayload(_ packet: RTPLogRecord, bytes: [UInt8]) -> Int {
        var sequence = packet.sequenceNumber, size = packet.payloadSize
        if packet.ssrc == rtxSSRC {
            guard size > 2 else { return 0 }
            // The RTX payload starts after the header: the original sequence number, then the original payload.
            let offset = bytes.count - size - (bytes[0] & 0x20 != 0 ? Int(bytes[bytes.count - 1]) : 0)
            sequence = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            size -= 2
        } else if packet.ssrc != mediaSSRC || size == 0 {
            return 0
        }
        return markNew(unwrapper.unwrap(UInt32(sequence))) ? size : 0
    }

    /// The payload bytes a media packet FEC rebuilt delivers for the first time (0 when
    /// the packet had arrived already).
    mutating func recoveredPayload(sequenceNumber: UInt16, payloadSize: Int) -> Int {
        markNew(unwrapper.unwrap(UInt32(sequenceNumber))) ? payloadSize : 0
    }

    /// Records `sequence` as arrived; whether it had not before (within the window).
    private mutating func markNew(_ sequence: Int64) -> Bool {
        let window = Int64(Self.window)
        if let highest {
            if sequence <= highest - window { return false }
            if sequence > highest {
                for s in (highest + 1)...min(sequence, highest + window) { clear(s) }
                self.highest = sequence
            }
        } else {
            highest = sequence
        }
        let slot = Int(((sequence % window) + window) % window)
        let (word, bit) = (slot / 64, UInt64(1) << UInt64(slot % 64))
        if seen[word] & bit != 0 { return false }
        seen[word] |= bit
        return true
    }

    private mutating func clear(_ sequence: Int64) {
        let window = Int64(Self.window)
        let slot = Int(((sequence % window) + window) % window)
        seen[slot / 64] &= ~(UInt64(1) << UInt64(slot % 64))
    }
}
