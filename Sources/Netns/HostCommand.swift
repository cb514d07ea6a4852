import Foundation
import Spawn

/// A program run to its end on the host (`ip`, `nft`, or icelab itself inside a
/// namespace): its exit status and what it printed, stdout and stderr read as they come
/// so a chatty program cannot block on a full pipe; killed after `timeout`.
struct HostCommand {
    let arguments: [String]

    init(_ arguments: [String]) { self.arguments = arguments }

    /// The directories searched for `arguments[0]` when it is not a path.
    static let searchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]

    /// The executable `name` resolves to, if installed.
    static func locate(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        return searchPath.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the command; `input` goes to its stdin.
    func run(input: String? = nil, timeout: Int = 30) throws(NetnsError) -> (status: Int32, output: String, errors: String) {
        guard let executable = Self.locate(arguments[0]) else { throw .toolMissing(arguments[0]) }
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        let collected = Collected()
        let readers = DispatchGroup()
        for (pipe, isOutput) in [(stdout, true), (stderr, false)] {
            readers.enter()
            Thread.detachNewThread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, isOutput: isOutput)
                readers.leave()
            }
        }
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { throw .commandFailed(command: arguments, status: -1, output: "\(error)") }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        if exited.wait(timeout: .now() + .seconds(timeout)) == .timedOut {
            process.terminate()
            _ = exited.wait(timeout: .now() + .seconds(5))
            throw .timedOut(command: arguments, seconds: timeout)
        }
        readers.wait()
        return (process.terminationStatus, collected.output, collected.errors)
    }

    /// Runs the command and throws unless it exits 0.
    @discardableResult
    func check(input: String? = nil, timeout: Int = 30) throws(NetnsError) -> String {
        let result = try run(input: input, timeout: timeout)
        guard result.status == 0 else { throw .commandFailed(command: arguments, status: result.status, output: result.errors + result.output) }
        return result.output
    }
}

/// Output gathered by the reader threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()

    func set(_ data: Data, isOutput: Bool) { lock.withLock { if isOutput { out = data } else { err = data } } }
    var output: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var errors: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
}
