/// Transport, grouping and RTP attributes of a session or media section.
extension AttributeContainer {
    /// `a=mid` (RFC 5888): the media section's identification tag.
    public var mid: String? {
        get { value(of: AttributeName.mid) }
        set { setValue(newValue, of: AttributeName.mid) }
    }

    /// The direction attribute (`a=sendrecv`, ...); `nil` when absent (which means sendrecv).
    public var direction: MediaDirection? {
        get { attributes.lazy.compactMap { MediaDirection(rawValue: $0.name) }.first }
        set {
            let index = attributes.firstIndex { MediaDirection(rawValue: $0.name) != nil }
            attributes.removeAll { MediaDirection(rawValue: $0.name) != nil }
            guard let newValue else { return }
            attributes.insert(Attribute(newValue.rawValue), at: min(index ?? attributes.count, attributes.count))
        }
    }

    /// `a=group` lines.
    public var groups: [Group] { all(Group.self) }

    /// The mids of the first `a=group:BUNDLE`, if any.
    public var bundleMids: [String]? { groups.first { $0.semantics == Group.bundle }?.mids }

    /// `a=fingerprint` lines (several hash functions may be offered).
    public var fingerprints: [Fingerprint] { all(Fingerprint.self) }

    /// `a=setup`.
    public var setup: SetupRole? { first(SetupRole.self) }

    /// `a=msid` lines.
    public var msids: [MSID] { all(MSID.self) }

    /// `a=rtcp`.
    public var rtcp: RTCPAttribute? { first(RTCPAttribute.self) }

    /// `a=rtcp-mux` (RFC 5761): RTP and RTCP share a port.
    public var isRTCPMux: Bool { hasAttribute(AttributeName.rtcpMux) }

    /// `a=rtcp-mux-only` (RFC 8858): RTCP multiplexing is required.
    public var isRTCPMuxOnly: Bool { hasAttribute(AttributeName.rtcpMuxOnly) }

    /// `a=rtcp-rsize` (RFC 5506): reduced-size RTCP is accepted.
    public var isRTCPReducedSize: Bool { hasAttribute(AttributeName.rtcpReducedSize) }

    /// `a=extmap-allow-mixed` (RFC 8285 6): one- and two-byte header extensions may mix.
    public var isExtmapAllowMixed: Bool { hasAttribute(AttributeName.extmapAllowMixed) }

    /// `a=rtpmap` lines.
    public var rtpMaps: [RTPMap] { all(RTPMap.self) }

    /// `a=fmtp` lines.
    public var formatParameters: [FormatParameters] { all(FormatParameters.self) }

    /// `a=rtcp-fb` lines.
    public var rtcpFeedback: [RTCPFeedback] { all(RTCPFeedback.self) }

    /// `a=extmap` lines.
    public var extMaps: [ExtMap] { all(ExtMap.self) }

    /// `a=ssrc` lines.
    public var ssrcAttributes: [SSRCAttribute] { all(SSRCAttribute.self) }

    /// `a=ssrc-group` lines.
    public var ssrcGroups: [SSRCGroup] { all(SSRCGroup.self) }

    /// `a=sctp-port` (RFC 8841): the SCTP port of a data channel section.
    public var sctpPort: UInt16? { value(of: AttributeName.sctpPort).flatMap { UInt16(digits: $0) } }

    /// `a=max-message-size` (RFC 8841): the largest message the peer accepts, 0 for no limit.
    public var maxMessageSize: UInt64? { value(of: AttributeName.maxMessageSize).flatMap { UInt64(digits: $0) } }
}
