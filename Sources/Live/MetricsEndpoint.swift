import NIOCore
import NIOPosix
import NetTypes

/// A minimal HTTP/1.1 listener for Prometheus scrapes: `GET /metrics` answers the text
/// exposition format `render` produces (read on each scrape); any other path is 404, any
/// other method 405. An `HTTPEndpoint` with one read-only route (docs/operations.md).
public final class MetricsEndpoint: Sendable {
    private let http: HTTPEndpoint

    /// The bound endpoint (port 0 asks for an ephemeral port).
    public var endpoint: Endpoint { http.endpoint }

    private init(http: HTTPEndpoint) { self.http = http }

    /// The exposition format's content type (Prometheus text format 0.0.4).
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Listens on `endpoint`; throws `LiveError.cannotBind` when it cannot.
    public static func start(on endpoint: Endpoint, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             render: @escaping @Sendable () async -> String) async throws -> MetricsEndpoint {
        MetricsEndpoint(http: try await HTTPEndpoint.start(on: endpoint, group: group) { request in
            guard request.method == .GET || request.method == .HEAD else { return .init(status: .methodNotAllowed, text: "method not allowed\n") }
            guard request.path == "/metrics" else { return .init(status: .notFound, text: "not found: try /metrics\n") }
            return .init(contentType: contentType, text: await render())
        })
    }

    /// Stops listening (scrapes in flight finish).
    public func stop() async { await http.stop() }
}
