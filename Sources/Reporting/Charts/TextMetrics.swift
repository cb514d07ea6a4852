/// Estimated widths of chart text, for laying out labels without font metrics at run
/// time. The advance widths are DejaVu Sans's (the default sans-serif of most Linux
/// systems and the widest of the common system fonts), so estimates err on the wide
/// side for Segoe UI, Roboto, Helvetica or Arial: labels sized with them are not cut.
enum TextMetrics {
    /// Font sizes of chart text in pixels (`ReportStyle` sets them on the classes): labels
    /// and legends, then tick labels and heat-map cells, the smallest text of a chart.
    /// Charts are shown at their natural size (one SVG unit is one CSS pixel) and scroll
    /// rather than shrink, so these are the rendered sizes.
    static let labelSize = 12.0, tickSize = 11.0

    /// Advance widths of DejaVu Sans in thousandths of an em for U+0020…U+007E.
    static let ascii: [Int] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
        636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
        603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
        634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
    ]
    /// Bold text is about 10 % wider (DejaVu Sans Bold over Book, averaged over ASCII).
    static let boldFactor = 1.1

    /// The width in pixels of `text` at `fontSize` pixels; characters outside ASCII count
    /// as one em (arrows, `×`, `…` are at most that wide).
    static func width(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
        var thousandths = 0
        for scalar in text.unicodeScalars {
            let index = Int(scalar.value) - 0x20
            thousandths += ascii.indices.contains(index) ? ascii[index] : 1000
        }
        return Double(thousandths) / 1000 * fontSize * (bold ? boldFactor : 1)
    }

    /// `text` broken into lines of at most `width` pixels, at spaces (dropped) or after
    /// `→`, `/`, `-` and `,` (kept), filling each line greedily; a piece wider than
    /// `width` stays whole on its own line.
    static func wrap(_ text: String, width: Double, fontSize: Double, bold: Bool = false) -> [String] {
        var lines: [String] = [], line = ""
        for piece in pieces(text) {
            let candidate = line + piece
            if !line.isEmpty && self.width(candidate.trimmingTrailingSpace, fontSize: fontSize, bold: bold) > width {
                lines.append(line.trimmingTrailingSpace)
                line = piece
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line.trimmingTrailingSpace) }
        return lines
    }

    /// The pieces `wrap` may break between: each ends after a break character.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = [], piece = ""
        for character in text {
            piece.append(character)
            if " →/-,".contains(character) {
                pieces.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }

    /// The narrowest width at which `text` fits in at most `lines` lines (its widest
    /// piece when it cannot).
    static func narrowestWidth(_ text: String, lines: Int, fontSize: Double, bold: Bool = false) -> Double {
        let full = width(text, fontSize: fontSize, bold: bold)
        var low = pieces(text).map { width($0.trimmingTrailingSpace, fontSize: fontSize, bold: bold) }.max() ?? 0
        var high = full
        // Bisection to a tenth of a pixel: wrapping is monotonic in the width.
        while high - low > 0.1 {
            let middle = (low + high) / 2
            if wrap(text, width: middle, fontSize: fontSize, bold: bold).count <= lines { high = middle } else { low = middle }
        }
        return high
    }
}

extension String {
    /// The string without trailing spaces (the break spaces `TextMetrics.wrap` leaves).
    fileprivate var trimmingTrailingSpace: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
