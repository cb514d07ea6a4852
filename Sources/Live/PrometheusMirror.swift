import Foundation
import Prometheus

/// A Prometheus registry that mirrors counts kept elsewhere (a core's counters, a driver's
/// socket counters): each scrape sets every metric to the value read, under a lock so that
/// scrapes do not interleave. Counters are only ever set to values that never decrease.
final class PrometheusMirror: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()

    /// Runs `update` (which calls `counter` and `gauge`), then renders the text exposition format.
    func render(_ update: (PrometheusMirror) -> Void) -> String {
        lock.withLock {
            update(self)
            return registry.emitToString()
        }
    }

    func counter(_ name: String, _ labels: [(String, String)], _ help: String, _ value: Int) {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        let counter = labels.isEmpty ? registry.makeCounter(descriptor: descriptor) : registry.makeCounter(descriptor: descriptor, labels: labels)
        counter.reset()
        counter.increment(by: Int64(value))
    }

    func gauge(_ name: String, _ labels: [(String, String)], _ help: String, _ value: Int) {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        let gauge = labels.isEmpty ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
        gauge.set(Int64(value))
    }

    /// A label value from a kebab-case name: `not-turn` → `not_turn`.
    static func label(_ name: String) -> String { name.replacingOccurrences(of: "-", with: "_") }
}
