import NIOCore
import NIOHTTP1
import NIOPosix
import NetTypes

/// A minimal HTTP/1.1 listener for Prometheus scrapes: `GET /metrics` answers the text
/// exposition format `render` produces (read on each scrape); any other path is 404, any
/// other method 405. SwiftNIO's NIOHTTP1 is enough for one read-only route, so no web
/// framework is pulled in (docs/operations.md).
public final class MetricsEndpoint: Sendable {
    /// The bound endpoint (port 0 asks for an ephemeral port).
    public let endpoint: Endpoint
    private let channel: Channel

    private init(endpoint: Endpoint, channel: Channel) {
        self.endpoint = endpoint
        self.channel = channel
    }

    /// The exposition format's content type (Prometheus text format 0.0.4).
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Listens on `endpoint`; throws `LiveError.cannotBind` when it cannot.
    public static func start(on endpoint: Endpoint, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             render: @escaping @Sendable () async -> String) async throws -> MetricsEndpoint {
        let channel: Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(Handler(render: render))
                    }
                }
                .bind(to: try endpoint.socketAddress())
                .get()
        } catch {
            throw LiveError.cannotBind(endpoint, errno: (error as? IOError)?.errnoCode)
        }
        guard let local = channel.localAddress, let bound = Endpoint(local) else {
            try? await channel.close()
            throw LiveError.cannotBind(endpoint, errno: nil)
        }
        return MetricsEndpoint(endpoint: bound, channel: channel)
    }

    /// Stops listening (scrapes in flight finish).
    public func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private let render: @Sendable () async -> String
        private var head: HTTPRequestHead?

        init(render: @escaping @Sendable () async -> String) { self.render = render }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                self.head = nil
                respond(to: head, context: context)
            }
        }

        private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            guard head.method == .GET || head.method == .HEAD else { return write(.methodNotAllowed, "method not allowed\n", head, context) }
            guard path == "/metrics" else { return write(.notFound, "not found: try /metrics\n", head, context) }
            let promise = context.eventLoop.makePromise(of: String.self)
            promise.completeWithTask(render)
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { text in
                let (handler, context) = loopBound.value
                handler.write(.ok, text, head, context, contentType: MetricsEndpoint.contentType)
            }
        }

        private func write(_ status: HTTPResponseStatus, _ body: String, _ request: HTTPRequestHead, _ context: ChannelHandlerContext,
                           contentType: String = "text/plain; charset=utf-8") {
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(buffer.readableBytes))])
            if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
            if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !request.isKeepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
        }
    }
}
