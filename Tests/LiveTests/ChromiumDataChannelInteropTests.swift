import DataChannel
import Foundation
import NetTypes
import SCTP
import SDP
import TestSupport
import Testing
@testable import Live

/// Data channels against headless Chromium (libwebrtc: BoringSSL DTLS, dcSCTP) on
/// loopback. The page makes an RTCPeerConnection with `createDataChannel("from-page")` and
/// POSTs its offer (an `m=application … UDP/DTLS/SCTP webrtc-datachannel` section); the
/// test answers with the SDP module (a=sctp-port, a=max-message-size, a=setup:active) and
/// runs `LiveICEPeer` with data channels, echoing. The page sends a multi-megabyte blob,
/// hashes what comes back with crypto.subtle.digest and POSTs both SHA-256s to `/result`;
/// icelab opens "from-icelab", which the page receives in `ondatachannel`, answers and
/// reports to `/received`.
@Suite(.serialized, .bulkTransfer, .enabled(if: Chromium.executable != nil, "chromium is missing (Debian package chromium)"))
struct ChromiumDataChannelInteropTests {
    static let timeout = NetTypes.Duration.seconds(60)   // generous: CI loads both cores
    static let blobSize = 3 * 1024 * 1024 + 4_321

    @Test func chromiumSendsABlobThatIcelabEchoesAndReceivesAChannelIcelabOpens() async throws {
        let peer = try LiveICEPeer(configuration: .init(role: .controlled, echo: true, dtls: .active, dataChannels: SCTPConfiguration()))
        let local = try await peer.start(timeout: Self.timeout)
        let signals = Signals()
        let posts = PagePosts()
        let route: @Sendable (HTTPEndpoint.Request) async -> HTTPEndpoint.Response = { request in
            await ChromiumPage.route(request, page: Self.page, signals: signals, answer: { try Self.answer(to: $0, local: local) }) { request in
                guard request.method == .POST, ["/result", "/received"].contains(request.path) else { return nil }
                await posts.posted(request.path, String(decoding: request.body, as: UTF8.self))
                return .init(text: "ok\n")
            }
        }
        try await ChromiumPage.run(peer: peer, route: route) { try await Self.exchange(peer, signals, posts) }
    }

