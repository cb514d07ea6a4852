import SDP

/// The media sections a session's descriptions carry (RFC 8829 §5.2.1): one per `media:`
/// entry (Opus audio, VP8 video, with the header extension and feedback GCC needs), and
/// an application section for data channels (RFC 8841) — also when the session has
/// neither, since a description needs a section to carry the ICE transport (what a page
/// that only calls `createDataChannel` offers). All are bundled on one transport.
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

    /// The offerer's sections for `spec`, mids numbered from 0; each RTP section sends
    /// and receives as the entry's flows go.
    static func offered(for spec: SessionSpec) -> [OfferOptions.Section] {
        var sections: [OfferOptions.Section] = []
        for media in spec.media {
            let directions = media.flowDirections
            let direction = MediaDirection(sends: directions.contains(true), receives: directions.contains(false))
            let kind: MediaKind = media.kind == .audio ? .audio : .video
            sections.append(.init(mid: String(sections.count), kind: kind, capabilities: capabilities(kind, direction: direction)))
        }
        if !spec.data.isEmpty || spec.media.isEmpty {
            sections.append(.init(mid: String(sections.count), kind: .application, capabilities: capabilities(.application)))
        }
        return sections
    }
}
