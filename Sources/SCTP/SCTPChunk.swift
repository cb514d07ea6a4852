/// Chunk type numbers (RFC 9260 §3.2, RFC 3758 §3.2, RFC 6525 §3.1, RFC 8260 §2).
public enum SCTPChunkType {
    public static let data: UInt8 = 0
    public static let initiate: UInt8 = 1
    public static let initiateAck: UInt8 = 2
    public static let sack: UInt8 = 3
    public static let heartbeat: UInt8 = 4
    public static let heartbeatAck: UInt8 = 5
    public static let abort: UInt8 = 6
    public static let shutdown: UInt8 = 7
    public static let shutdownAck: UInt8 = 8
    public static let error: UInt8 = 9
    public static let cookieEcho: UInt8 = 10
    public static let cookieAck: UInt8 = 11
    public static let shutdownComplete: UInt8 = 14
    public static let iData: UInt8 = 64
    public static let reconfig: UInt8 = 130
    public static let forwardTSN: UInt8 = 192
    public static let iForwardTSN: UInt8 = 194
}

/// One chunk of an SCTP packet, decoded (RFC 9260 §3.2).
public enum SCTPChunk: Equatable, Sendable {
    case data(SCTPDataChunk)
    case initiate(SCTPInitChunk)
    case initiateAck(SCTPInitChunk)
    case sack(SCTPSackChunk)
    /// HEARTBEAT carrying the sender's Heartbeat Info parameter value (§3.3.5).
    case heartbeat(info: [UInt8])
    /// HEARTBEAT ACK echoing it (§3.3.6).
    case heartbeatAck(info: [UInt8])
    /// ABORT (§3.3.7); `reflected` is the T bit (the packet carries the peer's own tag).
    case abort(reflected: Bool, causes: [SCTPErrorCause])
    case shutdown(cumulativeTSN: UInt32)
    case shutdownAck
    case error([SCTPErrorCause])
    case cookieEcho([UInt8])
    case cookieAck
    case shutdownComplete(reflected: Bool)
    case reconfig([SCTPReconfigParameter])
    case forwardTSN(SCTPForwardTSNChunk)
    /// I-DATA (RFC 8260 §2.1): a fragment numbered by MID and FSN.
    case iData(SCTPDataChunk)
    /// I-FORWARD-TSN (RFC 8260 §2.3).
    case iForwardTSN(SCTPIForwardTSNChunk)
    /// A chunk type this endpoint does not know; its upper two type bits say what to do
    /// (§3.2: stop or skip, report or not).
    case unknown(type: UInt8, flags: UInt8, value: [UInt8])

    /// The chunk's type number.
    public var type: UInt8 {
        switch self {
        case .data: SCTPChunkType.data
        case .initiate: SCTPChunkType.initiate
        case .initiateAck: SCTPChunkType.initiateAck
        case .sack: SCTPChunkType.sack
        case .heartbeat: SCTPChunkType.heartbeat
        case .heartbeatAck: SCTPChunkType.heartbeatAck
        case .abort: SCTPChunkType.abort
        case .shutdown: SCTPChunkType.shutdown
        case .shutdownAck: SCTPChunkType.shutdownAck
        case .error: SCTPChunkType.error
        case .cookieEcho: SCTPChunkType.cookieEcho
        case .cookieAck: SCTPChunkType.cookieAck
        case .shutdownComplete: SCTPChunkType.shutdownComplete
        case .reconfig: SCTPChunkType.reconfig
        case .forwardTSN: SCTPChunkType.forwardTSN
        case .iData: SCTPChunkType.iData
        case .iForwardTSN: SCTPChunkType.iForwardTSN
        case .unknown(let type, _, _): type
        }
    }

    /// The heartbeat info parameter type (§3.3.5).
    static let heartbeatInfoType: UInt16 = 1

    // MARK: Decoding

