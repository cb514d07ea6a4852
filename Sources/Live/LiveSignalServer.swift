import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import NetTypes
import Signaling
import TLS

/// The WebRTC signaling server of `icelab signal-server` (docs/signaling.md): on one
/// HTTP(S) port it serves the demo page at `/`, the ICE servers at `/config` (fresh TURN
/// REST credentials each time) and upgrades `/ws` to a WebSocket (RFC 6455) whose JSON
/// messages go to `SignalingRooms`. Built on SwiftNIO's own NIOHTTP1 and NIOWebSocket and
/// the project's TLS session (`TLSStreamHandler`), no web framework.
public final class LiveSignalServer: Sendable {
    /// What the server serves and how it bounds its clients.
    public struct Configuration: Sendable {
        /// Where to listen (port 0: an ephemeral port).
        public var listen: Endpoint
        public var limits: SignalingLimits
        public var iceServers: ICEServerConfiguration
        /// With a server context, HTTPS and WSS; nil: plain HTTP and WS (loopback only:
        /// browsers allow getUserMedia on plain HTTP only for localhost).
        public var tls: TLSContext?
        /// The HTML served at `/`.
        public var page: String
        /// An HTTP connection silent this long is closed (a WebSocket is not: it waits in
        /// its room for as long as it takes).
        public var idleTimeout = HTTPEndpoint.defaultIdleTimeout

        public init(listen: Endpoint, limits: SignalingLimits = SignalingLimits(), iceServers: ICEServerConfiguration = ICEServerConfiguration(),
                    tls: TLSContext? = nil, page: String = SignalingDemoPage.html) {
            self.listen = listen
            self.limits = limits
            self.iceServers = iceServers
            self.tls = tls
            self.page = page
        }
    }

    /// The path of the WebSocket.
    public static let webSocketPath = "/ws"

    private let http: HTTPEndpoint
    private let hub: SignalingHub

    /// The bound endpoint.
    public var endpoint: Endpoint { http.endpoint }

    private init(http: HTTPEndpoint, hub: SignalingHub) {
        self.http = http
        self.hub = hub
    }

    /// Listens and serves; throws `LiveError.cannotBind` when it cannot. `route` answers
    /// requests for other paths (an embedding's own routes; nil: 404).
    public static func start(_ configuration: Configuration, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             route: (@Sendable (HTTPEndpoint.Request) async -> HTTPEndpoint.Response?)? = nil) async throws -> LiveSignalServer {
        let hub = SignalingHub(limits: configuration.limits)
        let limits = configuration.limits
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maxMessageBytes, automaticErrorHandling: false,
            shouldUpgrade: { channel, head in
                let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                return channel.eventLoop.makeSucceededFuture(path == webSocketPath ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    let aggregator = NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 64,
                                                                 maxAccumulatedFrameSize: limits.maxMessageBytes)
                    try channel.pipeline.syncOperations.addHandlers([aggregator, SignalingWebSocketHandler(hub: hub)])
                }
            })
        let page = configuration.page, iceServers = configuration.iceServers
        let http = try await HTTPEndpoint.start(on: configuration.listen, group: group, tls: configuration.tls, upgraders: [upgrader],
                                                idleTimeout: configuration.idleTimeout) { request in
            switch (request.method, request.path) {
            case (.GET, "/"), (.HEAD, "/"):
                return .init(contentType: "text/html; charset=utf-8", text: page)
            case (.GET, "/config"):
                return .init(contentType: "application/json", text: iceServers.json(atUnixTime: Int64(Date().timeIntervalSince1970)))
            default:
                return await route?(request) ?? .init(status: .notFound, text: "not found: try / or /config\n")
            }
        }
        return LiveSignalServer(http: http, hub: hub)
    }

    /// What the rooms have done so far.
    public func counters() -> SignalingCounters { hub.counters }

    /// Stops listening and closes every WebSocket (1001, going away).
    public func stop() async {
        await http.stop()
        hub.closeAll()
    }
}
