import NetTypes

/// A firewall's configuration: ordered rules (first match wins), the action when none
/// matches, whether return traffic of allowed flows is let through (stateful), and how
/// long remembered flows live.
public struct FirewallPolicy: Sendable, Equatable {
    public var rules: [FirewallRule]
    /// The action for packets no rule matches.
    public var defaultAction: FirewallAction
    /// Whether allowed flows are remembered so that their packets in either direction
    /// (and ICMP errors about them) pass without consulting the rules. A UDP or ICMP flow
    /// is remembered from any allowed packet, a TCP connection only from an allowed SYN:
    /// return traffic is let in only for connections opened the way the rules allow.
    public var stateful: Bool
    /// How long a remembered UDP or ICMP flow lives without packets.
    public var idleTimeout: Duration
    /// How long an established TCP connection (SYNs seen both ways) lives without
    /// segments; the default is RFC 5382 REQ-5's minimum for NATs, 2 h 4 min.
    public var tcpEstablishedTimeout: Duration
    /// How long a TCP connection being opened, closed (FINs both ways) or reset lives
    /// without segments; the default is RFC 5382 REQ-5's 4 minutes.
    public var tcpTransitoryTimeout: Duration

    public init(rules: [FirewallRule], defaultAction: FirewallAction = .drop, stateful: Bool = true,
                idleTimeout: Duration = .seconds(120), tcpEstablishedTimeout: Duration = .seconds(7440),
                tcpTransitoryTimeout: Duration = .seconds(240)) {
        self.rules = rules
        self.defaultAction = defaultAction
        self.stateful = stateful
        self.idleTimeout = idleTimeout
        self.tcpEstablishedTimeout = tcpEstablishedTimeout
        self.tcpTransitoryTimeout = tcpTransitoryTimeout
    }

    /// The idle timeout of a TCP connection in `phase`.
    func tcpTimeout(_ phase: TCPConnectionTrack.Phase) -> Duration {
        phase == .established ? tcpEstablishedTimeout : tcpTransitoryTimeout
    }

    /// The action for a packet and the index of the rule that decided it (nil: the default).
    func decide(_ proto: IPProtocolKind, from source: Endpoint, to destination: Endpoint,
                _ direction: TrafficDirection) -> (action: FirewallAction, rule: Int?) {
        for (index, rule) in rules.enumerated() where rule.matches(proto, from: source, to: destination, direction) {
            return (rule.action, index)
        }
        return (defaultAction, nil)
    }

    // MARK: Presets

    /// Anything may go out; only return traffic comes in (a home router's firewall).
    public static let allowOutboundOnly = FirewallPolicy(rules: [FirewallRule(.allow, direction: .outbound)])

    /// No UDP at all, either way; everything else as `allowOutboundOnly` (networks that
    /// force WebRTC onto TCP or TLS relays).
    public static let blockAllUDP = FirewallPolicy(rules: [FirewallRule(.drop, proto: .udp),
                                                           FirewallRule(.allow, direction: .outbound)])

    /// Only outbound TCP to ports 80 and 443 (web-only corporate networks).
    public static let webOnly = FirewallPolicy(rules: [80, 443].map {
        FirewallRule(.allow, direction: .outbound, proto: .tcp, destinationPorts: $0...$0)
    })

    /// Outbound UDP only to `ports` (e.g. 3478 for STUN/TURN and 443), outbound TCP to
    /// anywhere; only return traffic comes in.
    public static func allowUDPPorts(_ ports: [UInt16]) -> FirewallPolicy {
        FirewallPolicy(rules: ports.map { FirewallRule(.allow, direction: .outbound, proto: .udp, destinationPorts: $0...$0) }
            + [FirewallRule(.allow, direction: .outbound, proto: .tcp)])
    }

    /// Every preset with its name, in documentation order (`allow-udp-ports` with 3478 and 443).
    public static let presets: [(name: String, policy: FirewallPolicy)] = [
        ("allow-outbound-only", allowOutboundOnly),
        ("block-all-udp", blockAllUDP),
        ("allow-only-tcp-80-443", webOnly),
        ("allow-udp-ports", allowUDPPorts([3478, 443])),
    ]

    /// The preset called `name`.
    public static func preset(named name: String) throws(UnknownPresetError) -> FirewallPolicy {
        try UnknownPresetError.find(name, kind: "firewall", in: presets.map { ($0.name, $0.policy) })
    }
}
