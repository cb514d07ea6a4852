import NetTypes

/// The pair application data of one component flows on, with the credentials of the
/// session that selected it (so that it survives an ICE restart until a new pair is
/// selected) and its consent (RFC 7675) and keepalive (RFC 8445 §11) timers.
struct SelectedPair {
    let local: Candidate
    let remote: Candidate
    /// The selecting session: its remote password signs consent requests.
    let credentials: SessionCredentials
    /// Nominated (RFC 8445 §8.1.1): selected by both agents for good. A pair is selected
    /// as soon as it is valid, and may be nominated later.
    var nominated: Bool
    /// When consent was last confirmed (or the pair selected).
    var lastConsent: Instant
    var nextConsentCheck: Instant
    /// When anything was last sent on the pair (keepalives go after an idle Tr).
    var lastSent: Instant
    /// The latest round-trip time: the selecting check's, then each consent check's.
    var roundTripTime: Duration?
    /// Consent expired: nothing may be sent any more.
    var consentLost = false
}
