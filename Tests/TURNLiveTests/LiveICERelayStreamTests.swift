import Foundation
import ICE
import NetTypes
import TestSupport
import Testing
import TURN
@testable import Live

/// The ICE agent on the live driver with relays reached over TCP and TLS: the agent is a
/// `StreamCore`, so `LiveICEPeer`'s driver carries its TURN clients' connections.
@Suite(.serialized, .liveNetwork) struct LiveICERelayStreamTests {
    static let timeout = NetTypes.Duration.seconds(10)

    /// Two peers gather relayed candidates from an in-process `LiveTURNServer` over
    /// `transport`, each is given only the other's relayed candidate, and they connect and
    /// echo through the relay.
    @Test(arguments: [TransportKind.tcp, .tls])
    func peersConnectThroughARelayReachedOverAStream(transport: TransportKind) async throws {
        let port = try await Subprocess.freeTCPAndUDPPort()
        let listen = Endpoint(.v4(.loopback), port)
        let certificate = try TestCertificate()
        var configuration = TURNServerConfiguration(
            listening: [listen], realm: "icelab.test", users: ["user": "secret"], relayPorts: 20000...39999,
            peerPolicy: TURNPeerPolicy(allow: [IPPrefix(.v4(.loopback), length: 8)]))
        configuration.streamListening = [listen: transport]
        configuration.tls = transport == .tls ? try certificate.serverContext() : nil
        let server = try await LiveTURNServer.start(configuration)
        let relay = ICERelayServer(endpoint: listen, username: "user", password: "secret", transport: transport,
                                   tls: transport == .tls ? try certificate.clientContext() : nil)
        let echoing = try LiveICEPeer(configuration: .init(role: .controlling, relayServers: [relay], echo: true))
        let sending = try LiveICEPeer(configuration: .init(role: .controlled, relayServers: [relay]))
        let offer = try await echoing.start(timeout: Self.timeout)
        let answer = try await sending.start(timeout: Self.timeout)
        let offerRelayed = ICEPeerDescription(credentials: offer.credentials, candidates: offer.candidates.filter { $0.type == .relay })
        let answerRelayed = ICEPeerDescription(credentials: answer.credentials, candidates: answer.candidates.filter { $0.type == .relay })
        #expect(offerRelayed.candidates.count == 1 && answerRelayed.candidates.count == 1, "\(offer.jsonLine) \(answer.jsonLine)")

        async let controlling = echoing.connect(remote: answerRelayed, timeout: Self.timeout)
        async let controlled = sending.connect(remote: offerRelayed, timeout: Self.timeout)
        let results = try await [controlling, controlled]
        for result in results { #expect(result.isConnected, "\(result.jsonLine)") }
        let reply = await sending.sendUntilReply(Array("through the relay".utf8), timeout: Self.timeout)
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } == "through the relay")

        let (sockets, _, connections) = await server.socketCounters()
        #expect(sockets.streamsAccepted == 2 && connections == 2, "\(sockets)")
        let counters = await server.counters()
        #expect(counters.allocationsActive == 2 && counters.packetsToPeers > 0, "\(counters)")
        await echoing.close()
        await sending.close()
        await server.stop()
    }
}
