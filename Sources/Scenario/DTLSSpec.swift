import DTLS
import NetTypes

/// How a session secures its path after ICE (`dtls:` on a session): a DTLS 1.2 handshake
/// (RFC 6347) between the agents over the selected pair, then SRTP (RFC 5764) for its
/// media. On by default, as in every browser call; `dtls: false` leaves a pure ICE
/// session (media in clear), `dtls: { ... }` tunes it.
public struct DTLSSpec: Sendable, Equatable {
    /// When the first retransmission of a handshake flight goes.
    public enum InitialTimeout: Sendable, Equatable {
        /// libwebrtc's rule (`DtlsTransport::ConfigureHandshakeTimeout`): twice the ICE
        /// round-trip time of the selected pair, clamped to 50 ms...3 s; 3 s without one.
        case iceRoundTrip
        /// A fixed value (RFC 6347 §4.2.4.1 recommends 1 s).
        case fixed(Duration)
    }

    /// Whether the answerer's certificate matches the fingerprint its answer carries.
    public enum Fingerprint: String, CaseIterable, Sendable {
        /// The fingerprints in the descriptions are the certificates'.
        case match
        /// The answer names another certificate (a tampered or stale answer): the
        /// offerer must refuse the handshake (RFC 8122 §5; alert bad_certificate).
        case mismatch
    }

    /// The largest handshake datagram (browsers: 1200).
    public var mtu: Int
    /// The datagram size retransmissions fall back to (RFC 6347 §4.1.1.1); nil: none.
    public var fallbackMTU: Int?
    /// SRTP profiles offered, in order (browsers: AEAD_AES_128_GCM, then
    /// AES_CM_128_HMAC_SHA1_80).
    public var srtpProfiles: [DTLSSRTPProfile]
    public var initialTimeout: InitialTimeout
    /// Flight retransmissions before the handshake fails (`timeout`).
    public var maximumRetransmissions: Int
    public var fingerprint: Fingerprint

    /// What a browser does.
    public static let browser = DTLSSpec(mtu: 1200, fallbackMTU: 548, srtpProfiles: [.aeadAES128GCM, .aes128CMHMACSHA1_80],
                                         initialTimeout: .iceRoundTrip, maximumRetransmissions: 6, fingerprint: .match)

    public static let keys = ["mtu", "mtu-fallback", "srtp-profiles", "initial-timeout", "max-retransmissions", "fingerprint"]

    /// The names `srtp-profiles` takes (RFC 5764 §4.1.2, RFC 7714 §14.2).
    static let profileNames: [(String, DTLSSRTPProfile)] = [
        ("aead-aes-128-gcm", .aeadAES128GCM), ("aes-cm-128-hmac-sha1-80", .aes128CMHMACSHA1_80),
    ]

    init(mtu: Int, fallbackMTU: Int?, srtpProfiles: [DTLSSRTPProfile], initialTimeout: InitialTimeout, maximumRetransmissions: Int,
         fingerprint: Fingerprint) {
        self.mtu = mtu
        self.fallbackMTU = fallbackMTU
        self.srtpProfiles = srtpProfiles
        self.initialTimeout = initialTimeout
        self.maximumRetransmissions = maximumRetransmissions
        self.fingerprint = fingerprint
    }

    /// `dtls:` as `true`/`false` or a mapping of `keys`; nil when off.
    static func parse(_ node: YAMLNode?) throws(ScenarioError) -> DTLSSpec? {
        guard let node else { return .browser }
        guard node.isMapping else { return try node.bool() ? .browser : nil }
        let f = try node.fields(allowed: keys)
        var spec = DTLSSpec.browser
        if let v = f.optional("mtu") { spec.mtu = try v.int(in: DTLSConfiguration.minimumMTU...65_507) }
        if let v = f.optional("mtu-fallback") {
            if let on = try? v.bool() {
                if on { throw v.error("mtu-fallback is a size in bytes or false") }
                spec.fallbackMTU = nil
            } else {
                spec.fallbackMTU = try v.int(in: DTLSConfiguration.minimumMTU...65_507)
            }
        }
        if let v = f.optional("srtp-profiles") {
            let names = profileNames.map(\.0)
            spec.srtpProfiles = try v.sequence().map { item throws(ScenarioError) in
                let name = try item.string()
                guard let profile = profileNames.first(where: { $0.0 == name })?.1 else {
                    throw item.error("'\(name)' is not an SRTP profile\(Suggestions.hint(for: name, in: names)); "
                                     + "expected one of: \(names.joined(separator: ", "))")
                }
                return profile
            }
            if spec.srtpProfiles.isEmpty { throw v.error("srtp-profiles needs at least one profile") }
            if Set(spec.srtpProfiles).count != spec.srtpProfiles.count { throw v.error("an SRTP profile is listed twice") }
        }
        if let v = f.optional("initial-timeout") {
            if (try? v.string()) == "ice-rtt" {
                spec.initialTimeout = .iceRoundTrip
            } else {
                let timeout = try v.duration()
                guard timeout >= .milliseconds(1) else { throw v.error("initial-timeout must be at least 1ms (or ice-rtt)") }
                spec.initialTimeout = .fixed(timeout)
            }
        }
        if let v = f.optional("max-retransmissions") { spec.maximumRetransmissions = try v.int(in: 0...20) }
        spec.fingerprint = try f.optional("fingerprint")?.choice(of: Fingerprint.self) ?? .match
        return spec
    }

    /// libwebrtc's bounds on the RTT-derived first timeout (`kMinHandshakeTimeout`,
    /// `kMaxHandshakeTimeout`).
    static let timeoutBounds = Duration.milliseconds(50)...Duration.milliseconds(3000)

    /// The first retransmission timeout for a path of round-trip time `roundTrip`.
    func initialTimeout(roundTrip: Duration?) -> Duration {
        switch initialTimeout {
        case .fixed(let timeout): return timeout
        case .iceRoundTrip:
            guard let roundTrip else { return Self.timeoutBounds.upperBound }
            return min(max(roundTrip * Int64(2), Self.timeoutBounds.lowerBound), Self.timeoutBounds.upperBound)
        }
    }
}
