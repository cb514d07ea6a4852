extension NetworkSpec {
    /// The NATs and firewalls between `host` and the internet, innermost first (empty for
    /// a public host). Call on a validated network: chains end at the internet.
    func chain(of host: String) -> [String] {
        var chain: [String] = []
        var placement = hosts.first { $0.name == host }?.behind
        while case .behind(let box)? = placement, !chain.contains(box) {
            chain.append(box)
            placement = nats.first { $0.name == box }?.behind ?? firewalls.first { $0.name == box }?.behind
        }
        return chain
    }
}
