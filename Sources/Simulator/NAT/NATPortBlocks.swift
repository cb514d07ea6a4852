import NetTypes

/// Port-block allocation of a carrier-grade NAT (RFC 7422's deterministic/bulk port
/// allocation, RFC 6888 REQ-4): a subscriber (internal address) gets whole blocks of
/// `size` consecutive external ports, at most `perSubscriber` at a time, and its mappings
/// take ports from its own blocks only. The CGN then logs one line per block rather than
/// per mapping, and a subscriber that fills its blocks cannot starve the others; when the
/// pool has no free block, new subscribers get no mapping (`exhaustionResponse`).
public struct NATPortBlocks: Sendable, Equatable {
    /// Ports per block.
    public var size: UInt16
    /// Blocks one subscriber may hold at once.
    public var perSubscriber: Int

    public init(size: UInt16, perSubscriber: Int) {
        self.size = size
        self.perSubscriber = perSubscriber
    }
}

/// A block assigned to or released by a subscriber: the NAT's block log (RFC 7422 §2).
public struct NATPortBlockEvent: Sendable, Equatable {
    public var time: Instant
    public var assigned: Bool
    public var subscriber: IPAddress
    public var external: IPAddress
    public var ports: ClosedRange<UInt16>
}

/// The blocks of one NAT: which subscriber holds which, how many mappings use each, and
/// the log. Blocks are carved from the port range from its low end; a block is released
/// when its last mapping goes.
struct PortBlockTable {
    struct Block: Hashable {
        var address: IPAddress
        var start: UInt16
    }

    private var held: [IPAddress: [Block]] = [:]
    private var users: [Block: Int] = [:]
    private var owners: [Block: IPAddress] = [:]
    /// The log, at most `logLimit` entries (later ones are counted in `logDropped`).
    private(set) var log: [NATPortBlockEvent] = []
    private(set) var logDropped = 0
    static let logLimit = 100_000

    /// A free port for `owner` in one of its blocks, taking a new block when they are
    /// full; nil when every block it may hold is full and none is free.
    mutating func allocate(owner: IPAddress, internalPort: UInt16, blocks: NATPortBlocks, range: ClosedRange<UInt16>,
                           addresses: [IPAddress], preferred: IPAddress?, at now: Instant, randomIndex: (Int) -> Int,
                           isTaken: (IPAddress, UInt16) -> Bool) -> Endpoint? {
        for block in held[owner] ?? [] {
            if let port = freePort(in: block, internalPort: internalPort, blocks: blocks, range: range, isTaken: isTaken) {
                users[block, default: 0] += 1
                return Endpoint(block.address, port)
            }
        }
        guard (held[owner]?.count ?? 0) < blocks.perSubscriber,
              let block = freeBlock(blocks: blocks, range: range, addresses: held[owner]?.first.map { [$0.address] } ?? preferred.map { [$0] } ?? addresses,
                                    randomIndex: randomIndex),
              let port = freePort(in: block, internalPort: internalPort, blocks: blocks, range: range, isTaken: isTaken) else { return nil }
        held[owner, default: []].append(block)
        owners[block] = owner
        users[block] = 1
        record(NATPortBlockEvent(time: now, assigned: true, subscriber: owner, external: block.address,
                                 ports: block.start...block.start + (blocks.size - 1)))
        return Endpoint(block.address, port)
    }

    /// A mapping on `external` went away; its block is released when it was the last.
    mutating func release(_ external: Endpoint, blocks: NATPortBlocks, range: ClosedRange<UInt16>, at now: Instant) {
        guard external.port >= range.lowerBound else { return }
        let start = range.lowerBound + (external.port - range.lowerBound) / blocks.size * blocks.size
        let block = Block(address: external.address, start: start)
        guard let count = users[block], let owner = owners[block] else { return }
        if count > 1 { users[block] = count - 1; return }
        users[block] = nil
        owners[block] = nil
        held[owner]?.removeAll { $0 == block }
        if held[owner]?.isEmpty == true { held[owner] = nil }
        record(NATPortBlockEvent(time: now, assigned: false, subscriber: owner, external: block.address,
                                 ports: block.start...block.start + (blocks.size - 1)))
    }

    /// Blocks held now.
    var blocksInUse: Int { users.count }

    private mutating func record(_ event: NATPortBlockEvent) {
        if log.count < Self.logLimit { log.append(event) } else { logDropped += 1 }
    }

    /// The first free port of `block`, probing from the internal port's offset (port
    /// preservation within the block) and wrapping.
    private func freePort(in block: Block, internalPort: UInt16, blocks: NATPortBlocks, range: ClosedRange<UInt16>,
                          isTaken: (IPAddress, UInt16) -> Bool) -> UInt16? {
        let size = UInt32(blocks.size)
        let first = UInt32(internalPort) % size
        for probe in 0..<size {
            let port = block.start + UInt16((first + probe) % size)
            if !isTaken(block.address, port) { return port }
        }
        return nil
    }

    /// A block no subscriber holds, on one of `addresses`, chosen at random among the free
    /// ones (so that a subscriber's ports say nothing of the others'); nil when none is free.
    private func freeBlock(blocks: NATPortBlocks, range: ClosedRange<UInt16>, addresses: [IPAddress],
                           randomIndex: (Int) -> Int) -> Block? {
        let perAddress = (Int(range.upperBound) - Int(range.lowerBound) + 1) / Int(blocks.size)
        var free: [Block] = []
        for address in addresses {
            for index in 0..<perAddress {
                let block = Block(address: address, start: range.lowerBound + UInt16(index) * blocks.size)
                if users[block] == nil { free.append(block) }
            }
        }
        return free.isEmpty ? nil : free[randomIndex(free.count)]
    }
}
