import NetTypes
import Simulator

/// A simulator `FirewallPolicy` as an nftables ruleset for a router namespace: the same
/// ordered rules (first match wins) on the forward hook, the default action last, and
/// for a stateful policy conntrack's `established,related` first — netfilter's way of
/// letting return traffic of an allowed flow through (the simulator remembers a UDP flow
/// from any allowed packet and a TCP connection from an allowed SYN; conntrack does the
/// same, except that it also picks up TCP connections mid-stream, `nf_conntrack_tcp_loose`).
/// Outbound means arriving from the LAN side, inbound arriving on `wan`.
public enum LinuxFirewall {
    public static func ruleset(_ policy: FirewallPolicy, wan: String) -> String {
        var lines: [String] = []
        if policy.stateful { lines.append("ct state established,related accept") }
        for rule in policy.rules { lines.append(statement(rule, wan: wan)) }
        lines.append(verdict(policy.defaultAction))
        return """
            table inet icelab_firewall {
              chain forward {
                type filter hook forward priority filter; policy accept;
            \(lines.map { "    " + $0 }.joined(separator: "\n"))
              }
            }

            """
    }

    static func statement(_ rule: FirewallRule, wan: String) -> String {
        var match: [String] = []
        switch rule.direction {
        case .outbound?: match.append("iifname != \"\(wan)\"")
        case .inbound?: match.append("iifname \"\(wan)\"")
        case nil: break
        }
        let hasPorts = rule.sourcePorts != nil || rule.destinationPorts != nil
        switch rule.proto {
        case .udp: match.append("meta l4proto udp")
        case .tcp: match.append("meta l4proto tcp")
        case .icmp: match.append("meta l4proto { icmp, ipv6-icmp }")
        // Port ranges match UDP and TCP packets only (as in the simulator).
        case .any: if hasPorts { match.append("meta l4proto { tcp, udp }") }
        }
        if let prefix = rule.source { match.append("\(family(prefix)) saddr \(prefix)") }
        if let prefix = rule.destination { match.append("\(family(prefix)) daddr \(prefix)") }
        if let ports = rule.sourcePorts { match.append("th sport \(range(ports))") }
        if let ports = rule.destinationPorts { match.append("th dport \(range(ports))") }
        return (match + [verdict(rule.action)]).joined(separator: " ")
    }

    static func verdict(_ action: FirewallAction) -> String {
        switch action {
        case .allow: "accept"
        case .drop: "drop"
        // ICMP destination unreachable, administratively prohibited (RFC 792 code 13).
        case .reject: "reject with icmpx type admin-prohibited"
        }
    }

    private static func family(_ prefix: IPPrefix) -> String {
        prefix.address.family == .ipv4 ? "ip" : "ip6"
    }

    private static func range(_ ports: ClosedRange<UInt16>) -> String {
        ports.lowerBound == ports.upperBound ? "\(ports.lowerBound)" : "\(ports.lowerBound)-\(ports.upperBound)"
    }
}

/// Random loss on a namespace's links, as nftables rules on the postrouting hook (what
/// leaves an interface, forwarded or sent by the namespace itself): `numgen random`
/// drops each packet independently with the link's rate, in parts per million.
enum LinuxLinkLoss {
    static func ruleset(_ losses: [(interface: String, rate: Double)]) -> String? {
        let lines = losses.filter { $0.rate > 0 }.map { entry in
            "oifname \"\(entry.interface)\" numgen random mod 1000000 < \(Int((entry.rate * 1_000_000).rounded())) drop"
        }
        guard !lines.isEmpty else { return nil }
        return """
            table inet icelab_loss {
              chain postrouting {
                type filter hook postrouting priority filter;
            \(lines.map { "    " + $0 }.joined(separator: "\n"))
              }
            }

            """
    }
}
