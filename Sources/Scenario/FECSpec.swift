import Media
import NetTypes

/// The FlexFEC keys of a video flow's `recovery:` (RFC 8627; docs/scenarios.md "Media"):
/// `fec: flexfec` turns repairs on, `fec-rate` (repairs per packet, 0 < rate ≤ 1, default
/// 0.1), `fec-mask` (random, bursty, row, column, 2d; default random), `fec-columns` and
/// `fec-rows` (L and D of the row, column and 2d forms) and `repair-window` (default 200 ms)
/// shape them.
enum FECSpec {
    enum Scheme: String, CaseIterable { case flexfec }

    static let keys = ["fec", "fec-rate", "fec-mask", "fec-columns", "fec-rows", "repair-window"]

    /// The FEC configuration the keys of `fields` give; nil without `fec`.
    static func configuration(_ fields: Fields) throws(ScenarioError) -> FECConfiguration? {
        guard let scheme = fields.optional("fec") else {
            for key in keys.dropFirst() {
                if let stray = fields.optional(key) { throw stray.error("\(key) needs fec: flexfec") }
            }
            return nil
        }
        _ = try scheme.choice(of: Scheme.self)
        var fec = FECConfiguration()
        if let rate = fields.optional("fec-rate") {
            fec.rate = try rate.double()
            guard fec.rate > 0, fec.rate <= 1 else { throw rate.error("fec-rate \(fec.rate) is outside 0 < rate ≤ 1 (repairs per packet)") }
        }
        fec.mask = try fields.optional("fec-mask")?.choice(of: FECConfiguration.Mask.self) ?? .random
        let fixed = [FECConfiguration.Mask.row, .column, .twoDimensional].contains(fec.mask)
        if let columns = fields.optional("fec-columns") {
            guard fixed else { throw columns.error("fec-columns is L of the fixed forms (fec-mask: row, column or 2d)") }
            fec.columns = try columns.int(in: 1...255)
        }
        if let rows = fields.optional("fec-rows") {
            guard fec.mask == .column || fec.mask == .twoDimensional else {
                throw rows.error("fec-rows is D of the column and 2d forms (fec-mask: column or 2d)")
            }
            fec.rows = try rows.int(in: 2...255)
        }
        if fixed {
            let at = fields.optional("fec-columns") ?? fields.optional("fec-rows") ?? fields.optional("fec-rate") ?? scheme
            let (l, d) = (fec.resolvedColumns, fec.mask == .row ? 1 : fec.resolvedRows)
            guard l <= 255, d <= 255 else { throw at.error("FEC block of \(l) columns × \(d) rows: L and D are at most 255 (RFC 8627 §4.2.2.2)") }
            guard l * d <= FECConfiguration.maxFixedBlock else {
                throw at.error("FEC block of \(l) columns × \(d) rows spans \(l * d) packets, more than \(FECConfiguration.maxFixedBlock)")
            }
        }
        if let window = fields.optional("repair-window") {
            fec.repairWindow = try window.duration()
            guard fec.repairWindow > .zero, fec.repairWindow <= .seconds(10) else {
                throw window.error("repair-window \(fec.repairWindow) is outside 0 s < window ≤ 10 s")
            }
        }
        return fec
    }
}
