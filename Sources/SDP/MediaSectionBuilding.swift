/// The pieces of a WebRTC media section shared by offers and answers.
extension MediaDescription {
    /// The transport protocol of RTP sections (RFC 8829 5.1.2).
    static let rtpProtocol = "UDP/TLS/RTP/SAVPF"
    /// The transport protocol of RTP sections without DTLS-SRTP (RFC 4585).
    static let plainRTPProtocol = "RTP/AVPF"
    /// The transport protocol and format of data channel sections (RFC 8841).
    static let dataProtocol = "UDP/DTLS/SCTP"
    static let dataFormat = "webrtc-datachannel"

    /// An empty section on the placeholder port 9 with `c=IN IP4 0.0.0.0` (RFC 8829 5.2.1);
    /// RTP sections are plain `RTP/AVPF` when not `secure`.
    init(webRTC kind: MediaKind, formats: [String], secure: Bool = true) {
        let proto = kind == .application ? Self.dataProtocol : secure ? Self.rtpProtocol : Self.plainRTPProtocol
        self.init(kind: kind, transportProtocol: proto, formats: formats, connections: [ConnectionData()])
    }

    /// `a=rtcp` (RTP only), candidates when `withCandidates`, ICE credentials and options,
    /// fingerprint and `setup` (when the transport has a fingerprint) and `mid`.
    mutating func appendTransport(_ transport: TransportDescription, setup: SetupRole, mid: String,
                                  withCandidates: Bool) {
        if kind != .application { append(RTCPAttribute(port: 9, connection: ConnectionData())) }
        if withCandidates {
            for candidate in transport.candidates { append(candidate) }
            hasEndOfCandidates = transport.endOfCandidates
        }
        iceUfrag = transport.iceUfrag
        icePwd = transport.icePwd
        iceOptions = ["trickle"]
        if let fingerprint = transport.fingerprint {
            append(fingerprint)
            append(setup)
        }
        self.mid = mid
    }

    /// Header extensions, direction, msid, `rtcp-mux`, `rtcp-rsize` and codecs of an RTP
    /// section, or the SCTP attributes of a data channel section.
    mutating func appendMedia(_ capabilities: MediaCapabilities, extensions: [ExtMap], direction: MediaDirection,
                              codecs: [Codec]) {
        guard kind != .application else {
            append(AttributeName.sctpPort, String(capabilities.sctpPort))
            append(AttributeName.maxMessageSize, String(capabilities.maxMessageSize))
            return
        }
        for extMap in extensions { append(extMap) }
        self.direction = direction
        if let msid = capabilities.msid, direction.sends { append(msid) }
        setFlag(AttributeName.rtcpMux, true)
        setFlag(AttributeName.rtcpReducedSize, true)
        appendCodecAttributes(codecs)
    }
}
