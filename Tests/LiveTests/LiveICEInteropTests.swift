import Foundation
import NetTypes
import TestSupport
import Testing
@testable import Live

/// `LiveICEPeer` against an independent ICE implementation, aioice (Python), on loopback:
/// `aioice_peer.py` speaks the same one-line JSON protocol as `icelab ice-peer`.
@Suite(.serialized, .alone, .enabled(if: PeerProcess.aioiceIsAvailable, "python3 with aioice is missing: python3 -m pip install aioice"))
struct LiveICEInteropTests {
    static let timeout = NetTypes.Duration.seconds(25)   // generous: CI loads both cores

    @Test func icelabControllingEchoesWhatAioiceSends() async throws {
        let aioice = try PeerProcess.aioice(["--role", "controlled", "--send", "hello from aioice", "--timeout", "25"])
        let peer = try LiveICEPeer(configuration: .init(role: .controlling, echo: true))
        defer { aioice.kill() }
        try await handshake(peer, aioice)
        let received = try #require(try await aioice.nextObject(), "aioice printed no reply")
        #expect(received["received"] as? String == "hello from aioice")
        aioice.closeInput()
        #expect(await aioice.exitStatus() == 0)
        await peer.close()
    }

    @Test func aioiceControllingEchoesWhatIcelabSends() async throws {
        let aioice = try PeerProcess.aioice(["--role", "controlling", "--timeout", "25"])
        let peer = try LiveICEPeer(configuration: .init(role: .controlled))
        defer { aioice.kill() }
        try await handshake(peer, aioice)
        let reply = await peer.sendUntilReply(Array("hello from icelab".utf8), timeout: Self.timeout)
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == "hello from icelab")
        aioice.closeInput()
        #expect(await aioice.exitStatus() == 0)
        await peer.close()
    }

    /// Descriptions both ways, then both connect: on the selected pair icelab sees
    /// aioice's loopback host candidate.
    private func handshake(_ peer: LiveICEPeer, _ aioice: PeerProcess) async throws {
        let local = try await peer.start(timeout: Self.timeout)
        aioice.write(local.jsonLine)
        let line = try #require(await aioice.nextLine(), "aioice printed no description")
        let remote = try ICEPeerDescription(jsonLine: line)
        #expect(!remote.candidates.isEmpty)
        let result = try await peer.connect(remote: remote, timeout: Self.timeout)
        #expect(result.isConnected, "\(result.jsonLine)")
        #expect(result.selected.map { remote.candidates.contains($0.remote) } == true, "\(result.jsonLine)")
        let state = try #require(try await aioice.nextObject(), "aioice printed no result")
        #expect(state["state"] as? String == "connected")
    }
}
