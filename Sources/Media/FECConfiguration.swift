import NetTypes

/// FlexFEC protection of a video stream (RFC 8627): repair packets in a stream of their
/// own (own SSRC and payload type, `flexfec` in SDP, §5.1.2) that let the receiver rebuild
/// a lost packet without a round trip. `rate` is the protection factor — repairs per
/// protected packet, as libwebrtc's protection factor (`VCMProtectionMethod`, ×256 there)
/// — and `mask` how repairs cover the packets:
/// - `random`: a flexible mask per repair over the packets of one or more frames, split
///   into equal consecutive groups (each repair repairs one loss in its group);
/// - `bursty`: the same packets interleaved over the repairs (packet i to repair i mod k),
///   so a burst of up to k consecutive losses lands on k different repairs;
/// - `row`, `column`, `2d`: the fixed L-columns/D-rows forms (F = 1, §4.2.2.2): a repair
///   per row of `columns` consecutive packets; a repair per column of `rows` packets
///   `columns` apart; or both over a `columns` × `rows` block, rows first (§1.1.4).
public struct FECConfiguration: Sendable, Equatable {
    public enum Mask: String, CaseIterable, Sendable {
        case random, bursty, row, column
        case twoDimensional = "2d"
    }

    /// Repairs per protected packet (0 < rate ≤ 1) for the flexible masks, and the
    /// default block shape of the fixed forms.
    public var rate: Double
    public var mask: Mask
    /// L of the fixed forms; nil: 1/rate for rows, 4 for columns, 2/rate for 2-D.
    public var columns: Int?
    /// D of the fixed forms; nil: 1/rate for columns, 2/rate for 2-D.
    public var rows: Int?
    /// How long the receiver keeps a repair that still misses more than one packet (RFC
    /// 8627 §1.1.8, the `repair-window` parameter).
    public var repairWindow: Duration

    /// Most packets a flexible-mask block protects (libwebrtc kUlpfecMaxMediaPackets, 48;
    /// within the 110-bit mask).
    public static let maxMaskBlock = 48
    /// Most packets a fixed block spans: half the receiver's window (`FlexFECDecoder`).
    public static let maxFixedBlock = 512

    public init(rate: Double = 0.1, mask: Mask = .random, columns: Int? = nil, rows: Int? = nil,
                repairWindow: Duration = .milliseconds(200)) {
        self.rate = rate
        self.mask = mask
        self.columns = columns
        self.rows = rows
        self.repairWindow = repairWindow
    }

    /// L of the fixed forms, with its default.
    public var resolvedColumns: Int {
        if let columns { return columns }
        switch mask {
        case .column: return 4
        case .twoDimensional: return max(Int((2 / rate).rounded()), 2)
        default: return max(Int((1 / rate).rounded()), 1)
        }
    }

    /// D of the column and 2-D forms, with its default.
    public var resolvedRows: Int {
        rows ?? max(Int(((mask == .twoDimensional ? 2 : 1) / rate).rounded()), 2)
    }
}
