import NetTypes
import STUN
import Testing
@testable import TURN

/// The TURN client's timer table: the reported deadline is its earliest timer, and each
/// has a name.
@Suite struct ClientTimerTests {
    @Test func anAllocatedClientArmsItsRefreshesAndAReleasedOneNone() throws {
        var relay = Relay()
        let alice = relay.addClient(Relay.clientConfiguration("192.0.2.10:4000"))
        // Allocated for 600 s: the refresh is due one margin (60 s) before expiry.
        var next = try #require(relay.clients[alice]?.nextTimer)
        #expect(next.timer == .refresh && next.deadline == relay.now + .seconds(540))
        relay.withClient(alice) { client, now in _ = client.bindChannel(to: ClientServerTests.peer, now: now) }
        // The permission (300 s) and channel (600 s) refreshes come first.
        next = try #require(relay.clients[alice]?.nextTimer)
        #expect(next.timer == .permissionRefresh && next.deadline < relay.now + .seconds(300))
        var client = try #require(relay.clients[alice])
        if case .timeout(let deadline) = client.pollOutput() { #expect(deadline == next.deadline) } else { Issue.record("outputs pending") }
        // Released (the server answers at once here): no timer is left.
        relay.withClient(alice) { client, now in client.release(now: now) }
        client = try #require(relay.clients[alice])
        #expect(client.nextTimer == nil)
    }
}