    /// Decodes one chunk from its type, flags and value (the bytes after the 4-byte header).
    init(type: UInt8, flags: UInt8, value: ArraySlice<UInt8>) throws(SCTPDecodeError) {
        var r = SCTPReader(value)
        switch type {
        case SCTPChunkType.data:
            let tsn = try r.u32(), stream = try r.u16(), ssn = try r.u16(), ppid = try r.u32()
            guard !r.isEmpty else { throw .invalidChunk(type: type) }
            // Copied out: a slice would keep the whole received packet alive in
            // reassembly, beyond the bytes the receive window counts.
            self = .data(SCTPDataChunk(tsn: tsn, stream: stream, ssn: ssn, ppid: ppid, unordered: flags & 4 != 0,
                                       beginning: flags & 2 != 0, ending: flags & 1 != 0, immediate: flags & 8 != 0,
                                       userData: Array(r.bytes)))
        case SCTPChunkType.initiate, SCTPChunkType.initiateAck:
            let chunk = SCTPInitChunk(initiateTag: try r.u32(), advertisedWindow: try r.u32(), outboundStreams: try r.u16(),
                                      inboundStreams: try r.u16(), initialTSN: try r.u32(),
                                      parameters: try r.tlvs().map { SCTPParameter(type: $0.type, value: $0.value) })
            // §3.3.2: a zero tag or zero stream counts make the INIT invalid.
            guard chunk.initiateTag != 0, chunk.outboundStreams != 0, chunk.inboundStreams != 0 else {
                throw .invalidChunk(type: type)
            }
            self = type == SCTPChunkType.initiate ? .initiate(chunk) : .initiateAck(chunk)
        case SCTPChunkType.sack:
            let cumulative = try r.u32(), window = try r.u32()
            let gapCount = Int(try r.u16()), duplicateCount = Int(try r.u16())
            guard r.count == 4 * (gapCount + duplicateCount) else { throw .badLength }
            var gaps: [SCTPGapBlock] = []
            for _ in 0..<gapCount {
                let gap = SCTPGapBlock(start: try r.u16(), end: try r.u16())
                guard gap.start >= 1, gap.start <= gap.end else { throw .invalidChunk(type: type) }
                gaps.append(gap)
            }
            var duplicates: [UInt32] = []
            for _ in 0..<duplicateCount { duplicates.append(try r.u32()) }
            self = .sack(SCTPSackChunk(cumulativeTSN: cumulative, advertisedWindow: window, gaps: gaps, duplicates: duplicates))
        case SCTPChunkType.heartbeat, SCTPChunkType.heartbeatAck:
            let parameters = try r.tlvs()
            guard let info = parameters.first(where: { $0.type == Self.heartbeatInfoType }) else { throw .invalidChunk(type: type) }
            self = type == SCTPChunkType.heartbeat ? .heartbeat(info: Array(info.value)) : .heartbeatAck(info: Array(info.value))
        case SCTPChunkType.abort:
            self = .abort(reflected: flags & 1 != 0, causes: try SCTPErrorCause.decodeList(r.bytes))
        case SCTPChunkType.shutdown:
            self = .shutdown(cumulativeTSN: try r.u32())
        case SCTPChunkType.shutdownAck:
            self = .shutdownAck
        case SCTPChunkType.error:
            self = .error(try SCTPErrorCause.decodeList(r.bytes))
        case SCTPChunkType.cookieEcho:
            self = .cookieEcho(Array(r.bytes))
        case SCTPChunkType.cookieAck:
            self = .cookieAck
        case SCTPChunkType.shutdownComplete:
            self = .shutdownComplete(reflected: flags & 1 != 0)
        case SCTPChunkType.reconfig:
            var parameters: [SCTPReconfigParameter] = []
            for tlv in try r.tlvs() { parameters.append(try SCTPReconfigParameter(type: tlv.type, value: tlv.value)) }
            guard !parameters.isEmpty, parameters.count <= 2 else { throw .invalidChunk(type: type) }
            self = .reconfig(parameters)
        case SCTPChunkType.forwardTSN:
            let cumulative = try r.u32()
            guard r.count % 4 == 0 else { throw .badLength }
            var streams: [SCTPSkippedStream] = []
            while !r.isEmpty { streams.append(SCTPSkippedStream(stream: try r.u16(), ssn: try r.u16())) }
            self = .forwardTSN(SCTPForwardTSNChunk(newCumulativeTSN: cumulative, streams: streams))
        case SCTPChunkType.iData:
            // RFC 8260 §2.1: the fourth word is the PPID in the first fragment (B bit),
            // the FSN in the others, which therefore cannot be 0.
            let tsn = try r.u32(), stream = try r.u16()
            _ = try r.u16()  // reserved
            let mid = try r.u32(), word = try r.u32()
            let beginning = flags & 2 != 0
            guard !r.isEmpty, beginning || word != 0 else { throw .invalidChunk(type: type) }
            self = .iData(SCTPDataChunk(tsn: tsn, stream: stream, ssn: 0, ppid: beginning ? word : 0, unordered: flags & 4 != 0,
                                        beginning: beginning, ending: flags & 1 != 0, immediate: flags & 8 != 0,
                                        mid: mid, fsn: beginning ? 0 : word, userData: Array(r.bytes)))
        case SCTPChunkType.iForwardTSN:
            let cumulative = try r.u32()
            guard r.count % 8 == 0 else { throw .badLength }
            var messages: [SCTPSkippedMessage] = []
            while !r.isEmpty {
                let stream = try r.u16(), flags = try r.u16(), mid = try r.u32()
                messages.append(SCTPSkippedMessage(stream: stream, unordered: flags & 1 != 0, mid: mid))
            }
            self = .iForwardTSN(SCTPIForwardTSNChunk(newCumulativeTSN: cumulative, messages: messages))
        default:
            self = .unknown(type: type, flags: flags, value: Array(value))
        }
    }

