/// The anti-replay window of one epoch (RFC 6347 §4.1.2.6): the highest sequence number
/// authenticated so far and a 64-bit bitmap of the ones just below it.
struct DTLSReplayWindow {
    private var highest: UInt64 = 0
    private var bitmap: UInt64 = 0
    private var empty = true

    /// Whether a record with `sequence` is new (checked before authentication).
    func isFresh(_ sequence: UInt64) -> Bool {
        if empty || sequence > highest { return true }
        let age = highest - sequence
        return age < 64 && bitmap & (1 << age) == 0
    }

    /// Marks `sequence` as received (after authentication).
    mutating func mark(_ sequence: UInt64) {
        if empty || sequence > highest {
            let shift = empty ? 64 : sequence - highest
            bitmap = shift >= 64 ? 1 : bitmap << shift | 1
            highest = sequence
            empty = false
        } else {
            bitmap |= 1 << (highest - sequence)
        }
    }
}
