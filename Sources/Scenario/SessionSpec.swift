import ICE
import NetTypes
import Records

/// An ICE session between two hosts: the offerer gathers and sends its description through
/// (simulated) signaling, the answerer replies, both run connectivity checks.
public struct SessionSpec: Sendable {
    public enum Policy: String, CaseIterable, Sendable { case all, relay }
    public enum Lite: String, CaseIterable, Sendable { case none, offerer, answerer }
    /// Which agents hide their host candidates behind mDNS names.
    public enum MDNS: String, CaseIterable, Sendable {
        case none, offerer, answerer, both

        /// Whether the offerer's (true) or the answerer's candidates go as mDNS names.
        func hides(offerer: Bool) -> Bool { self == .both || self == (offerer ? .offerer : .answerer) }
    }

    public var name: String
    public var location: SourceLocation
    public var offerer: String
    public var answerer: String
    /// STUN and TURN servers the agents use, and how (`ICEServerReference`).
    public var iceServers: [ICEServerReference]
    public var policy: Policy
    public var trickle: Bool
    public var lite: Lite
    /// How both agents pace and order checks, nominate and switch pairs
    /// (`ice: { nomination: libwebrtc|regular|aggressive }`; libwebrtc by default).
    public var nomination: ICENominationPolicy
    /// Whether both agents also gather ICE-TCP host candidates (RFC 6544: a passive one
    /// listening on each address and an active one), as browsers do
    /// (`ice: { tcp-candidates: true }`; off by default, see docs/scenarios.md).
    public var tcpCandidates: Bool
    /// Whether both agents also gather a simultaneous-open ICE-TCP host candidate on each
    /// address (RFC 6544 §4.1: a bound port both ends connect from at about the same time,
    /// which passes two stateful firewalls that each drop the other's unsolicited SYN)
    /// (`ice: { tcp-simultaneous-open: true }`; off by default, see docs/scenarios.md).
    public var tcpSimultaneousOpen: Bool
    /// Which agents hide their host candidates behind mDNS names
    /// (draft-ietf-mmusic-mdns-ice-candidates), as browsers do for pages without camera or
    /// microphone permission (`ice: { mdns: true | offerer | answerer }`; off by default):
    /// the peer resolves a name only on the same local network, and otherwise drops the
    /// candidate, so the host address is learned, if at all, as peer-reflexive from the
    /// checks.
    public var mdns: MDNS
    /// Pacing interval of connectivity checks (RFC 8445 Ta); by default the nomination
    /// policy's (48 ms libwebrtc, 50 ms RFC).
    public var ta: Duration
    /// When the offerer starts.
    public var start: Duration
    /// The channel offer, answer and trickled candidates travel on (`signaling:`; the
    /// shorthand `signaling-delay` sets its one-way delay, 50 ms by default).
    public var signaling: SignalingSpec
    /// Both agents start as controlling (exercises RFC 8445 role-conflict resolution).
    public var roleConflict: Bool
    /// Media flows sent over the selected pair once ICE connects.
    public var media: [MediaSpec]
    /// DTLS-SRTP after ICE (`dtls:`); nil: off, a pure ICE session with media in clear.
    public var dtls: DTLSSpec?
    /// Data channels over SCTP over the session's DTLS (`data:`).
    public var data: [DataChannelSpec]
    public var referenceLocations: [String: SourceLocation] = [:]

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: ["name", "offerer", "answerer", "ice-servers", "policy", "trickle", "ice-lite",
                                          "ta", "start", "signaling-delay", "signaling", "role-conflict", "media", "ice", "dtls", "data"])
        name = try f.required("name").string()
        offerer = try f.required("offerer").string()
        answerer = try f.required("answerer").string()
        referenceLocations["offerer"] = try f.required("offerer").location
        referenceLocations["answerer"] = try f.required("answerer").location
        var servers: [ICEServerReference] = []
        if let list = f.optional("ice-servers") {
            for item in try list.sequence() {
                servers.append(try ICEServerReference(item))
                referenceLocations["ice-servers.\(servers.count - 1)"] = item.location
            }
        }
        iceServers = servers
        policy = try f.optional("policy")?.choice(of: Policy.self) ?? .all
        trickle = try f.optional("trickle")?.bool() ?? true
        lite = try f.optional("ice-lite")?.choice(of: Lite.self) ?? .none
        let ice = try f.optional("ice")?.fields(allowed: ["nomination", "tcp-candidates", "tcp-simultaneous-open", "mdns"])
        nomination = try ice?.optional("nomination")?.choice(of: ICENominationPolicy.self) ?? .libwebrtc
        tcpCandidates = try ice?.optional("tcp-candidates")?.bool() ?? false
        tcpSimultaneousOpen = try ice?.optional("tcp-simultaneous-open")?.bool() ?? false
        if let m = ice?.optional("mdns") {
            if let on = try? m.bool() { mdns = on ? .both : .none } else { mdns = try m.choice(of: MDNS.self) }
        } else {
            mdns = .none
        }
        ta = try f.optional("ta")?.duration() ?? nomination.pacingInterval
        start = try f.optional("start")?.duration() ?? .zero
        signaling = try SignalingSpec.parse(f.optional("signaling"), shorthand: f.optional("signaling-delay"))
        roleConflict = try f.optional("role-conflict")?.bool() ?? false
        media = try f.optional("media")?.sequence().map { item throws(ScenarioError) in try MediaSpec(item) } ?? []
        dtls = try DTLSSpec.parse(f.optional("dtls"))
        data = try f.optional("data")?.sequence().map { item throws(ScenarioError) in try DataChannelSpec(item) } ?? []
        if let node = f.optional("data"), !data.isEmpty, dtls == nil {
            throw node.error("data channels need DTLS (RFC 8261): remove 'dtls: false' or the 'data' entries")
        }
        var labels: Set<String> = [], ids: Set<UInt16> = []
        for channel in data {
            if !labels.insert(channel.label).inserted { throw ScenarioError(channel.location, "channel label '\(channel.label)' is used twice in this session") }
            if let id = channel.negotiatedID, !ids.insert(id).inserted {
                throw ScenarioError(channel.location, "negotiated id \(id) is used twice in this session")
            }
        }
        if let upfront = data.first(where: { !$0.renegotiate }), let late = data.first(where: \.renegotiate) {
            throw ScenarioError(late.location, "channel '\(late.label)' cannot renegotiate: channel '\(upfront.label)' puts the application "
                                + "section in the first offer, and later channels open in band; renegotiate every channel or none")
        }
        if !media.isEmpty || !data.isEmpty, SessionSection.initial(for: self).isEmpty {
            throw try f.required(media.isEmpty ? "data" : "media").error(
                "every section renegotiates: the first offer needs one (a media entry or data channel without 'renegotiate')")
        }
        if offerer == answerer { throw try f.required("answerer").error("a session needs two different hosts") }
        if ta < .milliseconds(5) { throw try f.required("ta").error("ta below 5 ms is not allowed (RFC 8445 §14.2)") }
    }

    /// The session's media flows in order: each `media:` entry, `both` as offerer → answerer
    /// then answerer → offerer. `flow: N` in expectations indexes this list.
    public var flows: [(media: MediaSpec, fromOfferer: Bool)] {
        media.flatMap { spec in spec.flowDirections.map { (spec, $0) } }
    }
}

