import NetTypes

/// A route: destinations in `prefix` leave through `interface`.
public struct Route: Hashable, Sendable {
    public var prefix: IPPrefix
    public var interface: Int
}

/// Longest-prefix-match routing. Small tables (hosts, NATs) are scanned, which costs less
/// than hashing the destination; large ones (the simulated internet core carries one route
/// per attached network) keep a per-destination cache.
public struct RoutingTable {
    /// Routes, longest prefix first.
    public private(set) var routes: [Route] = []
    private var cache: [IPAddress: Int] = [:]
    /// Up to this many routes, a lookup scans them instead of consulting the cache.
    private static let scanLimit = 16

    public init() {}

    /// Adds (or replaces) the route for `prefix`.
    public mutating func add(_ prefix: IPPrefix, interface: Int) {
        if routes.contains(where: { $0.prefix == prefix }) { routes.removeAll { $0.prefix == prefix } }
        let index = routes.firstIndex { $0.prefix.length < prefix.length } ?? routes.count
        routes.insert(Route(prefix: prefix, interface: interface), at: index)
        if !cache.isEmpty { cache.removeAll(keepingCapacity: true) }
    }

    /// Adds default routes (0.0.0.0/0 and ::/0) through `interface`.
    public mutating func addDefault(interface: Int) {
        add(IPPrefix(.v4(.any), length: 0), interface: interface)
        add(IPPrefix(.v6(.any), length: 0), interface: interface)
    }

    /// Removes every route through `interface` or for `prefix`.
    public mutating func remove(prefix: IPPrefix) {
        routes.removeAll { $0.prefix == prefix }
        if !cache.isEmpty { cache.removeAll(keepingCapacity: true) }
    }

    /// The interface for `destination`, or nil when no route matches.
    public mutating func lookup(_ destination: IPAddress) -> Int? {
        if routes.count <= Self.scanLimit { return routes.first { $0.prefix.contains(destination) }?.interface }
        if let hit = cache[destination] { return hit }
        guard let route = routes.first(where: { $0.prefix.contains(destination) }) else { return nil }
        if cache.count > 4096 { cache.removeAll(keepingCapacity: true) }
        cache[destination] = route.interface
        return route.interface
    }
}
