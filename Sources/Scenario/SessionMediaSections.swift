import SDP

/// What a session's media sections offer (RFC 8829 §5.2.1): per `media:` entry Opus audio
/// or VP8 video with the header extension and feedback GCC needs, and the application
/// section for data channels (RFC 8841); which sections a description has is
/// `SessionSection`'s. All are bundled on one transport.
enum SessionMediaSections {
    /// The transport-wide sequence number extension (draft-holmer-rmcat-transport-wide-cc-extensions-01).
    static let transportWideCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    /// Opus as browsers offer it (RFC 7587).
    static let opus = Codec.opus(parameters: "minptime=10;useinbandfec=1", feedback: ["transport-cc"])
    /// VP8 (RFC 7741) with the feedback a GCC sender uses.
    static let vp8 = Codec(payloadType: 96, name: "VP8", clockRate: 90_000,
                           feedback: ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"])

    static func capabilities(_ kind: MediaKind, direction: MediaDirection = .sendrecv) -> MediaCapabilities {
        switch kind {
        case .audio: MediaCapabilities(codecs: [opus], headerExtensions: [transportWideCC], direction: direction)
        case .video: MediaCapabilities(codecs: [vp8], headerExtensions: [transportWideCC], direction: direction)
        default: MediaCapabilities()
        }
    }

    /// What the answerer accepts: every kind a session may offer.
    static let answerCapabilities: [MediaKind: MediaCapabilities] = [
        .audio: capabilities(.audio), .video: capabilities(.video), .application: capabilities(.application),
    ]

    /// `section` as `atOfferer`'s side offers it: an RTP section sends and receives as
    /// the entry's flows go from that side.
    static func offered(_ section: SessionSection, in spec: SessionSpec, atOfferer: Bool) -> OfferOptions.Section {
        guard case .media(let index) = section else {
            return .init(mid: section.mid(in: spec), kind: .application, capabilities: capabilities(.application))
        }
        let directions = spec.media[index].flowDirections
        let direction = MediaDirection(sends: directions.contains(atOfferer), receives: directions.contains(!atOfferer))
        let kind: MediaKind = spec.media[index].kind == .audio ? .audio : .video
        return .init(mid: section.mid(in: spec), kind: kind, capabilities: capabilities(kind, direction: direction))
    }
}
