import NIOCore
import TLS

/// Terminates TLS on a NIO stream channel with the project's sans-IO `TLSSession` (the
/// same OpenSSL-on-memory-BIOs session `turn-server --listen-tls` uses): ciphertext read
/// from the socket goes into the session and the plaintext it yields goes up the pipeline;
/// plaintext written by the handlers above goes out encrypted. Placed first in a child
/// channel's pipeline, it gives any byte-stream protocol above it (HTTP, WebSocket) TLS
/// without swift-nio-ssl. A failed or closed session closes the channel. The role is the
/// context's: a client sends its ClientHello when the channel becomes active.
final class TLSStreamHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let session: TLSSession

    /// A session on `context` with system randomness; `serverName` for a client's SNI and
    /// name check.
    init(context: TLSContext, serverName: String? = nil) {
        session = TLSSession(context: context, randomness: .system, serverName: serverName)
    }

    func channelActive(context: ChannelHandlerContext) {
        session.start(now: .liveNow)
        drain(context, promise: nil)
        context.flush()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        session.receive(buffer.readBytes(length: buffer.readableBytes) ?? [], now: .liveNow)
        drain(context, promise: nil)
        context.flush()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        session.send(buffer.readBytes(length: buffer.readableBytes) ?? [], now: .liveNow)
        drain(context, promise: promise)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        session.close(now: .liveNow)
        drain(context, promise: nil)
        context.flush()
        context.close(mode: mode, promise: promise)
    }

    /// Moves the session's outputs: records to the socket (the last one completes
    /// `promise`), plaintext up the pipeline; an ended session closes the channel.
    private func drain(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        var records: [[UInt8]] = []
        var ended = false
        while let output = session.poll() {
            switch output {
            case .transmit(let bytes): records.append(bytes)
            case .received(let plaintext): context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: plaintext)))
            case .established: break
            case .closed, .failed: ended = true
            }
        }
        for (index, record) in records.enumerated() {
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: record)), promise: index == records.count - 1 ? promise : nil)
        }
        if records.isEmpty { promise?.succeed() }
        if ended {
            context.flush()
            context.close(promise: nil)
        }
    }
}
