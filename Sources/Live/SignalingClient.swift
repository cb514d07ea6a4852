import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import NetTypes
import TLS

/// A WebSocket client (RFC 6455) of `signal-server` on SwiftNIO, for `ice-peer --signal`
/// and the tests: connects to `/ws` (over TLS with the project's `TLSSession` when given a
/// client context), sends masked text or binary frames, and hands out what the server
/// sends as `Event`s in order (a mailbox: a timed-out wait loses nothing).
public final class SignalingClient: Sendable {
    public enum Event: Equatable, Sendable {
        case text(String)
        case close(code: UInt16, reason: String)
        /// The connection ended.
        case ended
    }

    /// The connection (tests pause its reads).
    public let channel: Channel
    private let mailbox: Mailbox

    private init(channel: Channel, mailbox: Mailbox) {
        self.channel = channel
        self.mailbox = mailbox
    }

    /// Connects and upgrades; throws when the server does not switch protocols.
    public static func connect(to endpoint: Endpoint, tls: TLSContext? = nil, path: String = "/ws") async throws -> SignalingClient {
        let mailbox = Mailbox()
        let upgraded = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 24, automaticErrorHandling: false) { channel, _ in
                        channel.pipeline.removeHandler(name: UpgradeRequest.name).flatMapThrowing {
                            try channel.pipeline.syncOperations.addHandler(Collector(mailbox))
                            upgraded.succeed()
                        }
                    }
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(TLSStreamHandler(context: tls)) }
                    try pipeline.addHTTPClientHandlers(withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try pipeline.addHandler(UpgradeRequest(host: endpoint.description, path: path, failed: upgraded), name: UpgradeRequest.name)
                }
            }
            .connect(to: try endpoint.socketAddress()).get()
        channel.closeFuture.whenComplete { _ in
            mailbox.put(.ended)
            upgraded.fail(ChannelError.ioOnClosedChannel)
        }
        try await upgraded.futureResult.get()
        return SignalingClient(channel: channel, mailbox: mailbox)
    }

    public func send(_ text: String) async throws {
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: channel.allocator.buffer(string: text)))
    }

    public func sendBinary(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: channel.allocator.buffer(bytes: bytes)))
    }

    /// The next event, or nil after `seconds`.
    public func next(within seconds: Double = 10) async -> Event? {
        await mailbox.next(within: seconds, on: channel.eventLoop)
    }

    /// The next text message parsed as a JSON object (skipping nothing).
    public func nextMessage(within seconds: Double = 10) async -> [String: Any]? {
        guard case .text(let text)? = await next(within: seconds) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    /// Events until the server closes: the close frame's code and reason (nil if none came).
    public func closeFrame(within seconds: Double = 10) async -> (code: UInt16, reason: String)? {
        while let event = await next(within: seconds) {
            switch event {
            case .close(let code, let reason): return (code, reason)
            case .ended: return nil
            case .text: continue
            }
        }
        return nil
    }

    /// Sends a close frame with `code` (RFC 6455 §5.5.1); the server answers with its own.
    public func sendClose(code: UInt16) async throws {
        var data = channel.allocator.buffer(capacity: 2)
        data.writeInteger(code)
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data))
    }

    public func close() async { try? await channel.close() }

    /// Events in arrival order, and at most one waiter with a time limit.
    private final class Mailbox: @unchecked Sendable {
        private let lock = NSLock()
        private var queue: [Event] = []
        private var waiter: (id: Int, continuation: CheckedContinuation<Event?, Never>)?
        private var waits = 0

        func put(_ event: Event) {
            let resumed: CheckedContinuation<Event?, Never>? = lock.withLock {
                if let waiter {
                    self.waiter = nil
                    return waiter.continuation
                }
                queue.append(event)
                return nil
            }
            resumed?.resume(returning: event)
        }

        /// The next event, or nil after `seconds`; the timer is cancelled when an event comes first.
        func next(within seconds: Double, on loop: EventLoop) async -> Event? {
            var timer: Scheduled<Void>?
            let event = await withCheckedContinuation { (continuation: CheckedContinuation<Event?, Never>) in
                let (ready, id): (Event?, Int?) = lock.withLock {
                    if !queue.isEmpty { return (queue.removeFirst(), nil) }
                    waits += 1
                    waiter = (waits, continuation)
                    return (nil, waits)
                }
                guard let id else { return continuation.resume(returning: ready) }
                timer = loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
                    let expired: CheckedContinuation<Event?, Never>? = self.lock.withLock {
                        guard let waiter = self.waiter, waiter.id == id else { return nil }
                        self.waiter = nil
                        return waiter.continuation
                    }
                    expired?.resume(returning: nil)
                }
            }
            timer?.cancel()
            return event
        }
    }

    /// Sends the upgrade request once the channel is active; removed by the upgrade.
    private final class UpgradeRequest: ChannelInboundHandler, RemovableChannelHandler {
        static let name = "upgrade-request"
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart
        let host: String, path: String
        let failed: EventLoopPromise<Void>

        init(host: String, path: String, failed: EventLoopPromise<Void>) {
            self.host = host
            self.path = path
            self.failed = failed
        }

        func channelActive(context: ChannelHandlerContext) {
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["Host": host, "Content-Length": "0"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            context.fireChannelActive()
        }

        /// A response reaching here means the server did not upgrade.
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            failed.fail(ChannelError.inappropriateOperationForState)
            context.close(promise: nil)
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            failed.fail(error)
            context.close(promise: nil)
        }
    }

    /// Turns frames into events.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = WebSocketFrame
        let mailbox: Mailbox
        init(_ mailbox: Mailbox) { self.mailbox = mailbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .text:
                mailbox.put(.text(frame.data.readString(length: frame.data.readableBytes) ?? ""))
            case .connectionClose:
                let code = frame.data.readInteger(as: UInt16.self) ?? 1005
                mailbox.put(.close(code: code, reason: frame.data.readString(length: frame.data.readableBytes) ?? ""))
            default:
                break
            }
        }
    }
}
