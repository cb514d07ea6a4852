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
    public func ruleset(wan: String) -> String {
        let options = self == .masqueradeRandomFully ? " fully-random" : ""
        return """
            table ip icelab_nat {
              chain postrouting {
                type nat hook postrouting priority srcnat;
                oifname "\(wan)" masquerade\(options)
              }
            }

            """
    }
}
