import NIOCore
import NIOHTTP1
import NIOPosix
import NetTypes

/// A minimal HTTP/1.1 listener on SwiftNIO's NIOHTTP1: each request (head and body) goes
/// to an async handler whose response is written back, keeping the connection alive when
/// the client asks. Enough for a few fixed routes (Prometheus scrapes, a test's signalling
/// page) without a web framework (docs/operations.md).
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

    /// Listens on `endpoint`; throws `LiveError.cannotBind` when it cannot.
    public static func start(on endpoint: Endpoint, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             handler: @escaping @Sendable (Request) async -> Response) async throws -> HTTPEndpoint {
        let channel: Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(Handler(handler: handler))
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
        return HTTPEndpoint(endpoint: bound, channel: channel)
    }

    /// Stops listening (requests in flight finish).
    public func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
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
