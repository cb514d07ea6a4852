import Foundation

/// The labs of this process that exist now, so that a signal handler can tear them all
/// down before the process exits (Ctrl-C during `icelab run --backend netns`).
public final class NetnsLabRegistry: @unchecked Sendable {
    public static let shared = NetnsLabRegistry()
    private let lock = NSLock()
    private var labs: [ObjectIdentifier: NetnsLab] = [:]

    func add(_ lab: NetnsLab) { lock.withLock { labs[ObjectIdentifier(lab)] = lab } }

    func remove(_ lab: NetnsLab) { _ = lock.withLock { labs.removeValue(forKey: ObjectIdentifier(lab)) } }

    /// Tears down every registered lab (their programs and namespaces).
    public func teardownAll() {
        let all = lock.withLock { Array(labs.values) }
        for lab in all { lab.teardown() }
    }
}
