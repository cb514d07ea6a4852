import NetTypes

/// Chooses the external port of a new mapping by a `PortAssignment` strategy, within the
/// port range for its internal port (`NATBehavior.externalPortRange(for:)`) and
/// optionally keeping the internal port's parity. Every strategy picks a
/// starting port and then probes upward (wrapping in the range) for a free one, so a
/// collision falls back to the nearest free port.
struct PortAllocator {
    private var random: Xoshiro256
    /// The last port allocated per external address (sequential assignment).
    private var lastPort: [IPAddress: UInt16] = [:]

    init(random: Xoshiro256) {
        self.random = random
    }

    /// A free port on `address` for a flow from `internalPort`, or nil when every
    /// eligible port in the range is taken.
    mutating func allocate(for internalPort: UInt16, on address: IPAddress, behavior: NATBehavior,
                           isTaken: (UInt16) -> Bool) -> UInt16? {
        let range = behavior.externalPortRange(for: internalPort)
        if behavior.lowPorts == .linux, behavior.portAssignment == .preservation, !range.contains(internalPort),
           (1...1023).contains(internalPort), !isTaken(internalPort) {
            return internalPort
        }
        let span = UInt32(range.upperBound - range.lowerBound) + 1
        let start: UInt32
        switch behavior.portAssignment {
        case .preservation:
            start = range.contains(internalPort) ? UInt32(internalPort - range.lowerBound) : 0
        case .sequential(let step):
            start = lastPort[address].map { (UInt32($0) &- UInt32(range.lowerBound) &+ UInt32(step)) % span } ?? 0
        case .random:
            start = UInt32(random.next() % UInt64(span))
        }
        for probe in 0..<span {
            let port = range.lowerBound + UInt16((start + probe) % span)
            if behavior.portParity && port & 1 != internalPort & 1 { continue }
            if isTaken(port) { continue }
            if case .sequential = behavior.portAssignment { lastPort[address] = port }
            return port
        }
        return nil
    }

    /// A uniformly random index below `count` (the NAT's choice of external address).
    mutating func randomIndex(below count: Int) -> Int {
        Int(random.next() % UInt64(count))
    }

    /// Forgets sequential positions (a NAT reboot).
    mutating func reset() { lastPort.removeAll() }
}