/// A change at a simulated time.
public struct TimelineEvent: Sendable {
    public enum Action: Sendable {
        /// Change parameters of the link called `name` (`from-to`) in one or both directions.
        case setLink(name: String, LinkParameters, LinkDirections)
        /// Drop all mappings of a NAT (as after a reboot).
        case rebindNAT(String)
        /// Give a NAT new external addresses (mappings are lost).
        case renumberNAT(String)
        /// Move a host behind another NAT/firewall or to the internet (handover).
        case moveHost(String, to: Placement)
        /// Take a server down or bring it back.
        case setServer(String, up: Bool)
        /// Restart ICE on a session (new credentials, re-gathering).
        case restartICE(session: String)
        /// New minimum and maximum rates for a media flow of a session (an application's
        /// `setParameters` mid-call); nil keeps that bound.
        case setFlowRates(session: String, flow: Int, minRate: Bitrate?, maxRate: Bitrate?)
    }

    public var at: Duration
    public var action: Action
    public var location: SourceLocation
    /// Where the referenced name was written.
    public var targetLocation: SourceLocation

    init(at: Duration, action: Action, location: SourceLocation, targetLocation: SourceLocation) {
        self.at = at
        self.action = action
        self.location = location
        self.targetLocation = targetLocation
    }

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        let f = try node.fields(allowed: ["at", "link", "set", "direction", "nat", "rebind", "renumber", "host", "move-to", "server",
                                          "state", "session", "restart-ice", "flow"])
        at = try f.required("at").duration()
        let targets = ["link", "nat", "host", "server", "session"].filter { f.has($0) }
        guard targets.count == 1, let target = f.optional(targets[0]) else {
            throw node.error("a timeline event names exactly one of link, nat, host, server or session")
        }
        targetLocation = target.location
        let name = try target.string()
        switch targets[0] {
        case "link":
            let set = try f.required("set")
            let directions = try f.optional("direction")?.choice(of: LinkDirections.self) ?? .both
            action = .setLink(name: name, try LinkParameters(try set.fields(allowed: LinkParameters.keys)), directions)
        case "nat":
            if try f.optional("rebind")?.bool() == true { action = .rebindNAT(name) }
            else if try f.optional("renumber")?.bool() == true { action = .renumberNAT(name) }
            else { throw node.error("a NAT event needs 'rebind: true' or 'renumber: true'") }
        case "host":
            action = .moveHost(name, to: try Placement(try f.required("move-to")))
        case "server":
            action = .setServer(name, up: try f.required("state").choice(of: ServerState.self) == .up)
        default:
            if let d = f.optional("direction") { throw d.error("'direction' belongs to link events") }
            if let set = f.optional("set") {
                if let r = f.optional("restart-ice") { throw r.error("a session event either restarts ICE or sets a flow's rates") }
                let rates = try set.fields(allowed: ["min-rate", "max-rate"])
                let minRate = try rates.optional("min-rate")?.bitrate(), maxRate = try rates.optional("max-rate")?.bitrate()
                guard minRate != nil || maxRate != nil else { throw set.error("'set' on a session event needs min-rate or max-rate") }
                if let minRate, let maxRate, minRate > maxRate { throw set.error("min-rate \(minRate) is above max-rate \(maxRate)") }
                action = .setFlowRates(session: name, flow: try f.optional("flow")?.int(in: 0...1_000) ?? 0, minRate: minRate, maxRate: maxRate)
            } else {
                if let fl = f.optional("flow") { throw fl.error("'flow' belongs to a session event with 'set'") }
                guard try f.optional("restart-ice")?.bool() == true else {
                    throw node.error("a session event needs 'restart-ice: true' or 'set: { min-rate, max-rate }'")
                }
                action = .restartICE(session: name)
            }
        }
    }
}

