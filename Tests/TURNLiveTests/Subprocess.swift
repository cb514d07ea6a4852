import Foundation
import NIOCore
import NIOPosix
import Spawn
import TestSupport

/// A program run for an interop test: found on PATH, output captured, always killed.
final class Subprocess: @unchecked Sendable {
    let process = SpawnedProcess()
    private let output = Pipe()
    private let lock = NSLock()
    private var captured = Data()

    /// The program's path on PATH, or nil (the test is then skipped, saying why).
    static func find(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin", "/usr/sbin"]
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(_ path: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.captured.append(chunk) }
        }
        try process.run()
    }

    /// Everything printed so far.
    var text: String { lock.withLock { String(decoding: captured, as: UTF8.self) } }

    /// Waits up to `seconds` for the program to exit; kills it otherwise. The exit status.
    func wait(seconds: Double) async -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { stop() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until the output contains `marker` (true) or `seconds` pass (false).
    func waitForOutput(_ marker: String, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if text.contains(marker) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Kills the program (SIGKILL: turnserver lingers after SIGTERM) and reaps it.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
    }

    deinit { stop() }

    /// A free UDP port on loopback (bound and released).
    static func freePort() async throws -> UInt16 {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = UInt16(channel.localAddress!.port!)
        try await channel.close()
        return port
    }

    /// The totals turnutils_uclient prints last ("tot_send_msgs=N, tot_recv_msgs=N"); nil
    /// when it printed none.
    static func uclientTotals(_ output: String) -> (sent: Int, received: Int)? {
        guard let line = output.split(separator: "\n").last(where: { $0.contains("tot_send_msgs=") && $0.contains("tot_recv_msgs=") })
        else { return nil }
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[numbers.count - 2], numbers[numbers.count - 1]) : nil
    }

    /// A loopback port free for both a TCP listener and a UDP socket (servers take both).
    static func freeTCPAndUDPPort() async throws -> UInt16 { try LoopbackAddress.freeTCPAndUDPPort() }
}
