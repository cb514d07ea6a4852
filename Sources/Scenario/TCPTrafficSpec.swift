import NetTypes
import TCP

/// The TCP side of a `tcp-bulk` or `tcp-web` cross-traffic entry: the congestion
/// controller of its senders and, for web-like traffic, the on/off model of RFC 8867
/// §5.7 (sources that alternate between a file transfer and an exponentially distributed
/// idle period, some of them starting with a transfer).
public struct TCPTrafficSpec: Sendable {
    /// The senders' congestion controller (`congestion-control`, default cubic).
    public var congestionControl: TCPCongestionAlgorithm
    /// Whether the connections negotiate ECN (`ecn`, default false; RFC 3168): the
    /// receiver accepts it, the sender requests it.
    public var ecn = false
    /// `tcp-bulk`: bytes to send before closing (nil: until `stop` or the end of the run).
    public var bytes: Int64?
    /// `tcp-web`: the on/off sources.
    public var web: Web?

    /// RFC 8867 §5.7's short TCP flows: `sources` on/off sources, `initiallyActive` of
    /// them starting with a burst at `start`, the others with an idle period; a burst is
    /// `connections` transfers opened at once (RFC 8868 §5.1: a group of 30 connections
    /// fetching web page resources), each of a size drawn uniformly from `fileSize`, and
    /// the source goes idle when the last of them ends; idle periods are exponentially
    /// distributed with mean `meanIdle` (so each idle source starts its next burst as a
    /// Poisson process would).
    public struct Web: Sendable {
        public var sources: Int
        public var connections: Int
        public var initiallyActive: Int
        public var meanIdle: Duration
        public var fileSize: ClosedRange<Int64>
    }

    /// Keys of a TCP entry (besides the common `kind`, `name`, `from`, `to`, `start`, `stop`).
    static let bulkKeys = ["congestion-control", "ecn", "bytes"]
    static let webKeys = ["congestion-control", "ecn", "sources", "connections", "initially-active", "mean-idle",
                          "file-size"]

    init(_ f: Fields, web isWeb: Bool) throws(ScenarioError) {
        congestionControl = try f.optional("congestion-control")?.choice(of: TCPCongestionAlgorithm.self) ?? .cubic
        ecn = try f.optional("ecn")?.bool() ?? false
        if let node = f.optional("bytes") {
            let count = try node.byteCount().bytes
            guard count > 0 else { throw node.error("bytes must be positive") }
            bytes = count
        }
        guard isWeb else { return }
        let sources = try f.optional("sources")?.int(in: 1...1000) ?? 10
        let active = try f.optional("initially-active")?.int(in: 0...1000) ?? min(2, sources)
        if active > sources { throw try f.required("initially-active").error("initially-active (\(active)) is more than sources (\(sources))") }
        let meanIdle = try f.optional("mean-idle")?.duration() ?? .seconds(10)
        if meanIdle <= .zero { throw try f.required("mean-idle").error("mean-idle must be positive") }
        let connections = try f.optional("connections")?.int(in: 1...1000) ?? 1
        web = Web(sources: sources, connections: connections, initiallyActive: active, meanIdle: meanIdle,
                  fileSize: try f.optional("file-size").map(Self.sizeRange) ?? 100_000...1_000_000)
    }

    /// `file-size`: one size (`300KB`) or a uniform range (`[100KB, 1MB]`).
    static func sizeRange(_ node: YAMLNode) throws(ScenarioError) -> ClosedRange<Int64> {
        let bounds = try node.isSequence ? node.sequence() : [node]
        guard bounds.count == 1 || bounds.count == 2 else { throw node.error("file-size is one size or [MIN, MAX]") }
        let sizes = try bounds.map { n throws(ScenarioError) in try n.byteCount().bytes }
        guard let low = sizes.first, let high = sizes.last, low > 0 else { throw node.error("file-size must be positive") }
        guard low <= high else { throw node.error("file-size [MIN, MAX] needs MIN ≤ MAX") }
        return low...high
    }
}
