import CTLSRandom
import NetTypes

/// Where a TLS session's (or an identity's) random bytes come from: hello randoms
/// (RFC 8446 §4.1.2), key shares (§4.2.8), ECDSA nonces, padding and IVs.
public enum TLSRandomness: Sendable {
    /// OpenSSL's own CSPRNG (its DRBG, seeded from the operating system). The only
    /// choice for real connections: a live server or client **must never** use a seeded
    /// `Xoshiro256`, whose output an observer who knows or guesses the seed can predict —
    /// every key and signature of the connection would be exposed.
    case system
    /// A deterministic stream for simulated runs only: the same seed gives byte-identical
    /// handshakes and records (docs/tls.md, "Determinism"). Not cryptographically secure.
    case seeded(Xoshiro256)
}

/// A seeded generator that OpenSSL draws from, through the thread-local source of
/// `CTLSRandom`, during the calls made inside `withSource`.
package final class SeededRandomSource {
    var generator: Xoshiro256

    init(_ generator: Xoshiro256) { self.generator = generator }

    /// Fills `count` bytes with the generator's 64-bit words, little-endian.
    func fill(_ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) {
        var offset = 0
        while offset < count {
            var word = generator.next().littleEndian
            let chunk = min(8, count - offset)
            withUnsafeBytes(of: &word) { raw in
                for i in 0..<chunk { buffer[offset + i] = raw[i] }
            }
            offset += chunk
        }
    }

    /// Runs `body` with this generator as the calling thread's OpenSSL randomness, then
    /// restores the thread's previous source (none, normally). `body` must not suspend:
    /// the source belongs to the thread, not to a task.
    package func withSource<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        TLSRandomMethod.install()
        let previous = icelab_tls_random_swap(icelab_tls_random_source(
            context: Unmanaged.passUnretained(self).toOpaque(),
            fill: { context, buffer, count in
                guard let context, let buffer else { return }
                Unmanaged<SeededRandomSource>.fromOpaque(context).takeUnretainedValue().fill(buffer, count)
            }))
        defer { _ = icelab_tls_random_swap(previous); withExtendedLifetime(self) {} }
        return try body()
    }
}

/// The process-wide RAND method of `CTLSRandom`, installed before the first seeded draw.
enum TLSRandomMethod {
    /// Installs the method (once per process; cheap afterwards).
    static func install() { _ = icelab_tls_random_install() }

    /// Random bytes the calling thread has drawn from seeded sources so far (tests).
    static var seededBytesOnThisThread: UInt64 { UInt64(icelab_tls_random_seeded_bytes()) }
}

extension TLSRandomness {
    /// The per-session source: nil for `.system`.
    package func makeSource() -> SeededRandomSource? {
        switch self {
        case .system: nil
        case .seeded(let generator): SeededRandomSource(generator)
        }
    }
}

extension Optional where Wrapped == SeededRandomSource {
    /// Runs `body` with this source as the thread's randomness, or with OpenSSL's own
    /// when nil — explicitly: a system-random call never inherits a seeded source that
    /// happens to be set on the thread.
    package func withSource<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        if let source = self { return try source.withSource(body) }
        TLSRandomMethod.install()
        let previous = icelab_tls_random_swap(icelab_tls_random_source(context: nil, fill: nil))
        defer { _ = icelab_tls_random_swap(previous) }
        return try body()
    }
}
