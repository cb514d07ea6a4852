/// Offer/answer in the spirit of JSEP (RFC 8829) for audio, video and data sections, all
/// bundled on one transport (RFC 9143) with RTCP multiplexing and trickle ICE.
extension SessionDescription {
    /// Builds an offer: every section on the placeholder port 9 with the same ICE
    /// credentials, fingerprint and `setup` (`actpass` unless the options keep an
    /// established role); candidates go into the first section
    /// (the BUNDLE tag), `a=group:BUNDLE` lists all mids.
    public static func offer(_ options: OfferOptions) -> SessionDescription {
        var offer = SessionDescription(origin: options.origin)
        offer.append(Group(semantics: Group.bundle, mids: options.sections.map(\.mid)))
        for (index, section) in options.sections.enumerated() {
            let capabilities = section.capabilities
            let formats = section.kind == .application
                ? [MediaDescription.dataFormat] : capabilities.codecs.map { String($0.payloadType) }
            var media = MediaDescription(webRTC: section.kind, formats: formats, secure: options.transport.fingerprint != nil)
            media.appendTransport(options.transport, setup: options.setup, mid: section.mid, withCandidates: index == 0)
            let extensions = capabilities.headerExtensions.enumerated().map { ExtMap(id: UInt16($0.offset + 1), uri: $0.element) }
            media.appendMedia(capabilities, extensions: extensions, direction: capabilities.direction,
                              codecs: capabilities.codecs)
            offer.media.append(media)
        }
        return offer
    }

    /// Builds an answer to `offer`. Each section is accepted when `options` has
    /// capabilities for its kind and, for RTP, a codec in common (see `CodecNegotiation`);
    /// otherwise it is rejected with port 0, keeping its mid. Accepted sections mirror the
    /// offer's mid, keep its header extension ids, answer the opposite direction, and take
    /// the DTLS role opposite the offer's `setup`. The BUNDLE group lists the accepted
    /// sections the offer bundled; candidates go into the first accepted section when
    /// bundling, else into each.
    public static func answer(to offer: SessionDescription, options: AnswerOptions) -> SessionDescription {
        var answer = SessionDescription(origin: options.origin)
        let offeredBundle = offer.bundleMids
        var accepted: [String] = []
        for section in offer.media {
            let mid = section.mid ?? ""
            guard let media = answerSection(section, mid: mid, options: options,
                                            withCandidates: offeredBundle == nil || accepted.isEmpty) else {
                var rejected = MediaDescription(kind: section.kind, port: 0, transportProtocol: section.transportProtocol,
                                                formats: section.formats, connections: [ConnectionData()])
                rejected.mid = section.mid
                answer.media.append(rejected)
                continue
            }
            accepted.append(mid)
            answer.media.append(media)
        }
        if let offeredBundle {
            answer.attributes.insert(Group(semantics: Group.bundle, mids: offeredBundle.filter(accepted.contains)).attribute, at: 0)
        }
        if offer.isExtmapAllowMixed { answer.setFlag(AttributeName.extmapAllowMixed, true) }
        return answer
    }

    /// The answer to one offered section, or `nil` to reject it.
    private static func answerSection(_ offered: MediaDescription, mid: String, options: AnswerOptions,
                                      withCandidates: Bool) -> MediaDescription? {
        guard !offered.isRejected, let capabilities = options.capabilities[offered.kind],
              let setup = (offered.setup ?? .actpass) == .actpass ? options.preferredSetup : offered.setup?.answerRole
        else { return nil }
        var codecs: [Codec] = []
        var formats = [MediaDescription.dataFormat]
        if offered.kind == .application {
            guard offered.formats.contains(MediaDescription.dataFormat) else { return nil }
        } else {
            codecs = CodecNegotiation.select(offered: offered.codecs, local: capabilities.codecs)
            guard !codecs.isEmpty else { return nil }
            formats = codecs.map { String($0.payloadType) }
        }
        var media = MediaDescription(webRTC: offered.kind, formats: formats, secure: options.transport.fingerprint != nil)
        media.appendTransport(options.transport, setup: setup, mid: mid, withCandidates: withCandidates)
        let extensions = offered.extMaps.filter { capabilities.headerExtensions.contains($0.uri) }
            .map { ExtMap(id: $0.id, uri: $0.uri) }
        let direction = capabilities.direction.intersection((offered.direction ?? .sendrecv).reversed)
        media.appendMedia(capabilities, extensions: extensions, direction: direction, codecs: codecs)
        media.setFlag(AttributeName.rtcpMux, offered.isRTCPMux)
        media.setFlag(AttributeName.rtcpReducedSize, offered.isRTCPReducedSize)
        return media
    }
}
