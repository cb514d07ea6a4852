import NetTypes

extension NetnsTopology {
    /// Creates the namespaces, veths, addresses, routes and nftables rules of this plan
    /// in `lab`. The lab's `teardown()` removes all of it.
    public func build(in lab: NetnsLab) throws(NetnsError) {
        for node in nodes { try lab.addNamespace(node.name) }
        var uplink: [String: String] = [:]
        var losses: [String: [(interface: String, rate: Double)]] = [:]
        for link in links {
            let (parentEnd, childEnd) = try lab.link(link.parent, ["\(link.parentAddress)/32"],
                                                     link.child, link.childAddresses.map { "\($0)/32" })
            uplink[link.child] = childEnd
            let nextHop = link.childAddresses[0]
            try lab.ip(["route", "add", "default", "via", "\(link.parentAddress)", "dev", childEnd, "onlink"], in: link.child)
            // The next hop itself is on the link; everything else behind the child goes through it.
            try lab.ip(["route", "add", "\(nextHop)/32", "dev", parentEnd, "scope", "link"], in: link.parent)
            for address in link.routed where address != nextHop {
                try lab.ip(["route", "add", "\(address)/32", "via", "\(nextHop)", "dev", parentEnd, "onlink"], in: link.parent)
            }
            losses[link.parent, default: []].append((parentEnd, link.lossDown))
            losses[link.child, default: []].append((childEnd, link.lossUp))
        }
        for node in nodes {
            if node.role.forwards { try lab.enableForwarding(in: node.name) }
            switch node.role {
            case .nat(let kind, let routerFirewall):
                if let wan = uplink[node.name] { try lab.loadRules(kind.ruleset(wan: wan, routerFirewall: routerFirewall), in: node.name) }
            case .firewall(let policy): if let wan = uplink[node.name] { try lab.loadRules(LinuxFirewall.ruleset(policy, wan: wan), in: node.name) }
            case .internet, .host, .server: break
            }
            if let rules = LinuxLinkLoss.ruleset(losses[node.name] ?? []) { try lab.loadRules(rules, in: node.name) }
        }
    }
}
