import Foundation
import NetTypes
import SDP
import TestSupport
import Testing
@testable import Live

/// The loopback HTTP routes a headless Chromium test page talks to: `GET /` serves the
/// page, `POST /offer` takes its SDP offer and returns the test's answer, `POST /error`
/// records what went wrong in the page; any other request goes to `other`.
enum ChromiumPage {
    static func route(_ request: HTTPEndpoint.Request, page: String, signals: Signals,
                      answer: (SessionDescription) throws -> String,
                      other: (HTTPEndpoint.Request) async -> HTTPEndpoint.Response?) async -> HTTPEndpoint.Response {
        let text = String(decoding: request.body, as: UTF8.self)
        switch (request.method, request.path) {
        case (.GET, "/"):
            return .init(contentType: "text/html; charset=utf-8", text: page)
        case (.POST, "/offer"):
            do {
                let offer = try SessionDescription(parsing: text)
                let answered = try answer(offer)
                await signals.offered(offer)
                return .init(contentType: "application/sdp", text: answered)
            } catch {
                await signals.failed("bad offer: \(error)")
                return .init(status: .badRequest, text: "\(error)\n")
            }
        case (.POST, "/error"):
            await signals.failed(text)
            return .init(text: "ok\n")
        default:
            return await other(request) ?? .init(status: .notFound, text: "not found\n")
        }
    }

    /// Serves `page` (with `route`) on a loopback `HTTPEndpoint`, opens it in headless
    /// Chromium and runs `exchange`; then stops Chromium (and waits for it, then removes
    /// its profile), `peer` and the endpoint whether the exchange passes, fails or throws.
    static func run(peer: LiveICEPeer, route: @escaping @Sendable (HTTPEndpoint.Request) async -> HTTPEndpoint.Response,
                    exchange: () async throws -> Void) async throws {
        let endpoint = try await HTTPEndpoint.start(on: Endpoint(.v4(.loopback), 0), handler: route)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("icelab-chromium-\(UUID().uuidString)")
        let browser: ChildProcess
        do {
            browser = try ChildProcess(try #require(Chromium.executable),
                                       ChromiumDTLSInteropTests.flags(profile: profile) + ["http://\(endpoint.endpoint)/"])
        } catch {
            await peer.close()
            await endpoint.stop()
            throw error
        }
        var failure: (any Error)?
        do { try await exchange() } catch { failure = error }
        browser.process.terminate()
        _ = await browser.exitStatus()
        try? FileManager.default.removeItem(at: profile)
        await peer.close()
        await endpoint.stop()
        if let failure { throw failure }
    }
}
