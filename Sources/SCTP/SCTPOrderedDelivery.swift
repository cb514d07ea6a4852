/// Ordered delivery per stream (RFC 9260 §6.5; RFC 8260 §2.1): whole ordered messages
/// wait here until their stream's next sequence number — the 16-bit SSN of DATA or the
/// 32-bit MID of I-DATA, compared in serial arithmetic (RFC 1982). Its byte count is part
/// of what the association subtracts from its advertised window.
struct SCTPOrderedDelivery<Number: FixedWidthInteger & UnsignedInteger> {
    /// Whole messages waiting for earlier numbers, per stream.
    private var waiting: [UInt16: [Number: SCTPMessage]] = [:]
    /// The next number to deliver per stream (0 until the stream is used or reset).
    private var next: [UInt16: Number] = [:]
    /// Bytes held in `waiting`.
    private(set) var bufferedBytes = 0

    /// Whether `a` comes before `b`: `b` lies less than half the number space ahead.
    static func precedes(_ a: Number, _ b: Number) -> Bool {
        let distance = b &- a
        return distance != 0 && distance < Number(1) << (Number.bitWidth - 1)
    }

    /// The number `stream` delivers next.
    func expected(on stream: UInt16) -> Number { next[stream, default: 0] }

    /// Whether a whole message with `number` waits on `stream`.
    func holds(_ number: Number, on stream: UInt16) -> Bool { waiting[stream]?[number] != nil }

    /// A whole ordered message: delivered now (its stream's next number, with those that
    /// waited behind it), parked, or dropped (a number already passed). An oversized one
    /// delivers nothing but keeps its place.
    mutating func complete(_ message: SCTPMessage, number: Number, oversized: Bool, into output: inout SCTPReassembly.Output) {
        let expected = expected(on: message.stream)
        if number == expected {
            if !oversized { output.messages.append(message) }
            next[message.stream] = expected &+ 1
            deliverWaiting(on: message.stream, into: &output)
        } else if Self.precedes(expected, number), !holds(number, on: message.stream) {
            var parked = message
            if oversized { parked.bytes = [] }
            waiting[message.stream, default: [:]][number] = parked
            bufferedBytes += parked.bytes.count
        }
    }

    private mutating func deliverWaiting(on stream: UInt16, into output: inout SCTPReassembly.Output) {
        while let number = next[stream], let message = waiting[stream]?.removeValue(forKey: number) {
            bufferedBytes -= message.bytes.count
            if !message.bytes.isEmpty { output.messages.append(message) }
            next[stream] = number &+ 1
        }
        if waiting[stream]?.isEmpty == true { waiting[stream] = nil }
    }

    /// Abandoned messages up to `last` on `stream` (a FORWARD-TSN or I-FORWARD-TSN entry):
    /// the stream moves past them, delivering what waited behind.
    mutating func skip(through last: Number, on stream: UInt16, into output: inout SCTPReassembly.Output) {
        guard Self.precedes(expected(on: stream), last &+ 1) else { return }
        if var parked = waiting[stream] {
            for (number, message) in parked where !Self.precedes(last, number) {
                parked[number] = nil
                bufferedBytes -= message.bytes.count
            }
            waiting[stream] = parked
        }
        next[stream] = last &+ 1
        deliverWaiting(on: stream, into: &output)
    }

    /// The peer reset these incoming streams (RFC 6525 §5.2.2; all of them when empty):
    /// numbers start at 0 again.
    mutating func reset(_ streams: [UInt16]) {
        for stream in streams.isEmpty ? Array(Set(next.keys).union(waiting.keys)) : streams {
            next[stream] = nil
            for message in (waiting.removeValue(forKey: stream) ?? [:]).values { bufferedBytes -= message.bytes.count }
        }
    }
}
