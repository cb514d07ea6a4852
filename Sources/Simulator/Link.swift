import NetTypes

/// A point-to-point link between interfaces of two nodes, one `LinkDirection` each way.
public final class Link {
    public let name: String
    public unowned let a: Node
    public let aInterface: Int
    public unowned let b: Node
    public let bInterface: Int
    /// From `a` to `b`.
    public private(set) var forward: LinkDirection!
    /// From `b` to `a`.
    public private(set) var backward: LinkDirection!

    init(name: String, a: Node, aInterface: Int, b: Node, bInterface: Int,
         forward: LinkConfig, backward: LinkConfig, simulation: Simulation) {
        self.name = name
        self.a = a
        self.aInterface = aInterface
        self.b = b
        self.bInterface = bInterface
        self.forward = LinkDirection(name: "\(name):\(a.name)>\(b.name)", link: self, receiver: b,
                                     receiverInterface: bInterface, config: forward, simulation: simulation)
        self.backward = LinkDirection(name: "\(name):\(b.name)>\(a.name)", link: self, receiver: a,
                                      receiverInterface: aInterface, config: backward, simulation: simulation)
    }

    /// The direction `node` transmits on.
    public func direction(from node: Node) -> LinkDirection? {
        node === a ? forward : node === b ? backward : nil
    }

    /// Takes both directions down (everything offered is dropped, queues included) or
    /// brings them back up, keeping their other parameters.
    public func setUp(_ up: Bool) {
        for direction in [forward!, backward!] {
            var config = direction.config
            config.isUp = up
            direction.update(config)
        }
    }

    /// Applies `config` to both directions now.
    public func update(_ config: LinkConfig) {
        forward.update(config)
        backward.update(config)
    }
}

extension Simulation {
    /// Connects `a` and `b` with a new link: a new interface on each, carrying the given
    /// addresses (and connected routes for them). `reverse` defaults to `config`.
    @discardableResult
    public func connect(_ a: Node, _ b: Node, name: String? = nil,
                        config: LinkConfig = LinkConfig(), reverse: LinkConfig? = nil,
                        addressesA: [InterfaceAddress] = [], addressesB: [InterfaceAddress] = []) -> Link {
        let aIndex = a.addInterface(addresses: addressesA)
        let bIndex = b.addInterface(addresses: addressesB)
        let link = Link(name: name ?? "\(a.name)-\(b.name)", a: a, aInterface: aIndex, b: b, bInterface: bIndex,
                        forward: config, backward: reverse ?? config, simulation: self)
        a.attach(link, outbound: link.forward, to: aIndex)
        b.attach(link, outbound: link.backward, to: bIndex)
        links.append(link)
        return link
    }
}
