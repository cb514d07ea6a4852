/// Which direction of a named link a media flow crosses, from where the link sits on the
/// sender's and receiver's chains of NATs/firewalls up to the internet.
enum FlowPath {
    /// `host`, what it is behind, what that is behind, …, `internet`.
    static func chain(of host: String, in network: NetworkSpec) -> [String] {
        var chain = [host]
        var placement = network.hosts.first { $0.name == host }?.behind
        while case .behind(let name)? = placement, !chain.contains(name) {
            chain.append(name)
            placement = network.nats.first { $0.name == name }?.behind ?? network.firewalls.first { $0.name == name }?.behind
        }
        return chain + ["internet"]
    }

    /// Whether packets from `sender` to `receiver` cross the link `FROM-TO` from FROM to TO:
    /// upwards on the sender's chain, downwards on the receiver's; a link on neither (a
    /// relay server's) counts towards its non-internet end.
    static func crossesAsWritten(_ link: (from: String, to: String), sender: String, receiver: String, network: NetworkSpec) -> Bool {
        let parts = [link.from, link.to]
        let up = chain(of: sender, in: network), down = chain(of: receiver, in: network)
        if let a = up.firstIndex(of: parts[0]), let b = up.firstIndex(of: parts[1]) { return a < b }
        if let a = down.firstIndex(of: parts[0]), let b = down.firstIndex(of: parts[1]) { return a > b }
        return parts[1] != "internet"
    }
}
