import Testing

/// Keeps the live interop tests (real sockets, other processes and their timeouts) from
/// running while long simulations load every core, and the other way round.
///
/// A full `swift test` runs suites in parallel on a 2-core machine. A simulation sweep
/// keeps both cores busy for a minute and more; a TURN or ICE peer beside it answers
/// late, and an interop test with a peer that gives up after 20 s fails for want of CPU,
/// not for a fault. Heavy work (`onOwnThread`) and live tests (the `.liveNetwork` trait)
/// therefore exclude each other: any number of either kind at once, never both kinds; a
/// live test that waits keeps new heavy work from starting. Bulk transfers (the
/// `.bulkTransfer` trait: megabytes through a debug-built protocol stack) load both cores
/// themselves, so they run alone, and one that waits keeps any new work from starting.
actor CPUGate {
    static let shared = CPUGate()

    enum Kind { case heavy, live, bulk }

    private var running: [Kind: Int] = [:]
    private var waiting: [Kind: Int] = [:]
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private func mayEnter(_ kind: Kind) -> Bool {
        if kind != .bulk && (running[.bulk, default: 0] > 0 || waiting[.bulk, default: 0] > 0) { return false }
        switch kind {
        case .heavy: return running[.live, default: 0] == 0 && waiting[.live, default: 0] == 0
        case .live: return running[.heavy, default: 0] == 0
        case .bulk: return running.values.allSatisfy { $0 == 0 }
        }
    }

    func enter(_ kind: Kind) async {
        waiting[kind, default: 0] += 1
        while !mayEnter(kind) { await withCheckedContinuation { waiters.append($0) } }
        waiting[kind, default: 0] -= 1
        running[kind, default: 0] += 1
    }

    func leave(_ kind: Kind) {
        running[kind, default: 0] -= 1
        let woken = waiters
        waiters = []
        for waiter in woken { waiter.resume() }
    }

    /// Runs `body` as work of `kind`.
    func run<T>(_ kind: Kind, _ body: () async throws -> T) async rethrows -> T {
        await enter(kind)
        do {
            let result = try await body()
            leave(kind)
            return result
        } catch {
            leave(kind)
            throw error
        }
    }
}

/// The trait of tests that talk to real sockets and other processes under timeouts:
/// each test case runs while no heavy simulation does (`CPUGate`).
public struct LiveNetworkTrait: TestTrait, SuiteTrait, TestScoping {
    let kind: CPUGate.Kind
    init(kind: CPUGate.Kind = .live) { self.kind = kind }

    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }
        try await CPUGate.shared.run(kind, function)
    }
}

extension Trait where Self == LiveNetworkTrait {
    /// Runs each test case apart from heavy simulations (`CPUGate`).
    public static var liveNetwork: Self { LiveNetworkTrait() }
    /// Runs each test case alone: a live test that moves megabytes (`CPUGate`).
    public static var bulkTransfer: Self { LiveNetworkTrait(kind: .bulk) }
    /// Runs each test case alone: a live test whose independent peer cannot stand a loaded
    /// machine — aioice's Python start-up took over a minute beside Chromium and coturn
    /// tests once, while the icelab agent that had already gathered timed out its checks.
    public static var alone: Self { LiveNetworkTrait(kind: .bulk) }
}
