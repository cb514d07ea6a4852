extension TCPSegment {
    /// The RST that answers `segment` when no connection wants it (RFC 9293 §3.10.7.1,
    /// CLOSED): for a segment with ACK, `<SEQ=SEG.ACK><CTL=RST>`; otherwise
    /// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`. Nil for an RST, which is never
    /// answered. The reply's ports are the segment's, swapped. (`TCPWireHeader.reset` applies the
    /// same rule to raw bytes, for middleboxes without the TCP module.)
    public static func reset(answering segment: TCPSegment) -> TCPSegment? {
        guard !segment.flags.contains(.rst) else { return nil }
        if segment.flags.contains(.ack) {
            return TCPSegment(sourcePort: segment.destinationPort, destinationPort: segment.sourcePort,
                              sequenceNumber: segment.acknowledgmentNumber, flags: .rst, window: 0)
        }
        return TCPSegment(sourcePort: segment.destinationPort, destinationPort: segment.sourcePort, sequenceNumber: TCPSequence(0),
                          acknowledgmentNumber: segment.sequenceNumber + segment.sequenceLength, flags: [.rst, .ack], window: 0)
    }
}
