/// A NAT that a Linux router expresses with nftables, and the simulator preset that models
/// it (docs/nat.md): what `icelab netns-probe` and the agreement tests compare.
public enum LinuxNAT: String, CaseIterable, Sendable {
    /// `masquerade`: conntrack keeps source ports when it can.
    case masquerade = "linux-masquerade"
    /// `masquerade fully-random` (iptables `--random-fully`): a random port per new entry.
    case masqueradeRandomFully = "linux-masquerade-random-fully"

    /// The simulator's preset for this NAT (the same name).
    public var preset: String { rawValue }

    /// The nftables ruleset of the router, translating what leaves through `wan`.
    ///
    /// Without `routerFirewall` the router only translates: a packet from outside that
    /// no mapping expects is delivered to the router itself, refused there (ICMP port
    /// unreachable), and still leaves a conntrack entry that makes a later outbound flow
    /// to that sender take another port (the simulator's `conntrack-refused: true`). With
    /// it, the router's input hook drops such packets before conntrack confirms an entry
    /// for them, as a home router's firewall does, and the NAT behaves as RFC 4787's
    /// categories say (`conntrack-refused: false`, the preset's default).
    public func ruleset(wan: String, routerFirewall: Bool = false) -> String {
        let options = self == .masqueradeRandomFully ? " fully-random" : ""
        let input = routerFirewall ? """

              chain input {
                type filter hook input priority filter; policy accept;
                iifname "\(wan)" ct state new drop
              }
            """ : ""
        return """
            table ip icelab_nat {
              chain postrouting {
                type nat hook postrouting priority srcnat;
                oifname "\(wan)" masquerade\(options)
              }\(input)
            }

            """
    }
}
