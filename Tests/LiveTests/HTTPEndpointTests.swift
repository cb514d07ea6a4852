import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
        var post = URLRequest(url: try #require(URL(string: base + "/echo?x=1")))
        post.httpMethod = "POST"
        post.httpBody = Data([1, 2, 3, 250])
        let (echoed, response) = try await URLSession.shared.data(for: post)
        #expect(Array(echoed) == [250, 3, 2, 1])
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "application/octet-stream")

        let (_, missing) = try await URLSession.shared.data(from: try #require(URL(string: base + "/other")))
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)

        var large = post
        large.httpBody = Data(count: HTTPEndpoint.maximumBodySize + 1)
        let (_, refused) = try await URLSession.shared.data(for: large)
        #expect((refused as? HTTPURLResponse)?.statusCode == 413)
        await server.stop()
    }
}
