import COpenSSL
import NetTypes

/// What a State Cookie carries (RFC 9260 §5.1.3): everything needed to build the
/// association from a COOKIE ECHO alone, so that answering an INIT keeps no state.
struct SCTPCookie: Equatable {
    /// When the INIT ACK was sent (`now` of the signer).
    var created: Instant
    var localTag: UInt32
    var localInitialTSN: UInt32
    var peerTag: UInt32
    var peerInitialTSN: UInt32
    var peerWindow: UInt32
    var peerOutboundStreams: UInt16
    var peerInboundStreams: UInt16
    var peerSupportsForwardTSN: Bool
    var peerSupportsReconfig: Bool
    /// The peer offered I-DATA, and I-FORWARD-TSN (RFC 8260 §2.2.1, §2.3.1).
    var peerSupportsInterleaving: Bool
    var peerSupportsInterleavedForwardTSN: Bool

    static let version: UInt8 = 1
    static let bodySize = 1 + 8 + 4 * 5 + 2 * 2 + 1
    static let macSize = 32

    var body: [UInt8] {
        var w = SCTPWriter()
        w.u8(Self.version)
        w.u32(UInt32(truncatingIfNeeded: UInt64(bitPattern: created.nanoseconds) >> 32))
        w.u32(UInt32(truncatingIfNeeded: UInt64(bitPattern: created.nanoseconds)))
        w.u32(localTag); w.u32(localInitialTSN); w.u32(peerTag); w.u32(peerInitialTSN); w.u32(peerWindow)
        w.u16(peerOutboundStreams); w.u16(peerInboundStreams)
        w.u8((peerSupportsForwardTSN ? 1 : 0) | (peerSupportsReconfig ? 2 : 0) | (peerSupportsInterleaving ? 4 : 0)
             | (peerSupportsInterleavedForwardTSN ? 8 : 0))
        return w.bytes
    }

    init(created: Instant, localTag: UInt32, localInitialTSN: UInt32, peer: SCTPInitChunk) {
        self.created = created
        self.localTag = localTag
        self.localInitialTSN = localInitialTSN
        peerTag = peer.initiateTag
        peerInitialTSN = peer.initialTSN
        peerWindow = peer.advertisedWindow
        peerOutboundStreams = peer.outboundStreams
        peerInboundStreams = peer.inboundStreams
        peerSupportsForwardTSN = peer.supportsForwardTSN
        peerSupportsReconfig = peer.supportsReconfig
        peerSupportsInterleaving = peer.supportsInterleaving
        peerSupportsInterleavedForwardTSN = peer.supportsInterleavedForwardTSN
    }

    /// Reads a cookie body (MAC already checked); nil when it is not one of ours.
    init?(body: ArraySlice<UInt8>) {
        var r = SCTPReader(body)
        guard body.count == Self.bodySize, (try? r.u8()) == Self.version,
              let high = try? r.u32(), let low = try? r.u32(),
              let localTag = try? r.u32(), let localTSN = try? r.u32(), let peerTag = try? r.u32(),
              let peerTSN = try? r.u32(), let window = try? r.u32(),
              let outbound = try? r.u16(), let inbound = try? r.u16(), let flags = try? r.u8() else { return nil }
        created = Instant(nanoseconds: Int64(bitPattern: UInt64(high) << 32 | UInt64(low)))
        self.localTag = localTag
        localInitialTSN = localTSN
        self.peerTag = peerTag
        peerInitialTSN = peerTSN
        peerWindow = window
        peerOutboundStreams = outbound
        peerInboundStreams = inbound
        peerSupportsForwardTSN = flags & 1 != 0
        peerSupportsReconfig = flags & 2 != 0
        peerSupportsInterleaving = flags & 4 != 0
        peerSupportsInterleavedForwardTSN = flags & 8 != 0
    }
}

/// Signs and checks State Cookies with HMAC-SHA256 under a secret drawn from the
/// association's seeded generator (RFC 9260 §5.1.3 asks for a MAC over the cookie with
/// a secret key). Uses the keyed HMAC of the COpenSSL shim, as STUN and SRTP do. A
/// reference type holding the key schedule; immutable after init, shared by copies.
final class SCTPCookieSigner {
    private let key = UnsafeMutablePointer<icelab_hmac_key>.allocate(capacity: 1)

    init(secret: [UInt8]) {
        secret.withUnsafeBufferPointer { icelab_hmac_key_init(key, 1, $0.baseAddress, $0.count) }
    }

    deinit {
        OPENSSL_cleanse(key, MemoryLayout<icelab_hmac_key>.stride)
        key.deallocate()
    }

    private func mac(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SCTPCookie.macSize)
        var state = icelab_hmac()
        icelab_hmac_begin(&state, key)
        body.withUnsafeBytes { icelab_hmac_update(&state, $0.baseAddress, $0.count) }
        out.withUnsafeMutableBufferPointer { _ = icelab_hmac_final(&state, key, $0.baseAddress) }
        return out
    }

    /// The cookie's bytes: its body and the MAC over it.
    func seal(_ cookie: SCTPCookie) -> [UInt8] {
        let body = cookie.body
        return body + mac(body[...])
    }

    /// The cookie in `bytes` when its MAC verifies; nil otherwise (forged or corrupted).
    func open(_ bytes: [UInt8]) -> SCTPCookie? {
        guard bytes.count == SCTPCookie.bodySize + SCTPCookie.macSize else { return nil }
        let body = bytes[..<SCTPCookie.bodySize]
        let expected = mac(body)
        // Constant-time comparison: a MAC check must not leak where it differs.
        var difference: UInt8 = 0
        for (a, b) in zip(expected, bytes[SCTPCookie.bodySize...]) { difference |= a ^ b }
        guard difference == 0 else { return nil }
        return SCTPCookie(body: body)
    }
}
