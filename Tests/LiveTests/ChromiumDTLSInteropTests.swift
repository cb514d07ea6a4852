import DTLS
import Foundation
import ICE
import NIOHTTP1
import NetTypes
import RTP
import SDP
import TestSupport
import Testing
@testable import Live

/// DTLS-SRTP after ICE against headless Chromium's WebRTC stack (libwebrtc, BoringSSL) on
/// loopback. The test serves a page on a loopback `HTTPEndpoint`; the page makes an
/// RTCPeerConnection with a receive-only audio transceiver and POSTs its offer (gathering
/// complete) to `/offer`; the test answers with the SDP module (`SessionDescription.answer`,
/// a=setup:active, so icelab is the DTLS client) and runs `LiveICEPeer` on the offer's
/// transport. Once DTLS is up, icelab sends SRTP audio and the page POSTs `getStats()` to
/// `/stats` every 500 ms until the browser reports its transport connected and RTP received.
@Suite(.serialized, .liveNetwork, .enabled(if: Chromium.executable != nil, "chromium is missing (Debian package chromium)"))
struct ChromiumDTLSInteropTests {
    static let timeout = NetTypes.Duration.seconds(30)   // generous: CI loads both cores
    /// The SSRC icelab sends from (signalled with a=ssrc in the answer).
    static let ssrc: UInt32 = 0x1CE_1AB5

    @Test func chromiumReceivesSRTPFromIcelabOverDTLS() async throws {
        let peer = try LiveICEPeer(configuration: .init(role: .controlled, dtls: .active))
        let local = try await peer.start(timeout: Self.timeout)
        let signals = Signals()
        try await ChromiumPage.run(peer: peer, route: { await Self.route($0, local: local, signals: signals) }) {
            try await Self.exchange(peer, signals)
        }
    }

