extension MediaDescription {
    /// The RTP codecs of this section, in `m=` line order. Formats without an `rtpmap`
    /// (static payload types written bare) are left out; `rtcp-fb:*` applies to all.
    public var codecs: [Codec] {
        let maps = rtpMaps
        let fmtps = formatParameters
        let feedback = rtcpFeedback
        return formats.compactMap { format in
            guard let pt = UInt8(digits: format), let map = maps.first(where: { $0.payloadType == pt }) else { return nil }
            return Codec(payloadType: pt, name: map.encodingName, clockRate: map.clockRate, channels: map.channels,
                         parameters: fmtps.first { $0.format == format }?.text,
                         feedback: feedback.filter { $0.payloadType == format || $0.payloadType == "*" }.map(\.feedback))
        }
    }

    /// Appends the `rtpmap`, `rtcp-fb` and `fmtp` lines of `codecs`, in Chrome's order.
    public mutating func appendCodecAttributes(_ codecs: [Codec]) {
        for codec in codecs {
            append(RTPMap(payloadType: codec.payloadType, encodingName: codec.name, clockRate: codec.clockRate,
                          channels: codec.channels))
            for fb in codec.feedback {
                let parts = fb.split(separator: " ", maxSplits: 1)
                append(RTCPFeedback(payloadType: String(codec.payloadType), type: String(parts.first ?? ""),
                                    parameter: parts.count == 2 ? String(parts[1]) : nil))
            }
            if let fmtp = codec.formatParameters { append(fmtp) }
        }
    }
}
