import NetTypes
@testable import STUN

/// A tiny NAT for discovery tests: one public IP, mappings and filters keyed as RFC 4787
/// describes, optional hairpinning (hairpinned packets bypass filtering).
struct FakeNAT {
    let mapping: NATMappingBehavior
    let filtering: NATFilteringBehavior
    let publicIP: IPAddress
    var hairpinning = true
    private var nextPort: UInt16 = 50_000
    private var ports: [String: UInt16] = [:]
    private var internalEndpoint: [UInt16: Endpoint] = [:]
    private var contacted: [UInt16: Set<Endpoint>] = [:]

    init(mapping: NATMappingBehavior, filtering: NATFilteringBehavior, publicIP: IPAddress) {
        self.mapping = mapping
        self.filtering = filtering
        self.publicIP = publicIP
    }

    /// Translates an outgoing datagram's source, creating a mapping as needed.
    mutating func outbound(_ datagram: Datagram) -> Datagram {
        let d = datagram.destination
        let key: String
        switch mapping {
        case .endpointIndependent: key = "\(datagram.source)"
        case .addressDependent: key = "\(datagram.source)>\(d.address)"
        case .addressAndPortDependent: key = "\(datagram.source)>\(d)"
        }
        let port = ports[key] ?? {
            nextPort += 1
            ports[key] = nextPort
            internalEndpoint[nextPort] = datagram.source
            return nextPort
        }()
        contacted[port, default: []].insert(d)
        var out = datagram
        out.source = Endpoint(publicIP, port)
        return out
    }

    /// Translates an incoming datagram's destination, or nil when the filter drops it.
    func inbound(_ datagram: Datagram, hairpinned: Bool = false) -> Datagram? {
        guard datagram.destination.address == publicIP, let target = internalEndpoint[datagram.destination.port] else { return nil }
        let seen = contacted[datagram.destination.port] ?? []
        if !hairpinned {
            switch filtering {
            case .endpointIndependent: break
            case .addressDependent: guard seen.contains(where: { $0.address == datagram.source.address }) else { return nil }
            case .addressAndPortDependent: guard seen.contains(datagram.source) else { return nil }
            }
        }
        var out = datagram
        out.destination = target
        return out
    }
}

/// Client, optional NAT and STUN server wired together with zero latency, run in
/// virtual time until discovery finishes.
struct DiscoveryNetwork {
    var nat: FakeNAT?
    var server: STUNServer
    var client: NATBehaviorDiscovery

    init(nat: FakeNAT?, local: Endpoint, serverConfiguration: STUNServerConfiguration) {
        self.nat = nat
        server = STUNServer(configuration: serverConfiguration)
        client = NATBehaviorDiscovery(local: local, server: serverConfiguration.primary, rng: Xoshiro256(seed: 3))
    }

    mutating func run() -> (NATBehaviorReport?, Instant) {
        var now = Instant.zero
        client.start(now: now)
        for _ in 0..<1_000 {
            let out = client.drain()
            if case .finished(let report) = out.events.first { return (report, now) }
            var inFlight = out.transmits
            while !inFlight.isEmpty {
                let datagram = inFlight.removeFirst()
                inFlight += deliver(datagram, now: now)
            }
            let after = client.drain()
            if case .finished(let report) = after.events.first { return (report, now) }
            guard after.deadline != .distantFuture else { return (nil, now) }
            now = after.deadline
            client.handleTimeout(now: now)
        }
        return (nil, now)
    }

    /// Routes one datagram sent by the client or the server; returns follow-up datagrams.
    private mutating func deliver(_ datagram: Datagram, now: Instant) -> [Datagram] {
        if datagram.source == client.local {
            var d = datagram
            if nat != nil { d = nat!.outbound(d) }
            if let nat, d.destination.address == nat.publicIP {
                if nat.hairpinning, let back = nat.inbound(d, hairpinned: true) { client.handle(back, now: now) }
                return []
            }
            if d.destination == client.local { client.handle(d, now: now); return [] }
            server.handle(d, now: now)
            return server.drain().transmits
        }
        // From the server towards the client's public side.
        if let nat {
            if let d = nat.inbound(datagram) { client.handle(d, now: now) }
        } else if datagram.destination == client.local {
            client.handle(datagram, now: now)
        }
        return []
    }
}
