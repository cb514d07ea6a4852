import NIOCore
import NIOHTTP1
import NIOPosix
import NetTypes
import TLS

/// A minimal HTTP/1.1 listener on SwiftNIO's NIOHTTP1: each request (head and body) goes
/// to an async handler whose response is written back, keeping the connection alive when
/// the client asks. Enough for a few fixed routes (Prometheus scrapes, a test's signalling
/// page) without a web framework (docs/operations.md). With `tls`, connections speak HTTPS
/// (`TLSStreamHandler`); with `upgraders`, a request may switch protocols (WebSocket,
/// RFC 6455 §4.2), after which the handler no longer sees that connection.
public final class HTTPEndpoint: Sendable {
    /// One request as the handler sees it.
    public struct Request: Sendable {
        public var method: HTTPMethod
        /// The path, without the query.
        public var path: String
        public var body: [UInt8]
    }

    /// The handler's answer.
    public struct Response: Sendable {
        public var status: HTTPResponseStatus
        public var contentType: String
        public var body: [UInt8]

        public init(status: HTTPResponseStatus = .ok, contentType: String = "text/plain; charset=utf-8", body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        public init(status: HTTPResponseStatus = .ok, contentType: String = "text/plain; charset=utf-8", text: String) {
            self.init(status: status, contentType: contentType, body: Array(text.utf8))
        }
    }

    /// Request bodies beyond this are refused with 413 (bounded memory per connection).
    public static let maximumBodySize = 1 << 20

    /// The bound endpoint (port 0 asks for an ephemeral port).
    public let endpoint: Endpoint
    private let channel: Channel

    private init(endpoint: Endpoint, channel: Channel) {
        self.endpoint = endpoint
        self.channel = channel
    }

    /// A connection's buffer of unsent bytes: above `high` the channel turns unwritable
    /// (a signaling client that does not read is closed then), below `low` writable again.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 64 * 1024, high: 256 * 1024)

    /// Listens on `endpoint`; throws `LiveError.cannotBind` when it cannot.
    public static func start(on endpoint: Endpoint, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, tls: TLSContext? = nil,
                             upgraders: [any HTTPServerProtocolUpgrader & Sendable] = [], idleTimeout: TimeAmount = defaultIdleTimeout,
                             handler: @escaping @Sendable (Request) async -> Response) async throws -> HTTPEndpoint {
        let channel: Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: writeBufferWaterMark)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try configure(channel, tls: tls, upgraders: upgraders, idleTimeout: idleTimeout, handler: handler) }
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
        return HTTPEndpoint(endpoint: bound, channel: channel)
    }

    /// The name of the request handler, removed when a connection upgrades.
    private static let handlerName = "icelab-http"
    /// The name of the idle timer, removed when a connection upgrades.
    private static let idleName = "icelab-http-idle"

    /// By default a connection that sends nothing for this long (no request, or a TLS
    /// handshake or request head that stalls) is closed, so idle connections do not pile
    /// up; an upgraded WebSocket is bounded by its own server instead.
    public static let defaultIdleTimeout = TimeAmount.seconds(60)

    /// A new connection's pipeline: TLS first when given, HTTP/1 with the upgraders, the handler.
    private static func configure(_ channel: Channel, tls: TLSContext?, upgraders: [any HTTPServerProtocolUpgrader & Sendable],
                                  idleTimeout: TimeAmount, handler: @escaping @Sendable (Request) async -> Response) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout), name: idleName)
        if let tls { try pipeline.addHandler(TLSStreamHandler(context: tls)) }
        var upgrade: NIOHTTPServerUpgradeConfiguration?
        if !upgraders.isEmpty {
            upgrade = (upgraders: upgraders, completionHandler: { context in
                context.pipeline.removeHandler(name: handlerName, promise: nil)
                context.pipeline.removeHandler(name: idleName, promise: nil)
            })
        }
        try pipeline.configureHTTPServerPipeline(withServerUpgrade: upgrade)
        try pipeline.addHandler(Handler(handler: handler), name: handlerName)
    }

    /// Stops listening (requests in flight finish).
    public func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private let handler: @Sendable (Request) async -> Response
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []
        private var tooLarge = false

        init(handler: @escaping @Sendable (Request) async -> Response) { self.handler = handler }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
                tooLarge = false
            case .body(var bytes):
                if body.count + bytes.readableBytes > HTTPEndpoint.maximumBodySize { tooLarge = true; return }
                body += bytes.readBytes(length: bytes.readableBytes) ?? []
            case .end:
                guard let head else { return }
                self.head = nil
                if tooLarge { return write(Response(status: .payloadTooLarge, text: "request body too large\n"), head, context) }
                let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                let request = Request(method: head.method, path: path, body: body)
                let promise = context.eventLoop.makePromise(of: Response.self)
                promise.completeWithTask { [handler] in await handler(request) }
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                promise.futureResult.whenSuccess { response in
                    let (handler, context) = loopBound.value
                    handler.write(response, head, context)
                }
            }
        }

        /// The idle timer fired: no bytes for the idle timeout.
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
            context.close(promise: nil)
        }

        private func write(_ response: Response, _ request: HTTPRequestHead, _ context: ChannelHandlerContext) {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            var headers = HTTPHeaders([("Content-Type", response.contentType), ("Content-Length", String(buffer.readableBytes))])
            if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))), promise: nil)
            if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !request.isKeepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
        }
    }
}
