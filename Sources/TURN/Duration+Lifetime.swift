import NetTypes

extension Duration {
    /// Whole seconds, as a LIFETIME attribute carries them (RFC 8656 §18.4), clamped to
    /// its 32 bits.
    var lifetimeSeconds: UInt32 { UInt32(clamping: nanoseconds / 1_000_000_000) }
}
