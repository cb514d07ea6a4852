import DTLS
import NetTypes
import SRTP
import Signaling

/// How a live peer's DTLS-SRTP handshake ended, printed as the JSON line
/// `{"dtls":"connected","role":"client","profile":"SRTP_AEAD_AES_128_GCM","handshake_ms":12}`
/// (`profile` and `handshake_ms` are null when it did not connect).
public struct DTLSPeerResult: Hashable, Sendable {
    /// The endpoint's state: connected on success.
    public var state: DTLSState
    public var role: DTLSRole?
    /// The SRTP profile keyed from the handshake.
    public var profile: SRTPProfile?
    /// From the moment the handshake could start (a pair selected) to its end.
    public var handshakeTime: Duration?

    public init(state: DTLSState, role: DTLSRole?, profile: SRTPProfile?, handshakeTime: Duration?) {
        self.state = state
        self.role = role
        self.profile = profile
        self.handshakeTime = handshakeTime
    }

    init(_ transport: ICEMediaTransport) {
        var handshakeTime: Duration?
        if let start = transport.dtlsStartedAt, let end = transport.dtlsSettledAt { handshakeTime = end - start }
        self.init(state: transport.dtls?.state ?? .idle, role: transport.dtls?.configuration.role,
                  profile: transport.srtpProfile, handshakeTime: handshakeTime)
    }

    /// Whether SRTP media can flow.
    public var isConnected: Bool { state == .connected && profile != nil }

    /// The one-line JSON form.
    public var jsonLine: String {
        let role: JSONLine.Value = self.role.map { .string($0 == .client ? "client" : "server") } ?? .null
        let time: JSONLine.Value = handshakeTime.map { .integer(Int64($0.milliseconds.rounded())) } ?? .null
        return JSONLine.encode([.init("dtls", .string(Self.name(state))), .init("role", role),
                                .init("profile", .optional(profile?.name)), .init("handshake_ms", time)])
    }

    private static func name(_ state: DTLSState) -> String {
        switch state {
        case .idle: "new"
        case .handshaking: "connecting"
        case .connected: "connected"
        case .closed: "closed"
        case .failed: "failed"
        }
    }
}
