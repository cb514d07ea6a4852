import DTLS
import ICE
import SDP
import Signaling

/// What an ICE peer signals to the other in one go (no trickling): its credentials and
/// every candidate, as the JSON line `{"ufrag":…,"pwd":…,"candidates":["candidate:…",…]}`
/// with candidates written like SDP `a=candidate` values. A peer that runs DTLS-SRTP adds
/// `"fingerprint":"sha-256 AB:…"` and `"setup":"actpass"` (SDP's a=fingerprint, RFC 8122,
/// and a=setup, RFC 8842). A peer that carries data channels adds `"sctp_port":5000` and
/// `"max_message_size":262144` (SDP's a=sctp-port and a=max-message-size, RFC 8841).
public struct ICEPeerDescription: Hashable, Sendable {
    public var credentials: ICECredentials
    public var candidates: [ICECandidate]
    /// The DTLS certificate's fingerprint; nil without DTLS.
    public var fingerprint: DTLSFingerprint?
    /// The DTLS role offered or taken; nil without DTLS.
    public var setup: SetupRole?
    /// The SCTP port data channels use; nil: no data channels.
    public var sctpPort: UInt16?
    /// The largest message the peer takes on a data channel (0: no limit, RFC 8841 §6).
    public var maxMessageSize: Int?

    public init(credentials: ICECredentials, candidates: [ICECandidate], fingerprint: DTLSFingerprint? = nil, setup: SetupRole? = nil,
                sctpPort: UInt16? = nil, maxMessageSize: Int? = nil) {
        self.credentials = credentials
        self.candidates = candidates
        self.fingerprint = fingerprint
        self.setup = setup
        self.sctpPort = sctpPort
        self.maxMessageSize = maxMessageSize
    }

    /// Parses the JSON line; candidates may carry the `candidate:` prefix or not.
    public init(jsonLine: String) throws(JSONLineError) {
        let wire = try JSONLine.decode(Wire.self, from: jsonLine)
        guard !wire.ufrag.isEmpty, !wire.pwd.isEmpty else { throw JSONLineError(message: "ufrag and pwd must not be empty") }
        var candidates: [ICECandidate] = []
        for (index, text) in wire.candidates.enumerated() {
            do {
                candidates.append(try ICECandidate(parsing: text))
            } catch {
                throw JSONLineError(message: "candidates[\(index)]: \(error)")
            }
        }
        var fingerprint: DTLSFingerprint?
        if let text = wire.fingerprint {
            do { fingerprint = try DTLSFingerprint(sdp: text) } catch { throw JSONLineError(message: "fingerprint: \(error)") }
        }
        var setup: SetupRole?
        if let text = wire.setup {
            guard let role = SetupRole(rawValue: text) else {
                throw JSONLineError(message: "setup: expected actpass, active or passive, got \"\(text.prefix(20))\"")
            }
            setup = role
        }
        if let size = wire.max_message_size, size < 0 { throw JSONLineError(message: "max_message_size must not be negative") }
        self.init(credentials: ICECredentials(ufrag: wire.ufrag, password: wire.pwd), candidates: candidates,
                  fingerprint: fingerprint, setup: setup, sctpPort: wire.sctp_port, maxMessageSize: wire.max_message_size)
    }

    /// The one-line JSON form.
    public var jsonLine: String {
        var fields: [JSONLine.Field] = [.init("ufrag", .string(credentials.ufrag)), .init("pwd", .string(credentials.password)),
                                        .init("candidates", .array(candidates.map { .string($0.description) }))]
        if let fingerprint { fields.append(.init("fingerprint", .string(fingerprint.sdpValue))) }
        if let setup { fields.append(.init("setup", .string(setup.rawValue))) }
        if let sctpPort { fields.append(.init("sctp_port", .integer(Int64(sctpPort)))) }
        if let maxMessageSize { fields.append(.init("max_message_size", .integer(Int64(maxMessageSize)))) }
        return JSONLine.encode(fields)
    }

    /// The JSON shape, for decoding.
    private struct Wire: Decodable {
        var ufrag: String
        var pwd: String
        var candidates: [String]
        var fingerprint: String?
        var setup: String?
        var sctp_port: UInt16?
        var max_message_size: Int?
    }
}
