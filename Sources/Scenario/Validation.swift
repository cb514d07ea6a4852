/// Cross-references between sections: every name used exists and has the right kind,
/// NAT/firewall chains end at the internet, names are unique.
extension Scenario {
    func validateReferences() throws(ScenarioError) {
        var kinds: [String: String] = [:]
        for element in network.namedElements {
            if let existing = kinds[element.name] {
                throw ScenarioError(element.location, "the name '\(element.name)' is already used by a \(existing)")
            }
            kinds[element.name] = element.kind
        }
        let middleboxes = Set(network.nats.map(\.name) + network.firewalls.map(\.name))
        func check(_ placement: Placement, of owner: String, at location: SourceLocation) throws(ScenarioError) {
            guard case .behind(let name) = placement else { return }
            guard middleboxes.contains(name) else {
                let what = kinds[name].map { "'\(name)' is a \($0), not a NAT or firewall" } ?? "no NAT or firewall is called '\(name)'"
                throw ScenarioError(location, "\(owner) is behind '\(name)', but \(what)\(kinds[name] == nil ? Suggestions.hint(for: name, in: middleboxes) : "")")
            }
        }
        for nat in network.nats { try check(nat.behind, of: "NAT '\(nat.name)'", at: nat.keyLocations["behind"] ?? nat.location) }
        for fw in network.firewalls { try check(fw.behind, of: "firewall '\(fw.name)'", at: fw.keyLocations["behind"] ?? fw.location) }
        for host in network.hosts {
            try check(host.behind, of: "host '\(host.name)'", at: host.keyLocations["behind"] ?? host.location)
            if host.clat, !network.nats.contains(where: { $0.nat64 && host.behind == .behind($0.name) }) {
                throw ScenarioError(host.keyLocations["clat"] ?? host.location,
                                    "host '\(host.name)' has 'clat' (464XLAT) but is not behind a NAT with 'nat64: true'")
            }
        }
        try checkPresets()
        try checkChainsEndAtInternet()
        try checkLinks(kinds)
        try checkSessions(kinds)
        try checkTimeline(kinds)
        try checkCrossTraffic()
        try checkMedia()
        try checkDataChannels()
        for e in expectations {
            guard let session = sessions.first(where: { $0.name == e.session }) else {
                throw ScenarioError(e.sessionLocation, "no session is called '\(e.session)'" + Suggestions.hint(for: e.session, in: sessions.map(\.name)))
            }
            if e.traversal == .predicted { try checkPredictable(session, at: e.location) }
            if session.dtls == nil, e.checksDTLS {
                throw ScenarioError(e.location, "session '\(e.session)' runs without DTLS (dtls: false): dtls, dtls-within, dtls-failure "
                                    + "and media-within do not apply")
            }
        }
    }

    /// `traversal: predicted` (`TraversalPrediction`) covers hosts that are public or behind
    /// chains of NATs, each its own: a firewall's rules, or a NAT both hosts are behind
    /// (where the path would hairpin), are outside the rule.
    private func checkPredictable(_ session: SessionSpec, at location: SourceLocation) throws(ScenarioError) {
        let chains = [session.offerer, session.answerer].map { ($0, network.chain(of: $0)) }
        for (host, chain) in chains {
            if let firewall = chain.first(where: { box in network.firewalls.contains { $0.name == box } }) {
                throw ScenarioError(location, "traversal: predicted covers hosts behind NATs only; '\(host)' is behind firewall '\(firewall)'")
            }
            if let lan = chain.first(where: { box in network.nats.contains { $0.name == box && ($0.ipv6 || $0.nat64) } }) {
                throw ScenarioError(location, "traversal: predicted covers IPv4 NATs only; '\(host)' is behind '\(lan)', whose LAN has IPv6")
            }
        }
        if let shared = chains[0].1.first(where: chains[1].1.contains) {
            throw ScenarioError(location, "traversal: predicted covers hosts behind NATs of their own; '\(session.offerer)' and '\(session.answerer)' are both behind '\(shared)'")
        }
    }

    private func parent(of name: String) -> Placement? {
        network.nats.first { $0.name == name }?.behind ?? network.firewalls.first { $0.name == name }?.behind
    }

    /// NAT and firewall presets resolve, and a preset's own requirements are met: the
    /// mapping the network is built with, run here so a bad preset is found before any run.
    private func checkPresets() throws(ScenarioError) {
        for nat in network.nats {
            _ = try NATSpecMapping.behavior(of: nat)
            _ = try NATSpecMapping.ipv6Firewall(of: nat)
        }
        for firewall in network.firewalls { _ = try NATSpecMapping.policy(of: firewall) }
    }

    private func checkChainsEndAtInternet() throws(ScenarioError) {
        for box in network.nats.map({ ($0.name, $0.location) }) + network.firewalls.map({ ($0.name, $0.location) }) {
            var seen: Set<String> = [box.0]
            var current = parent(of: box.0)
            while case .behind(let next)? = current {
                guard seen.insert(next).inserted else {
                    throw ScenarioError(box.1, "'\(box.0)' is behind itself through a loop of NATs/firewalls")
                }
                current = parent(of: next)
            }
        }
    }

