import Foundation
import ICE
import Live
import NetTypes
import RTP
import SDP
import Signaling

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

    /// The SSRC icelab's audio comes from (signalled with a=ssrc in the answer).
    static let audioSSRC: UInt32 = 0x1CE_1AB5

    /// Sends the answer `local` makes to `offer` (audio accepted when the offer has Opus).
    func answer(_ local: ICEPeerDescription, to offer: SessionDescription) async throws {
        let audio = ICEPeerDescription.opusPayloadType(in: offer) == nil ? nil : Self.audioSSRC
        let answer = try local.answer(to: offer, audioSSRC: audio)
        try await client.send(JSONLine.encode([.init("type", .string("answer")), .init("sdp", .string(answer.serialized()))]))
    }

    /// Sends 20 ms Opus frames of silence (a TOC byte and body, RFC 6716 §3.1) in SRTP
    /// from `audioSSRC` until cancelled, so the page receives icelab's audio.
    static func sendSilence(_ peer: LiveICEPeer, payloadType: UInt8) -> Task<Void, Never> {
        Task {
            var sequence: UInt16 = 0
            while !Task.isCancelled {
                sequence &+= 1
                let packet = RTPPacket(payloadType: payloadType, sequenceNumber: sequence, timestamp: UInt32(sequence) &* 960,
                                       ssrc: audioSSRC, payload: [0xF8, 0xFF, 0xFE])
                try? await peer.sendRTP(packet.encoded())
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
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
