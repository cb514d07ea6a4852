import DataChannel
import NetTypes
import SCTP
import TestSupport
import Testing
@testable import Live

/// Two icelab peers running data channels over DTLS after ICE on loopback.
@Suite(.liveNetwork) struct LiveDataChannelPeerTests {
    static let timeout = NetTypes.Duration.seconds(20)

    /// Closing a peer ends the association gracefully (RFC 9260 §9.2): its SHUTDOWN is
    /// answered with SHUTDOWN ACK and the peer hears SHUTDOWN COMPLETE, so both report
    /// `associationClosed` — not a failure after retransmission limits — and only then does
    /// DTLS close_notify close the other side's DTLS.
    @Test func closingShutsTheAssociationDownBeforeDTLS() async throws {
        let echoing = try LiveICEPeer(configuration: .init(role: .controlling, echo: true,
                                                           dtls: LiveICEPeer.Configuration.defaultSetup(for: .controlling),
                                                           dataChannels: SCTPConfiguration()))
        let sending = try LiveICEPeer(configuration: .init(role: .controlled, dtls: LiveICEPeer.Configuration.defaultSetup(for: .controlled),
                                                           dataChannels: SCTPConfiguration()))
        let (_, _, results) = try await LiveICEPeerTests.connect(echoing, sending)
        for result in results { #expect(result.isConnected, "\(result.jsonLine)") }
        #expect(try await sending.dataChannelsReady(timeout: Self.timeout))
        #expect(try await echoing.dataChannelsReady(timeout: Self.timeout))
        let id = try await sending.openChannel(DataChannelParameters(label: "bye"))
        #expect(try await sending.channel(id: id, timeout: Self.timeout) != nil)
        try await sending.sendMessage(Array("last words".utf8), isString: true, on: id)
        #expect(await sending.receiveText(timeout: Self.timeout)?.text == "last words")

        #expect(try await echoing.dataChannelsEnded(timeout: .zero) == nil)
        await sending.close()
        #expect(try await echoing.dataChannelsEnded(timeout: Self.timeout) == .associationClosed)
        var state = try await echoing.secure(timeout: .zero).state
        for _ in 0..<100 where state != .closed {
            try await Task.sleep(for: .milliseconds(50))
            state = try await echoing.secure(timeout: .zero).state
        }
        #expect(state == .closed, "close_notify follows the shutdown")
        await echoing.close()
    }
}
