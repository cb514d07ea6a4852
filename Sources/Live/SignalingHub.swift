import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import NetTypes
import Signaling

/// The thin NIO glue around `SignalingRooms`: one lock around the rooms and the channel
/// of each client; every input is followed by a full drain into a list of writes, done
/// after the lock is released (a write on the caller's own event loop runs at once and may
/// call back into the hub, e.g. a close's `channelInactive`). Each client's messages are
/// handled in order on its channel's loop, so what one sender relays arrives in order. A
/// client whose channel is not writable (its unsent bytes passed
/// `HTTPEndpoint.writeBufferWaterMark`) is refused as a slow reader instead of being
/// buffered for.
final class SignalingHub: Sendable {
    private struct State {
        var rooms: SignalingRooms
        var channels: [SignalingClientID: Channel] = [:]
    }
    /// A write the drain decided on.
    private enum Write {
        case frame(Channel, WebSocketFrame)
        case close(Channel, WebSocketFrame)
    }
    private let state: NIOLockedValueBox<State>

    init(limits: SignalingLimits) { state = NIOLockedValueBox(State(rooms: SignalingRooms(limits: limits))) }

    /// What the rooms have done so far.
    var counters: SignalingCounters { state.withLockedValue { $0.rooms.counters } }

    /// A new WebSocket connection on `channel`: its id.
    func connect(_ channel: Channel) -> SignalingClientID {
        let (id, writes) = state.withLockedValue { state in
            let id = state.rooms.connect(now: .liveNow)
            state.channels[id] = channel
            return (id, Self.drain(&state))
        }
        Self.perform(writes)
        return id
    }

    func receive(text: [UInt8], from client: SignalingClientID) {
        update { $0.rooms.receive(text: text, from: client, now: .liveNow) }
    }

    func receiveBinary(from client: SignalingClientID) {
        update { $0.rooms.receiveBinary(from: client) }
    }

    func refuse(_ client: SignalingClientID, _ refusal: SignalingRefusal) {
        update { $0.rooms.refuse(client, refusal) }
    }

    func disconnect(_ client: SignalingClientID) {
        update { state in
            state.rooms.disconnect(client)
            state.channels[client] = nil
        }
    }

    /// Closes every client with 1001 "going away" (RFC 6455 §7.4.1): the server stops.
    func closeAll() {
        let channels = state.withLockedValue { state in
            defer { state.channels.removeAll() }
            return Array(state.channels.values)
        }
        Self.perform(channels.map { channel in
            var data = channel.allocator.buffer(capacity: 32)
            data.writeInteger(UInt16(1001))
            data.writeString("server stopping")
            return .close(channel, WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
        })
    }

    /// One input to the rooms, then the drain's writes.
    private func update(_ input: (inout State) -> Void) {
        let writes = state.withLockedValue { state in
            input(&state)
            return Self.drain(&state)
        }
        Self.perform(writes)
    }

    /// Turns the rooms' outputs into writes; a recipient that does not read is refused
    /// (which may queue more outputs: drained in the same loop).
    private static func drain(_ state: inout State) -> [Write] {
        var writes: [Write] = []
        while let output = state.rooms.poll() {
            switch output {
            case .send(let client, let text):
                guard let channel = state.channels[client] else { continue }
                guard channel.isWritable else {
                    state.rooms.refuse(client, .slowReader)
                    continue
                }
                writes.append(.frame(channel, WebSocketFrame(fin: true, opcode: .text, data: channel.allocator.buffer(string: text))))
            case .close(let client, let refusal):
                guard let channel = state.channels.removeValue(forKey: client) else { continue }
                var data = channel.allocator.buffer(capacity: 2 + 123)
                data.writeInteger(refusal.closeCode)
                data.writeString(String(refusal.description.utf8.prefix(123)) ?? "")
                writes.append(.close(channel, WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            }
        }
        return writes
    }

    private static func perform(_ writes: [Write]) {
        for write in writes {
            switch write {
            case .frame(let channel, let frame):
                channel.writeAndFlush(frame, promise: nil)
            case .close(let channel, let frame):
                channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
