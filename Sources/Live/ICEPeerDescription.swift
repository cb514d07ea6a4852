import ICE
import SDP

/// What an ICE peer signals to the other in one go (no trickling): its credentials and
/// every candidate, as the JSON line `{"ufrag":…,"pwd":…,"candidates":["candidate:…",…]}`
/// with candidates written like SDP `a=candidate` values.
public struct ICEPeerDescription: Hashable, Sendable {
    public var credentials: ICECredentials
    public var candidates: [ICECandidate]

    public init(credentials: ICECredentials, candidates: [ICECandidate]) {
        self.credentials = credentials
        self.candidates = candidates
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
        self.init(credentials: ICECredentials(ufrag: wire.ufrag, password: wire.pwd), candidates: candidates)
    }

    /// The one-line JSON form.
    public var jsonLine: String {
        JSONLine.encode([.init("ufrag", .string(credentials.ufrag)), .init("pwd", .string(credentials.password)),
                         .init("candidates", .array(candidates.map { .string($0.description) }))])
    }

    /// The JSON shape, for decoding.
    private struct Wire: Decodable {
        var ufrag: String
        var pwd: String
        var candidates: [String]
    }
}