    /// The offer from the page, ICE and DTLS with it, then SRTP audio until the browser's
    /// statistics show it connected and receiving.
    private static func exchange(_ peer: LiveICEPeer, _ signals: Signals) async throws {
        let posted = await signals.offer(within: timeout)
        let pageError = await signals.pageError
        let offer = try #require(posted, "the page posted no offer: \(pageError ?? "no error posted")")
        let result = try await peer.connect(remote: try remoteDescription(offer), timeout: timeout)
        #expect(result.isConnected, "\(result.jsonLine)")
        let secured = try await peer.secure(timeout: timeout)
        #expect(secured.isConnected && secured.role == .client, "\(secured.jsonLine)")

        // 20 ms Opus frames of silence (a real TOC byte and body) until the browser's
        // statistics show them, or the time is up.
        let payloadType = try #require(opusPayloadType(offer))
        var sequence: UInt16 = 0
        let deadline = ContinuousClock.now + .seconds(30)
        var stats: [[String: Any]] = []
        while ContinuousClock.now < deadline {
            for _ in 0..<10 {
                sequence &+= 1
                let packet = RTPPacket(payloadType: payloadType, sequenceNumber: sequence, timestamp: UInt32(sequence) * 960,
                                       ssrc: ssrc, payload: [0xF8, 0xFF, 0xFE])
                try? await peer.sendRTP(packet.encoded())
            }
            stats = await signals.latest.entries
            if dtlsState(stats) == "connected", packetsReceived(stats) > 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(dtlsState(stats) == "connected", "browser stats: \(stats)")
        #expect(packetsReceived(stats) > 0, "browser stats: \(stats)")
    }

    // MARK: The page and its routes

    static func flags(profile: URL) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         "--user-data-dir=\(profile.path)", "--remote-debugging-port=0"]
    }

    static let page = """
        <!doctype html><meta charset="utf-8"><title>icelab DTLS-SRTP</title>
        <script>
        const post = async (path, body) => (await fetch(path, {method: "POST", body})).text();
        (async () => {
          try {
            const pc = new RTCPeerConnection();
            pc.addTransceiver("audio", {direction: "recvonly"});
            await pc.setLocalDescription(await pc.createOffer());
            await new Promise(done => {
              if (pc.iceGatheringState === "complete") return done();
              pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && done());
            });
            await pc.setRemoteDescription({type: "answer", sdp: await post("/offer", pc.localDescription.sdp)});
            for (;;) {
              const stats = [];
              (await pc.getStats()).forEach(s => (s.type === "transport" || s.type === "inbound-rtp") && stats.push(s));
              await post("/stats", JSON.stringify(stats));
              await new Promise(done => setTimeout(done, 500));
            }
          } catch (error) {
            await post("/error", String(error));
          }
        })();
        </script>
        """

    static func route(_ request: HTTPEndpoint.Request, local: ICEPeerDescription, signals: Signals) async -> HTTPEndpoint.Response {
        await ChromiumPage.route(request, page: page, signals: signals, answer: { try answer(to: $0, local: local) }) { request in
            guard request.method == .POST, request.path == "/stats" else { return nil }
            let stats = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [[String: Any]] ?? []
            await signals.reported(StatsReport(entries: stats))
            return .init(text: "ok\n")
        }
    }

    /// icelab's answer: its ICE credentials, candidates and fingerprint, a=setup:active,
    /// Opus in the offer's payload type, sending only, from `ssrc`.
    static func answer(to offer: SessionDescription, local: ICEPeerDescription) throws -> String {
        let fingerprint = try #require(local.fingerprint)
        let transport = TransportDescription(iceUfrag: local.credentials.ufrag, icePwd: local.credentials.password,
                                             fingerprint: Fingerprint(hashFunction: "sha-256", bytes: fingerprint.digest),
                                             candidates: local.candidates, endOfCandidates: true)
        let opus = Codec(payloadType: 111, name: "opus", clockRate: 48_000, channels: 2)
        var answer = SessionDescription.answer(to: offer, options: AnswerOptions(
            origin: Origin(sessionID: 1, sessionVersion: 1), transport: transport,
            capabilities: [.audio: MediaCapabilities(codecs: [opus], direction: .sendonly)]))
        for index in answer.media.indices where answer.media[index].kind == .audio {
            answer.media[index].append(SSRCAttribute(ssrc: ssrc, name: "cname", value: "icelab"))
        }
        return answer.serialized()
    }

    /// The ICE and DTLS parameters of the offer's first section (BUNDLE: one transport).
    static func remoteDescription(_ offer: SessionDescription) throws -> ICEPeerDescription {
        let transport = try #require(offer.mediaTransports.first)
        let ice = try #require(transport.ice)
        let fingerprint = try #require(transport.fingerprints.first { $0.hashFunction.lowercased() == "sha-256" })
        return ICEPeerDescription(credentials: .init(ufrag: ice.usernameFragment, password: ice.password),
                                  candidates: transport.candidates,
                                  fingerprint: try DTLSFingerprint(sdp: fingerprint.attributeValue), setup: transport.setup)
    }

    static func opusPayloadType(_ offer: SessionDescription) -> UInt8? {
        offer.media.first { $0.kind == .audio }?.codecs.first { $0.name.lowercased() == "opus" }?.payloadType
    }

    static func dtlsState(_ stats: [[String: Any]]) -> String? {
        stats.first { $0["type"] as? String == "transport" }?["dtlsState"] as? String
    }

    static func packetsReceived(_ stats: [[String: Any]]) -> Int {
        stats.filter { $0["type"] as? String == "inbound-rtp" }.compactMap { $0["packetsReceived"] as? Int }.reduce(0, +)
    }
}

/// One `getStats()` post of the page (JSON objects are not `Sendable`; the entries are
/// only read after being handed over).
struct StatsReport: @unchecked Sendable {
    var entries: [[String: Any]]
}

/// What the page posted: its offer, its latest statistics, an error.
actor Signals {
    private var offer: SessionDescription?
    private var waiting: [CheckedContinuation<SessionDescription?, Never>] = []
    private(set) var latest = StatsReport(entries: [])
    private(set) var pageError: String?

    func offered(_ description: SessionDescription) {
        offer = description
        for waiter in waiting { waiter.resume(returning: description) }
        waiting = []
    }

    func reported(_ report: StatsReport) { latest = report }

    func failed(_ message: String) {
        pageError = message
        for waiter in waiting { waiter.resume(returning: nil) }
        waiting = []
    }

    /// The offer, waiting up to `timeout` for it.
    func offer(within timeout: NetTypes.Duration) async -> SessionDescription? {
        if let offer { return offer }
        if pageError != nil { return nil }
        Task { [weak self] in
            try? await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
            await self?.failed("no offer within \(timeout)")
        }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