/// A server's `state:` in a timeline event.
enum ServerState: String, CaseIterable { case up, down }

/// Which directions of a link a timeline change applies to: `forward` is `from → to` of
/// the link's name as written.
public enum LinkDirections: String, Sendable, CaseIterable {
    case both, forward, reverse

    /// `reversed` flags of the directions meant.
    var reversals: [Bool] {
        switch self {
        case .both: return [false, true]
        case .forward: return [false]
        case .reverse: return [true]
        }
    }
}

/// A condition a run must meet; a failed expectation fails the run (exit 1).
public struct Expectation: Sendable {
    public var session: String
    public var location: SourceLocation
    public var sessionLocation: SourceLocation
    public var connected: Bool?
    /// Both agents connected (a usable pair: a browser's "connected", `connected_ms`) within this.
    public var connectedWithin: Duration?
    /// Both agents' selected pairs nominated (`nominated_ms`) within this.
    public var nominatedWithin: Duration?
    /// Allowed selected pair types as `local-remote` (`host-host`, `srflx-relay`, `*-relay`).
    public var selectedPair: [String]?
    public var relay: Bool?
    /// Allowed paths (`SessionPath`: `direct`, `direct/tcp`, `relayed`, `relayed/tcp`,
    /// `relayed/tls`): one, or a list of which one must match.
    public var path: [String]?
    /// ICE connection states that must occur in this order (others may interleave).
    public var states: [ICEConnectionState]?
    /// `predicted`: the outcome must match what the NATs' RFC 4787 behavior predicts
    /// (`TraversalPrediction`): direct, relayed, or not connected.
    public var traversal: Traversal?
    /// The DTLS handshake's final state.
    public var dtls: DTLSOutcome?
    /// Both DTLS endpoints connected (`dtls_ms`) within this.
    public var dtlsWithin: Duration?
    /// The handshake failed for this reason.
    public var dtlsFailure: DTLSFailureReason?
    /// The first media frame arrived (`first_media_ms`) within this.
    public var mediaWithin: Duration?
    /// The offerer applied an answer (`signaling_ms`) within this of its first offer.
    public var signalingWithin: Duration?

