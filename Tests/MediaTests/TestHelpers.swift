import Media
import NetTypes

extension TimeSeries {
    /// The first sample time at which the value reached `threshold`.
    func firstTime(reaching threshold: Double) -> Instant? {
        zip(times, values).first { $0.1 >= threshold }?.0
    }
}

/// Seconds into the run as an instant range.
func seconds(_ a: Double, _ b: Double) -> Range<Instant> { (Instant.zero + .fromSeconds(a))..<(Instant.zero + .fromSeconds(b)) }

/// Jain's fairness index: (Σx)² / (n Σx²), 1 for equal shares.
func jainIndex(_ shares: [Double]) -> Double {
    let sum = shares.reduce(0, +)
    let squares = shares.reduce(0) { $0 + $1 * $1 }
    return sum * sum / (Double(shares.count) * squares)
}
