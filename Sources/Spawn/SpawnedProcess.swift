import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`: the part of Foundation's `Process` that
/// icelab's drivers and tests use (executable, arguments, environment, standard streams
/// as `Pipe`s or `FileHandle`s, termination status and handler, signals), with the same
/// names so that a call site reads the same.
///
/// Why not `Process`: on Linux, swift-corelibs-foundation's `Process.run()` lists
/// `/proc/self/fd` to close the parent's descriptors in the child and copies each
/// entry's 256-byte name field whole, reading past the end of glibc's directory buffer
/// when the process has more than about 1,350 descriptors open; where that buffer ends a
/// mapping, the launch crashes (fixed upstream in swift-corelibs-foundation #5472, after
/// Swift 6.3.1). A test run with live TURN soak clients open reaches that many. Here the
/// child closes every descriptor above stderr with glibc's
/// `posix_spawn_file_actions_addclosefrom_np` instead, which lists nothing.
///
/// Like `Process`, the child gets its own process group (`POSIX_SPAWN_SETPGROUP`), the
/// parent closes its copies of the pipe ends the child uses, and a thread waits for the
/// child (`waitpid`) and then calls `terminationHandler` on it.
public final class SpawnedProcess: @unchecked Sendable {
    public var executableURL: URL?
    public var arguments: [String]?
    /// The child's whole environment; nil inherits this process's.
    public var environment: [String: String]?
    /// A `Pipe` (the child reads its read end), a `FileHandle`, or nil or
    /// `FileHandle.nullDevice` for /dev/null.
    public var standardInput: Any? = FileHandle.standardInput
    /// A `Pipe` (the child writes its write end), a `FileHandle`, or nil for /dev/null.
    public var standardOutput: Any? = FileHandle.standardOutput
    public var standardError: Any? = FileHandle.standardError
    /// Called on the waiting thread once the child has exited.
    public var terminationHandler: (@Sendable (SpawnedProcess) -> Void)?

    public enum TerminationReason: Sendable { case exit, uncaughtSignal }

    private let lock = NSCondition()
    private var pid: pid_t = 0
    private var running = false
    private var status: Int32 = 0
    private var reason = TerminationReason.exit

    public init() {}

    public var processIdentifier: Int32 { lock.withLock { pid } }
    public var isRunning: Bool { lock.withLock { running } }
    /// The exit status, or the signal that ended the child.
    public var terminationStatus: Int32 { lock.withLock { status } }
    public var terminationReason: TerminationReason { lock.withLock { reason } }

    /// Starts the child.
    public func run() throws {
        guard let path = executableURL?.path else { throw SpawnError.noExecutable }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentCloses: [FileHandle] = []
        var devNull: FileHandle?
        for (target, stream, childReads) in [(STDIN_FILENO, standardInput, true), (STDOUT_FILENO, standardOutput, false),
                                             (STDERR_FILENO, standardError, false)] {
            let source: Int32
            switch stream {
            case let pipe as Pipe:
                let child = childReads ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                source = child.fileDescriptor
                parentCloses.append(child)
            case let handle as FileHandle where handle !== FileHandle.nullDevice:
                source = handle.fileDescriptor
            default:
                if devNull == nil { devNull = FileHandle(forUpdatingAtPath: "/dev/null") }
                guard let devNull else { throw SpawnError.failed(path, errno) }
                source = devNull.fileDescriptor
            }
            if source != target { posix_spawn_file_actions_adddup2(&actions, source, target) }
        }
        try closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, as `Process` does, and no signals blocked (the spawning
        // thread may block some; a child that inherited the mask could not be stopped).
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))

        let argv = CStrings([path] + (arguments ?? []))
        let environment = self.environment ?? ProcessInfo.processInfo.environment
        let envp = CStrings(environment.map { "\($0.key)=\($0.value)" })
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv.pointers, envp.pointers)
        try? devNull?.close()
        guard result == 0 else { throw SpawnError.failed(path, result) }
        for handle in parentCloses { try? handle.close() }
        let spawned = child
        lock.withLock {
            pid = spawned
            running = true
        }
        Thread.detachNewThread { [self] in waitForExit(spawned) }
    }

    /// Sends SIGTERM.
    public func terminate() { send(signal: SIGTERM) }

    /// Sends SIGINT.
    public func interrupt() { send(signal: SIGINT) }

    /// Blocks until the child has exited (at once if it has).
    public func waitUntilExit() {
        lock.withLock { while running { lock.wait() } }
    }

    private func send(signal number: Int32) {
        let target = lock.withLock { running ? pid : 0 }
        if target > 0 { kill(target, number) }
    }

    private func waitForExit(_ child: pid_t) {
        var raw: Int32 = 0
        while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
        lock.withLock {
            // WIFSIGNALED / WTERMSIG / WEXITSTATUS of <sys/wait.h>.
            if raw & 0x7F != 0 && raw & 0x7F != 0x7F {
                (status, reason) = (raw & 0x7F, .uncaughtSignal)
            } else {
                (status, reason) = ((raw >> 8) & 0xFF, .exit)
            }
            running = false
            lock.broadcast()
        }
        terminationHandler?(self)
    }

    /// Closes every descriptor above stderr in the child: glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (2.34 and later, looked up at run time as
    /// Swift's Glibc module does not import it), else each one listed in /proc/self/fd.
    private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        if let closeFrom = Self.addCloseFrom {
            let result = closeFrom(&actions, STDERR_FILENO + 1)
            guard result == 0 else { throw SpawnError.failed("posix_spawn_file_actions_addclosefrom_np", result) }
            return
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in names.compactMap(Int32.init) where descriptor > STDERR_FILENO {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}

/// Why a child could not be started.
public enum SpawnError: Error, CustomStringConvertible {
    case noExecutable
    case failed(String, Int32)

    public var description: String {
        switch self {
        case .noExecutable: "no executable set"
        case .failed(let what, let code): "\(what): \(String(cString: strerror(code)))"
        }
    }
}

/// NUL-terminated copies of strings with a NULL-terminated array of pointers to them, as
/// `posix_spawn` takes its argument and environment vectors; freed on deinit.
private final class CStrings {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[count] = nil
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }
}
