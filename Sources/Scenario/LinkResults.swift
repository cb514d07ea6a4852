import NetTypes
import Records
import Simulator

extension SimulatedNetwork {
    /// The directions of the scenario's `links:` entries that carried packets, as results
    /// record them: `forward` is `from → to` as written.
    func linkResults(_ spec: NetworkSpec) -> [LinkResult] {
        spec.links.flatMap { entry in
            [(false, "forward"), (true, "reverse")].compactMap { reversed, label -> LinkResult? in
                guard let direction = direction(entry.name, reversed: reversed), direction.stats.sentPackets > 0 else { return nil }
                return LinkResult(direction.stats, link: entry.name, direction: label, aqm: direction.config.aqm.name)
            }
        }
    }
}

extension LinkResult {
    /// The record of a link direction's counters.
    init(_ stats: LinkStats, link: String, direction: String, aqm: String) {
        let queued = stats.queueDelay.count > 0
        self.init(link: link, direction: direction, aqm: aqm, sentPackets: stats.sentPackets, deliveredPackets: stats.deliveredPackets,
                  droppedLoss: stats.dropped(.loss), droppedQueue: stats.dropped(.queueOverflow), droppedAQM: stats.dropped(.aqm),
                  droppedOther: stats.dropped(.mtuExceeded) + stats.dropped(.linkDown), ceMarked: stats.ceMarked,
                  queueDelayP50: queued ? .nanoseconds(stats.queueDelay.quantile(0.5)) : nil,
                  queueDelayP95: queued ? .nanoseconds(stats.queueDelay.quantile(0.95)) : nil)
    }
}
