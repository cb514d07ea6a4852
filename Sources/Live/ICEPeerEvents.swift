import DTLS
import DataChannel
import ICE
import NIOCore
import NetTypes

/// What a `LiveICEPeer` learns from its agent's events, and the waits on it. Confined to
/// the driver's event loop (every method runs there), which makes the unchecked
/// `Sendable` conformance sound.
final class ICEPeerEvents: @unchecked Sendable {
    /// Received datagrams kept for `LiveICEPeer.receive` (the oldest go first beyond this).
    static let inboxLimit = 64

    private let echo: Bool
    private(set) var gatheringComplete = false
    /// When the connection attempt first reached connected, completed, failed or closed.
    private(set) var settledAt: Instant?
    /// Whether the DTLS handshake connected or failed (or the association closed).
    private(set) var dtlsSettled = false
    private(set) var inbox: [[UInt8]] = []
    /// Whether the SCTP association is up, and whether it failed or closed.
    private(set) var associationEstablished = false
    private(set) var associationEnded = false
    /// How the association ended: `associationClosed` (SHUTDOWN) or `associationFailed`.
    private(set) var associationEnd: DataChannelEvent?
    /// Data channels open now, by stream id.
    private(set) var channels: [UInt16: DataChannelInfo] = [:]
    /// What each channel received, binary messages hashed in arrival order (kept after it closes).
    private(set) var tallies: [UInt16: DataChannelTally] = [:]
    /// Text messages received and not yet taken, with their channel.
    private(set) var textInbox: [(channel: UInt16, text: String)] = []
    /// Bumped at every bufferedAmountLow, for waits on it.
    private(set) var bufferedAmountLowCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0

    init(echo: Bool) { self.echo = echo }

    /// Takes in one event of the transport; with echo on, data goes back on the selected
    /// pair (RTP re-protected).
    func handle(_ event: ICEMediaTransport.Event, driver: UDPCoreDriver<ICEMediaTransport>) {
        switch event {
        case .ice(let event):
            handle(event, driver: driver)
            return
        case .dtls(.connected), .dtls(.failed), .dtls(.closed):
            dtlsSettled = true
        case .dtls:
            return
        case .rtp(let packet):
            if echo {
                _ = driver.withCore { core, now in try? core.sendRTP(packet, now: now) }
            } else {
                keep(packet)
            }
        case .rtcp:
            return
        case .dataChannel(let event):
            handle(event, driver: driver)
        case .bufferedAmountLow:
            bufferedAmountLowCount += 1
        }
        wakeReadyWaiters()
    }

    /// Data channel events: channels come and go, messages are tallied (and with echo on,
    /// sent back on their channel as they came).
    private func handle(_ event: DataChannelEvent, driver: UDPCoreDriver<ICEMediaTransport>) {
        switch event {
        case .associationEstablished:
            associationEstablished = true
        case .associationFailed, .associationClosed:
            associationEnded = true
            associationEnd = event
        case .channelOpened(let info):
            channels[info.id] = info
            if tallies[info.id] == nil { tallies[info.id] = DataChannelTally(label: info.parameters.label) }
        case .channelClosed(let id):
            channels[id] = nil
        case .message(let id, let bytes, let isString):
            if isString {
                if textInbox.count == Self.inboxLimit { textInbox.removeFirst() }
                textInbox.append((id, String(decoding: bytes, as: UTF8.self)))
            } else {
                tallies[id, default: DataChannelTally(label: channels[id]?.parameters.label ?? "")].add(bytes)
            }
            if echo { _ = driver.withCore { core, now in try? core.sendMessage(bytes, isString: isString, on: id, now: now) } }
        }
    }

    /// The oldest text message not yet taken.
    func takeText() -> (channel: UInt16, text: String)? { textInbox.isEmpty ? nil : textInbox.removeFirst() }

    private func handle(_ event: ICEEvent, driver: UDPCoreDriver<ICEMediaTransport>) {
        switch event.kind {
        case .gatheringStateChanged(let state):
            gatheringComplete = state == .complete
        case .connectionStateChanged(let state) where settledAt == nil:
            if [.connected, .completed, .failed, .closed].contains(state) { settledAt = event.time }
        case .data(let component, let bytes, _):
            if echo {
                _ = driver.withCore { core, now in core.withAgent(now: now) { $0.send(bytes, component: component, now: now) } }
            } else {
                keep(bytes)
            }
        default:
            return
        }
        wakeReadyWaiters()
    }

    private func keep(_ bytes: [UInt8]) {
        if inbox.count == Self.inboxLimit { inbox.removeFirst() }
        inbox.append(bytes)
    }

    /// The oldest received datagram not yet taken.
    func takeDatagram() -> [UInt8]? { inbox.isEmpty ? nil : inbox.removeFirst() }

    /// Succeeds with true once `ready` holds (checked now and after every event), with
    /// false after `timeout` or when the peer closes.
    func wait(on eventLoop: any EventLoop, timeout: Duration, until ready: @escaping () -> Bool) -> EventLoopFuture<Bool> {
        if ready() { return eventLoop.makeSucceededFuture(true) }
        let promise = eventLoop.makePromise(of: Bool.self)
        let id = nextWaiterID
        nextWaiterID += 1
        let timer = eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { [self] in
            waiters.removeAll { $0.id == id }
            promise.succeed(false)
        }
        waiters.append(Waiter(id: id, ready: ready, promise: promise, timer: timer))
        return promise.futureResult
    }

    /// Ends every wait with false (the peer is closing).
    func cancelWaits() {
        end(waiters, ready: false)
    }

    private func wakeReadyWaiters() {
        end(waiters.filter { $0.ready() }, ready: true)
    }

    /// Removes `ending` from the waiters first, then completes them (their callbacks may wait again).
    private func end(_ ending: [Waiter], ready: Bool) {
        let ids = Set(ending.map(\.id))
        waiters.removeAll { ids.contains($0.id) }
        for waiter in ending {
            waiter.timer.cancel()
            waiter.promise.succeed(ready)
        }
    }

    private struct Waiter {
        let id: Int
        let ready: () -> Bool
        let promise: EventLoopPromise<Bool>
        let timer: Scheduled<Void>
    }
}
