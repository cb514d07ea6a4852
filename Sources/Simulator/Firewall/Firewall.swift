import NetTypes

/// A transparent firewall between inside interfaces and one outside interface: routes
/// like a router, and lets packets through by `policy` (ordered rules, a default
/// action, and for a stateful policy the return traffic of allowed flows). TCP flows are
/// connections: opened by a SYN, tracked through FIN and RST for their idle timeout.
/// Works for IPv4 and IPv6 alike. A rejected packet is answered with ICMP
/// administratively prohibited from the address it was sent to.
public final class Firewall: Node {
    /// The rules; can be changed at any simulated time (remembered flows stay).
    public var policy: FirewallPolicy
    /// The interface towards the public side; every other interface is inside.
    public let outsideInterface: Int
    /// The one family the firewall filters (nil: both); packets of the other are routed
    /// unfiltered, as a home router's IPv6 firewall leaves IPv4 to its NAT.
    public var filteredFamily: AddressFamily?
    /// Receives every decision (nil: none, the fast path).
    public var observer: FirewallObserver?
    public private(set) var firewallStats = FirewallStats()
    /// How often idle flows are swept from the state table (they are also removed
    /// lazily when a packet finds them expired).
    public var expirySweepInterval: Duration {
        get { sweep.interval }
        set { sweep.interval = newValue }
    }

    /// A remembered flow: when it expires and, for TCP, what was seen of the connection.
    private struct FlowState {
        var expires: Instant
        var tcp: TCPConnectionTrack?
    }

    /// Remembered flows.
    private var state: [FirewallFlow: FlowState] = [:]
    private var sweep = ExpirySweep(interval: .seconds(1))

    public init(simulation: Simulation, name: String, policy: FirewallPolicy, outsideInterface: Int = 0) {
        self.policy = policy
        self.outsideInterface = outsideInterface
        super.init(simulation: simulation, name: name)
    }

    override public var forwardsPackets: Bool { true }

    /// The remembered flows with their expiry, in a stable order.
    public var flows: [(flow: FirewallFlow, expires: Instant)] {
        state.map { ($0.key, $0.value.expires) }.sorted { ($0.flow.inside, $0.flow.outside) < ($1.flow.inside, $1.flow.outside) }
    }

    override public func receive(_ slot: PacketSlot, on interface: Int) {
        let destination = simulation.packets[slot].destination
        guard !owns(destination.address), filteredFamily.map({ $0 == destination.address.family }) ?? true else {
            super.receive(slot, on: interface)
            return
        }
        stats.received += 1
        let direction: TrafficDirection = interface == outsideInterface ? .inbound : .outbound
        let proto = simulation.packets[slot].proto
        let source = simulation.packets[slot].source
        let flow = direction == .outbound ? FirewallFlow(proto: proto, inside: source, outside: destination)
                                          : FirewallFlow(proto: proto, inside: destination, outside: source)
        if policy.stateful && (isRemembered(flow, refreshedBy: slot, direction) || isErrorAboutRememberedFlow(slot, direction)) {
            firewallStats.allowedByState += 1
            allow(slot, direction, .state)
            return
        }
        let (action, rule) = policy.decide(proto, from: source, to: destination, direction)
        let reason: FirewallDecisionReason = rule.map { .rule($0) } ?? .defaultAction
        switch action {
        case .allow:
            if policy.stateful { remember(flow, slot, direction) }
            allow(slot, direction, reason)
        case .drop, .reject:
            observer?.decided(simulation.packets[slot], direction: direction, action: action, reason: reason, by: self)
            if action == .reject {
                let packet = simulation.packets[slot]
                if sendUnreachable(about: packet, from: destination.address, reason: .administrativelyProhibited) {
                    firewallStats.rejected += 1
                }
            }
            firewallStats.dropped += 1
            drop(slot, .filtered)
        }
    }

    private func allow(_ slot: PacketSlot, _ direction: TrafficDirection, _ reason: FirewallDecisionReason) {
        if direction == .outbound { firewallStats.allowedOutbound += 1 } else { firewallStats.allowedInbound += 1 }
        observer?.decided(simulation.packets[slot], direction: direction, action: .allow, reason: reason, by: self)
        forward(slot)
    }

    /// Starts remembering `flow` from the allowed packet in `slot`: any packet for UDP
    /// and ICMP, only a SYN (without ACK) for TCP, which opens a connection.
    private func remember(_ flow: FirewallFlow, _ slot: PacketSlot, _ direction: TrafficDirection) {
        let now = simulation.now
        if flow.proto == .tcp {
            guard let header = TCPWireHeader(simulation.packets[slot].payload), header.isSYN && !header.isACK else { return }
            var connection = TCPConnectionTrack()
            connection.record(header.controlBits, direction)
            state[flow] = FlowState(expires: now + policy.tcpTimeout(connection.phase), tcp: connection)
        } else {
            state[flow] = FlowState(expires: now + policy.idleTimeout)
        }
        sweep.arm(for: self)
    }

    /// Whether `flow` is remembered and live (an expired entry is removed); a live one is
    /// refreshed by the packet in `slot` when one is given (a TCP connection's segment
    /// also moves it through its phases, which set its timeout).
    private func isRemembered(_ flow: FirewallFlow, refreshedBy slot: PacketSlot?, _ direction: TrafficDirection) -> Bool {
        guard var entry = state[flow] else { return false }
        let now = simulation.now
        guard entry.expires > now else { state[flow] = nil; return false }
        guard let slot else { return true }
        if var connection = entry.tcp {
            connection.record(TCPWireHeader(simulation.packets[slot].payload)?.controlBits ?? 0, direction)
            entry = FlowState(expires: now + policy.tcpTimeout(connection.phase), tcp: connection)
        } else {
            entry.expires = now + policy.idleTimeout
        }
        state[flow] = entry
        return true
    }

    /// Whether the packet is an ICMP error about a remembered flow (the quoted packet
    /// went the other way); errors do not refresh the flow.
    private func isErrorAboutRememberedFlow(_ slot: PacketSlot, _ direction: TrafficDirection) -> Bool {
        let proto = simulation.packets[slot].proto
        guard proto == .icmp || proto == .icmpv6,
              let error = ICMPUnreachable(icmpPayload: simulation.packets[slot].payload, isIPv6: proto == .icmpv6) else { return false }
        let quoted = direction == .inbound
            ? FirewallFlow(proto: error.originalProtocol, inside: error.originalSource, outside: error.originalDestination)
            : FirewallFlow(proto: error.originalProtocol, inside: error.originalDestination, outside: error.originalSource)
        return isRemembered(quoted, refreshedBy: nil, direction)
    }

    override public func handleEvent(kind: UInt32, arg: Int64) {
        guard kind == ExpirySweep.eventKind else { return }
        sweep.fired()
        let now = simulation.now
        state = state.filter { $0.value.expires > now }
        if !state.isEmpty { sweep.arm(for: self) }
    }
}
