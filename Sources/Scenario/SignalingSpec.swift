import NetTypes

/// How a session's offer, answer and trickled candidates travel between the two agents
/// (`signaling:` on a session): an application's channel through a signaling server,
/// modelled by its one-way delay, jitter, loss and whether it keeps order, plus what the
/// application does about it (resending an unanswered offer) and whether both sides
/// offer at once (glare).
///
/// Every message is real SDP text (RFC 8829 offer and answer; RFC 8840 fragments for
/// trickled candidates). A WebSocket through a server keeps order and loses nothing
/// unless the connection breaks; loss and reordering model what apps see over HTTP
/// polling, push services, or a server that drops messages of a busy room.
public struct SignalingSpec: Sendable, Equatable {
    /// One-way delay of every message.
    public var delay: Duration
    /// Each message takes up to this much longer (uniform).
    public var jitter: Duration
    /// Whether messages of one direction arrive in the order sent (a WebSocket, on by
    /// default); off, jitter can make a candidate overtake the offer.
    public var ordered: Bool
    /// The share of messages lost, 0...1.
    public var loss: Double
    /// An offer still unanswered after this long is sent again, and an answerer that sees
    /// an offer again sends its answer again; nil: never (the app trusts its channel).
    public var resend: Duration?
    /// Both sides send an offer at the start: the answerer, the polite peer of the
    /// "perfect negotiation" pattern, rolls its own back (RFC 8829 §4.1.8.2) and
    /// answers; the offerer ignores the offer that collided with its own.
    public var glare: Bool
    /// The `kind: signaling` server node the messages go through (`server:`), over a
    /// WebSocket on simulated TCP from each side's host: delay, loss and order then come
    /// from the network path, so the modelled keys are not given with it. Nil: the
    /// modelled channel.
    public var server: String?
    /// Where `server:` was given, for errors about the node it names.
    public var serverLocation: SourceLocation?

    public static let keys = ["delay", "jitter", "ordered", "loss", "resend", "glare", "server"]
    /// The keys that model the channel, which `server:` replaces.
    static let modelledKeys = ["delay", "jitter", "ordered", "loss"]

    /// A reliable channel with `delay` one way.
    public static func reliable(delay: Duration) -> SignalingSpec {
        SignalingSpec(delay: delay, jitter: .zero, ordered: true, loss: 0, resend: nil, glare: false)
    }

    init(delay: Duration, jitter: Duration, ordered: Bool, loss: Double, resend: Duration?, glare: Bool) {
        self.delay = delay
        self.jitter = jitter
        self.ordered = ordered
        self.loss = loss
        self.resend = resend
        self.glare = glare
    }

    /// `signaling:` as a mapping of `keys`; the session's `signaling-delay` (`shorthand`)
    /// sets the delay instead of `signaling.delay`, not beside it; 50 ms without either.
    static func parse(_ node: YAMLNode?, shorthand: YAMLNode?) throws(ScenarioError) -> SignalingSpec {
        var spec = SignalingSpec.reliable(delay: try shorthand?.duration() ?? .milliseconds(50))
        guard let node else { return spec }
        let f = try node.fields(allowed: keys)
        if let v = f.optional("server") {
            if let key = modelledKeys.first(where: f.has) {
                throw try f.required(key).error("'\(key)' models the channel; with 'server' the network path sets it")
            }
            if let shorthand { throw shorthand.error("signaling-delay models the channel; with 'signaling.server' the network path sets it") }
            spec.server = try v.string()
            spec.serverLocation = v.location
        }
        if let v = f.optional("delay") {
            if let shorthand { throw shorthand.error("give the delay once: signaling-delay or signaling.delay") }
            spec.delay = try v.duration()
        }
        if let v = f.optional("jitter") { spec.jitter = try v.duration() }
        spec.ordered = try f.optional("ordered")?.bool() ?? true
        if let v = f.optional("loss") {
            spec.loss = try v.percentage()
            guard spec.loss < 1 else { throw v.error("signaling loss must be below 100%") }
        }
        if let v = f.optional("resend") {
            if let on = try? v.bool() {
                if on { throw v.error("resend is a duration or false") }
            } else {
                let interval = try v.duration()
                guard interval >= .milliseconds(10) else { throw v.error("resend below 10 ms is not allowed") }
                spec.resend = interval
            }
        }
        spec.glare = try f.optional("glare")?.bool() ?? false
        return spec
    }
}
