/// A DATA chunk (RFC 9260 §3.3.1) or an I-DATA chunk (RFC 8260 §2.1): one fragment of a
/// user message. DATA numbers messages with the SSN and orders fragments by TSN; I-DATA
/// numbers them with a 32-bit Message Identifier and orders fragments by FSN, so the
/// fragments of messages on different streams may interleave.
public struct SCTPDataChunk: Equatable, Sendable {
    public var tsn: UInt32
    public var stream: UInt16
    /// Stream sequence number (DATA only); meaningless (sent as 0) for unordered messages.
    public var ssn: UInt16
    /// Payload protocol identifier (WebRTC: RFC 8831 §8). I-DATA carries it in the first
    /// fragment only (0 in the others).
    public var ppid: UInt32
    /// Message Identifier (I-DATA only): per stream, one sequence for ordered and one
    /// for unordered messages, each from 0 (RFC 8260 §2.1).
    public var mid: UInt32
    /// Fragment Sequence Number (I-DATA only): 0 for the first fragment (which carries
    /// the PPID in its place), then one more per fragment.
    public var fsn: UInt32
    /// U bit: deliver without regard to the stream's order.
    public var unordered: Bool
    /// B bit: first fragment of a message.
    public var beginning: Bool
    /// E bit: last fragment of a message.
    public var ending: Bool
    /// I bit: the sender asks for an immediate SACK (RFC 7053).
    public var immediate: Bool
    /// The fragment's bytes. A slice, so that a fragment cut from a user message shares
    /// the message's storage instead of copying it (the sender's hot path).
    public var userData: ArraySlice<UInt8>

    public init(tsn: UInt32, stream: UInt16, ssn: UInt16, ppid: UInt32, unordered: Bool = false,
                beginning: Bool = true, ending: Bool = true, immediate: Bool = false, mid: UInt32 = 0, fsn: UInt32 = 0,
                userData: [UInt8]) {
        self.init(tsn: tsn, stream: stream, ssn: ssn, ppid: ppid, unordered: unordered, beginning: beginning, ending: ending,
                  immediate: immediate, mid: mid, fsn: fsn, userData: userData[...])
    }

    /// A fragment whose bytes are `userData`, a part of a user message (not copied).
    public init(tsn: UInt32, stream: UInt16, ssn: UInt16, ppid: UInt32, unordered: Bool = false,
                beginning: Bool = true, ending: Bool = true, immediate: Bool = false, mid: UInt32 = 0, fsn: UInt32 = 0,
                userData: ArraySlice<UInt8>) {
        self.tsn = tsn
        self.mid = mid
        self.fsn = fsn
        self.stream = stream
        self.ssn = ssn
        self.ppid = ppid
        self.unordered = unordered
        self.beginning = beginning
        self.ending = ending
        self.immediate = immediate
        self.userData = userData
    }

    /// Header bytes of a DATA chunk before its user data.
    public static let headerSize = 16
    /// Header bytes of an I-DATA chunk before its user data (RFC 8260 §2.1).
    public static let interleavedHeaderSize = 20

    var flags: UInt8 {
        (immediate ? 8 : 0) | (unordered ? 4 : 0) | (beginning ? 2 : 0) | (ending ? 1 : 0)
    }
}

/// A SACK chunk (RFC 9260 §3.3.4).
public struct SCTPSackChunk: Equatable, Sendable {
    public var cumulativeTSN: UInt32
    public var advertisedWindow: UInt32
    /// Gap Ack Blocks as offsets from `cumulativeTSN` (start and end inclusive).
    public var gaps: [SCTPGapBlock]
    public var duplicates: [UInt32]

    public init(cumulativeTSN: UInt32, advertisedWindow: UInt32, gaps: [SCTPGapBlock] = [], duplicates: [UInt32] = []) {
        self.cumulativeTSN = cumulativeTSN
        self.advertisedWindow = advertisedWindow
        self.gaps = gaps
        self.duplicates = duplicates
    }
}

/// One Gap Ack Block: TSNs `cumulativeTSN + start ... cumulativeTSN + end` were received.
public struct SCTPGapBlock: Equatable, Sendable {
    public var start: UInt16
    public var end: UInt16
    public init(start: UInt16, end: UInt16) {
        self.start = start
        self.end = end
    }
}