    private func checkLinks(_ kinds: [String: String]) throws(ScenarioError) {
        var names: Set<String> = []
        for link in network.links {
            for (end, location) in [(link.from, link.fromLocation), (link.to, link.toLocation)] where end != "internet" {
                guard kinds[end] != nil else {
                    throw ScenarioError(location, "no element is called '\(end)'" + Suggestions.hint(for: end, in: Array(kinds.keys) + ["internet"]))
                }
            }
            guard adjacent(link.from, link.to) else {
                throw ScenarioError(link.location, "'\(link.from)' and '\(link.to)' are not directly connected; a link joins an element and what it is behind (or the internet)")
            }
            guard names.insert(link.name).inserted, !names.contains("\(link.to)-\(link.from)") || link.from == link.to else {
                throw ScenarioError(link.location, "the link between '\(link.from)' and '\(link.to)' is configured twice")
            }
        }
    }

    /// Whether two elements share a link in the planned topology.
    func adjacent(_ a: String, _ b: String) -> Bool {
        func placement(_ name: String) -> Placement? {
            if name == "internet" { return nil }
            if let host = network.hosts.first(where: { $0.name == name }) { return host.behind }
            if network.servers.contains(where: { $0.name == name }) { return .internet }
            return parent(of: name)
        }
        if let p = placement(a), p == (b == "internet" ? .internet : .behind(b)) { return true }
        if let p = placement(b), p == (a == "internet" ? .internet : .behind(a)) { return true }
        return false
    }

    private func checkSessions(_ kinds: [String: String]) throws(ScenarioError) {
        var names: Set<String> = []
        let hosts = network.hosts.map(\.name), servers = network.servers.map(\.name)
        for session in sessions {
            guard names.insert(session.name).inserted else { throw ScenarioError(session.location, "two sessions are called '\(session.name)'") }
            for role in ["offerer", "answerer"] {
                let name = role == "offerer" ? session.offerer : session.answerer
                guard hosts.contains(name) else {
                    let what = kinds[name].map { "'\(name)' is a \($0), not a host" } ?? "no host is called '\(name)'\(Suggestions.hint(for: name, in: hosts))"
                    throw ScenarioError(session.referenceLocations[role] ?? session.location, what)
                }
            }
            for (index, entry) in session.iceServers.enumerated() {
                let location = session.referenceLocations["ice-servers.\(index)"] ?? session.location
                guard let server = network.servers.first(where: { $0.name == entry.name }) else {
                    throw ScenarioError(location, "no STUN or TURN server is called '\(entry.name)'" + Suggestions.hint(for: entry.name, in: servers))
                }
                if let problem = server.cannotServe(entry) { throw ScenarioError(location, "'\(entry)': \(problem)") }
            }
            if let name = session.signaling.server {
                let location = session.signaling.serverLocation ?? session.location
                guard let server = network.servers.first(where: { $0.name == name }) else {
                    let what = kinds[name].map { "'\(name)' is a \($0), not a signaling server" }
                        ?? "no signaling server is called '\(name)'" + Suggestions.hint(for: name, in: servers)
                    throw ScenarioError(location, what)
                }
                guard server.kind == .signaling else {
                    throw ScenarioError(location, "'\(name)' is a \(server.kind.rawValue.uppercased()) server, not a signaling server (kind: signaling)")
                }
            }
            if session.policy == .relay && !session.iceServers.contains(where: { s in network.servers.contains { $0.name == s.name && $0.kind == .turn } }) {
                throw ScenarioError(session.location, "session '\(session.name)' has policy relay but no TURN server in ice-servers")
            }
        }
    }

    /// The ends of the link called `name` (`FROM-TO`; names may contain `-` themselves),
    /// if it exists in the planned topology.
    func linkEnds(_ name: String) -> (from: String, to: String)? {
        for index in name.indices where name[index] == "-" {
            let from = String(name[..<index]), to = String(name[name.index(after: index)...])
            if adjacent(from, to) { return (from, to) }
        }
        return nil
    }

    func isLink(_ name: String) -> Bool { linkEnds(name) != nil }

    private func checkMedia() throws(ScenarioError) {
        for session in sessions {
            for media in session.media {
                if let link = media.bottleneck, !isLink(link) {
                    throw ScenarioError(media.bottleneckLocation ?? media.location,
                                        "no link is called '\(link)': name a link FROM-TO between an element and what it is behind (or internet)")
                }
                if media.start >= duration { throw ScenarioError(media.location, "media starts at \(media.start), not before the end of the run (duration \(duration))") }
            }
        }
        for e in mediaExpectations {
            for (name, (location, flow)) in zip(e.sessions, zip(e.sessionLocations, e.flows)) {
                guard let session = sessions.first(where: { $0.name == name }) else {
                    throw ScenarioError(location, "no session is called '\(name)'" + Suggestions.hint(for: name, in: sessions.map(\.name)))
                }
                let flows = session.flows
                guard flow < flows.count else {
                    let what = flows.isEmpty ? "has no media" : "has \(flows.count) flow(s), numbered from 0"
                    throw ScenarioError(e.flowLocation ?? location, "session '\(name)' \(what); flow \(flow) does not exist")
                }
                if e.needsCapacity && flows[flow].media.bottleneck == nil {
                    throw ScenarioError(e.location, "this expectation compares with the bottleneck's capacity: give flow \(flow) of session '\(name)' a 'bottleneck: LINK'")
                }
            }
            if let name = e.crossTraffic, let location = e.crossTrafficLocation {
                let tcp = crossTraffic.filter { $0.tcp != nil }.map(\.name)
                guard tcp.contains(name) else {
                    throw ScenarioError(location, "no TCP cross-traffic flow is called '\(name)'" + Suggestions.hint(for: name, in: tcp)
                                        + (tcp.isEmpty ? " (throughput-ratio compares with tcp-bulk or tcp-web flows; this scenario has none)" : ""))
                }
            }
        }
    }

