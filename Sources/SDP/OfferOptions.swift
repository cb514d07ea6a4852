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

    public init(origin: Origin, transport: TransportDescription, sections: [Section]) {
        self.origin = origin
        self.transport = transport
        self.sections = sections
    }
}
