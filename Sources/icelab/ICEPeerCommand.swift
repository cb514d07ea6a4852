import ArgumentParser
import DataChannel
import Foundation
import ICE
import Live
import NetTypes
import RTP
import SCTP
import SDP
import Signaling

/// `icelab ice-peer`: a live ICE agent speaking one-line JSON descriptions on stdin and
/// stdout, for interop tests against other ICE implementations.
struct ICEPeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ice-peer",
        abstract: "Run a live ICE agent (RFC 8445) signalled with one-line JSON descriptions on stdin/stdout.",
        discussion: """
            Prints the local description {"ufrag","pwd","candidates"} once gathering completes, reads the \
            remote one from one line of stdin, runs ICE and prints {"state","selected","elapsed_ms"}. Then it \
            echoes every datagram it receives until stdin closes, or with --send sends TEXT (again every \
            250 ms until answered) and prints the first reply as {"received"}. With --dtls the descriptions \
            also carry "fingerprint" and "setup" (a=fingerprint, a=setup: the controlling peer offers \
            actpass and the controlled one answers active, i.e. becomes the DTLS client, unless --setup \
            says otherwise); once ICE connects the peer runs DTLS-SRTP on the selected pair and prints \
            {"dtls","role","profile","handshake_ms"}; it then echoes every SRTP packet it receives \
            (unprotected, then protected again), or with --send sends TEXT as the payload of SRTP packets \
            and prints the first reply's payload as {"received"}. With --data-channel LABEL (implies --dtls) \
            the descriptions also carry "sctp_port" and "max_message_size" (a=sctp-port, a=max-message-size); \
            after DTLS both peers start SCTP (RFC 8261) and print {"sctp":"established"}, icelab opens the \
            channel LABEL (DCEP, or --negotiated ID) and prints {"channel","id","ordered","reliability"}; it then \
            echoes every message on every channel (either side's) until stdin closes and prints one \
            {"channel","id","messages","received_bytes","sha256"} per channel that received binary messages, or \
            with --send sends TEXT on the channel and prints the first text reply as {"received"}, or with \
            --send-file PATH sends the file as binary messages of 16 KiB (pausing while more than 1 MiB is \
            buffered) and waits until the peer has echoed as many bytes, then prints \
            {"sent_bytes","elapsed_ms","sha256","echoed_bytes","echoed_sha256","match"} (docs/ice.md: the echo \
            protocol). Exit codes: 0 connected (and with --send answered, with --send-file echoed intact), \
            1 failed or timed out, 2 bad usage or remote description.
            """)

    @Option(help: "controlling or controlled.")
    var role: ICERole

    @Option(help: "A STUN server for server-reflexive candidates, HOST:PORT.", transform: Endpoint.init(parsing:))
    var stun: Endpoint?

    @Option(help: "A TURN server for relayed candidates, HOST:PORT (needs --turn-user).", transform: Endpoint.init(parsing:))
    var turn: Endpoint?

    @Option(name: .customLong("turn-user"), help: "TURN credentials NAME:PASS (split at the last colon).")
    var turnUser: Credential?

    @Option(help: "Send TEXT once connected and wait for the reply (instead of echoing).")
    var send: String?

    @Flag(help: "Run DTLS-SRTP (RFC 5764) on the selected pair after ICE; media is SRTP.")
    var dtls = false

    @Option(help: "The a=setup to signal with --dtls: actpass, active or passive (default: actpass when controlling, active when controlled).")
    var setup: SetupRole?

    @Option(name: .customLong("data-channel"), help: ArgumentHelp("Run data channels (SCTP over DTLS, implies --dtls) and open one labelled LABEL.", valueName: "LABEL"))
    var dataChannel: String?

    @Flag(help: "With --data-channel: the channel is unordered.")
    var unordered = false

    @Option(name: .customLong("max-retransmits"), help: ArgumentHelp("With --data-channel: partially reliable, at most N retransmissions.", valueName: "N"))
    var maxRetransmits: UInt32?

    @Option(name: .customLong("max-packet-lifetime"), help: ArgumentHelp("With --data-channel: partially reliable, given up after MS milliseconds.", valueName: "MS"))
    var maxPacketLifetime: UInt32?

    @Option(help: ArgumentHelp("With --data-channel: the channel is negotiated out of band on stream ID (no DCEP); the peer opens the same.", valueName: "ID"))
    var negotiated: UInt16?

    @Option(help: ArgumentHelp("With data channels: offer, accept or refuse (off) user message interleaving, I-DATA (RFC 8260). accept (the default) lists it only in answer to a peer that offers it: browsers get DATA, an icelab peer run with offer gets I-DATA.", valueName: "MODE"))
    var interleaving: SCTPInterleaving = .accept

    @Option(name: .customLong("send-file"), help: ArgumentHelp("With --data-channel: send the file PATH on the channel, wait for the echo, report bytes, time and SHA-256.", valueName: "PATH"))
    var sendFile: String?

    @Option(help: ArgumentHelp("Signal through this signal-server (ws://HOST:PORT/ws) instead of stdin/stdout: join --room after a browser and answer its offer with data channels (docs/signaling.md).", valueName: "HOST:PORT"),
            transform: Endpoint.init(parsing:))
    var signal: Endpoint?

    @Option(help: "With --signal: the room to join.")
    var room: String?

    @Option(help: "Seconds each phase may take: gathering, connecting, the DTLS handshake, the reply.")
    var timeout: Double = 10

    @Option(parsing: .upToNextOption, help: "Local addresses to gather host candidates on (default: 127.0.0.1).",
            transform: IPAddress.init(parsing:))
    var local: [IPAddress] = []

    @Option(parsing: .upToNextOption,
            help: "Host candidates to gather on each address: udp, tcp (ICE-TCP, RFC 6544: passive and active), or both (default: udp).")
    var candidates: [CandidateTransport] = [.udp]

    /// A host candidate transport of `--candidates`.
    enum CandidateTransport: String, ExpressibleByArgument, CaseIterable {
        case udp, tcp
        var kind: TransportKind { self == .udp ? .udp : .tcp }
    }

    func validate() throws {
        if (signal == nil) != (room == nil) { throw ValidationError("--signal and --room go together") }
        if signal != nil && (role != .controlled || dataChannel != nil || dtls || send != nil || sendFile != nil) {
            throw ValidationError("--signal answers a browser's offer: --role controlled, with the demo page's data channels (no --data-channel, --dtls, --send or --send-file)")
        }
        if Set(candidates).count != candidates.count { throw ValidationError("--candidates names each transport once") }
        if (turn == nil) != (turnUser == nil) { throw ValidationError("--turn and --turn-user go together") }
        if !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if setup != nil && !usesDTLS { throw ValidationError("--setup needs --dtls") }
        if dataChannel == nil && (unordered || maxRetransmits != nil || maxPacketLifetime != nil || negotiated != nil || sendFile != nil) {
            throw ValidationError("--unordered, --max-retransmits, --max-packet-lifetime, --negotiated and --send-file need --data-channel")
        }
        if maxRetransmits != nil && maxPacketLifetime != nil {
            throw ValidationError("--max-retransmits and --max-packet-lifetime exclude each other (RFC 8832 §5.1)")
        }
        if send != nil && sendFile != nil { throw ValidationError("--send and --send-file exclude each other") }
        if let negotiated, negotiated == UInt16.max { throw ValidationError("--negotiated takes a stream id 0-65534") }
        if setup == .holdconn { throw ValidationError("--setup is actpass, active or passive") }
        if local.contains(where: \.isUnspecified) {
            throw ValidationError("--local needs concrete addresses: each one is a host candidate")
        }
    }

    func run() async throws {
        let limit = Duration.fromSeconds(timeout)
        let peer = try LiveICEPeer(configuration: LiveICEPeer.Configuration(
            role: role, localAddresses: local.isEmpty ? [.v4(.loopback)] : local, stunServers: stun.map { [$0] } ?? [],
            relayServers: relayServers, echo: send == nil && sendFile == nil, candidateTransports: candidates.map(\.kind),
            dtls: usesDTLS ? setup ?? LiveICEPeer.Configuration.defaultSetup(for: role) : nil,
            dataChannels: channelLabel == nil ? nil : dataChannelConfiguration,
            negotiatedChannels: negotiatedChannels))
        let succeeded: Bool
        do {
            succeeded = try await exchange(with: peer, limit: limit)
        } catch {
            await peer.close()
            throw error
        }
        await peer.close()
        if !succeeded { throw ExitCode(1) }
    }

    /// The live peer's SCTP settings: a browser's, with --interleaving.
    private var dataChannelConfiguration: SCTPConfiguration {
        var configuration = SCTPConfiguration()
        configuration.interleaving = interleaving
        return configuration
    }

    /// DTLS runs with --dtls, and under data channels.
    private var usesDTLS: Bool { dtls || channelLabel != nil }

    /// The channel the peer opens: --data-channel's, or with --signal the demo page's first.
    private var channelLabel: String? { signal == nil ? dataChannel : SignalingDemoPage.negotiatedChannels[0] }

    /// The stream id of `channelLabel` when negotiated out of band.
    private var channelID: UInt16? { signal == nil ? negotiated : 0 }

    /// Channels negotiated out of band: --negotiated's, or with --signal the demo page's.
    private var negotiatedChannels: [UInt16: DataChannelParameters] {
        if signal != nil { return SignalingDemoPage.negotiatedChannels.mapValues { DataChannelParameters(label: $0) } }
        return dataChannel.flatMap { label in negotiated.map { [$0: channelParameters(label)] } } ?? [:]
    }

    /// The TURN server of `--turn` and `--turn-user`, if given.
    private var relayServers: [ICERelayServer] {
        guard let turn, let turnUser else { return [] }
        return [ICERelayServer(endpoint: turn, username: turnUser.username, password: turnUser.password)]
    }

    /// Gathering, signalling, checks and data; whether everything succeeded.
    private func exchange(with peer: LiveICEPeer, limit: NetTypes.Duration) async throws -> Bool {
        let description: ICEPeerDescription
        do {
            description = try await peer.start(timeout: limit)
        } catch LiveICEPeerError.cannotBind(let address, let reason) {
            throw UsageError("--local \(address) is no address of this machine (\(reason))")
        } catch let error as LiveICEPeerError {
            log("ice-peer: \(error)")
            return false
        }
        output(description.jsonLine)
        var room: RoomAnswerer?
        var opus: UInt8?
        let remote: ICEPeerDescription
        if let signal, let roomName = self.room {
            let answerer = try await RoomAnswerer.join(signal, room: roomName, limit: timeout)
            room = answerer
            guard let (offer, offered) = try await answerer.offer() else {
                log("ice-peer: no offer in room \(roomName) within \(limit)")
                return false
            }
            try await answerer.answer(description, to: offer)
            remote = offered
            opus = ICEPeerDescription.opusPayloadType(in: offer)
        } else {
            remote = try await remoteFromStandardInput()
        }
        let result: ICEPeerResult
        do {
            result = try await peer.connect(remote: remote, timeout: limit)
        } catch let error as LiveICEPeerError {
            throw UsageError("bad remote description: \(error)")
        }
        output(result.jsonLine)
        guard result.isConnected else { return false }
        if usesDTLS {
            let secured = try await peer.secure(timeout: limit)
            output(secured.jsonLine)
            guard channelLabel == nil ? secured.isConnected : secured.state == .connected else { return false }
        }
        if let label = channelLabel {
            let until: @Sendable () async -> Void
            if let room { until = { await room.waitForLeave() } } else { until = { await StandardInput.waitForEnd() } }
            // In a room with an audio offer, icelab's audio flows while the channels echo.
            let audio = opus.map { RoomAnswerer.sendSilence(peer, payloadType: $0) }
            let succeeded = try await DataChannelSession(peer: peer, label: label, parameters: channelParameters(label),
                                                         negotiated: channelID, limit: limit, output: output, until: until)
                .run(send: send, sendFile: sendFile)
            audio?.cancel()
            await room?.client.close()
            return succeeded
        }
        guard let send else {
            log("ice-peer: \(result.state); echoing until standard input closes")
            await StandardInput.waitForEnd()
            return true
        }
        let reply = dtls ? await sendMediaUntilReply(peer, payload: Array(send.utf8), limit: limit)
                         : await peer.sendUntilReply(Array(send.utf8), timeout: limit)
        guard let reply else {
            log("ice-peer: no reply within \(limit)")
            return false
        }
        output(JSONLine.encode([.init("received", .string(String(decoding: reply, as: UTF8.self)))]))
        return true
    }

    /// The remote description as one JSON line on standard input.
    private func remoteFromStandardInput() async throws -> ICEPeerDescription {
        guard let line = await StandardInput.readLine() else {
            throw UsageError("standard input closed before the remote description")
        }
        do {
            return try ICEPeerDescription(jsonLine: line)
        } catch {
            throw UsageError("bad remote description (expected {\"ufrag\":…,\"pwd\":…,\"candidates\":[…]}): \(error)")
        }
    }

    /// The channel of --data-channel and its options.
    private func channelParameters(_ label: String) -> DataChannelParameters {
        let reliability: DataChannelReliability = maxRetransmits.map { .maxRetransmits($0) }
            ?? maxPacketLifetime.map { .lifetime(milliseconds: $0) } ?? .reliable
        return DataChannelParameters(label: label, reliability: reliability, ordered: !unordered)
    }

    /// Sends `payload` in an SRTP packet every 250 ms until one comes back; the reply's
    /// RTP payload, nil when none comes within `limit`.
    private func sendMediaUntilReply(_ peer: LiveICEPeer, payload: [UInt8], limit: NetTypes.Duration) async -> [UInt8]? {
        var packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: UInt32.random(in: 1 ... .max), payload: payload)
        var waited = NetTypes.Duration.zero
        let interval = NetTypes.Duration.milliseconds(250)
        while waited < limit {
            try? await peer.sendRTP(packet.encoded())
            if let reply = await peer.receive(timeout: interval), let decoded = try? RTPPacket(decoding: reply) {
                return decoded.payload
            }
            packet.sequenceNumber &+= 1
            packet.timestamp &+= 960
            waited = waited + interval
        }
        return nil
    }

    /// A line on stdout, written at once (the other peer's harness waits for it).
    private func output(_ line: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }
}

extension ICERole: ExpressibleByArgument {}
extension SCTPInterleaving: ExpressibleByArgument {}
extension SetupRole: ExpressibleByArgument {
    /// holdconn parses (and is refused with a reason) but is not offered.
    public static var allValueStrings: [String] { [actpass, active, passive].map(\.rawValue) }
}
