import NIOCore
import NIOPosix
import NetTypes
import STUN

/// RFC 5780 NAT behavior discovery from this machine against a live STUN server.
public enum LiveNATProbe {
    /// Runs discovery from `local` (nil: the address the kernel would use to reach the
    /// server, with an ephemeral port) and returns the report.
    public static func run(server: Endpoint, local: Endpoint? = nil,
                           configuration: STUNTransactionConfiguration = .init(),
                           group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> NATBehaviorReport {
        let source: Endpoint
        if let local {
            source = local
        } else {
            source = Endpoint(try await sourceAddressTowards(server, group: group), 0)
        }
        let eventLoop = group.next()
        let result = eventLoop.makePromise(of: NATBehaviorReport.self)
        let placeholder = NATBehaviorDiscovery(local: source, server: server, configuration: configuration,
                                               rng: Xoshiro256(seed: UInt64.random(in: .min ... .max)))
        let driver = UDPCoreDriver(core: placeholder, eventLoop: eventLoop) { event, _ in
            if case .finished(let report) = event { result.succeed(report) }
        }
        let bound = try await driver.bind(source)
        let seed = UInt64.random(in: .min ... .max)
        _ = driver.withCore { core, now in
            core = NATBehaviorDiscovery(local: bound, server: server, configuration: configuration, rng: Xoshiro256(seed: seed))
            core.start(now: now)
        }
        let report = try await result.futureResult.get()
        await driver.close()
        return report
    }

    /// The local address the kernel picks as source for packets to `destination`.
    static func sourceAddressTowards(_ destination: Endpoint, group: EventLoopGroup) async throws -> IPAddress {
        let any = destination.address.family == .ipv4 ? "0.0.0.0" : "::"
        let channel = try await DatagramBootstrap(group: group).bind(host: any, port: 0).get()
        defer { channel.close(promise: nil) }
        try await channel.connect(to: try destination.socketAddress()).get()
        guard let address = channel.localAddress, let endpoint = Endpoint(address) else {
            throw LiveError.noRoute(destination)
        }
        return endpoint.address
    }
}
