/// Everything `SessionDescription.answer(to:options:)` needs besides the offer.
public struct AnswerOptions: Hashable, Sendable {
    public var origin: Origin
    public var transport: TransportDescription
    /// The DTLS role taken when the offer says `actpass`: `.active` (JSEP's choice) or `.passive`.
    public var preferredSetup: SetupRole
    /// Capabilities per media kind; sections of kinds not listed are rejected.
    public var capabilities: [MediaKind: MediaCapabilities]

    public init(origin: Origin, transport: TransportDescription, preferredSetup: SetupRole = .active,
                capabilities: [MediaKind: MediaCapabilities]) {
        self.origin = origin
        self.transport = transport
        self.preferredSetup = preferredSetup
        self.capabilities = capabilities
    }
}
