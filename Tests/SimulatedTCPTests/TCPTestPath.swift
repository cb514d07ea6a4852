import NetTypes
import Simulator
import SimulatedTCP
import TCP

/// alice — r1 — r2 — bob with TCP stacks on both hosts; the middle link gets `middle`.
struct TCPTestPath {
    let simulation: Simulation
    let alice: Host
    let bob: Host
    let links: [Link]
    let aliceTCP: TCPStack
    let bobTCP: TCPStack

    static func addr(_ text: String) -> [InterfaceAddress] { [try! InterfaceAddress(parsing: text)] }

    init(seed: UInt64 = 1, middle: LinkConfig = LinkConfig(latency: .milliseconds(10)), ipv6: Bool = false,
         configuration: TCPConfiguration = TCPConfiguration()) {
        simulation = Simulation(seed: seed)
        alice = Host(simulation: simulation, name: "alice")
        let r1 = Router(simulation: simulation, name: "r1")
        let r2 = Router(simulation: simulation, name: "r2")
        bob = Host(simulation: simulation, name: "bob")
        let edge = LinkConfig(latency: .milliseconds(1))
        let p = ipv6 ? ["2001:db8:1::2/64", "2001:db8:1::1/64", "2001:db8:2::1/64", "2001:db8:2::2/64", "2001:db8:3::1/64", "2001:db8:3::2/64"]
                     : ["10.0.1.2/24", "10.0.1.1/24", "10.0.2.1/24", "10.0.2.2/24", "10.0.3.1/24", "10.0.3.2/24"]
        links = [simulation.connect(alice, r1, config: edge, addressesA: Self.addr(p[0]), addressesB: Self.addr(p[1])),
                 simulation.connect(r1, r2, config: middle, addressesA: Self.addr(p[2]), addressesB: Self.addr(p[3])),
                 simulation.connect(r2, bob, config: edge, addressesA: Self.addr(p[4]), addressesB: Self.addr(p[5]))]
        alice.routes.addDefault(interface: 0)
        bob.routes.addDefault(interface: 0)
        r1.routes.addDefault(interface: 1)
        r2.routes.addDefault(interface: 0)
        aliceTCP = TCPStack.install(on: alice, configuration: configuration)
        bobTCP = TCPStack.install(on: bob, configuration: configuration)
    }

    /// Alice connects to bob's `port`, sends `count` bytes of `pattern` and closes; runs the
    /// simulation until `end`. Returns what bob's side read.
    func transferPattern(_ count: Int, port: UInt16 = 9, until end: Duration) throws -> SocketLog {
        let listener = try bobTCP.listen(port: port)
        let server = SocketLog()
        listener.onConnection = { server.attach($0) }
        let socket = try aliceTCP.connect(to: Endpoint(bobAddress, port))
        socket.onEvent = { event, s in
            if event == .connected {
                s.send(pattern(count))
                s.close()
            }
        }
        simulation.run(until: Instant.zero + end)
        return server
    }

    var bobAddress: IPAddress { bob.interfaces[0].addresses[0].address }
    var aliceAddress: IPAddress { alice.interfaces[0].addresses[0].address }
}

/// What a socket reported, and everything it read.
final class SocketLog {
    var events: [TCPEvent] = []
    var read: [UInt8] = []

    /// Records `socket`'s events and reads all data as it arrives.
    func attach(_ socket: TCPSocket) {
        read += socket.receive()
        socket.onEvent = { [unowned self] event, socket in
            events.append(event)
            if case .dataReceived = event { read += socket.receive() }
        }
    }
}

/// Bytes 0, 1, 2, … (mod 251, so that misplaced data shows).
func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 251) } }
