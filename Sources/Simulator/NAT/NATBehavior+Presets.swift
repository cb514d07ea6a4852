import NetTypes

/// Named NAT behaviors: the four classic (RFC 3489) types and real-world devices.
/// docs/nat.md gives each one's behavior table and the sources behind it. The classic
/// types map and filter TCP as UDP, with RFC 5382's minimum timeouts, and drop
/// unsolicited SYNs as they drop other unsolicited packets.
extension NATBehavior {
    /// Full cone: endpoint-independent mapping and filtering.
    public static let fullCone = NATBehavior(mapping: .endpointIndependent, filtering: .endpointIndependent)
    /// Restricted cone: endpoint-independent mapping, address-dependent filtering.
    public static let restrictedCone = NATBehavior(mapping: .endpointIndependent, filtering: .addressDependent)
    /// Port-restricted cone: endpoint-independent mapping, address-and-port-dependent filtering.
    public static let portRestrictedCone = NATBehavior(mapping: .endpointIndependent, filtering: .addressAndPortDependent)
    /// Symmetric: a new random external port for every destination endpoint, and only
    /// that endpoint may answer.
    public static let symmetric = NATBehavior(mapping: .addressAndPortDependent, filtering: .addressAndPortDependent,
                                              portAssignment: .random)
    /// A NAT that meets every RFC 4787 requirement: EIM (REQ-1), paired pooling (REQ-2),
    /// port preservation and parity (REQ-3, REQ-4), a 5 minute timer (REQ-5d), outbound
    /// refresh (REQ-6), address-dependent filtering (REQ-8), hairpinning with the
    /// external source (REQ-9), and privileged ports kept privileged (§4.2.1); and every
    /// RFC 5382 requirement for TCP: EIM (REQ-1), address-dependent filtering (REQ-3),
    /// unsolicited SYNs held 6 s then answered with ICMP port unreachable (REQ-4), the
    /// minimum timeouts of REQ-5, hairpinning (REQ-8).
    public static let rfc4787 = NATBehavior(mapping: .endpointIndependent, filtering: .addressDependent,
                                            tcp: NATTCPBehavior(mapping: .endpointIndependent, filtering: .addressDependent),
                                            portParity: true, lowPorts: .sameRange, mappingLifetime: .seconds(300))
    /// A Linux router doing MASQUERADE with stock conntrack: source ports preserved when
    /// free (so mappings look endpoint-independent), only the contacted endpoint may
    /// answer, no hairpinning without extra rules, 30 s UDP timeout that grows to 120 s
    /// once replies were seen (180 s before Linux 5.0), refreshed both ways; privileged
    /// source ports stay in netfilter's low ranges. TCP as conntrack's defaults: 5 days
    /// established, 120 s opening (SYN_SENT) and closing (TIME_WAIT), 10 s after a RST
    /// (CLOSE); an unsolicited SYN reaches the router's own TCP, which answers with a RST.
    /// Linux also keeps an entry for a refused inbound packet that moves the port of a later
    /// flow to its sender; that is `tracksRefusedInbound`, not yet on here (docs/nat.md).
    /// Conntrack only needs each reply tuple to be unique, so hosts sending from the same
    /// port to different remotes share the external port (`portOverloading`).
    public static let linuxMasquerade = NATBehavior(mapping: .endpointIndependent, filtering: .addressAndPortDependent,
                                                    tcp: NATTCPBehavior(mapping: .endpointIndependent,
                                                                        filtering: .addressAndPortDependent,
                                                                        establishedIdleTimeout: .seconds(432_000),
                                                                        transitoryIdleTimeout: .seconds(120),
                                                                        resetIdleTimeout: .seconds(10), unsolicitedSYN: .reset),
                                                    lowPorts: .linux, pooling: .arbitrary, hairpinning: .disabled,
                                                    mappingLifetime: .seconds(30), establishedLifetime: .seconds(120),
                                                    inboundRefresh: true, portOverloading: true)
    /// MASQUERADE with `fully-random` (iptables `--random-fully`): netfilter draws a random
    /// source port for every new conntrack entry instead of keeping the internal one, so
    /// each destination gets its own mapping (address-and-port-dependent, what Linux
    /// measured by `icelab netns-probe` shows); otherwise as `linuxMasquerade`.
    public static let linuxMasqueradeRandomFully: NATBehavior = {
        var behavior = linuxMasquerade
        behavior.mapping = .addressAndPortDependent
        behavior.portAssignment = .random
        behavior.tcp.mapping = .addressAndPortDependent
        return behavior
    }()
    /// A carrier-grade NAT (RFC 6888): endpoint-independent mapping (REQ-1 via RFC 4787),
    /// random ports, paired pooling (REQ-2), a per-subscriber port limit (REQ-4),
    /// hairpinning (REQ-1 via RFC 4787 REQ-9), ICMP host unreachable to a subscriber whose
    /// new flow finds no mapping (REQ-11b); as deployed, address-and-port-dependent
    /// filtering (REQ-7 recommends endpoint-independent) and a short 60 s timer. TCP
    /// as RFC 5382 asks (RFC 6888 REQ-1): EIM, the minimum timeouts; it filters as for
    /// UDP and drops unsolicited SYNs silently (REQ-4a).
    public static let cgnat = NATBehavior(mapping: .endpointIndependent, filtering: .addressAndPortDependent,
                                          portAssignment: .random, mappingLifetime: .seconds(60),
                                          maxMappingsPerHost: 1024, exhaustionResponse: .reject)
    /// An enterprise firewall/NAT: symmetric with sequential ports, no hairpinning,
    /// 30 s timer refreshed by outbound traffic only. TCP symmetric too, with a firewall
    /// appliance's connection timers (Cisco ASA's defaults: 1 hour idle, 30 s for a
    /// half-open connection); unsolicited SYNs dropped silently.
    public static let enterprise = NATBehavior(mapping: .addressAndPortDependent, filtering: .addressAndPortDependent,
                                               tcp: NATTCPBehavior(mapping: .addressAndPortDependent,
                                                                   filtering: .addressAndPortDependent,
                                                                   establishedIdleTimeout: .seconds(3600),
                                                                   transitoryIdleTimeout: .seconds(30), resetIdleTimeout: .seconds(30),
                                                                   unsolicitedSYN: .drop),
                                               portAssignment: .sequential(step: 1), hairpinning: .disabled,
                                               mappingLifetime: .seconds(30))

    /// Every preset with its name, in documentation order.
    public static let presets: [(name: String, behavior: NATBehavior)] = [
        ("full-cone", fullCone),
        ("restricted-cone", restrictedCone),
        ("port-restricted-cone", portRestrictedCone),
        ("symmetric", symmetric),
        ("rfc4787", rfc4787),
        ("linux-masquerade", linuxMasquerade),
        ("linux-masquerade-random-fully", linuxMasqueradeRandomFully),
        ("cgnat", cgnat),
        ("enterprise", enterprise),
    ]

    /// The preset called `name` (as scenario files write it, e.g. `port-restricted-cone`).
    public static func preset(named name: String) throws(UnknownPresetError) -> NATBehavior {
        try UnknownPresetError.find(name, kind: "NAT", in: presets.map { ($0.name, $0.behavior) })
    }
}
