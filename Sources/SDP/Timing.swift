/// A `t=` line with the `r=` repeat lines that follow it.
///
/// WebRTC always writes `t=0 0` (an unbounded session); repeats are kept as written.
public struct Timing: Hashable, Sendable {
    /// Start time in NTP seconds, 0 for "now".
    public var start: UInt64
    /// Stop time in NTP seconds, 0 for "unbounded".
    public var stop: UInt64
    /// The values of the `r=` lines, as written.
    public var repeats: [String]

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    init(parsing value: Substring) throws(SDPParseError) {
        let fields = value.fields
        guard fields.count == 2, let start = UInt64(digits: fields[0]), let stop = UInt64(digits: fields[1]) else {
            throw SDPParseError(.badLine("t", value: String(value), why: "expected '<start> <stop>' in NTP seconds"))
        }
        self.init(start: start, stop: stop)
    }
}