    // MARK: Encoding

    /// Appends the chunk (header, value, padding to 4 bytes) to `w`.
    func encode(into w: inout SCTPWriter) {
        let start = w.bytes.count
        w.u8(type)
        w.u8(flags)
        w.u16(0)
        w.lastPadding = 0
        switch self {
        case .data(let d):
            w.u32(d.tsn); w.u16(d.stream); w.u16(d.ssn); w.u32(d.ppid)
            w.append(d.userData)
        case .iData(let d):
            w.u32(d.tsn); w.u16(d.stream); w.u16(0); w.u32(d.mid); w.u32(d.beginning ? d.ppid : d.fsn)
            w.append(d.userData)
        case .initiate(let i), .initiateAck(let i):
            w.u32(i.initiateTag); w.u32(i.advertisedWindow); w.u16(i.outboundStreams); w.u16(i.inboundStreams); w.u32(i.initialTSN)
            for parameter in i.parameters { parameter.encode(into: &w) }
        case .sack(let s):
            w.u32(s.cumulativeTSN); w.u32(s.advertisedWindow)
            w.u16(UInt16(s.gaps.count)); w.u16(UInt16(s.duplicates.count))
            for gap in s.gaps { w.u16(gap.start); w.u16(gap.end) }
            for tsn in s.duplicates { w.u32(tsn) }
        case .heartbeat(let info), .heartbeatAck(let info):
            w.tlv(Self.heartbeatInfoType, info)
        case .abort(_, let causes), .error(let causes):
            SCTPErrorCause.encodeList(causes, into: &w)
        case .shutdown(let cumulative):
            w.u32(cumulative)
        case .cookieEcho(let cookie):
            w.append(cookie)
        case .shutdownAck, .cookieAck, .shutdownComplete:
            break
        case .reconfig(let parameters):
            for parameter in parameters { parameter.encode(into: &w) }
        case .forwardTSN(let f):
            w.u32(f.newCumulativeTSN)
            for skipped in f.streams { w.u16(skipped.stream); w.u16(skipped.ssn) }
        case .iForwardTSN(let f):
            w.u32(f.newCumulativeTSN)
            for skipped in f.messages { w.u16(skipped.stream); w.u16(skipped.unordered ? 1 : 0); w.u32(skipped.mid) }
        case .unknown(_, _, let value):
            w.append(value)
        }
        // The length covers header and value, not the padding (§3.2): inner parameters'
        // padding counts, except the last one's (§3.2.1).
        let length = w.bytes.count - start - w.lastPadding
        w.bytes[start + 2] = UInt8(truncatingIfNeeded: length >> 8)
        w.bytes[start + 3] = UInt8(truncatingIfNeeded: length)
        w.pad()
    }

    var flags: UInt8 {
        switch self {
        case .data(let d), .iData(let d): d.flags
        case .abort(let reflected, _), .shutdownComplete(let reflected): reflected ? 1 : 0
        case .unknown(_, let flags, _): flags
        default: 0
        }
    }

    /// Bytes the chunk takes in a packet, padding included (DATA and I-DATA without
    /// encoding them).
    var encodedSize: Int {
        switch self {
        case .data(let d): (SCTPDataChunk.headerSize + d.userData.count + 3) & ~3
        case .iData(let d): (SCTPDataChunk.interleavedHeaderSize + d.userData.count + 3) & ~3
        default: encoded.count
        }
    }

    /// About the bytes the chunk takes, without encoding it (exact for DATA and I-DATA):
    /// what a packet reserves before encoding its chunks.
    var sizeHint: Int {
        switch self {
        case .data, .iData: encodedSize
        case .sack(let s): 16 + 4 * (s.gaps.count + s.duplicates.count) + 4
        default: 64
        }
    }

    /// The encoded chunk, padded to a multiple of 4 bytes.
    public var encoded: [UInt8] {
        var w = SCTPWriter()
        encode(into: &w)
        return w.bytes
    }
}
