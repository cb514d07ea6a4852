import Foundation
import NIOCore
import NIOPosix
import NetTypes
import STUN
import TestSupport
import Testing
import TURN
@testable import Bench
@testable import Live

/// Ports other sockets hold, on real loopback sockets: a second server cannot take a
/// listening port, and an Allocate never names a relayed port the server could not bind.
@Suite(.serialized) struct ListenAndRelayPortTests {
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

    /// Sockets of this process bound to no address (their inodes): what a failed bind
    /// leaves behind if nobody closes it. Unlike a count of all descriptors this hardly
    /// moves with suites running in parallel, whose sockets are bound within moments.
    static var unboundSockets: Set<String> {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        let inodes = fds.compactMap { fd -> String? in
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                  link.hasPrefix("socket:[") else { return nil }
            return String(link.dropFirst(8).dropLast())
        }
        var listed = Set<String>()
        // The column of the inode in each table of /proc/net.
        let tables = ["udp": 9, "udp6": 9, "tcp": 9, "tcp6": 9, "raw": 9, "raw6": 9, "netlink": 9, "unix": 6]
        for (table, column) in tables {
            let text = (try? String(contentsOfFile: "/proc/net/\(table)", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                if column < fields.count { listed.insert(String(fields[column])) }
            }
        }
        return Set(inodes.filter { !listed.contains($0) })
    }

    /// Unbound sockets that appeared since `before` and are still there after up to 15 s:
    /// those of suites running in parallel (the TURN soak has dozens between creation and
    /// bind under load) go within moments, a leaked one never.
    static func leakedSockets(since before: Set<String>) async throws -> Set<String> {
        var lasting = unboundSockets.subtracting(before)
        for _ in 0..<60 where !lasting.isEmpty {
            try await Task.sleep(for: .milliseconds(250))
            lasting.formIntersection(unboundSockets)
        }
        return lasting
    }

    /// Allocates until the server says 508, on a range whose ports are held but two: the
    /// two are granted, every other Allocate is refused, and no socket of a failed bind is left open.
    @Test func heldRelayPortsAreSkippedWithoutLeakingDescriptors() async throws {
        let (range, held) = try await Self.holdPorts(11, from: 50000)
        for channel in held.suffix(2) { try await channel.close() }
        let port = try await Subprocess.freePort()
        var configuration = TurnBenchmark.loopbackConfiguration(port: port)
        configuration.relayPorts = range
        let server = try await LiveTURNServer.start(configuration)
        let listen = Endpoint(Self.loopback, port)
        let before = Self.unboundSockets
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
        #expect(try await Self.leakedSockets(since: before).isEmpty, "sockets of failed binds left open")
        #expect(await server.socketCounters().openSockets == 1)
        for channel in held.prefix(9) { try await channel.close() }
        await server.stop()
    }

    /// The Live API refuses a listening port another socket holds (no SO_REUSEADDR).
    @Test func aSecondServerCannotListenOnATakenPort() async throws {
        let port = try await Subprocess.freePort()
        let endpoint = Endpoint(Self.loopback, port)
        let first = try await LiveSTUNServer.start(STUNServerConfiguration(primary: endpoint))
        await #expect(throws: LiveError.self) { _ = try await LiveSTUNServer.start(STUNServerConfiguration(primary: endpoint)) }
        do {
            _ = try await LiveTURNServer.start(TurnBenchmark.loopbackConfiguration(port: port))
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
            let process = Process()
            process.executableURL = IcelabExecutable.url
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 2, "\(arguments[0]): \(stderr)")
            #expect(stderr.contains("icelab: cannot listen on \(listen): address already in use"), "\(stderr)")
        }
    }
}
