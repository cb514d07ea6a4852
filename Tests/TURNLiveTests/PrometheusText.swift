import Foundation
import TestSupport

/// The samples of a Prometheus text exposition (`name{labels} value` lines), for tests
/// that scrape `/metrics`.
struct PrometheusText {
    /// Sample value by series, the series written as exposed: `name{a="b",c="d"}` or `name`.
    var samples: [String: Double] = [:]
    /// Metric name → its `# TYPE`.
    var types: [String: String] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
    }

    /// The value of `name` with exactly `labels` (in the order exposed), if present.
    func value(_ name: String, _ labels: [(String, String)] = []) -> Double? {
        samples[labels.isEmpty ? name : "\(name){\(labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ","))}"]
    }

    /// The sum over every series of `name` whose labels include all of `labels`.
    func sum(_ name: String, where labels: [(String, String)] = []) -> Double {
        samples.filter { series, _ in
            (series == name || series.hasPrefix(name + "{")) && labels.allSatisfy { series.contains("\($0.0)=\"\($0.1)\"") }
        }.values.reduce(0, +)
    }

    /// GETs `url`; the status, content type and body.
    static func fetch(_ url: URL) async throws -> (status: Int, contentType: String?, body: String) {
        let response = try await LoopbackHTTP.get(url.absoluteString)
        return (response.status, response.headers["content-type"], response.text)
    }
}
