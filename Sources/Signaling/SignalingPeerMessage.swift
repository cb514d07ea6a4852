import Foundation

/// A message as a signaling client writes and reads it (docs/signaling.md): what it
/// sends the server (join, and the offers, answers, candidates and byes the server
/// relays to its room) and what the server sends it (joined, peer-joined, peer-left,
/// error). The server checks what clients send with `SignalingMessage`; peers — the
/// simulated sessions, `icelab ice-peer --signal` — use this to write and read them, so
/// both ends share one format.
public enum SignalingPeerMessage: Hashable, Sendable {
    case join(room: String)
    /// An SDP offer (RFC 8829 §5.2).
    case offer(sdp: String)
    /// An SDP answer (RFC 8829 §5.3).
    case answer(sdp: String)
    /// A trickled candidate as an RTCIceCandidateInit; nil is the end of candidates.
    case candidate(SignalingCandidate?)
    case bye
    /// The server put this client in `room`, which had `peers` other members.
    case joined(room: String, peers: Int)
    case peerJoined
    case peerLeft
    /// The server refused the client (a close follows).
    case error(reason: String)

    /// The message as JSON text (one WebSocket text message).
    public var json: String {
        switch self {
        case .join(let room): JSONLine.encode([.init("type", .string("join")), .init("room", .string(room))])
        case .offer(let sdp): JSONLine.encode([.init("type", .string("offer")), .init("sdp", .string(sdp))])
        case .answer(let sdp): JSONLine.encode([.init("type", .string("answer")), .init("sdp", .string(sdp))])
        case .candidate(let candidate): JSONLine.encode([.init("type", .string("candidate")), .init("candidate", candidate?.json ?? .null)])
        case .bye: JSONLine.encode([.init("type", .string("bye"))])
        case .joined(let room, let peers):
            JSONLine.encode([.init("type", .string("joined")), .init("room", .string(room)), .init("peers", .integer(Int64(peers)))])
        case .peerJoined: JSONLine.encode([.init("type", .string("peer-joined"))])
        case .peerLeft: JSONLine.encode([.init("type", .string("peer-left"))])
        case .error(let reason): JSONLine.encode([.init("type", .string("error")), .init("reason", .string(reason))])
        }
    }

    /// The message in `text`; a typed refusal for anything else.
    public init(parsing text: String) throws(SignalingRefusal) {
        let (object, type) = try SignalingMessage.typedObject(Array(text.utf8))
        func string(_ key: String) throws(SignalingRefusal) -> String {
            guard let value = object[key] as? String else { throw .malformed("\(type) needs a string '\(key)'") }
            return value
        }
        switch type {
        case "join": self = .join(room: try string("room"))
        case "offer": self = .offer(sdp: try string("sdp"))
        case "answer": self = .answer(sdp: try string("sdp"))
        case "candidate":
            if object["candidate"] is NSNull { self = .candidate(nil); return }
            guard let fields = object["candidate"] as? [String: Any], let line = fields["candidate"] as? String else {
                throw .malformed("candidate needs an object with a string 'candidate', or null")
            }
            self = .candidate(SignalingCandidate(candidate: line, sdpMid: fields["sdpMid"] as? String,
                                                 sdpMLineIndex: (fields["sdpMLineIndex"] as? NSNumber)?.intValue,
                                                 usernameFragment: fields["usernameFragment"] as? String))
        case "bye": self = .bye
        case "joined":
            guard let peers = (object["peers"] as? NSNumber)?.intValue else { throw .malformed("joined needs a number 'peers'") }
            self = .joined(room: try string("room"), peers: peers)
        case "peer-joined": self = .peerJoined
        case "peer-left": self = .peerLeft
        case "error": self = .error(reason: try string("reason"))
        default: throw .unknownType(type)
        }
    }
}

/// A trickled candidate as browsers signal it (RTCIceCandidateInit, W3C WebRTC §4.8.1):
/// the `candidate:` line (empty: end of candidates of this generation), the media
/// section it belongs to, and the ufrag of its ICE generation.
public struct SignalingCandidate: Hashable, Sendable {
    public var candidate: String
    public var sdpMid: String?
    public var sdpMLineIndex: Int?
    public var usernameFragment: String?

    public init(candidate: String, sdpMid: String?, sdpMLineIndex: Int?, usernameFragment: String?) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }

    var json: JSONLine.Value {
        .object([.init("candidate", .string(candidate)), .init("sdpMid", .optional(sdpMid)),
                 .init("sdpMLineIndex", sdpMLineIndex.map { .integer(Int64($0)) } ?? .null),
                 .init("usernameFragment", .optional(usernameFragment))])
    }
}