/// The fixed part of INIT and INIT ACK (RFC 9260 §3.3.2, §3.3.3) and their parameters.
public struct SCTPInitChunk: Equatable, Sendable {
    public var initiateTag: UInt32
    public var advertisedWindow: UInt32
    public var outboundStreams: UInt16
    public var inboundStreams: UInt16
    public var initialTSN: UInt32
    public var parameters: [SCTPParameter]

    public init(initiateTag: UInt32, advertisedWindow: UInt32, outboundStreams: UInt16, inboundStreams: UInt16,
                initialTSN: UInt32, parameters: [SCTPParameter] = []) {
        self.initiateTag = initiateTag
        self.advertisedWindow = advertisedWindow
        self.outboundStreams = outboundStreams
        self.inboundStreams = inboundStreams
        self.initialTSN = initialTSN
        self.parameters = parameters
    }

    /// The State Cookie parameter, if present.
    public var stateCookie: [UInt8]? {
        for case .stateCookie(let cookie) in parameters { return cookie }
        return nil
    }

    /// Whether the sender supports FORWARD-TSN (RFC 3758 §3.1).
    public var supportsForwardTSN: Bool {
        parameters.contains(.forwardTSNSupported)
            || parameters.contains { if case .supportedExtensions(let t) = $0 { t.contains(SCTPChunkType.forwardTSN) } else { false } }
    }

    /// Whether the sender supports I-DATA (RFC 8260 §2.2.1, through RFC 5061's list).
    public var supportsInterleaving: Bool {
        parameters.contains { if case .supportedExtensions(let t) = $0 { t.contains(SCTPChunkType.iData) } else { false } }
    }

    /// Whether the sender supports I-FORWARD-TSN (RFC 8260 §2.3.1).
    public var supportsInterleavedForwardTSN: Bool {
        parameters.contains { if case .supportedExtensions(let t) = $0 { t.contains(SCTPChunkType.iForwardTSN) } else { false } }
    }

    /// Whether the sender supports RE-CONFIG (RFC 6525 §5.1.1, through RFC 5061's list).
    public var supportsReconfig: Bool {
        parameters.contains { if case .supportedExtensions(let t) = $0 { t.contains(SCTPChunkType.reconfig) } else { false } }
    }
}

/// A FORWARD-TSN chunk (RFC 3758 §3.2): the receiver moves its cumulative TSN to
/// `newCumulativeTSN` and skips the listed ordered messages.
public struct SCTPForwardTSNChunk: Equatable, Sendable {
    public var newCumulativeTSN: UInt32
    public var streams: [SCTPSkippedStream]
    public init(newCumulativeTSN: UInt32, streams: [SCTPSkippedStream] = []) {
        self.newCumulativeTSN = newCumulativeTSN
        self.streams = streams
    }
}

/// A stream and the largest SSN skipped on it by a FORWARD-TSN.
public struct SCTPSkippedStream: Equatable, Sendable {
    public var stream: UInt16
    public var ssn: UInt16
    public init(stream: UInt16, ssn: UInt16) {
        self.stream = stream
        self.ssn = ssn
    }
}

/// An I-FORWARD-TSN chunk (RFC 8260 §2.3): FORWARD-TSN for I-DATA. The receiver moves its
/// cumulative TSN to `newCumulativeTSN` and drops the listed messages' fragments; ordered
/// streams move past the listed MIDs.
public struct SCTPIForwardTSNChunk: Equatable, Sendable {
    public var newCumulativeTSN: UInt32
    public var messages: [SCTPSkippedMessage]
    public init(newCumulativeTSN: UInt32, messages: [SCTPSkippedMessage] = []) {
        self.newCumulativeTSN = newCumulativeTSN
        self.messages = messages
    }
}

/// A stream, whether the entry is about its unordered messages (the U bit), and the
/// largest MID skipped among them (RFC 8260 §2.3.1).
public struct SCTPSkippedMessage: Equatable, Sendable {
    public var stream: UInt16
    public var unordered: Bool
    public var mid: UInt32
    public init(stream: UInt16, unordered: Bool, mid: UInt32) {
        self.stream = stream
        self.unordered = unordered
        self.mid = mid
    }
}
