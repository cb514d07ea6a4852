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

    /// `icelab ice-peer` accepts I-DATA by default (`SCTPInterleaving.accept`): against a
    /// peer that offers it, both use I-DATA (RFC 8260), whichever DTLS role offers, and a
    /// message larger than a packet arrives whole; two accepting peers stay with DATA.
    @Test(arguments: [(SCTPInterleaving.offer, SCTPInterleaving.accept), (.accept, .offer), (.accept, .accept)])
    func acceptingPeerUsesIDataWithAnOfferingOne(modes: (SCTPInterleaving, SCTPInterleaving)) async throws {
        var controlling = SCTPConfiguration()
        controlling.interleaving = modes.0
        var controlled = SCTPConfiguration()
        controlled.interleaving = modes.1
        let echoing = try LiveICEPeer(configuration: .init(role: .controlling, echo: true,
                                                           dtls: LiveICEPeer.Configuration.defaultSetup(for: .controlling),
                                                           dataChannels: controlling))
        let sending = try LiveICEPeer(configuration: .init(role: .controlled, dtls: LiveICEPeer.Configuration.defaultSetup(for: .controlled),
                                                           dataChannels: controlled))
        let (_, _, results) = try await LiveICEPeerTests.connect(echoing, sending)
        for result in results { #expect(result.isConnected, "\(result.jsonLine)") }
        #expect(try await sending.dataChannelsReady(timeout: Self.timeout))
        #expect(try await echoing.dataChannelsReady(timeout: Self.timeout))
        let expected = modes.0 == .offer || modes.1 == .offer
        #expect(try await sending.dataChannelsInterleave() == expected)
        #expect(try await echoing.dataChannelsInterleave() == expected)
        let id = try await sending.openChannel(DataChannelParameters(label: "idata"))
        #expect(try await sending.channel(id: id, timeout: Self.timeout) != nil)
        let text = String(repeating: "interleaved ", count: 500)
        try await sending.sendMessage(Array(text.utf8), isString: true, on: id)
        #expect(await sending.receiveText(timeout: Self.timeout)?.text == text)
        await sending.close()
        await echoing.close()
    }
}
