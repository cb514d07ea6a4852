import RTP

/// The sending side of FlexFEC for one stream (RFC 8627 §6.2): keeps the wire bytes of
/// the packets of the current block — one stored copy each, in a buffer reused from block
/// to block — and when the block is complete returns its repairs, shaped by
/// `FECConfiguration.mask`. A flexible-mask block closes at the end of a frame once it
/// earns a repair at the configured rate (round(n × rate) ≥ 1), or at 48 packets; a
/// fixed block closes when its L × D packets (L for rows) are in.
struct FECGenerator: Sendable {
    let configuration: FECConfiguration
    let ssrc: UInt32
    private let columns: Int
    private let rows: Int
    private var block: [[UInt8]] = []
    private var base: UInt16 = 0

    init(configuration: FECConfiguration, ssrc: UInt32) {
        self.configuration = configuration
        self.ssrc = ssrc
        columns = configuration.resolvedColumns
        rows = configuration.resolvedRows
        block.reserveCapacity(blockSize)
    }

    /// Packets in a full block.
    var blockSize: Int {
        switch configuration.mask {
        case .random, .bursty: return FECConfiguration.maxMaskBlock
        case .row: return columns
        case .column, .twoDimensional: return columns * rows
        }
    }

    /// A packet of the stream left as `bytes` with `sequenceNumber`; `endOfFrame`: its
    /// marker bit. Returns the repairs of the block it completes, in sending order.
    mutating func add(_ bytes: [UInt8], sequenceNumber: UInt16, endOfFrame: Bool) -> [FlexFECRepair] {
        if block.isEmpty || sequenceNumber != base &+ UInt16(block.count) {
            // A block covers consecutive sequence numbers; anything else starts a new one.
            block.removeAll(keepingCapacity: true)
            base = sequenceNumber
        }
        block.append(bytes)
        let n = block.count
        let repairs: [FlexFECRepair]
        switch configuration.mask {
        case .random, .bursty:
            let k = min(max(Int((Double(n) * configuration.rate).rounded()), n >= blockSize ? 1 : 0), n)
            guard n >= blockSize || (endOfFrame && k > 0) else { return [] }
            repairs = (0..<k).map { j in
                let group = configuration.mask == .random ? { (i: Int) in i * k / n == j } : { (i: Int) in i % k == j }
                return repair(FlexFECMask(offsets: (0..<n).filter(group)))
            }
        case .row:
            guard n == columns else { return [] }
            repairs = [fixed(first: 0, step: 1, count: columns, rows: 0)]
        case .column:
            guard n == columns * rows else { return [] }
            repairs = (0..<columns).map { fixed(first: $0, step: columns, count: rows, rows: UInt8(rows)) }
        case .twoDimensional:
            guard n == columns * rows else { return [] }
            repairs = (0..<rows).map { fixed(first: $0 * columns, step: 1, count: columns, rows: 1) }
                + (0..<columns).map { fixed(first: $0, step: columns, count: rows, rows: UInt8(rows)) }
        }
        block.removeAll(keepingCapacity: true)
        return repairs
    }

    /// The repair of the block's packets at `mask`'s offsets.
    private func repair(_ mask: FlexFECMask) -> FlexFECRepair {
        FlexFECEncoder.repair(of: mask.offsets.lazy.map { block[$0] },
                              blocks: [FlexFECHeader.Block(ssrc: ssrc, sequenceBase: base, protection: .flexible(mask))])
    }

    /// A fixed-form repair of the `count` packets from `first`, `step` apart: a row
    /// (`rows` 0 or 1, from its first packet) or a column (`rows` = D).
    private func fixed(first: Int, step: Int, count: Int, rows: UInt8) -> FlexFECRepair {
        let block = FlexFECHeader.Block(ssrc: ssrc, sequenceBase: base &+ UInt16(first),
                                        protection: .fixed(columns: UInt8(columns), rows: rows))
        return FlexFECEncoder.repair(of: (0..<count).lazy.map { self.block[first + $0 * step] }, blocks: [block])
    }
}
