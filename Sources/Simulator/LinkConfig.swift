import NetTypes

/// How a link loses packets.
public enum LossModel: Sendable, Equatable {
    /// No random loss.
    case none
    /// Each packet is lost independently with this probability.
    case bernoulli(Double)
    /// Bursty loss: a two-state Markov chain (Gilbert-Elliott).
    case gilbertElliott(GilbertElliott)
}

/// The Gilbert-Elliott burst-loss model: a good and a bad state, each with its own loss
/// probability, and per-packet transition probabilities between them.
public struct GilbertElliott: Sendable, Equatable {
    /// Probability of moving from good to bad, per packet.
    public var goodToBad: Double
    /// Probability of moving from bad to good, per packet (1 / mean burst length).
    public var badToGood: Double
    /// Loss probability in the good state (1 − k in the classic notation).
    public var lossInGood: Double
    /// Loss probability in the bad state (1 − h).
    public var lossInBad: Double

    public init(goodToBad: Double, badToGood: Double, lossInGood: Double = 0, lossInBad: Double = 1) {
        self.goodToBad = goodToBad
        self.badToGood = badToGood
        self.lossInGood = lossInGood
        self.lossInBad = lossInBad
    }

    /// The model with loss only in the bad state that loses `lossRate` of packets on
    /// average in bursts of `meanBurstLength` packets.
    public init(lossRate: Double, meanBurstLength: Double) {
        let r = 1 / max(meanBurstLength, 1)
        let p = lossRate >= 1 ? 1 : lossRate * r / (1 - lossRate)
        self.init(goodToBad: min(p, 1), badToGood: r)
    }

    /// The long-run share of packets lost.
    public var stationaryLossRate: Double {
        let total = goodToBad + badToGood
        guard total > 0 else { return lossInGood }
        let bad = goodToBad / total
        return bad * lossInBad + (1 - bad) * lossInGood
    }
}

/// How a link direction draws each packet's delay variation (PDV) around its latency.
public enum JitterDistribution: Sendable, Equatable {
    /// Uniform in ±`jitter`.
    case uniform
    /// RFC 8868 §4.5.3's recommended distribution for its bounded PDV models (RBPDV when
    /// `jitterReorders`, NR-BPDV when not): z = |max(min(N(0, σ²), bound), −bound)| with
    /// σ = `jitter`, added to the latency. One-sided: the latency is the least delay.
    case boundedPDV(bound: Duration)
}

/// The bound of a link's drop-tail queue.
public enum QueueLimit: Sendable, Equatable {
    /// No bound.
    case unlimited
    /// At most this many bytes waiting (the packet on the wire not counted).
    case bytes(Int)
    /// A packet is dropped when it would wait longer than this before transmission.
    case time(Duration)
}

/// The behavior of one direction of a link. Every parameter can change at a simulated
/// time (`LinkDirection.update`).
public struct LinkConfig: Sendable, Equatable {
    /// Propagation delay.
    public var latency: Duration = .zero
    /// Each packet's delay varies around `latency` (never below 0): uniformly within
    /// ±jitter, or with `jitter` as the standard deviation of a truncated Gaussian
    /// (`jitterDistribution`).
    public var jitter: Duration = .zero
    /// How the delay variation is drawn.
    public var jitterDistribution: JitterDistribution = .uniform
    /// Whether jitter may reorder packets. When false, a packet is never delivered before
    /// the one sent ahead of it (jitter then bunches packets instead).
    public var jitterReorders = false
    public var loss: LossModel = .none
    /// Serialization rate; nil for an infinitely fast link (no queue) unless
    /// `capacityTrace` gives the capacity.
    public var bandwidth: Bitrate?
    /// Capacity as Mahimahi delivery opportunities (`CapacityTrace`); when set it replaces
    /// `bandwidth` as the serializer's rate.
    public var capacityTrace: CapacityTrace?
    /// Drop-tail queue bound in front of the serializer (only with a bandwidth).
    public var queue: QueueLimit = .unlimited
    /// Active queue management on top of the bound (only with a bandwidth): none by
    /// default, or CoDel (RFC 8289).
    public var aqm: QueueDiscipline = .dropTail
    /// Probability that a packet is delivered twice.
    public var duplicate: Double = 0
    /// Probability that a packet is held back by `reorderDelay`, letting later ones pass.
    public var reorder: Double = 0
    /// How long a reordered packet is held back.
    public var reorderDelay: Duration = .milliseconds(10)
    /// Largest IP packet the link carries; larger ones are dropped and counted.
    public var mtu: Int = 1500
    /// A link that is down drops everything offered to it.
    public var isUp = true

    public init(latency: Duration = .zero, jitter: Duration = .zero, jitterDistribution: JitterDistribution = .uniform,
                jitterReorders: Bool = false, loss: LossModel = .none, bandwidth: Bitrate? = nil, capacityTrace: CapacityTrace? = nil,
                queue: QueueLimit = .unlimited, aqm: QueueDiscipline = .dropTail,
                duplicate: Double = 0, reorder: Double = 0, reorderDelay: Duration = .milliseconds(10),
                mtu: Int = 1500, isUp: Bool = true) {
        self.latency = latency
        self.jitter = jitter
        self.jitterDistribution = jitterDistribution
        self.jitterReorders = jitterReorders
        self.loss = loss
        self.bandwidth = bandwidth
        self.capacityTrace = capacityTrace
        self.queue = queue
        self.aqm = aqm
        self.duplicate = duplicate
        self.reorder = reorder
        self.reorderDelay = reorderDelay
        self.mtu = mtu
        self.isUp = isUp
    }
}
