import Foundation
import NIOCore
import NIOPosix
import NetTypes
import STUN
import TestSupport
import Testing
import TURN
@testable import Live

/// Ports other sockets hold, on real loopback sockets: a second server cannot take a
/// listening port, and an Allocate never names a relayed port the server could not bind.
@Suite(.serialized, .liveNetwork) struct ListenAndRelayPortTests {
    static let loopback = IPAddress.v4(.loopback)

    /// Binds UDP sockets on every port of `count` consecutive loopback ports (a range
    /// nothing else holds), searching from `from`.
    static func holdPorts(_ count: Int, from: UInt16) async throws -> (ClosedRange<UInt16>, [Channel]) {
        var base = from
        while base < 60000 {
            var held: [Channel] = []
            for port in base..<base + UInt16(count) {
                guard let channel = try? await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(host: "127.0.0.1", port: Int(port)).get() else { break }
                held.append(channel)
            }
            if held.count == count { return (base...base + UInt16(count) - 1, held) }
            for channel in held { try await channel.close() }
            base += UInt16(count)
        }
        throw LiveError.cannotBind(Endpoint(loopback, from), errno: nil)
    }

    /// The inodes of the sockets `pid` holds (its `/proc/PID/fd` entries that are sockets).
    static func sockets(of pid: Int32) -> Set<String> {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return Set(fds.compactMap { fd -> String? in
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                  link.hasPrefix("socket:[") else { return nil }
            return String(link.dropFirst(8).dropLast())
        })
    }

    /// Whether a UDP socket is bound on 127.0.0.1:`port` (a line of /proc/net/udp).
    static func isBound(port: UInt16) -> Bool {
        let local = "0100007F:" + String(format: "%04X", port)
        let table = (try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first.map(String.init) == local }
    }

    /// Waits up to 10 s for `pid` to hold exactly `expected`; the last set seen.
    static func waitForSockets(of pid: Int32, toBe expected: Set<String>) async throws -> Set<String> {
        var seen = sockets(of: pid)
        for _ in 0..<40 where seen != expected {
            try await Task.sleep(for: .milliseconds(250))
            seen = sockets(of: pid)
        }
        return seen
    }

    /// `icelab turn-server` on a relay range whose ports are held but two, allocated until
    /// it says 508: the two are granted, every other Allocate is refused, and the server
    /// process holds the same sockets afterwards as once it listened (a socket of a failed
    /// bind left open would show in its `/proc/PID/fd`, which no other test touches; the
    /// descriptors a child inherits from the test process are in both sets).
    @Test(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
    func heldRelayPortsAreSkippedWithoutLeakingDescriptors() async throws {
        let (range, held) = try await Self.holdPorts(11, from: 50000)
        for channel in held.suffix(2) { try await channel.close() }
        let port = try await Subprocess.freePort()
        let server = try ChildProcess(IcelabExecutable.url!, [
            "turn-server", "--listen", "127.0.0.1:\(port)", "--realm", "icelab.test", "--user", "bench:bench",
            "--relay-ports", "\(range.lowerBound)-\(range.upperBound)", "--duration", "600"])
        defer { kill(server.process.processIdentifier, SIGTERM) }
        for _ in 0..<100 where !Self.isBound(port: port) { try await Task.sleep(for: .milliseconds(100)) }
        let listening = Self.sockets(of: server.process.processIdentifier)
        let listen = Endpoint(Self.loopback, port)
        var granted: [Endpoint] = []
        var refused = 0
        for _ in 0..<12 {
            let client = try await LiveClient.start(server: listen, username: "bench", password: "bench")
            let outcome = await client.waitFor { if case .allocated = $0 { true } else if case .allocationFailed = $0 { true } else { false } }
            switch outcome {
            case .allocated(let allocation)?:
                granted += allocation.relayed
                try await client.withCore { core, now in core.release(now: now) }
                _ = await client.waitFor { $0 == .deallocated }
            case .allocationFailed(.error(let code))? where code.code == 508:
                refused += 1
            default:
                Issue.record("unexpected outcome \(String(describing: outcome))")
            }
            await client.driver.close()
        }
        #expect(Set(granted.map(\.port)).isSubset(of: Set(range.suffix(2))), "\(granted)")
        #expect(granted.count + refused == 12 && granted.count >= 2, "granted \(granted), refused \(refused)")
        let after = try await Self.waitForSockets(of: server.process.processIdentifier, toBe: listening)
        #expect(after == listening, "sockets left open: \(after.subtracting(listening))")
        kill(server.process.processIdentifier, SIGTERM)
        #expect(await server.exitStatus() == 0)
        #expect(server.standardError.contains("sockets open at stop=1"), "\(server.standardError.suffix(600))")
        for channel in held.prefix(9) { try await channel.close() }
    }

    /// The Live API refuses a listening port another socket holds (no SO_REUSEADDR).
    @Test func aSecondServerCannotListenOnATakenPort() async throws {
        let port = try await Subprocess.freePort()
        let endpoint = Endpoint(Self.loopback, port)
        let first = try await LiveSTUNServer.start(STUNServerConfiguration(primary: endpoint))
        await #expect(throws: LiveError.self) { _ = try await LiveSTUNServer.start(STUNServerConfiguration(primary: endpoint)) }
        do {
            _ = try await LiveTURNServer.start(TURNServerConfiguration(listening: [endpoint], realm: "icelab.test", users: ["u": "p"]))
            Issue.record("a second server started on \(endpoint)")
        } catch let error as LiveError {
            #expect(error.isAddressInUse && error.reason == "address already in use", "\(error)")
        }
        await first.stop()
    }

    /// `stun-server` and `turn-server` on a taken port exit 2 and say why.
    @Test(.enabled(if: IcelabExecutable.url != nil, "the icelab executable is not next to the test bundle (swift build first)"))
    func serverCommandsOnATakenPortExitTwo() async throws {
        let (range, held) = try await Self.holdPorts(1, from: 47000)
        defer { Task { try await held[0].close() } }
        let listen = "127.0.0.1:\(range.lowerBound)"
        for arguments in [["stun-server", "--listen", listen, "--duration", "1"],
                          ["turn-server", "--listen", listen, "--realm", "r", "--user", "u:p", "--duration", "1"]] {
            let (status, _, stderr) = try await ChildProcess.run(IcelabExecutable.url!, arguments)
            #expect(status == 2, "\(arguments[0]): \(stderr)")
            #expect(stderr.contains("icelab: cannot listen on \(listen): address already in use"), "\(stderr)")
        }
    }
}
