import NetTypes
import TestSupport
import Testing
@testable import Live

/// `HTTPEndpoint` on loopback: the handler sees method, path and body and its response
/// goes back; a body beyond the limit is refused before the handler runs.
@Suite(.liveNetwork) struct HTTPEndpointTests {
    @Test func requestsReachTheHandlerAndItsResponsesGoBack() async throws {
        let server = try await HTTPEndpoint.start(on: Endpoint(.v4(.loopback), 0)) { request in
            guard request.method == .POST, request.path == "/echo" else { return .init(status: .notFound, text: "no\n") }
            return .init(contentType: "application/octet-stream", body: request.body.reversed())
        }
        let base = "http://\(server.endpoint)"
        let echoed = try await LoopbackHTTP.post(base + "/echo?x=1", body: [1, 2, 3, 250])
        #expect(echoed.body == [250, 3, 2, 1])
        #expect(echoed.headers["content-type"] == "application/octet-stream")

        let missing = try await LoopbackHTTP.get(base + "/other")
        #expect(missing.status == 404)

        let refused = try await LoopbackHTTP.post(base + "/echo", body: [UInt8](repeating: 0, count: HTTPEndpoint.maximumBodySize + 1))
        #expect(refused.status == 413)
        await server.stop()
    }
}
