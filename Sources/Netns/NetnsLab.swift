import Foundation
import Spawn

/// Real Linux networking for a test or a probe: network namespaces joined by veth pairs,
/// with addresses, routes, forwarding and nftables rules, and programs started inside
/// them. Every name carries the lab's prefix so that several labs (and leftovers of a
/// killed one) never collide; `teardown()` stops the programs and deletes the namespaces,
/// which removes their interfaces and rules with them.
///
/// Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN), `ip` (iproute2) and `nft` (nftables).
public final class NetnsLab: @unchecked Sendable {
    /// Prefix of every namespace and interface name (kept short: interface names have 15 bytes).
    public let prefix: String
    private let lock = NSLock()
    private var namespaces: [String] = []
    private var programs: [SpawnedProcess] = []
    private var linkCount = 0
    /// Set by `teardown()`: nothing more is created (a run thread may still be building
    /// when a signal handler tears the lab down).
    private var closed = false

    /// A lab whose names start with `prefix` (at most 8 characters, so that interface
    /// names stay within 15 bytes).
    public init(prefix: String = "il\(getpid() % 10_000)") {
        self.prefix = String(prefix.prefix(8))
    }

    /// Why this machine cannot run a lab, or nil when it can: root, the tools, and a
    /// namespace actually created and deleted (a container may forbid it).
    public static func unavailableReason() -> String? {
        guard getuid() == 0 else { return "not root" }
        for tool in ["ip", "nft"] where HostCommand.locate(tool) == nil { return "\(tool) is not installed" }
        let name = "ilprobe\(getpid() % 100_000)"
        do {
            try HostCommand(["ip", "netns", "add", name]).check()
            try HostCommand(["ip", "netns", "del", name]).check()
        } catch {
            return error.description
        }
        return nil
    }

    /// The full name of namespace `name`.
    public func namespace(_ name: String) -> String { "\(prefix)-\(name)" }

    /// Creates namespace `name` with its loopback up.
    public func addNamespace(_ name: String) throws(NetnsError) {
        let full = namespace(name)
        guard !lock.withLock({ closed }) else { throw .tornDown }
        try HostCommand(["ip", "netns", "add", full]).check()
        let added = lock.withLock {
            if !closed { namespaces.append(full) }
            return !closed
        }
        guard added else {
            _ = try? HostCommand(["ip", "netns", "del", full]).run()
            throw .tornDown
        }
        try HostCommand(["ip", "-n", full, "link", "set", "lo", "up"]).check()
    }

    /// Joins namespaces `a` and `b` with a veth pair, gives each end its addresses
    /// (`192.0.2.1/24` form) and brings both up; returns the two interface names.
    @discardableResult
    public func link(_ a: String, _ addressesA: [String], _ b: String, _ addressesB: [String]) throws(NetnsError) -> (String, String) {
        let index = lock.withLock { linkCount += 1; return linkCount }
        let (ifA, ifB) = ("\(prefix)v\(index)a", "\(prefix)v\(index)b")
        // Made inside the namespaces: no interface of the lab ever exists outside them.
        try HostCommand(["ip", "-n", namespace(a), "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", namespace(b)]).check()
        for (interface, space, addresses) in [(ifA, a, addressesA), (ifB, b, addressesB)] {
            for address in addresses { try HostCommand(["ip", "-n", namespace(space), "addr", "add", address, "dev", interface]).check() }
            try HostCommand(["ip", "-n", namespace(space), "link", "set", interface, "up"]).check()
        }
        return (ifA, ifB)
    }

    /// A default route in namespace `name` via `gateway`.
    public func defaultRoute(in name: String, via gateway: String) throws(NetnsError) {
        try HostCommand(["ip", "-n", namespace(name), "route", "add", "default", "via", gateway]).check()
    }

    /// Runs `ip -n NAMESPACE arguments…` (routes, addresses) and throws unless it succeeds.
    public func ip(_ arguments: [String], in name: String) throws(NetnsError) {
        try HostCommand(["ip", "-n", namespace(name)] + arguments).check()
    }

    /// Lets namespace `name` forward IPv4 (a router).
    public func enableForwarding(in name: String) throws(NetnsError) {
        try HostCommand(["ip", "netns", "exec", namespace(name), "sysctl", "-qw", "net.ipv4.ip_forward=1"]).check()
    }

    /// Loads an nftables ruleset (`nft -f` syntax) into namespace `name`.
    public func loadRules(_ ruleset: String, in name: String) throws(NetnsError) {
        try HostCommand(["ip", "netns", "exec", namespace(name), "nft", "-f", "-"]).check(input: ruleset)
    }

    /// Runs `arguments` inside namespace `name` to its end (killed after `timeout` s).
    public func run(_ arguments: [String], in name: String, timeout: Int = 120) throws(NetnsError) -> (status: Int32, output: String, errors: String) {
        try HostCommand(["ip", "netns", "exec", namespace(name)] + arguments).run(timeout: timeout)
    }

    /// Starts `arguments` inside namespace `name` in the background; `teardown()` stops it.
    public func start(_ arguments: [String], in name: String) throws(NetnsError) {
        guard let ip = HostCommand.locate("ip") else { throw .toolMissing("ip") }
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = ["netns", "exec", namespace(name)] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw .commandFailed(command: arguments, status: -1, output: "\(error)") }
        lock.withLock { programs.append(process) }
    }

    /// Starts `arguments` inside namespace `name` with pipes to talk to it; `teardown()`
    /// stops it.
    public func launch(_ arguments: [String], in name: String) throws(NetnsError) -> LabProgram {
        guard !lock.withLock({ closed }) else { throw .tornDown }
        let program = try LabProgram(["ip", "netns", "exec", namespace(name)] + arguments)
        let kept = lock.withLock {
            if !closed { programs.append(program.process) }
            return !closed
        }
        guard kept else {
            program.stop()
            throw .tornDown
        }
        return program
    }

    /// Stops every program started in the lab and deletes its namespaces (their veths and
    /// rules go with them). Safe to call more than once.
    public func teardown() {
        let (running, spaces) = lock.withLock {
            defer { programs = []; namespaces = []; closed = true }
            return (programs, namespaces)
        }
        for process in running where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        for space in spaces.reversed() {
            // Programs started with `ip netns exec` by others may still hold the namespace.
            _ = try? HostCommand(["ip", "netns", "pids", space]).run().output.split(separator: "\n")
                .compactMap { Int32($0) }.forEach { kill($0, SIGKILL) }
            _ = try? HostCommand(["ip", "netns", "del", space]).run()
        }
        // A namespace whose `ip netns add` was under way when the lab closed appears a
        // moment later (its creator then deletes it too); wait for the prefix to be clear.
        for _ in 0..<40 {
            let left = existingNamespaces()
            if left.isEmpty { break }
            for space in left { _ = try? HostCommand(["ip", "netns", "del", space]).run() }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Namespaces of this lab that exist now (for checks that teardown removed them all).
    public func existingNamespaces() -> [String] {
        (try? Self.namespaces(withPrefix: prefix + "-")) ?? []
    }

    /// The network namespaces on this machine whose names start with `prefix`.
    public static func namespaces(withPrefix prefix: String) throws(NetnsError) -> [String] {
        let listed = try HostCommand(["ip", "netns", "list"]).check()
        return listed.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix(prefix) }
    }

    deinit { teardown() }
}
