import Foundation

/// RFC 5780 behavior discovery through a real Linux NAT: three namespaces — `inet` with
/// icelab's STUN server on two addresses (203.0.113.254:3478, alternate .253:3479), `nat`
/// a router translating with `LinuxNAT`'s nftables rules (WAN 203.0.113.1, LAN 10.0.0.1),
/// `host` behind it (10.0.0.2) running `icelab nat-probe`. The same discovery code the
/// simulator's NAT tests run, against netfilter instead of the model.
public struct NATProbeLab {
    public let nat: LinuxNAT
    /// The icelab executable to run inside the namespaces.
    public let icelab: String

    public init(nat: LinuxNAT, icelab: String) {
        self.nat = nat
        self.icelab = icelab
    }

    static let server = "203.0.113.254", alternate = "203.0.113.253", wan = "203.0.113.1"

    /// Builds the lab, probes, tears the lab down (also when something fails) and
    /// returns `nat-probe --json`'s object.
    public func run(lab: NetnsLab = NetnsLab()) throws(NetnsError) -> [String: String] {
        defer { lab.teardown() }
        for name in ["inet", "nat", "host"] { try lab.addNamespace(name) }
        let (_, wanInterface) = try lab.link("inet", ["\(Self.server)/24", "\(Self.alternate)/24"], "nat", ["\(Self.wan)/24"])
        try lab.link("nat", ["10.0.0.1/24"], "host", ["10.0.0.2/24"])
        try lab.defaultRoute(in: "host", via: "10.0.0.1")
        try lab.enableForwarding(in: "nat")
        try lab.loadRules(nat.ruleset(wan: wanInterface), in: "nat")
        try lab.start([icelab, "stun-server", "--listen", "\(Self.server):3478", "--alternate", "\(Self.alternate):3479", "--duration", "300"],
                      in: "inet")
        let probe = [icelab, "nat-probe", "--server", "\(Self.server):3478", "--rto", "100", "--json"]
        var last = ""
        // The server may still be starting: a probe that got no answer at all is retried.
        for _ in 0..<10 {
            let result = try lab.run(probe, in: "host", timeout: 120)
            last = result.output + result.errors
            if let object = Self.parse(result.output), object["mapping"] != nil { return object }
            Thread.sleep(forTimeInterval: 0.5)
        }
        throw .unexpectedOutput(command: probe, output: last)
    }

    /// The string and boolean fields of one JSON object line (null fields left out).
    static func parse(_ line: String) -> [String: String]? {
        guard let data = line.split(separator: "\n").last.map({ Data($0.utf8) }),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var fields: [String: String] = [:]
        for (key, value) in object {
            if let text = value as? String { fields[key] = text } else if let flag = value as? Bool { fields[key] = flag ? "true" : "false" }
        }
        return fields
    }
}