    /// Whether the expectation checks DTLS or media timing (needs a session with DTLS).
    var checksDTLS: Bool { dtls != nil || dtlsWithin != nil || dtlsFailure != nil || mediaWithin != nil }

    /// What `traversal:` compares the outcome with.
    public enum Traversal: String, CaseIterable, Sendable { case predicted }

    /// The states `states:` may name (W3C `RTCIceConnectionState`), in the order errors list them.
    static let states: [ICEConnectionState] = [.new, .checking, .connected, .completed, .failed, .disconnected, .closed]
    static let candidateTypes = ["host", "srflx", "prflx", "relay", "*"]

    init(_ node: YAMLNode) throws(ScenarioError) {
        location = node.location
        // Media keys are allowed for "did you mean" hints only: their presence routes an entry to `MediaExpectation`.
        let f = try node.fields(allowed: ["session", "connected", "connected-within", "nominated-within", "selected-pair", "relay", "path",
                                          "states", "traversal", "dtls", "dtls-within", "dtls-failure", "media-within", "signaling-within"]
                                + MediaExpectation.keys)
        for key in ["from", "to"] where f.has(key) {
            throw try f.required(key).error("'\(key)' belongs to media expectations (fairness-at-least)")
        }
        if let node = f.optional("cross-traffic") { throw node.error("'cross-traffic' belongs to throughput-ratio") }
        let s = try f.required("session")
        session = try s.string()
        sessionLocation = s.location
        connected = try f.optional("connected")?.bool()
        connectedWithin = try f.optional("connected-within")?.duration()
        nominatedWithin = try f.optional("nominated-within")?.duration()
        relay = try f.optional("relay")?.bool()
        if let p = f.optional("selected-pair") {
            let items = p.isSequence ? try p.sequence() : [p]
            selectedPair = try items.map { item throws(ScenarioError) in
                let text = try item.string()
                let parts = text.split(separator: "-").map(String.init)
                guard parts.count == 2, parts.allSatisfy({ Expectation.candidateTypes.contains($0) }) else {
                    throw item.error("selected-pair is LOCAL-REMOTE with types host, srflx, prflx, relay or *, found '\(text)'")
                }
                return text
            }
        }
        if let p = f.optional("path") {
            let items = p.isSequence ? try p.sequence() : [p]
            path = try items.map { item throws(ScenarioError) in
                let text = try item.string()
                guard SessionPath.names.contains(text) else {
                    throw item.error("'\(text)' is not a path\(Suggestions.hint(for: text, in: SessionPath.names)); "
                                     + "expected one of: \(SessionPath.names.joined(separator: ", "))")
                }
                return text
            }
        }
        if let st = f.optional("states") {
            states = try st.sequence().map { item throws(ScenarioError) in try item.choice(among: Expectation.states) }
        }
        traversal = try f.optional("traversal")?.choice(of: Traversal.self)
        dtls = try f.optional("dtls")?.choice(of: DTLSOutcome.self)
        dtlsWithin = try f.optional("dtls-within")?.duration()
        dtlsFailure = try f.optional("dtls-failure")?.choice(of: DTLSFailureReason.self)
        mediaWithin = try f.optional("media-within")?.duration()
        signalingWithin = try f.optional("signaling-within")?.duration()
        if connected == nil && connectedWithin == nil && nominatedWithin == nil && selectedPair == nil && relay == nil && path == nil
            && states == nil && traversal == nil && !checksDTLS && signalingWithin == nil {
            throw node.error("an expectation needs at least one of connected, connected-within, nominated-within, selected-pair, relay, path, "
                             + "states, traversal, dtls, dtls-within, dtls-failure, media-within, signaling-within, "
                             + MediaExpectation.checks.joined(separator: ", "))
        }
        if let d = f.optional("dtls-failure"), let dtls, dtls != .failed {
            throw d.error("'dtls-failure' contradicts 'dtls: \(dtls.rawValue)'")
        }
        if connected == false && (connectedWithin != nil || nominatedWithin != nil || selectedPair != nil || path != nil) {
            throw node.error("'connected: false' contradicts connected-within / nominated-within / selected-pair / path")
        }
    }
}
