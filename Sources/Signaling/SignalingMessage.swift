import Foundation

/// A message a client sends the signaling server (docs/signaling.md): a JSON object whose
/// `type` says what it is. Offers, answers, candidates and byes are relayed to the other
/// members of the sender's room as they came (after these checks); `join` is the server's.
public enum SignalingMessage: Hashable, Sendable {
    /// Join (and open, if new) the room of this name.
    case join(room: String)
    /// An SDP offer (RFC 8829 §5.2) for the room.
    case offer
    /// An SDP answer (RFC 8829 §5.3) for the room.
    case answer
    /// A trickled ICE candidate (RFC 8838): an RTCIceCandidateInit object, or null for
    /// the end of candidates.
    case candidate
    /// Leave the room; the others are told.
    case bye

    /// The message in `text`, checked: JSON object, known `type`, the fields that type
    /// needs of the right kind. Never traps on any input.
    public init(parsing text: [UInt8], limits: SignalingLimits) throws(SignalingRefusal) {
        let (object, type) = try Self.typedObject(text)
        switch type {
        case "join":
            guard let room = object["room"] as? String else { throw .malformed("join needs a string 'room'") }
            guard Self.isValidRoomName(room, limits: limits) else { throw .badRoomName }
            self = .join(room: room)
        case "offer", "answer":
            guard let sdp = object["sdp"] as? String, !sdp.isEmpty else { throw .malformed("\(type) needs a non-empty string 'sdp'") }
            self = type == "offer" ? .offer : .answer
        case "candidate":
            guard let candidate = object["candidate"], candidate is [String: Any] || candidate is NSNull else {
                throw .malformed("candidate needs an object or null 'candidate'")
            }
            self = .candidate
        case "bye":
            self = .bye
        default:
            throw .unknownType(type)
        }
    }

    /// The JSON object in `text` and its string `type`: what every message is.
    static func typedObject(_ text: [UInt8]) throws(SignalingRefusal) -> ([String: Any], String) {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed]) as? [String: Any] else {
                throw SignalingRefusal.malformed("not a JSON object")
            }
            object = parsed
        } catch let refusal as SignalingRefusal {
            throw refusal
        } catch {
            throw .malformed("not JSON")
        }
        guard let type = object["type"] as? String else { throw .malformed("no string 'type'") }
        return (object, type)
    }

    /// Room names: 1 to `maxRoomNameLength` characters of `A-Za-z0-9-_.` (they appear in
    /// logs and URLs unescaped).
    public static func isValidRoomName(_ name: String, limits: SignalingLimits) -> Bool {
        !name.isEmpty && name.utf8.count <= limits.maxRoomNameLength
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".")
            }
    }
}
