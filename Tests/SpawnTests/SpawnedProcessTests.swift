import Foundation
import Spawn
import Testing

/// `SpawnedProcess` against what its callers rely on: streams through pipes, exit status
/// and signals, the environment, and a child that inherits none of the parent's other
/// descriptors — also with more than 1,400 of them open, where Foundation's `Process.run()`
/// on Linux can read past its directory buffer.
@Suite struct SpawnedProcessTests {
    /// Runs `/bin/sh -c script` to its end; returns its output, errors and status.
    func shell(_ script: String, environment: [String: String]? = nil, input: String? = nil)
        throws -> (output: String, errors: String, status: Int32, reason: SpawnedProcess.TerminationReason) {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = environment
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(!process.isRunning)
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), process.terminationStatus,
                process.terminationReason)
    }

    @Test func streamsAndExitStatus() throws {
        let result = try shell("read line; echo \"got $line\"; echo oops >&2; exit 3", input: "hello\n")
        #expect(result.output == "got hello\n")
        #expect(result.errors == "oops\n")
        #expect(result.status == 3 && result.reason == .exit)
    }

    @Test func environmentIsTheWholeEnvironmentWhenSet() throws {
        #expect(try shell("echo \"$ICELAB_X-$HOME\"", environment: ["ICELAB_X": "1"]).output == "1-\n")
        #expect(try shell("echo \"$PATH\"").output == (ProcessInfo.processInfo.environment["PATH"] ?? "") + "\n")
    }

    @Test func terminateEndsTheChildWithSIGTERMAndCallsTheHandler() throws {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        process.standardOutput = nil
        process.standardError = nil
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        #expect(process.isRunning && process.processIdentifier > 0)
        process.terminate()
        #expect(ended.wait(timeout: .now() + 10) == .success)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
    }

    @Test func aMissingExecutableThrows() {
        let process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: "/nonexistent/icelab-no-such-program")
        #expect(throws: SpawnError.self) { try process.run() }
    }

    /// The child sees stdin, stdout and stderr only, with 1,500 more descriptors open here.
    @Test func theChildInheritsNoOtherDescriptorsEvenWithManyOpen() throws {
        var opened: [Int32] = []
        defer { for descriptor in opened { close(descriptor) } }
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let extra = min(1_500, Int(limit.rlim_cur) - 200)
        for _ in 0..<extra {
            let descriptor = open("/dev/null", O_RDONLY)
            guard descriptor >= 0 else { break }
            opened.append(descriptor)
        }
        #expect(opened.count == extra)
        // `ls` opens the directory it lists, so it sees one descriptor of its own above 2.
        let listed = try shell("ls /proc/self/fd").output.split(separator: "\n").compactMap { Int($0) }.sorted()
        #expect(listed.prefix(3) == [0, 1, 2])
        #expect(listed.count == 4)
    }
}
