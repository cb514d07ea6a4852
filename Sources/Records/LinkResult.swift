import NetTypes

/// One direction of a link at the end of a run, as the results' `links` table holds it:
/// what it carried, what it dropped and why, what active queue management marked CE
/// instead (RFC 3168), and how long packets queued.
public struct LinkResult: Sendable, Equatable {
    /// The link as the scenario names it (`from-to`).
    public var link: String
    /// `forward` (from → to as written) or `reverse`.
    public var direction: String
    /// The queue discipline: `drop-tail`, `codel`, `pie` or `fq-codel`.
    public var aqm: String
    public var sentPackets: Int
    public var deliveredPackets: Int
    /// Random loss (Bernoulli, Gilbert-Elliott).
    public var droppedLoss: Int
    /// The drop-tail bound (or FQ-CoDel's packet limit) was reached.
    public var droppedQueue: Int
    /// Active queue management dropped them.
    public var droppedAQM: Int
    /// Larger than the MTU, or the link was down.
    public var droppedOther: Int
    /// Active queue management marked them CE instead of dropping them.
    public var ceMarked: Int
    /// The median and 95th percentile of the time packets queued (nil: none queued).
    public var queueDelayP50: Duration?
    public var queueDelayP95: Duration?

    public init(link: String, direction: String, aqm: String, sentPackets: Int, deliveredPackets: Int, droppedLoss: Int,
                droppedQueue: Int, droppedAQM: Int, droppedOther: Int, ceMarked: Int, queueDelayP50: Duration?, queueDelayP95: Duration?) {
        self.link = link
        self.direction = direction
        self.aqm = aqm
        self.sentPackets = sentPackets
        self.deliveredPackets = deliveredPackets
        self.droppedLoss = droppedLoss
        self.droppedQueue = droppedQueue
        self.droppedAQM = droppedAQM
        self.droppedOther = droppedOther
        self.ceMarked = ceMarked
        self.queueDelayP50 = queueDelayP50
        self.queueDelayP95 = queueDelayP95
    }
}
