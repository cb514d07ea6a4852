/// Everything `SessionDescription.offer(_:)` needs: origin, transport and the media sections.
public struct OfferOptions: Hashable, Sendable {
    /// One media section to offer.
    public struct Section: Hashable, Sendable {
        public var mid: String
        public var kind: MediaKind
        public var capabilities: MediaCapabilities

        public init(mid: String, kind: MediaKind, capabilities: MediaCapabilities) {
            self.mid = mid
            self.kind = kind
            self.capabilities = capabilities
        }
    }

    public var origin: Origin
    public var transport: TransportDescription
    public var sections: [Section]
    /// `a=setup` of every section: `actpass` in an initial offer; in a subsequent offer
    /// from the side that is already DTLS client, `active`, so that the answer keeps the
    /// association's roles instead of choosing anew (RFC 8842 lets an offer name a role).
    public var setup: SetupRole

    public init(origin: Origin, transport: TransportDescription, sections: [Section], setup: SetupRole = .actpass) {
        self.origin = origin
        self.transport = transport
        self.sections = sections
        self.setup = setup
    }
}
