import DataChannel
import Foundation
import Live
import NetTypes
import Signaling

/// What `icelab ice-peer --data-channel` does once DTLS is up: waits for SCTP, opens its
/// channel, then echoes, sends a text, or sends a file and checks the echo.
///
/// The file protocol is the echo itself: the file goes as binary messages of `chunk`
/// bytes on one channel, and the peer sends every message back on that channel as it
/// came (as `--data-channel` without `--send`/`--send-file` does). The sender counts and
/// hashes the binary bytes that come back; once as many as it sent are back it reports
/// both SHA-256s. On an ordered reliable channel they match; on an unordered or
/// partially reliable one they may not, which is what such a channel allows.
struct DataChannelSession {
    /// Binary message size: what browsers send without fragmentation trouble.
    static let chunk = 16 * 1024
    /// Pause sending while more than this is buffered in SCTP.
    static let highWater = 1 << 20

    let peer: LiveICEPeer
    let label: String
    let parameters: DataChannelParameters
    let negotiated: UInt16?
    let limit: NetTypes.Duration
    let output: (String) -> Void
    /// Returns when an echoing session should end (standard input closed, the browser left).
    let until: @Sendable () async -> Void

    /// Whether the session succeeded (the channel opened; a reply came; the echo matched).
    func run(send: String?, sendFile: String?) async throws -> Bool {
        guard try await peer.dataChannelsReady(timeout: limit) else {
            log("ice-peer: the SCTP association did not come up within \(limit)")
            return false
        }
        output(JSONLine.encode([.init("sctp", .string("established"))]))
        // An echoing peer answers whatever arrives on any channel: it need not wait for
        // its own channel's acknowledgement, which a peer that finishes first and leaves
        // never sends. A sending peer needs its channel open.
        let echoing = send == nil && sendFile == nil
        // A negotiated channel opened with the association (`negotiatedChannels`).
        let id: UInt16
        do {
            if let negotiated { id = negotiated } else { id = try await peer.openChannel(parameters) }
        } catch MediaTransportError.dataChannel(.sctp(.notEstablished)) where echoing {
            // The peer already finished and closed the association (a slow start here):
            // nothing more will come, so report what was echoed.
            log("ice-peer: the peer closed the association before channel \(label) opened")
            await until()
            try await reportTallies()
            return true
        }
        if !echoing, try await peer.channel(id: id, timeout: limit) == nil {
            log("ice-peer: channel \(label) was not acknowledged within \(limit)")
            return false
        }
        output(JSONLine.encode([.init("channel", .string(label)), .init("id", .integer(Int64(id))),
                                .init("ordered", .bool(parameters.ordered)),
                                .init("reliability", .string(Self.name(parameters.reliability)))]))
        if let sendFile { return try await transfer(sendFile, on: id) }
        if let send {
            try await peer.sendMessage(Array(send.utf8), isString: true, on: id)
            guard let reply = await peer.receiveText(timeout: limit) else {
                log("ice-peer: no reply within \(limit)")
                return false
            }
            output(JSONLine.encode([.init("received", .string(reply.text))]))
            return true
        }
        log("ice-peer: echoing data channel messages until the peer is done")
        await until()
        try await reportTallies()
        return true
    }

    /// Prints what each channel carried (those that carried something).
    private func reportTallies() async throws {
        for (id, tally) in try await peer.tallies().sorted(by: { $0.key < $1.key }) where tally.messages > 0 {
            output(JSONLine.encode([.init("channel", .string(tally.label)), .init("id", .integer(Int64(id))),
                                    .init("messages", .integer(Int64(tally.messages))),
                                    .init("received_bytes", .integer(Int64(tally.bytes))), .init("sha256", .string(tally.sha256))]))
        }
    }

    /// Sends the file and waits for its echo; whether the echo's hash matches.
    private func transfer(_ path: String, on id: UInt16) async throws -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("--send-file: cannot read \(path)") }
        let bytes = [UInt8](data)
        var digest = SHA256Digest()
        digest.update(bytes)
        let started = ContinuousClock.now
        try await peer.sendChunked(bytes, chunk: Self.chunk, on: id, highWater: Self.highWater, timeout: limit)
        let size = bytes.count
        let echoed = try await peer.tally(of: id, timeout: limit) { $0.bytes >= size }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int64(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let match = echoed?.bytes == size && echoed?.sha256 == digest.hexDigest
        output(JSONLine.encode([.init("sent_bytes", .integer(Int64(size))), .init("elapsed_ms", .integer(milliseconds)),
                                .init("sha256", .string(digest.hexDigest)), .init("echoed_bytes", .integer(Int64(echoed?.bytes ?? 0))),
                                .init("echoed_sha256", .optional(echoed?.sha256)), .init("match", .bool(match))]))
        return match
    }

    static func name(_ reliability: DataChannelReliability) -> String {
        switch reliability {
        case .reliable: "reliable"
        case .maxRetransmits(let count): "max-retransmits \(count)"
        case .lifetime(let milliseconds): "max-packet-lifetime \(milliseconds) ms"
        }
    }
}
