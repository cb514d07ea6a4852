import NetTypes
import SimulatedTCP
import Simulator
import TURN

/// The TURN server core on a simulated host: it gets the relayed sockets it asks for
/// before it answers an Allocate (or hears why not, so it can try another port or answer
/// 508), and they are closed when it releases them. The one wiring of a simulated TURN
/// server, for scenarios and the TURN module's simulator tests alike.
public enum SimulatedTURNServer {
    /// A driver of `core` on `host`, listening on `listening` (UDP) and on the core's
    /// `streamListening` endpoints (TCP, TLS).
    public static func start(_ core: TURNServer, on host: Host, listening: [Endpoint]) throws(SocketError) -> SimCoreDriver<TURNServer> {
        let driver = SimCoreDriver(host: host, core: core) { event, driver in
            switch event {
            case .bindRelay(let endpoint):
                do throws(SocketError) {
                    try driver.bind(endpoint)
                    driver.withCore { core, now in core.relayBound(endpoint, now: now) }
                } catch {
                    let failure: TURNRelayBindFailure = error == .addressInUse(endpoint) ? .addressInUse : .unavailable
                    driver.withCore { core, now in core.relayUnavailable(endpoint, because: failure, now: now) }
                }
            case .relayClosed(let endpoint):
                driver.close(endpoint)
            case .allocationCreated, .allocationDeleted:
                break
            }
        }
        for endpoint in listening { try driver.bind(endpoint) }
        if !core.configuration.streamListening.isEmpty {
            let streams = SimStreamTransport(driver: driver)
            for (endpoint, transport) in core.configuration.streamListening.sorted(by: { $0.key < $1.key }) {
                try streams.listen(on: endpoint, transport: transport)
            }
        }
        return driver
    }
}
