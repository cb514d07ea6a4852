import Foundation
import ICE
import Live
import NetTypes
import SDP

/// `ice-peer --signal`: the peer's side of a `signal-server` room (docs/signaling.md).
/// It joins after the browser (who, told `peer-joined`, offers), reads the offer and the
/// trickled candidates up to the end-of-candidates `null`, answers with its own
/// description (all candidates in the SDP, no trickling), and later waits for the browser
/// to leave.
struct RoomAnswerer {
    let client: SignalingClient
    let limit: Double

    /// Connects to `server` and joins `room`; a refusal (full room, bad name) is bad usage.
    static func join(_ server: Endpoint, room: String, limit: Double) async throws -> RoomAnswerer {
        let client: SignalingClient
        do { client = try await SignalingClient.connect(to: server) } catch {
            throw UsageError("icelab: cannot reach signal-server \(server): \(error)")
        }
        try await client.send(JSONLine.encode([.init("type", .string("join")), .init("room", .string(room))]))
        let joined = await client.nextMessage(within: limit)
        guard joined?["type"] as? String == "joined" else {
            await client.close()
            throw UsageError("icelab: cannot join room \(room): \(joined?["reason"] as? String ?? "no answer")")
        }
        return RoomAnswerer(client: client, limit: limit)
    }

    /// The browser's offer and every candidate it trickled until `null` (or `limit` passes
    /// after the offer); nil when no offer comes within `limit`.
    func offer() async throws -> (sdp: SessionDescription, remote: ICEPeerDescription)? {
        var offer: SessionDescription?
        var trickled: [ICECandidate] = []
        while let message = await client.nextMessage(within: limit) {
            switch message["type"] as? String {
            case "offer":
                guard let sdp = message["sdp"] as? String else { continue }
                do { offer = try SessionDescription(parsing: sdp) } catch { throw UsageError("icelab: bad offer SDP: \(error)") }
            case "candidate":
                guard let candidateInit = message["candidate"] as? [String: Any] else {
                    guard let offer else { continue }
                    return (offer, try description(offer, trickled))
                }
                // Browsers trickle "candidate:…" lines; an empty one ends a generation.
                if let line = candidateInit["candidate"] as? String, !line.isEmpty, let candidate = try? ICECandidate(parsing: line) {
                    trickled.append(candidate)
                }
            default:
                continue
            }
        }
        return try offer.map { ($0, try description($0, trickled)) }
    }

    /// The offer's description with the trickled candidates added.
    private func description(_ offer: SessionDescription, _ trickled: [ICECandidate]) throws -> ICEPeerDescription {
        do {
            var remote = try ICEPeerDescription(offer: offer)
            remote.candidates += trickled
            return remote
        } catch { throw UsageError("icelab: \(error)") }
    }

    /// Sends the answer `local` makes to `offer`.
    func answer(_ local: ICEPeerDescription, to offer: SessionDescription) async throws {
        let answer = try local.answer(to: offer)
        try await client.send(JSONLine.encode([.init("type", .string("answer")), .init("sdp", .string(answer.serialized()))]))
    }

    /// Returns when the browser leaves (`bye`, `peer-left`) or the connection ends.
    func waitForLeave() async {
        while true {
            switch await client.next(within: 3_600) {
            case .text(let text) where text.contains("\"bye\"") || text.contains("\"peer-left\""): return
            case .text: continue
            case .close, .ended, nil: return
            }
        }
    }
}
