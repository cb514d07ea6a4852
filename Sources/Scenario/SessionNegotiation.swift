import JSEP
import NetTypes
import SDP

/// One side's offer/answer state in a session (the signaling states of RFC 8829 §3.2 a
/// session goes through) and what it keeps between messages.
struct SessionNegotiation {
    enum State { case stable, haveLocalOffer, haveRemoteOffer }

    var state = State.stable
    /// The `o=` session id of this side's descriptions (RFC 8829 §5.2.1: random, 63 bits).
    let sessionID: UInt64
    /// The `o=` version of the last description this side made (one more per description).
    var version: UInt64 = 0
    /// The offer (text) waiting for its answer, resent while `signaling.resend` says so.
    var pendingOffer: String?
    /// Without trickle: the offer or answer goes when gathering completes.
    var awaitingGathering = false
    /// The ufrag of the last description sent: candidates of newer credentials (an ICE
    /// restart not yet signalled) wait in `unsent` until their description has gone.
    var announcedUfrag: String?
    /// Candidates (nil: end-of-candidates) gathered before their description was sent.
    var unsent: [(ufrag: String, candidate: ICECandidate?)] = []
    /// The `m=` line and mid of the BUNDLE section, which trickled fragments repeat.
    var bundle: (mediaLine: String, mid: String)?
    /// The peer's description in force: its ufrag and `o=` version, and the ufrags of
    /// earlier generations (before an ICE restart), whose late candidates are dropped.
    var remoteUfrag: String?
    var remoteVersion: UInt64?
    var oldRemoteUfrags: Set<String> = []
    /// Trickled fragments that came before the description they belong to: applications
    /// queue them, since `addIceCandidate` fails before `setRemoteDescription`.
    var early: [SignalledCandidate] = []
    /// The offer being answered; the last answer sent and the version of the offer it answered.
    var remoteOffer: SessionDescription?
    var lastAnswer: (offerVersion: UInt64, text: String)?
    /// The sections in force: agreed by the last completed exchange (at first, those of
    /// the first offer).
    var sections: [SessionSection]
    /// Sections this side wants to add (a track or the first data channel created
    /// mid-call), offered once the signaling state is stable again.
    var adding: [SessionSection] = []
    /// The mDNS names this side gave its host candidates, and the addresses behind them.
    var mdnsNames: [String: IPAddress] = [:]
    /// This host moved: the peer's ICE restart makes it gather from its new addresses.
    var regatherOnRestart = false

    /// The most fragments kept while their description is missing.
    static let maximumEarly = 256

    init(sessionID: UInt64, sections: [SessionSection]) {
        self.sessionID = sessionID
        self.sections = sections
    }
}

/// A trickled candidate as the peer signalled it (an RFC 8840 fragment, or a candidate
/// message through a signaling server): the ufrag of its ICE generation, and the
/// candidate (nil: end of candidates).
struct SignalledCandidate {
    var ufrag: String
    var candidate: ICECandidate?
}
