import NetTypes

/// The bind rules sockets share, UDP's on `Host` and TCP's on a host's TCP stack.
extension IPAddress {
    /// Whether sockets bound to this address and to `other` on one port would clash: same
    /// family, and the same address or either one a wildcard.
    public func overlapsBinding(_ other: IPAddress) -> Bool {
        family == other.family && (self == other || isUnspecified || other.isUnspecified)
    }

    /// The bound item that receives traffic for `destination`: an exact bind wins over a
    /// wildcard one of the same family.
    public static func bestBinding<Bound>(among bound: [Bound], for destination: IPAddress,
                                          address: (Bound) -> IPAddress) -> Bound? {
        var wildcard: Bound?
        for item in bound where address(item).family == destination.family {
            if address(item) == destination { return item }
            if address(item).isUnspecified { wildcard = item }
        }
        return wildcard
    }
}

/// How ephemeral ports are chosen on simulated hosts: a random start in the range, then
/// the first free port upwards, wrapping (RFC 6056 §3.3.1's simple algorithm, with the
/// host's seeded generator).
public enum EphemeralPort {
    public static func draw(in range: ClosedRange<UInt16>, random: inout Xoshiro256,
                            isTaken: (UInt16) -> Bool) throws(SocketError) -> UInt16 {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        let start = random.next() % span
        for offset in 0..<span {
            let port = range.lowerBound + UInt16((start + offset) % span)
            if !isTaken(port) { return port }
        }
        throw .noFreePort
    }
}