    private func checkDataChannels() throws(ScenarioError) {
        for session in sessions {
            for channel in session.data where channel.start >= duration {
                throw ScenarioError(channel.location, "the channel starts at \(channel.start), not before the end of the run (duration \(duration))")
            }
        }
        for e in dataChannelExpectations {
            guard let session = sessions.first(where: { $0.name == e.session }) else {
                throw ScenarioError(e.sessionLocation, "no session is called '\(e.session)'" + Suggestions.hint(for: e.session, in: sessions.map(\.name)))
            }
            let labels = session.data.map(\.label)
            guard let channel = session.data.first(where: { $0.label == e.channel }) else {
                let what = labels.isEmpty ? "has no data channels" : "has no channel '\(e.channel)'" + Suggestions.hint(for: e.channel, in: labels)
                throw ScenarioError(e.channelLocation, "session '\(e.session)' \(what)")
            }
            if case .transferWithin = e.check, channel.workload.kind != "file" {
                throw ScenarioError(e.location, "transfer-within needs a file workload; channel '\(e.channel)' sends \(channel.workload.kind)")
            }
        }
    }

    private func checkCrossTraffic() throws(ScenarioError) {
        let hosts = network.hosts.map(\.name)
        var names: Set<String> = []
        for flow in crossTraffic {
            if !names.insert(flow.name).inserted { throw ScenarioError(flow.location, "two cross-traffic flows are called '\(flow.name)'") }
            for (name, location) in [(flow.from, flow.fromLocation), (flow.to, flow.toLocation)] where !hosts.contains(name) {
                throw ScenarioError(location, "no host is called '\(name)'" + Suggestions.hint(for: name, in: hosts))
            }
            if network.hosts.first(where: { $0.name == flow.to })?.behind != .internet {
                throw ScenarioError(flow.toLocation, "cross traffic needs a public receiver: '\(flow.to)' is behind a NAT or firewall")
            }
            if flow.from == flow.to { throw ScenarioError(flow.toLocation, "cross traffic needs two different hosts") }
        }
    }

    private func checkTimeline(_ kinds: [String: String]) throws(ScenarioError) {
        for event in timeline {
            if event.at > duration {
                throw ScenarioError(event.location, "at \(event.at) is after the end of the run (duration \(duration))")
            }
            func require(_ name: String, _ kind: String, _ candidates: [String]) throws(ScenarioError) {
                guard candidates.contains(name) else {
                    throw ScenarioError(event.targetLocation, "no \(kind) is called '\(name)'" + Suggestions.hint(for: name, in: candidates))
                }
            }
            switch event.action {
            case .setLink(let name, _, _):
                guard isLink(name) else {
                    throw ScenarioError(event.targetLocation, "no link is called '\(name)': name a link FROM-TO between an element and what it is behind (or internet)")
                }
            case .rebindNAT(let n), .renumberNAT(let n): try require(n, "NAT", network.nats.map(\.name))
            case .moveHost(let n, let to):
                try require(n, "host", network.hosts.map(\.name))
                if network.hosts.contains(where: { $0.name == n && $0.clat }) {
                    throw ScenarioError(event.targetLocation, "host '\(n)' runs a CLAT ('clat: true'): moving it is not modelled")
                }
                if case .behind(let target) = to {
                    try require(target, "NAT or firewall", network.nats.map(\.name) + network.firewalls.map(\.name))
                }
            case .setServer(let n, _): try require(n, "server", network.servers.map(\.name))
            case .restartICE(let n): try require(n, "session", sessions.map(\.name))
            case .setFlowRates(let n, let flow, let minRate, let maxRate):
                try require(n, "session", sessions.map(\.name))
                guard let session = sessions.first(where: { $0.name == n }), flow < session.flows.count else {
                    throw ScenarioError(event.location, "session '\(n)' has no media flow \(flow)")
                }
                let spec = session.flows[flow].media
                if let minRate, maxRate == nil, minRate > spec.maxRate {
                    throw ScenarioError(event.location, "min-rate \(minRate) is above the flow's max-rate \(spec.maxRate)")
                }
                if let maxRate, minRate == nil, maxRate < spec.minRate {
                    throw ScenarioError(event.location, "max-rate \(maxRate) is below the flow's min-rate \(spec.minRate)")
                }
            }
        }
    }
}