    private static func exchange(_ peer: LiveICEPeer, _ signals: Signals, _ posts: PagePosts) async throws {
        let posted = await signals.offer(within: timeout)
        let pageError = await signals.pageError
        let offer = try #require(posted, "the page posted no offer: \(pageError ?? "no error posted")")
        var remote = try ChromiumDTLSInteropTests.remoteDescription(offer)
        let application = try #require(offer.media.first { $0.kind == .application }, "no m=application in the offer")
        #expect(application.transportProtocol == "UDP/DTLS/SCTP" && application.formats == ["webrtc-datachannel"])
        remote.sctpPort = application.sctpPort
        remote.maxMessageSize = application.maxMessageSize.map(Int.init)
        let result = try await peer.connect(remote: remote, timeout: timeout)
        #expect(result.isConnected, "\(result.jsonLine)")
        let secured = try await peer.secure(timeout: timeout)
        #expect(secured.state == .connected && secured.role == .client, "\(secured.jsonLine)")
        #expect(try await peer.dataChannelsReady(timeout: timeout), "no SCTP association with Chromium")

        let mine = try await peer.openChannel(DataChannelParameters(label: "from-icelab"))
        #expect(try await peer.channel(id: mine, timeout: timeout) != nil, "Chromium did not acknowledge from-icelab")
        try await peer.sendMessage(Array("hello page".utf8), isString: true, on: mine)
        let received = try #require(await posts.post("/received", within: timeout), "the page reported no channel")
        #expect(received == "from-icelab:hello page")
        let answer = await peer.receiveText(timeout: timeout)
        #expect(answer?.channel == mine && answer?.text == "page got: hello page")

        let posted2 = await posts.post("/result", within: timeout)
        let report = try #require(posted2.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] },
                                  "the page posted no result: \(posted2 ?? "")")
        let sent = try #require(report["sent_sha256"] as? String)
        #expect(report["bytes"] as? Int == blobSize && report["echoed_bytes"] as? Int == blobSize)
        #expect(report["echoed_sha256"] as? String == sent, "the echo's hash, by crypto.subtle.digest")
        let channel = try #require(try await peer.channel(labelled: "from-page", timeout: timeout))
        let tally = try #require(try await peer.tally(of: channel.id))
        #expect(tally.bytes == blobSize && tally.sha256 == sent, "icelab hashed what it received")
    }

    static let page = """
        <!doctype html><meta charset="utf-8"><title>icelab data channels</title>
        <script>
        const post = async (path, body) => (await fetch(path, {method: "POST", body})).text();
        const hex = buffer => [...new Uint8Array(buffer)].map(b => b.toString(16).padStart(2, "0")).join("");
        const size = \(blobSize), chunk = 16384;
        async function sendBlob(dc) {
          const blob = new Uint8Array(size);
          for (let i = 0; i < size; i += 65536) crypto.getRandomValues(blob.subarray(i, Math.min(size, i + 65536)));
          const echoed = new Uint8Array(size);
          let got = 0;
          const done = new Promise(resolve => dc.onmessage = e => {
            const part = new Uint8Array(e.data);
            echoed.set(part.subarray(0, Math.min(part.length, size - got)), got);
            got += part.length;
            if (got >= size) resolve();
          });
          dc.bufferedAmountLowThreshold = 262144;
          for (let i = 0; i < size; i += chunk) {
            if (dc.bufferedAmount > 1048576) await new Promise(r => dc.addEventListener("bufferedamountlow", r, {once: true}));
            dc.send(blob.subarray(i, Math.min(size, i + chunk)));
          }
          await done;
          const [a, b] = await Promise.all([crypto.subtle.digest("SHA-256", blob), crypto.subtle.digest("SHA-256", echoed)]);
          await post("/result", JSON.stringify({bytes: size, echoed_bytes: got, sent_sha256: hex(a), echoed_sha256: hex(b)}));
        }
        (async () => {
          try {
            const pc = new RTCPeerConnection();
            pc.ondatachannel = e => {
              const dc = e.channel;
              dc.onmessage = m => { post("/received", dc.label + ":" + m.data); dc.send("page got: " + m.data); };
            };
            const dc = pc.createDataChannel("from-page");
            dc.binaryType = "arraybuffer";
            dc.onopen = () => sendBlob(dc).catch(error => post("/error", String(error)));
            await pc.setLocalDescription(await pc.createOffer());
            await new Promise(done => {
              if (pc.iceGatheringState === "complete") return done();
              pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && done());
            });
            await pc.setRemoteDescription({type: "answer", sdp: await post("/offer", pc.localDescription.sdp)});
          } catch (error) {
            await post("/error", String(error));
          }
        })();
        </script>
        """

    /// icelab's answer: its ICE credentials, candidates and fingerprint, a=setup:active,
    /// the data channel section with icelab's SCTP port and message size.
    static func answer(to offer: SessionDescription, local: ICEPeerDescription) throws -> String {
        try local.answer(to: offer).serialized()
    }
}

/// What the page POSTed to paths other than the offer's, awaited by path.
actor PagePosts {
    private var bodies: [String: String] = [:]
    private var waiting: [String: [CheckedContinuation<String?, Never>]] = [:]

    func posted(_ path: String, _ body: String) {
        guard bodies[path] == nil else { return }
        bodies[path] = body
        for waiter in waiting.removeValue(forKey: path) ?? [] { waiter.resume(returning: body) }
    }

    private func expire(_ path: String) {
        for waiter in waiting.removeValue(forKey: path) ?? [] { waiter.resume(returning: nil) }
    }

    /// The first body POSTed to `path`, waiting up to `timeout` for it.
    func post(_ path: String, within timeout: NetTypes.Duration) async -> String? {
        if let body = bodies[path] { return body }
        Task { [weak self] in
            try? await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
            await self?.expire(path)
        }
        return await withCheckedContinuation { waiting[path, default: []].append($0) }
    }
}
