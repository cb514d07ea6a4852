import NetTypes
@testable import Simulator

/// Two hosts joined by one link, or by routers, for packet-level tests.
struct TestNetwork {
    let simulation: Simulation
    let alice: Host
    let bob: Host
    let links: [Link]

    static func ip(_ text: String) -> IPAddress { try! IPAddress(parsing: text) }
    static func addr(_ text: String) -> [InterfaceAddress] { [try! InterfaceAddress(parsing: text)] }

    /// alice (10.0.0.1) — bob (10.0.0.2) on one link with `config`.
    static func direct(seed: UInt64 = 1, config: LinkConfig = LinkConfig()) -> TestNetwork {
        let simulation = Simulation(seed: seed)
        let alice = Host(simulation: simulation, name: "alice")
        let bob = Host(simulation: simulation, name: "bob")
        let link = simulation.connect(alice, bob, config: config, addressesA: addr("10.0.0.1/24"), addressesB: addr("10.0.0.2/24"))
        return TestNetwork(simulation: simulation, alice: alice, bob: bob, links: [link])
    }

    /// alice — r1 — r2 — bob; the middle link gets `middle`.
    static func routed(seed: UInt64 = 1, middle: LinkConfig = LinkConfig(), ipv6: Bool = false) -> TestNetwork {
        let simulation = Simulation(seed: seed)
        let alice = Host(simulation: simulation, name: "alice")
        let r1 = Router(simulation: simulation, name: "r1")
        let r2 = Router(simulation: simulation, name: "r2")
        let bob = Host(simulation: simulation, name: "bob")
        let edge = LinkConfig(latency: .milliseconds(1))
        let p = ipv6 ? ["2001:db8:1::2/64", "2001:db8:1::1/64", "2001:db8:2::1/64", "2001:db8:2::2/64", "2001:db8:3::1/64", "2001:db8:3::2/64"]
                     : ["10.0.1.2/24", "10.0.1.1/24", "10.0.2.1/24", "10.0.2.2/24", "10.0.3.1/24", "10.0.3.2/24"]
        let l1 = simulation.connect(alice, r1, config: edge, addressesA: addr(p[0]), addressesB: addr(p[1]))
        let l2 = simulation.connect(r1, r2, config: middle, addressesA: addr(p[2]), addressesB: addr(p[3]))
        let l3 = simulation.connect(r2, bob, config: edge, addressesA: addr(p[4]), addressesB: addr(p[5]))
        alice.routes.addDefault(interface: 0)
        bob.routes.addDefault(interface: 0)
        r1.routes.addDefault(interface: 1)
        r2.routes.addDefault(interface: 0)
        return TestNetwork(simulation: simulation, alice: alice, bob: bob, links: [l1, l2, l3])
    }

    var bobAddress: IPAddress { bob.interfaces[0].addresses[0].address }
    var aliceAddress: IPAddress { alice.interfaces[0].addresses[0].address }
}

/// Records what a socket receives with arrival times.
final class Recorder {
    var arrivals: [(time: Instant, datagram: Datagram)] = []
    var errors: [ICMPUnreachable] = []

    init(_ socket: UDPSocket) {
        let simulation = socket.host.simulation
        socket.onReceive = { [unowned self] d in arrivals.append((simulation.now, d)) }
        socket.onError = { [unowned self] e in errors.append(e) }
    }

    /// The first payload byte pairs as sequence numbers (tests number their datagrams).
    var sequence: [Int] { arrivals.map { Int($0.datagram.payload[0]) << 8 | Int($0.datagram.payload[1]) } }
}

func numbered(_ n: Int, size: Int = 100) -> [UInt8] {
    var payload = [UInt8](repeating: 0, count: size)
    payload[0] = UInt8(n >> 8 & 0xFF)
    payload[1] = UInt8(n & 0xFF)
    return payload
}
