import NetTypes

/// A NAT's state: mappings in a slab indexed both by outbound flow and by external
/// endpoint, with the remote endpoints each mapping has sent to (for filtering) and the
/// external address paired with each internal address. Policy (which port, which
/// address, when to expire) is the `NAT`'s; this type only keeps the indexes consistent.
///
/// Under port overloading several mappings share an external endpoint: `byPort` holds
/// the first, `sharing` the others, and `byReply` which mapping holds each reply tuple
/// (remote → external endpoint) its packets created (`recordReply`).
struct NATMappingTable {
    struct Entry {
        var mapping: NATMapping
        /// Remote addresses the mapping has sent to (address-dependent filtering).
        var contactedAddresses: Set<IPAddress> = []
        /// Remote endpoints the mapping has sent to (address-and-port-dependent filtering).
        var contactedEndpoints: Set<Endpoint> = []
        /// The last remote recorded: repeated packets of one flow skip the set updates.
        var lastRemote: Endpoint?
    }

    /// The external address an internal address is paired with, and how many of its
    /// mappings exist.
    struct Subscriber {
        var externalAddress: IPAddress
        var mappings: Int
    }

    private var entries: [Entry?] = []
    private var free: [Int] = []
    private var byFlow: [NATFlowKey: Int] = [:]
    private var byPort: [NATPortKey: Int] = [:]
    private var sharing: [NATPortKey: [Int]] = [:]
    private var byReply: [NATReplyKey: Int] = [:]
    private(set) var subscribers: [IPAddress: Subscriber] = [:]
    private var lastID: UInt64 = 0

    /// Mappings in the table (expired ones included until removed).
    var count: Int { byFlow.count }

    /// The live mappings, in creation order.
    var mappings: [NATMapping] {
        entries.compactMap { $0?.mapping }.sorted { $0.id < $1.id }
    }

    func index(of flow: NATFlowKey) -> Int? { byFlow[flow] }
    func isTaken(_ port: NATPortKey) -> Bool { byPort[port] != nil }

    /// The mapping an inbound packet from `remote` to `port` belongs to: where the port
    /// is shared, the one holding the reply tuple, else the port's first mapping.
    func index(of port: NATPortKey, from remote: Endpoint) -> Int? {
        guard sharing[port] != nil else { return byPort[port] }
        return byReply[NATReplyKey(proto: port.proto, remote: remote, external: port.externalEndpoint)] ?? byPort[port]
    }

    /// Whether a mapping holds the reply tuple `remote` → `external` (port overloading).
    func isReplyTaken(_ proto: IPProtocolKind, remote: Endpoint, external: Endpoint) -> Bool {
        byReply[NATReplyKey(proto: proto, remote: remote, external: external)] != nil
    }

    /// Records that mapping `index` sent to `remote`, taking that reply tuple.
    mutating func recordReply(_ index: Int, remote: Endpoint) {
        let mapping = self[index].mapping
        byReply[NATReplyKey(proto: mapping.proto, remote: remote, external: mapping.externalEndpoint)] = index
    }

    subscript(index: Int) -> Entry {
        _read { yield entries[index].unsafelyUnwrapped }
        _modify { yield &entries[index]! }
    }

    /// Adds a mapping for `flow` at `external` and returns its index.
    mutating func insert(flow: NATFlowKey, external: Endpoint, at now: Instant, expires: Instant) -> Int {
        lastID += 1
        let mapping = NATMapping(id: lastID, proto: flow.proto, internalEndpoint: flow.internalEndpoint,
                                 externalEndpoint: external, remote: flow.remote, created: now,
                                 lastRefreshed: now, expires: expires, established: false,
                                 tcp: flow.proto == .tcp ? TCPConnectionTrack() : nil)
        let index: Int
        if let reused = free.popLast() {
            index = reused
            entries[index] = Entry(mapping: mapping)
        } else {
            index = entries.count
            entries.append(Entry(mapping: mapping))
        }
        byFlow[flow] = index
        let port = NATPortKey(proto: flow.proto, externalEndpoint: external)
        if byPort[port] == nil { byPort[port] = index } else { sharing[port, default: []].append(index) }
        subscribers[flow.internalEndpoint.address, default: Subscriber(externalAddress: external.address, mappings: 0)]
            .mappings += 1
        return index
    }

    /// Removes the mapping at `index` and returns it.
    mutating func remove(at index: Int) -> NATMapping {
        let entry = entries[index].unsafelyUnwrapped
        let mapping = entry.mapping
        entries[index] = nil
        free.append(index)
        byFlow[NATFlowKey(proto: mapping.proto, internalEndpoint: mapping.internalEndpoint, remote: mapping.remote)] = nil
        let port = NATPortKey(proto: mapping.proto, externalEndpoint: mapping.externalEndpoint)
        if var others = sharing[port] {
            if byPort[port] == index { byPort[port] = others.removeFirst() } else { others.removeAll { $0 == index } }
            sharing[port] = others.isEmpty ? nil : others
        } else {
            byPort[port] = nil
        }
        if !byReply.isEmpty {
            for remote in entry.contactedEndpoints {
                let key = NATReplyKey(proto: mapping.proto, remote: remote, external: mapping.externalEndpoint)
                if byReply[key] == index { byReply[key] = nil }
            }
        }
        let owner = mapping.internalEndpoint.address
        subscribers[owner]!.mappings -= 1
        if subscribers[owner]!.mappings == 0 { subscribers[owner] = nil }
        return mapping
    }

    /// Indexes of the mappings that satisfy `condition`, in creation order.
    func indexes(where condition: (NATMapping) -> Bool) -> [Int] {
        entries.indices.filter { entries[$0].map { condition($0.mapping) } ?? false }
            .sorted { entries[$0]!.mapping.id < entries[$1]!.mapping.id }
    }
}
