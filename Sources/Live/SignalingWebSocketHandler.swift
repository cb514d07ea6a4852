import NIOCore
import NIOWebSocket
import Signaling

/// One signaling client's WebSocket (after `NIOWebSocketFrameAggregator`, so each frame
/// here is a whole message): text to the hub, binary refused, pings answered (RFC 6455
/// §5.5.2), a close answered and the client disconnected. Frame errors refuse the client
/// (a message above the size limit as too large, others as malformed); a failed
/// connection just disconnects it.
final class SignalingWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let hub: SignalingHub
    private var client: SignalingClientID?

    init(hub: SignalingHub) { self.hub = hub }

    func handlerAdded(context: ChannelHandlerContext) {
        client = hub.connect(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let client else { return }
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            hub.receive(text: payload.readBytes(length: payload.readableBytes) ?? [], from: client)
        case .binary:
            hub.receiveBinary(from: client)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            // Answer with the client's status code (RFC 6455 §5.5.1), then close.
            hub.disconnect(client)
            self.client = nil
            var payload = frame.unmaskedData
            let code = payload.readSlice(length: min(2, payload.readableBytes)) ?? ByteBuffer()
            let echo = WebSocketFrame(fin: true, opcode: .connectionClose, data: code)
            context.writeAndFlush(wrapOutboundOut(echo)).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let client { hub.disconnect(client) }
        client = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let client else { return context.close(promise: nil) }
        self.client = nil
        switch error {
        case NIOWebSocketError.invalidFrameLength, NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge,
             NIOWebSocketFrameAggregator.Error.tooManyFragments:
            hub.refuse(client, .tooLarge(0))
        case is NIOWebSocketError, is NIOWebSocketFrameAggregator.Error:
            hub.refuse(client, .malformed("bad WebSocket frame"))
        default:
            // The connection failed (reset, TLS): no refusal, just gone.
            hub.disconnect(client)
            context.close(promise: nil)
        }
    }
}
