import NetTypes
import Simulator

/// Turns NAT and firewall specs into the simulator's behavior values.
enum NATSpecMapping {
    static func behavior(of spec: NATSpec) throws(ScenarioError) -> NATBehavior {
        var behavior: NATBehavior
        if let preset = spec.preset {
            do { behavior = try NATBehavior.preset(named: preset) } catch {
                throw ScenarioError(spec.keyLocations["preset"] ?? spec.location,
                                    "\(error.description)\(Suggestions.hint(for: preset, in: NATBehavior.presets.map(\.name)))")
            }
        } else {
            behavior = NATBehavior(mapping: .endpointIndependent, filtering: .endpointIndependent)
        }
        if let m = spec.mapping {
            behavior.mapping = m
            behavior.tcp.mapping = m
        }
        if let f = spec.filtering {
            behavior.filtering = f
            behavior.tcp.filtering = f
        }
        switch spec.portAssignment {
        case .preserve?: behavior.portAssignment = .preservation
        case .sequential?: behavior.portAssignment = .sequential(step: UInt16(spec.portStep ?? 1))
        case .random?: behavior.portAssignment = .random
        case nil: if let step = spec.portStep { behavior.portAssignment = .sequential(step: UInt16(step)) }
        }
        if let parity = spec.portParity { behavior.portParity = parity }
        if let range = spec.portRange { behavior.portRange = UInt16(range.lowerBound)...UInt16(range.upperBound) }
        if let low = spec.lowPorts { behavior.lowPorts = low }
        if let pooling = spec.pooling { behavior.pooling = pooling }
        if let hairpin = spec.hairpinning {
            behavior.hairpinning = !hairpin ? .disabled : (spec.hairpinSource ?? .external).hairpinning
        } else if let source = spec.hairpinSource {
            behavior.hairpinning = source.hairpinning
        }
        if let timeout = spec.mappingTimeout {
            behavior.mappingLifetime = timeout
            behavior.establishedLifetime = nil
        }
        if let timeout = spec.establishedTimeout { behavior.establishedLifetime = timeout }
        if let refresh = spec.inboundRefresh { behavior.inboundRefresh = refresh }
        if let tracks = spec.tracksRefusedInbound { behavior.tracksRefusedInbound = tracks }
        if let overloading = spec.portOverloading { behavior.portOverloading = overloading }
        if let max = spec.maxMappings { behavior.maxMappings = max }
        if let max = spec.maxMappingsPerHost { behavior.maxMappingsPerHost = max }
        if let blocks = spec.portBlocks {
            let span = Int(behavior.portRange.upperBound) - Int(behavior.portRange.lowerBound) + 1
            guard Int(blocks.size) <= span else {
                throw ScenarioError(spec.keyLocations["port-blocks"] ?? spec.location,
                                    "port-blocks of \(blocks.size) ports do not fit the port range \(behavior.portRange) (\(span) ports)")
            }
            behavior.portBlocks = blocks
        }
        if let action = spec.filteredAction {
            behavior.unsolicitedResponse = action
            behavior.tcp.unsolicitedSYN = NATTCPBehavior.UnsolicitedSYNResponse(matching: action)
        }
        if let action = spec.exhaustedAction { behavior.exhaustionResponse = action }
        spec.tcp?.apply(to: &behavior.tcp)
        return behavior
    }

    /// The policy of a NAT's IPv6 firewall (`ipv6-firewall`, a firewall preset), nil
    /// without one. `allow-udp-ports` takes 3478 and 443 here (a NAT has no `ports`).
    static func ipv6Firewall(of spec: NATSpec) throws(ScenarioError) -> FirewallPolicy? {
        guard let preset = spec.ipv6Firewall else { return nil }
        do { return try FirewallPolicy.preset(named: preset) } catch {
            throw ScenarioError(spec.keyLocations["ipv6-firewall"] ?? spec.location,
                                "\(error.description)\(Suggestions.hint(for: preset, in: FirewallPolicy.presets.map(\.name)))")
        }
    }

    /// The address families of a NAT's LAN.
    static func addressing(of spec: NATSpec) throws(ScenarioError) -> LANAddressing {
        LANAddressing(ipv4: !spec.nat64, ipv6: spec.ipv6 || spec.nat64, ipv6Firewall: try ipv6Firewall(of: spec))
    }

    static func policy(of spec: FirewallSpec) throws(ScenarioError) -> FirewallPolicy {
        var policy: FirewallPolicy
        if let preset = spec.preset {
            if preset == "allow-udp-ports" {
                guard !spec.ports.isEmpty else {
                    throw ScenarioError(spec.keyLocations["preset"] ?? spec.location, "preset allow-udp-ports needs 'ports'")
                }
                policy = .allowUDPPorts(spec.ports.map { UInt16($0) })
            } else {
                do { policy = try FirewallPolicy.preset(named: preset) } catch {
                    throw ScenarioError(spec.keyLocations["preset"] ?? spec.location,
                                        "\(error.description)\(Suggestions.hint(for: preset, in: FirewallPolicy.presets.map(\.name)))")
                }
            }
        } else {
            policy = FirewallPolicy(rules: [])
        }
        policy.rules += spec.rules.map { rule in
            FirewallRule(rule.action, direction: rule.direction, proto: rule.proto ?? .any,
                         source: rule.source, destination: rule.destination,
                         destinationPorts: rule.ports.map { UInt16($0.lowerBound)...UInt16($0.upperBound) })
        }
        if let action = spec.defaultAction { policy.defaultAction = action }
        return policy
    }
}

/// Applies written link parameters on top of a configuration.
enum LinkParameterMapping {
    static func apply(_ p: LinkParameters, to base: LinkConfig) -> LinkConfig {
        var c = base
        if let v = p.latency { c.latency = v }
        if let v = p.jitter { c.jitter = v }
        if let v = p.jitterReorders { c.jitterReorders = v }
        switch p.jitterModel {
        case nil: break
        case .uniform: c.jitterDistribution = .uniform
        case .rbpdv, .nrBPDV:
            let sigma = p.jitter ?? c.jitter
            c.jitterDistribution = .boundedPDV(bound: p.jitterBound ?? sigma * Int64(3))
            c.jitterReorders = p.jitterModel == .rbpdv
        }
        if let loss = p.loss {
            if let burst = p.burstLength, burst > 1 {
                c.loss = .gilbertElliott(GilbertElliott(lossRate: loss, meanBurstLength: burst))
            } else {
                c.loss = loss > 0 ? .bernoulli(loss) : .none
            }
        }
        if let v = p.bandwidth { (c.bandwidth, c.capacityTrace) = (v, nil) }
        if let v = p.trace { (c.bandwidth, c.capacityTrace) = (nil, v) }
        if let v = p.queueTime { c.queue = .time(v) }
        if let v = p.queueBytes { c.queue = .bytes(Int(v.bytes)) }
        if let v = p.aqm { c.aqm = v }
        if let v = p.duplicate { c.duplicate = v }
        if let v = p.reorder { c.reorder = v }
        if let v = p.reorderDelay { c.reorderDelay = v }
        if let v = p.mtu { c.mtu = v }
        if let v = p.up { c.isUp = v }
        return c
    }
}
